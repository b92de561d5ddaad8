// What EndAccept and BeginAccept refuse, and the order in which EndAccept
// checks its refusals.
#include <set>

#include "endaccept/apm/caller_made_result.hpp"
#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/kit.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"
#include "suite_anchors.hpp"

namespace ea::contract_kit {

const int anchor::refusal_tests = 1;

using apm::CallerMadeResult;

TEST_P(EndAcceptChecks, NullResultIsArgumentNull) {
  const auto listener = this->listener();
  EXPECT_EQ(EndAcceptCall(listener, nullptr).outcome(), "ArgumentNull");
  listener->close();
}

TEST_P(EndAcceptChecks, AnotherListenersResultIsArgumentAndStaysUsable) {
  const auto listener = this->listener();
  const auto other = this->listener();
  const auto others_result = other->begin_accept({}, nullptr);
  EXPECT_EQ(EndAcceptCall(listener, others_result).outcome(), "Argument");
  EXPECT_EQ(EndAcceptCall(listener, others_result).outcome(), "Argument");

  LoopbackClient client(other->local_endpoint());
  const EndAcceptCall end(other, others_result);
  ASSERT_TRUE(end.finished_within(deadline));
  EXPECT_EQ(end.outcome(), "Returned");
  EXPECT_TRUE(end.socket()->connected());
  listener->close();
  other->close();
}

TEST_P(EndAcceptChecks, ResultOfAnotherOperationIsArgument) {
  const auto listener = this->listener();
  const auto target = this->listener();
  const auto connecting = unbound();
  const auto connect_result = connecting->begin_connect(target->local_endpoint(), {}, nullptr);
  ASSERT_TRUE(connect_result->wait(deadline));
  EXPECT_FALSE(connect_result->completed_synchronously());
  EXPECT_TRUE(connecting->connected());
  EXPECT_EQ(EndAcceptCall(listener, connect_result).outcome(), "Argument");
  listener->close();
  target->close();
  connecting->close();
}

TEST_P(EndAcceptChecks, CallerMadeResultIsArgument) {
  const auto listener = this->listener();
  EXPECT_EQ(EndAcceptCall(listener, std::make_shared<CallerMadeResult>()).outcome(), "Argument");
  listener->close();
}

TEST_P(EndAcceptChecks, ResultOfADestroyedListenerIsArgument) {
  auto gone = this->listener();
  const auto orphan = gone->begin_accept({}, nullptr);
  gone.reset();
  const auto listener = this->listener();
  EXPECT_EQ(EndAcceptCall(listener, orphan).outcome(), "Argument");
  listener->close();
}

TEST_P(EndAcceptChecks, NonListeningSocketRefusesEveryResult) {
  const auto listener = this->listener();
  const auto result = listener->begin_accept({}, nullptr);
  const auto socket = unbound();
  EXPECT_EQ(EndAcceptCall(socket, result).outcome(), "Argument");
  listener->close();
}

TEST_P(EndAcceptChecks, SecondEndIsInvalidOperation) {
  const auto listener = this->listener();
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client(listener->local_endpoint());
  ASSERT_TRUE(result->wait(deadline));
  const EndAcceptCall first(listener, result);
  EXPECT_EQ(first.outcome(), "Returned");
  EXPECT_NE(first.socket(), nullptr);
  EXPECT_EQ(EndAcceptCall(listener, result).outcome(), "InvalidOperation");
  listener->close();
}

TEST_P(EndAcceptChecks, ConcurrentEndsBeforeCompletionYieldExactlyOneSocket) {
  const auto listener = this->listener();
  for (int round = 0; round < 20; ++round) {
    const auto result = listener->begin_accept({}, nullptr);
    const EndAcceptCall first(listener, result);
    const EndAcceptCall second(listener, result);
    // One of them is refused at once; the other waits for the connection.
    LoopbackClient client(listener->local_endpoint());
    ASSERT_TRUE(first.finished_within(deadline)) << "round " << round;
    ASSERT_TRUE(second.finished_within(deadline)) << "round " << round;
    const std::multiset<std::string> outcomes{first.outcome(), second.outcome()};
    EXPECT_EQ(outcomes, (std::multiset<std::string>{"InvalidOperation", "Returned"})) << "round " << round;
  }
  listener->close();
}

TEST_P(EndAcceptChecks, ClosedSocketIsCheckedFirst) {
  const auto listener = this->listener();
  const auto own = listener->begin_accept({}, nullptr);
  const auto other = this->listener();
  const auto foreign = other->begin_accept({}, nullptr);
  listener->close();

  EXPECT_EQ(EndAcceptCall(listener, nullptr).outcome(), "ObjectDisposed");
  EXPECT_EQ(EndAcceptCall(listener, std::make_shared<CallerMadeResult>()).outcome(), "ObjectDisposed");
  EXPECT_EQ(EndAcceptCall(listener, foreign).outcome(), "ObjectDisposed");
  EXPECT_EQ(EndAcceptCall(listener, own).outcome(), "ObjectDisposed");
  EXPECT_EQ(outcome_of([&] { listener->begin_accept({}, nullptr); }), "ObjectDisposed");
  other->close();
}

TEST_P(EndAcceptChecks, ForeignResultIsCheckedBeforeEndedness) {
  const auto listener = this->listener();
  const auto other = this->listener();
  const auto foreign = other->begin_accept({}, nullptr);
  LoopbackClient client(other->local_endpoint());
  ASSERT_TRUE(foreign->wait(deadline));
  EXPECT_EQ(EndAcceptCall(other, foreign).outcome(), "Returned");

  EXPECT_EQ(EndAcceptCall(listener, foreign).outcome(), "Argument");
  listener->close();
  other->close();
}

TEST_P(BeginAccept, OnAClosedSocketIsObjectDisposed) {
  const auto listener = this->listener();
  listener->close();
  EXPECT_EQ(outcome_of([&] { listener->begin_accept({}, nullptr); }), "ObjectDisposed");
}

TEST_P(BeginAccept, OnASocketNotListeningIsInvalidOperation) {
  const auto socket = unbound();
  EXPECT_EQ(outcome_of([&] { socket->begin_accept({}, nullptr); }), "InvalidOperation");
}

TEST_P(BeginConnect, OnAClosedSocketIsObjectDisposed) {
  const auto connecting = unbound();
  connecting->close();
  EXPECT_EQ(outcome_of([&] { connecting->begin_connect({"127.0.0.1", 9}, {}, nullptr); }), "ObjectDisposed");
}

}  // namespace ea::contract_kit
