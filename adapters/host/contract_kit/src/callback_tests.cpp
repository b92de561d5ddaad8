// The AsyncCallback and the IAsyncResult it receives.
#include <mutex>
#include <stdexcept>

#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/kit.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"
#include "suite_anchors.hpp"

namespace ea::contract_kit {

const int anchor::callback_tests = 1;

TEST_P(Callback, RunsOnceOnAnotherThreadWithTheResultAndState) {
  const auto listener = this->listener();
  const CallbackProbe probe;
  const auto state = std::make_shared<int>(7);
  const auto result = listener->begin_accept(probe.callback(), state);
  EXPECT_TRUE(probe.calls().empty());

  LoopbackClient client(listener->local_endpoint());
  ASSERT_TRUE(probe.wait_for_calls(1));
  ASSERT_TRUE(result->wait(deadline));
  const auto call = probe.calls().front();
  EXPECT_NE(call.thread, std::this_thread::get_id());
  EXPECT_EQ(call.result, result);
  EXPECT_EQ(result->async_state(), state);
  EXPECT_TRUE(result->is_completed());
  EXPECT_FALSE(result->completed_synchronously());

  EXPECT_NE(EndAcceptCall(listener, result).socket(), nullptr);
  EXPECT_FALSE(probe.wait_for_calls(2, 100ms));
  EXPECT_EQ(probe.calls().size(), 1u);
  listener->close();
}

// The protocol's own check: a reentrant lock held across BeginAccept tells an
// inline callback (it re-enters and sees begin_returned == false) from one on
// another thread (it waits and sees true).
TEST_P(Callback, NeverRunsInsideBeginAcceptEvenWithAConnectionAlreadyQueued) {
  const auto listener = this->listener();
  LoopbackClient client(listener->local_endpoint());
  std::recursive_mutex begin_lock;
  bool begin_returned = false;
  bool seen_returned = false;
  const CallbackProbe probe;

  std::shared_ptr<apm::AsyncResult> result;
  {
    std::lock_guard lock(begin_lock);
    result = listener->begin_accept(probe.callback([&](const auto&) {
      std::lock_guard callback_lock(begin_lock);
      seen_returned = begin_returned;
    }),
                                    listener);
    begin_returned = true;
  }
  ASSERT_TRUE(probe.wait_for_calls(1));
  EXPECT_NE(EndAcceptCall(listener, result).socket(), nullptr);
  {
    std::lock_guard lock(begin_lock);
    EXPECT_TRUE(seen_returned);
  }
  EXPECT_NE(probe.calls().front().thread, std::this_thread::get_id());
  EXPECT_EQ(result->async_state().get(), listener.get());
  EXPECT_FALSE(result->completed_synchronously());
  listener->close();
}

TEST_P(Callback, CanEndTheAcceptWithTheListenerFromAsyncState) {
  const auto listener = this->listener();
  auto accepted = std::make_shared<std::promise<std::shared_ptr<apm::Socket>>>();
  auto accepted_socket = accepted->get_future();
  // A callback run inside BeginAccept would end the accept under BeginAccept's
  // locks, which may deadlock: hence the deadline.
  begin_accept_by_deadline(
      listener,
      [accepted](const std::shared_ptr<apm::AsyncResult>& result) {
        const auto socket = std::static_pointer_cast<apm::Socket>(result->async_state());
        try {
          if (!socket) throw std::runtime_error("AsyncState is not the listener");
          accepted->set_value(socket->end_accept(result));
        } catch (...) {
          accepted->set_exception(std::current_exception());
        }
      },
      listener);
  LoopbackClient client(listener->local_endpoint());
  ASSERT_EQ(accepted_socket.wait_for(deadline), std::future_status::ready);
  const auto socket = accepted_socket.get();
  EXPECT_TRUE(socket->connected());
  EXPECT_EQ(socket->remote_endpoint()->port, client.local_port());
  listener->close();
}

TEST_P(Callback, RunsWhenTheListenerClosesAndItsEndAcceptIsObjectDisposed) {
  const auto listener = this->listener();
  auto ended = std::make_shared<std::promise<std::string>>();
  auto end_outcome = ended->get_future();
  begin_accept_by_deadline(
      listener,
      [ended](const std::shared_ptr<apm::AsyncResult>& result) {
        ended->set_value(outcome_of([&] {
          const auto socket = std::static_pointer_cast<apm::Socket>(result->async_state());
          if (!socket) throw std::runtime_error("AsyncState is not the listener");
          socket->end_accept(result);
        }));
      },
      listener);
  listener->close();
  ASSERT_EQ(end_outcome.wait_for(deadline), std::future_status::ready);
  EXPECT_EQ(end_outcome.get(), "ObjectDisposed");
}

}  // namespace ea::contract_kit
