#include "outcome.hpp"

#include <gtest/gtest.h>

#include "protocol_violation.hpp"

namespace ea::harness {
namespace {

Outcome observed(const Json& value) { return Outcome::from_adapter(value); }

TEST(ExpectedOutcome, KindMatchesOnlyTheSameKind) {
  const auto expected = ExpectedOutcome::parse("ArgumentNull");
  EXPECT_TRUE(expected.matches(observed({{"kind", "ArgumentNull"}})));
  EXPECT_FALSE(expected.matches(observed({{"kind", "Argument"}})));
  EXPECT_FALSE(expected.matches(observed({{"kind", "Socket"}})));
}

TEST(ExpectedOutcome, SocketErrorWithCodeNeedsThatWindowsSocketsCode) {
  const auto expected = ExpectedOutcome::parse("SocketError(10024)");
  EXPECT_TRUE(expected.matches(observed({{"kind", "SocketError"}, {"code", 10024}})));
  EXPECT_FALSE(expected.matches(observed({{"kind", "SocketError"}, {"code", 24}})));
  EXPECT_FALSE(expected.matches(observed({{"kind", "SocketError"}, {"code", 10053}})));
}

TEST(ExpectedOutcome, BareSocketErrorAcceptsAnyWindowsSocketsCodeButNotErrno) {
  const auto expected = ExpectedOutcome::parse("SocketError");
  EXPECT_TRUE(expected.matches(observed({{"kind", "SocketError"}, {"code", 10053}})));
  EXPECT_FALSE(expected.matches(observed({{"kind", "SocketError"}, {"code", 24}})));
}

TEST(ExpectedOutcome, RejectsPatternsOutsideTheVocabulary) {
  EXPECT_THROW(ExpectedOutcome::parse("Timeout"), std::invalid_argument);
  EXPECT_THROW(ExpectedOutcome::parse("Argument(3)"), std::invalid_argument);
  EXPECT_THROW(ExpectedOutcome::parse("Other"), std::invalid_argument);
  EXPECT_THROW(ExpectedOutcome::parse(""), std::invalid_argument);
}

TEST(Outcome, AdapterObjectsAreCheckedBeforeTheyAreBelieved) {
  EXPECT_THROW(observed("Socket"), ProtocolViolation);
  EXPECT_THROW(observed({{"kind", "Sockets"}}), ProtocolViolation);
  EXPECT_THROW(observed({{"kind", "SocketError"}}), ProtocolViolation);
  EXPECT_THROW(observed({{"kind", "SocketError"}, {"code", "10024"}}), ProtocolViolation);
  EXPECT_THROW(observed({{"kind", "Other"}}), ProtocolViolation);
  EXPECT_THROW(observed({{"kind", "Argument"}, {"message", 3}}), ProtocolViolation);
}

TEST(Outcome, PrintsAsTheCasesWriteIt) {
  EXPECT_EQ(observed({{"kind", "SocketError"}, {"code", 10024}}).to_string(), "SocketError(10024)");
  EXPECT_EQ(observed({{"kind", "Other"}, {"type", "System.NullReferenceException"}}).to_string(),
            "Other(System.NullReferenceException)");
}

}  // namespace
}  // namespace ea::harness
