// BeginAccept / EndAccept when things go right.
#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "test_support.hpp"

namespace ea::posix_impl::testing {
namespace {

using namespace std::chrono_literals;

TEST(Accept, AcceptsOnIpv4LoopbackWithCorrectEndpoints) {
  auto listener = make_listener(apm::Family::ipv4);
  const auto listening = listener->local_endpoint();
  EXPECT_EQ(listening.address, "127.0.0.1");
  EXPECT_NE(listening.port, 0);

  auto result = listener->begin_accept(nullptr, nullptr);
  auto client = connect_client(listening);
  auto accepted = listener->end_accept(result);

  ASSERT_NE(accepted, nullptr);
  EXPECT_TRUE(accepted->connected());
  EXPECT_NE(accepted->identity(), listener->identity());
  EXPECT_EQ(accepted->local_endpoint().address, "127.0.0.1");
  EXPECT_EQ(accepted->local_endpoint().port, listening.port);
  const auto remote = accepted->remote_endpoint();
  ASSERT_TRUE(remote.has_value());
  EXPECT_EQ(remote->address, "127.0.0.1");
  EXPECT_EQ(remote->port, local_endpoint_of(client.get()).port);
  listener->close();
  accepted->close();
}

TEST(Accept, AcceptsOnIpv6Loopback) {
  if (!ipv6_available()) GTEST_SKIP() << "no IPv6 loopback here";
  auto listener = make_listener(apm::Family::ipv6);
  const auto listening = listener->local_endpoint();
  EXPECT_EQ(listening.address, "::1");

  auto result = listener->begin_accept(nullptr, nullptr);
  auto client = connect_client(listening);
  auto accepted = listener->end_accept(result);

  EXPECT_EQ(accepted->local_endpoint().address, "::1");
  EXPECT_EQ(accepted->remote_endpoint()->address, "::1");
  EXPECT_EQ(accepted->remote_endpoint()->port, local_endpoint_of(client.get()).port);
  listener->close();
}

TEST(Accept, CallbackRunsOnceOnAnotherThreadWithTheResultBeginAcceptReturned) {
  auto listener = make_listener();
  auto token = std::make_shared<int>(42);
  auto probe = std::make_shared<CallbackProbe>();

  auto result = listener->begin_accept(probe->callback(), token);
  auto client = connect_client(listener->local_endpoint());

  ASSERT_TRUE(probe->wait_for_calls(1));
  ASSERT_TRUE(result->wait(deadline));
  EXPECT_TRUE(result->is_completed());
  EXPECT_FALSE(result->completed_synchronously());
  EXPECT_EQ(result->async_state(), token);
  auto accepted = listener->end_accept(result);
  ASSERT_NE(accepted, nullptr);

  const auto invocations = probe->invocations();
  ASSERT_EQ(invocations.size(), 1u);
  EXPECT_NE(invocations[0].thread, std::this_thread::get_id());
  EXPECT_EQ(invocations[0].result, result);
  listener->close();
}

// The protocol's own check: a reentrant lock held across BeginAccept tells an
// inline callback (it re-enters and sees begin_returned == false) from one on
// another thread (it waits and sees true).
TEST(Accept, CallbackIsNeverInlineEvenWithAConnectionAlreadyQueued) {
  auto listener = make_listener();
  auto client = connect_client(listener->local_endpoint());
  std::recursive_mutex begin_lock;
  bool begin_returned = false;
  bool seen_returned = false;
  auto probe = std::make_shared<CallbackProbe>();

  std::shared_ptr<apm::AsyncResult> result;
  {
    std::lock_guard lock(begin_lock);
    result = listener->begin_accept(probe->callback([&](const auto&) {
      std::lock_guard callback_lock(begin_lock);
      seen_returned = begin_returned;
    }), listener);
    begin_returned = true;
  }
  ASSERT_TRUE(probe->wait_for_calls(1));
  listener->end_accept(result);
  {
    std::lock_guard lock(begin_lock);
    EXPECT_TRUE(seen_returned);
  }
  EXPECT_NE(probe->invocations()[0].thread, std::this_thread::get_id());
  EXPECT_EQ(result->async_state().get(), listener.get());
  EXPECT_FALSE(result->completed_synchronously());
  listener->close();
}

TEST(Accept, WaitReportsNotCompletedUntilAConnectionArrives) {
  auto listener = make_listener();
  auto result = listener->begin_accept(nullptr, nullptr);

  EXPECT_FALSE(result->wait(20ms));
  EXPECT_FALSE(result->is_completed());

  auto client = connect_client(listener->local_endpoint());
  EXPECT_TRUE(result->wait(deadline));
  EXPECT_TRUE(result->is_completed());
  EXPECT_TRUE(result->wait(0ms));
  listener->close();
}

TEST(Accept, CompletesOutstandingAcceptsInTheOrderTheyBegan) {
  auto listener = make_listener();
  auto first = listener->begin_accept(nullptr, nullptr);
  auto second = listener->begin_accept(nullptr, nullptr);

  auto early = connect_client(listener->local_endpoint());
  ASSERT_TRUE(first->wait(deadline));
  auto late = connect_client(listener->local_endpoint());

  EXPECT_EQ(listener->end_accept(second)->remote_endpoint()->port, local_endpoint_of(late.get()).port);
  EXPECT_EQ(listener->end_accept(first)->remote_endpoint()->port, local_endpoint_of(early.get()).port);
  listener->close();
}

TEST(Accept, LeavesConnectionsNobodyAskedForInTheListenQueue) {
  auto listener = make_listener();
  const auto before = open_descriptor_count();
  auto client = connect_client(listener->local_endpoint());
  // Gives a wrong implementation time to accept on its own; a right one
  // passes whatever the scheduling.
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(open_descriptor_count(), before + 1);  // the client only

  auto result = listener->begin_accept(nullptr, nullptr);
  auto accepted = listener->end_accept(result);
  EXPECT_EQ(accepted->remote_endpoint()->port, local_endpoint_of(client.get()).port);
  listener->close();
}

TEST(Accept, EndAcceptBlocksUntilTheConnectionArrives) {
  auto listener = make_listener();
  auto result = listener->begin_accept(nullptr, nullptr);
  auto ending = std::async(std::launch::async, [&] { return listener->end_accept(result); });
  EXPECT_EQ(ending.wait_for(20ms), std::future_status::timeout);

  auto client = connect_client(listener->local_endpoint());
  ASSERT_TRUE(ready_by_deadline(ending, *listener));
  auto accepted = ending.get();
  EXPECT_TRUE(accepted->connected());
  listener->close();
}

}  // namespace
}  // namespace ea::posix_impl::testing
