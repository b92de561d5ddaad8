// Closing a listener: what happens to accepts in flight, and what it leaves.
#include <gtest/gtest.h>

#include <future>

#include "test_support.hpp"

namespace ea::posix_impl::testing {
namespace {

using namespace std::chrono_literals;

TEST(Close, WakesABlockedEndAcceptWithObjectDisposed) {
  auto listener = make_listener();
  auto probe = std::make_shared<CallbackProbe>();
  auto result = listener->begin_accept(probe->callback(), nullptr);
  auto ending = std::async(std::launch::async, [&] {
    return outcome_of([&] { listener->end_accept(result); });
  });
  // Lets the call block first; the outcome must be the same if it has not.
  EXPECT_EQ(ending.wait_for(20ms), std::future_status::timeout);

  listener->close();
  ASSERT_EQ(ending.wait_for(deadline), std::future_status::ready);
  EXPECT_EQ(ending.get(), "ObjectDisposed");
  EXPECT_TRUE(result->is_completed());
  EXPECT_TRUE(result->wait(0ms));
}

TEST(Close, FailsPendingAcceptsAndRunsTheirCallbacksOnceOffTheClosingThread) {
  auto listener = make_listener();
  auto probe = std::make_shared<CallbackProbe>();
  auto first = listener->begin_accept(probe->callback(), nullptr);
  auto second = listener->begin_accept(probe->callback(), nullptr);

  listener->close();
  ASSERT_TRUE(probe->wait_for_calls(2));
  EXPECT_TRUE(first->is_completed());
  EXPECT_TRUE(second->is_completed());
  EXPECT_FALSE(first->completed_synchronously());
  for (const auto& invocation : probe->invocations()) {
    EXPECT_NE(invocation.thread, std::this_thread::get_id());
  }
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(probe->invocations().size(), 2u);
}

TEST(Close, ClosesAnAcceptedSocketNobodyTookAndEndsTheAcceptorThread) {
  const auto descriptors = open_descriptor_count();
  const auto threads = thread_count();
  {
    auto listener = make_listener();
    auto result = listener->begin_accept(nullptr, nullptr);
    auto client = connect_client(listener->local_endpoint());
    ASSERT_TRUE(result->wait(deadline));  // accepted, never taken
    listener->close();
    EXPECT_EQ(outcome_of([&] { listener->end_accept(result); }), "ObjectDisposed");
  }
  EXPECT_EQ(open_descriptor_count(), descriptors);
  EXPECT_EQ(thread_count(), threads);
}

TEST(Close, ManyAcceptAndCloseCyclesLeaveNoDescriptorOrThreadBehind) {
  const auto descriptors = open_descriptor_count();
  const auto threads = thread_count();
  for (int cycle = 0; cycle < 100; ++cycle) {
    auto listener = make_listener(cycle % 2 == 0 || !ipv6_available() ? apm::Family::ipv4
                                                                      : apm::Family::ipv6);
    auto taken = listener->begin_accept(nullptr, nullptr);
    auto left = listener->begin_accept(nullptr, nullptr);
    auto pending = listener->begin_accept(nullptr, nullptr);
    auto first = connect_client(listener->local_endpoint());
    auto second = connect_client(listener->local_endpoint());
    auto accepted = listener->end_accept(taken);
    ASSERT_TRUE(left->wait(deadline));
    listener->close();
    accepted->close();
  }
  EXPECT_EQ(open_descriptor_count(), descriptors);
  EXPECT_EQ(thread_count(), threads);
}

TEST(Close, FromTheAcceptCallbackFailsTheOthersAndLeavesNothingBehind) {
  const auto descriptors = open_descriptor_count();
  auto listener = make_listener();
  auto probe = std::make_shared<CallbackProbe>();
  auto closing = listener->begin_accept(probe->callback([&](const auto&) { listener->close(); }),
                                        nullptr);
  auto pending = listener->begin_accept(probe->callback(), nullptr);
  auto client = connect_client(listener->local_endpoint());

  ASSERT_TRUE(probe->wait_for_calls(2));
  EXPECT_TRUE(pending->wait(0ms));
  EXPECT_EQ(outcome_of([&] { listener->end_accept(pending); }), "ObjectDisposed");
  client.reset();
  // The acceptor thread closed its own listener, so it was detached rather
  // than joined, and may still be on its way out.
  EXPECT_TRUE(eventually([&] { return open_descriptor_count() == descriptors; }));
}

TEST(Close, ListenerDestroyedOnItsOwnAcceptorThreadLeavesNothingBehind) {
  const auto descriptors = open_descriptor_count();
  const auto threads = thread_count();
  std::promise<void> released;
  std::promise<std::thread::id> called;
  {
    auto listener = make_listener();
    // The result's AsyncState holds the only other reference to the listener,
    // and only the acceptor thread holds the result: it drops the last
    // reference once the callback returned.
    listener->begin_accept(
        [released = released.get_future().share(), &called](const auto&) {
          released.wait_for(deadline);
          called.set_value(std::this_thread::get_id());
        },
        listener);
    auto client = connect_client(listener->local_endpoint());
  }
  released.set_value();
  auto callback_thread = called.get_future();
  ASSERT_EQ(callback_thread.wait_for(deadline), std::future_status::ready);
  EXPECT_NE(callback_thread.get(), std::this_thread::get_id());
  EXPECT_TRUE(eventually([&] { return open_descriptor_count() == descriptors; }));
  EXPECT_TRUE(eventually([&] { return thread_count() == threads; }));
}

TEST(Close, IsIdempotent) {
  auto listener = make_listener();
  listener->close();
  EXPECT_EQ(outcome_of([&] { listener->close(); }), "Returned");
}

}  // namespace
}  // namespace ea::posix_impl::testing
