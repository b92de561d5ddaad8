// Closing a listener: what happens to accepts in flight, and what it leaves
// behind (nothing: no descriptor, no thread).
#include <future>

#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/kit.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"
#include "suite_anchors.hpp"

namespace ea::contract_kit {

const int anchor::close_tests = 1;

TEST_P(Close, WakesABlockedEndAcceptWithObjectDisposed) {
  const auto listener = this->listener();
  const CallbackProbe probe;
  const auto result = listener->begin_accept(probe.callback(), nullptr);
  const EndAcceptCall end(listener, result);
  // Lets the call block first; the outcome must be the same if it has not.
  EXPECT_FALSE(end.finished_within(50ms));

  listener->close();
  ASSERT_TRUE(end.finished_within(deadline));
  EXPECT_EQ(end.outcome(), "ObjectDisposed");
  if (GetParam().close_completes_before_waking_end_accept) {
    EXPECT_TRUE(result->is_completed());
    EXPECT_TRUE(result->wait(0ms));
  } else {
    EXPECT_TRUE(result->wait(deadline));
    EXPECT_TRUE(result->is_completed());
  }
  EXPECT_TRUE(probe.wait_for_calls(1));
}

TEST_P(Close, FailsPendingAcceptsAndRunsTheirCallbacksOnceOffTheClosingThread) {
  const auto listener = this->listener();
  const CallbackProbe probe;
  const auto first = listener->begin_accept(probe.callback(), nullptr);
  const auto second = listener->begin_accept(probe.callback(), nullptr);

  listener->close();
  ASSERT_TRUE(probe.wait_for_calls(2));
  EXPECT_TRUE(first->is_completed());
  EXPECT_TRUE(second->is_completed());
  EXPECT_FALSE(first->completed_synchronously());
  for (const auto& call : probe.calls()) EXPECT_NE(call.thread, std::this_thread::get_id());
  EXPECT_FALSE(probe.wait_for_calls(3, 20ms));
  EXPECT_EQ(probe.calls().size(), 2u);
}

TEST_P(Close, ClosesTheAcceptedConnectionNobodyTook) {
  const auto descriptors = open_descriptor_count();
  const auto threads = thread_count();
  {
    const auto listener = this->listener();
    const auto result = listener->begin_accept({}, nullptr);
    LoopbackClient client(listener->local_endpoint());
    ASSERT_TRUE(result->wait(deadline));  // accepted, never taken

    listener->close();
    EXPECT_EQ(EndAcceptCall(listener, result).outcome(), "ObjectDisposed");
    EXPECT_TRUE(client.sees_connection_closed());
    client.close();
    // The listener and the result are still held: closing must not wait for
    // them to go away.
    EXPECT_EQ(open_descriptor_count(), descriptors);
  }
  EXPECT_EQ(open_descriptor_count(), descriptors);
  EXPECT_TRUE(thread_count_returns_to(threads));
}

TEST_P(Close, ManyAcceptCyclesOnOneListenerLeaveNoDescriptorOrThreadBehind) {
  const auto descriptors = open_descriptor_count();
  const auto threads = thread_count();
  {
    const auto listener = this->listener();
    for (int cycle = 0; cycle < 50; ++cycle) {
      const auto result = listener->begin_accept({}, nullptr);
      LoopbackClient client(listener->local_endpoint());
      const EndAcceptCall end(listener, result);
      ASSERT_TRUE(end.finished_within(deadline)) << "cycle " << cycle;
      end.socket()->close();
    }
    listener->begin_accept({}, nullptr);
    listener->close();
  }
  EXPECT_EQ(open_descriptor_count(), descriptors);
  EXPECT_TRUE(thread_count_returns_to(threads));
}

TEST_P(Close, ManyListenersWithAcceptsInEveryStateLeaveNoDescriptorOrThreadBehind) {
  const bool ipv6 = ipv6_usable();
  const auto descriptors = open_descriptor_count();
  const auto threads = thread_count();
  for (int cycle = 0; cycle < 100; ++cycle) {
    const auto listener = this->listener(cycle % 2 == 0 || !ipv6 ? apm::Family::ipv4 : apm::Family::ipv6);
    const auto taken = listener->begin_accept({}, nullptr);
    const auto left = listener->begin_accept({}, nullptr);
    const auto pending = listener->begin_accept({}, nullptr);
    LoopbackClient first(listener->local_endpoint());
    LoopbackClient second(listener->local_endpoint());
    const auto accepted = EndAcceptCall(listener, taken).socket();
    ASSERT_TRUE(left->wait(deadline)) << "cycle " << cycle;
    listener->close();
    accepted->close();
  }
  EXPECT_EQ(open_descriptor_count(), descriptors);
  EXPECT_TRUE(thread_count_returns_to(threads));
}

TEST_P(Close, FromTheAcceptCallbackFailsTheOthersAndLeavesNothingBehind) {
  const auto descriptors = open_descriptor_count();
  const auto threads = thread_count();
  const auto listener = this->listener();
  const CallbackProbe probe;
  const auto closing = listener->begin_accept(
      probe.callback([weak = std::weak_ptr(listener)](const auto&) {
        if (const auto closed_here = weak.lock()) closed_here->close();
      }),
      nullptr);
  const auto pending = listener->begin_accept(probe.callback(), nullptr);
  LoopbackClient client(listener->local_endpoint());

  ASSERT_TRUE(probe.wait_for_calls(2));
  EXPECT_TRUE(pending->wait(0ms));
  EXPECT_EQ(EndAcceptCall(listener, pending).outcome(), "ObjectDisposed");
  client.close();
  // The implementation may release what the closing callback used after it
  // returned, on the thread it ran on; that thread may end late too, but it
  // must end, and before the next test counts threads.
  EXPECT_TRUE(eventually([&] { return open_descriptor_count() == descriptors; }));
  EXPECT_TRUE(thread_count_returns_to(threads));
}

TEST_P(Close, ListenerReleasedLastOnItsCallbackThreadLeavesNothingBehind) {
  const auto descriptors = open_descriptor_count();
  const auto threads = thread_count();
  std::promise<void> released;
  auto called = std::make_shared<std::promise<std::thread::id>>();
  auto callback_thread = called->get_future();
  {
    const auto listener = this->listener();
    // The result's AsyncState holds the only other reference to the
    // listener, and only the implementation holds the result: the listener
    // goes away on the callback's thread once the callback returned.
    listener->begin_accept(
        [released = released.get_future().share(), called](const auto&) {
          released.wait_for(deadline);
          called->set_value(std::this_thread::get_id());
        },
        listener);
    LoopbackClient client(listener->local_endpoint());
  }
  released.set_value();
  ASSERT_EQ(callback_thread.wait_for(deadline), std::future_status::ready);
  EXPECT_NE(callback_thread.get(), std::this_thread::get_id());
  EXPECT_TRUE(eventually([&] { return open_descriptor_count() == descriptors; }));
  EXPECT_TRUE(thread_count_returns_to(threads));
}

TEST_P(Close, IsIdempotent) {
  const auto listener = this->listener();
  listener->close();
  EXPECT_EQ(outcome_of([&] { listener->close(); }), "Returned");
  EXPECT_FALSE(listener->connected());
}

}  // namespace ea::contract_kit
