// The AsyncCallback and the IAsyncResult it receives.
#include <gtest/gtest.h>

#include "loopback_client.hpp"
#include "test_support.hpp"

namespace ea::test {
namespace {

TEST(Callback, RunsOnceOnAnotherThreadWithTheResultAndState) {
  const auto listener = listening_socket();
  const CallbackProbe probe;
  const auto state = std::make_shared<int>(7);
  const auto result = listener->begin_accept(probe.callback(), state);
  EXPECT_TRUE(probe.calls().empty());

  LoopbackClient client;
  client.connect(listener->local_endpoint());
  ASSERT_TRUE(probe.wait_for_calls(1));
  const auto call = probe.calls().front();
  EXPECT_NE(call.thread, std::this_thread::get_id());
  EXPECT_EQ(call.result, result);
  EXPECT_EQ(result->async_state(), state);
  EXPECT_TRUE(result->is_completed());
  EXPECT_FALSE(result->completed_synchronously());

  EXPECT_TRUE(listener->end_accept(result));
  EXPECT_FALSE(probe.wait_for_calls(2, 100ms));
}

TEST(Callback, NeverRunsInsideBeginAcceptEvenWithAConnectionWaiting) {
  const auto listener = listening_socket();
  LoopbackClient client;
  client.connect(listener->local_endpoint());

  const CallbackProbe probe;
  const auto result = listener->begin_accept(probe.callback(), nullptr);
  ASSERT_TRUE(probe.wait_for_calls(1));
  EXPECT_NE(probe.calls().front().thread, std::this_thread::get_id());
  EXPECT_FALSE(result->completed_synchronously());
}

TEST(Callback, CanEndTheAcceptWithTheListenerFromAsyncState) {
  const std::shared_ptr<apm::Socket> listener = listening_socket();
  std::promise<std::shared_ptr<apm::Socket>> accepted;
  auto accepted_socket = accepted.get_future();
  listener->begin_accept(
      [&accepted](const std::shared_ptr<apm::AsyncResult>& result) {
        const auto socket = std::static_pointer_cast<apm::Socket>(result->async_state());
        try {
          accepted.set_value(socket->end_accept(result));
        } catch (...) {
          accepted.set_exception(std::current_exception());
        }
      },
      listener);
  LoopbackClient client;
  client.connect(listener->local_endpoint());
  ASSERT_EQ(accepted_socket.wait_for(deadline), std::future_status::ready);
  const auto socket = accepted_socket.get();
  EXPECT_TRUE(socket->connected());
  EXPECT_EQ(socket->remote_endpoint()->port, client.local_port());
}

TEST(Callback, RunsWhenTheListenerClosesAndItsEndAcceptThrowsObjectDisposed) {
  const std::shared_ptr<apm::Socket> listener = listening_socket();
  std::promise<void> ended;
  auto end_outcome = ended.get_future();
  listener->begin_accept(
      [&ended](const std::shared_ptr<apm::AsyncResult>& result) {
        try {
          std::static_pointer_cast<apm::Socket>(result->async_state())->end_accept(result);
          ended.set_value();
        } catch (...) {
          ended.set_exception(std::current_exception());
        }
      },
      listener);
  listener->close();
  ASSERT_EQ(end_outcome.wait_for(deadline), std::future_status::ready);
  EXPECT_THROW(end_outcome.get(), apm::ObjectDisposedException);
}

}  // namespace
}  // namespace ea::test
