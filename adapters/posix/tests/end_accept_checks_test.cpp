// EndAccept's refusals and the order in which it checks them.
#include <gtest/gtest.h>

#include <future>
#include <set>
#include <string>

#include "test_support.hpp"

namespace ea::posix_impl::testing {
namespace {

TEST(EndAcceptChecks, NullResultIsArgumentNull) {
  auto listener = make_listener();
  EXPECT_EQ(outcome_of([&] { listener->end_accept(nullptr); }), "ArgumentNull");
  listener->close();
}

TEST(EndAcceptChecks, AnotherListenersResultIsArgumentAndStaysUsable) {
  auto listener = make_listener();
  auto other = make_listener();
  auto others_result = other->begin_accept(nullptr, nullptr);

  EXPECT_EQ(outcome_of([&] { listener->end_accept(others_result); }), "Argument");

  auto client = connect_client(other->local_endpoint());
  EXPECT_EQ(outcome_of([&] { other->end_accept(others_result); }), "Returned");
  listener->close();
  other->close();
}

TEST(EndAcceptChecks, ResultOfAnotherOperationIsArgument) {
  auto listener = make_listener();
  auto target = make_listener();
  auto connecting = Socket::open(apm::Family::ipv4);
  auto connect_result = connecting->begin_connect(target->local_endpoint(), nullptr, nullptr);
  ASSERT_TRUE(connect_result->wait(deadline));
  EXPECT_FALSE(connect_result->completed_synchronously());
  EXPECT_TRUE(connecting->connected());

  EXPECT_EQ(outcome_of([&] { listener->end_accept(connect_result); }), "Argument");
  listener->close();
  target->close();
  connecting->close();
}

TEST(EndAcceptChecks, CallerMadeResultIsArgument) {
  auto listener = make_listener();
  EXPECT_EQ(outcome_of([&] { listener->end_accept(std::make_shared<CallerMadeResult>()); }),
            "Argument");
  listener->close();
}

TEST(EndAcceptChecks, ResultOfADestroyedListenerIsArgument) {
  auto gone = make_listener();
  auto orphan = gone->begin_accept(nullptr, nullptr);
  gone.reset();
  auto listener = make_listener();
  EXPECT_EQ(outcome_of([&] { listener->end_accept(orphan); }), "Argument");
  listener->close();
}

TEST(EndAcceptChecks, NonListeningSocketRefusesEveryResult) {
  auto listener = make_listener();
  auto result = listener->begin_accept(nullptr, nullptr);
  auto unbound = Socket::open(apm::Family::ipv4);
  EXPECT_EQ(outcome_of([&] { unbound->end_accept(result); }), "Argument");
  listener->close();
}

TEST(EndAcceptChecks, SecondEndIsInvalidOperation) {
  auto listener = make_listener();
  auto result = listener->begin_accept(nullptr, nullptr);
  auto client = connect_client(listener->local_endpoint());
  EXPECT_EQ(outcome_of([&] { listener->end_accept(result); }), "Returned");
  EXPECT_EQ(outcome_of([&] { listener->end_accept(result); }), "InvalidOperation");
  listener->close();
}

TEST(EndAcceptChecks, ConcurrentEndsBeforeCompletionYieldExactlyOneSocket) {
  for (int round = 0; round < 20; ++round) {
    auto listener = make_listener();
    auto result = listener->begin_accept(nullptr, nullptr);
    auto end = [&] { return outcome_of([&] { listener->end_accept(result); }); };
    auto first = std::async(std::launch::async, end);
    auto second = std::async(std::launch::async, end);

    // One of them is refused at once; the other waits for the connection.
    auto client = connect_client(listener->local_endpoint());
    ASSERT_TRUE(ready_by_deadline(first, *listener));
    ASSERT_TRUE(ready_by_deadline(second, *listener));
    std::multiset<std::string> outcomes{first.get(), second.get()};
    EXPECT_EQ(outcomes, (std::multiset<std::string>{"InvalidOperation", "Returned"}));
    listener->close();
  }
}

TEST(EndAcceptChecks, ClosedSocketIsCheckedFirst) {
  auto listener = make_listener();
  auto own = listener->begin_accept(nullptr, nullptr);
  auto other = make_listener();
  auto foreign = other->begin_accept(nullptr, nullptr);
  listener->close();

  EXPECT_EQ(outcome_of([&] { listener->end_accept(nullptr); }), "ObjectDisposed");
  EXPECT_EQ(outcome_of([&] { listener->end_accept(foreign); }), "ObjectDisposed");
  EXPECT_EQ(outcome_of([&] { listener->end_accept(own); }), "ObjectDisposed");
  other->close();
}

TEST(EndAcceptChecks, ForeignResultIsCheckedBeforeEndedness) {
  auto listener = make_listener();
  auto other = make_listener();
  auto foreign = other->begin_accept(nullptr, nullptr);
  auto client = connect_client(other->local_endpoint());
  other->end_accept(foreign);

  EXPECT_EQ(outcome_of([&] { listener->end_accept(foreign); }), "Argument");
  listener->close();
  other->close();
}

TEST(BeginAccept, OnAClosedSocketIsObjectDisposed) {
  auto listener = make_listener();
  listener->close();
  EXPECT_EQ(outcome_of([&] { listener->begin_accept(nullptr, nullptr); }), "ObjectDisposed");
}

TEST(BeginAccept, OnASocketNotListeningIsInvalidOperation) {
  auto unbound = Socket::open(apm::Family::ipv4);
  EXPECT_EQ(outcome_of([&] { unbound->begin_accept(nullptr, nullptr); }), "InvalidOperation");
}

}  // namespace
}  // namespace ea::posix_impl::testing
