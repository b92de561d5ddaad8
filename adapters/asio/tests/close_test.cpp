// Closing the listener wakes EndAccept and leaves no descriptor behind.
#include <gtest/gtest.h>

#include <filesystem>

#include "endaccept/asio_ref/worker_pool.hpp"
#include "loopback_client.hpp"
#include "test_support.hpp"

namespace ea::test {
namespace {

std::size_t open_descriptors() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

class Close : public ::testing::Test {
 protected:
  // The pool's own descriptors must exist before anything is counted.
  void SetUp() override { asio_ref::WorkerPool::shared(); }
};

TEST_F(Close, WakesABlockedEndAcceptWithObjectDisposed) {
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, nullptr);
  const EndAcceptCall end(listener, result);
  EXPECT_FALSE(end.finished_within(50ms));
  listener->close();
  ASSERT_TRUE(end.finished_within(deadline));
  EXPECT_THROW(end.socket(), apm::ObjectDisposedException);
}

TEST_F(Close, EndAcceptOfACompletedAcceptAfterCloseThrowsObjectDisposed) {
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client;
  client.connect(listener->local_endpoint());
  ASSERT_TRUE(result->wait(deadline));
  listener->close();
  EXPECT_THROW(listener->end_accept(result), apm::ObjectDisposedException);
}

TEST_F(Close, ClosesTheConnectionNobodyClaimed) {
  const auto before = open_descriptors();
  auto listener = listening_socket();
  auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client;
  client.connect(listener->local_endpoint());
  ASSERT_TRUE(result->wait(deadline));

  listener->close();
  EXPECT_EQ(client.receive(1), "") << "the client should see the connection closed";
  client.close();
  // The result is still held: closing must not wait for it to go away.
  EXPECT_EQ(open_descriptors(), before);
}

TEST_F(Close, ManyAcceptCyclesLeaveNoDescriptorBehind) {
  const auto before = open_descriptors();
  {
    const auto listener = listening_socket();
    for (int cycle = 0; cycle < 50; ++cycle) {
      const auto result = listener->begin_accept({}, nullptr);
      LoopbackClient client;
      client.connect(listener->local_endpoint());
      const EndAcceptCall end(listener, result);
      ASSERT_TRUE(end.finished_within(deadline));
      end.socket()->close();
    }
    listener->begin_accept({}, nullptr);
    listener->close();
  }
  EXPECT_EQ(open_descriptors(), before);
}

TEST_F(Close, IsIdempotent) {
  const auto listener = listening_socket();
  listener->close();
  EXPECT_NO_THROW(listener->close());
  EXPECT_FALSE(listener->connected());
}

}  // namespace
}  // namespace ea::test
