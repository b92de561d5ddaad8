// Mutants are off by default and really change behavior when selected.
#include "endaccept/asio_ref/mutant.hpp"

#include <gtest/gtest.h>

#include "loopback_client.hpp"
#include "test_support.hpp"

namespace ea::test {
namespace {

using asio_ref::Mutant;
namespace mutant = asio_ref::mutant;

class Mutants : public ::testing::Test {
 protected:
  void TearDown() override { mutant::select(std::nullopt); }
};

TEST_F(Mutants, NoneIsActiveByDefault) {
  for (const auto name : mutant::names()) EXPECT_FALSE(mutant::active(*mutant::from_name(name))) << name;
}

TEST_F(Mutants, NamesRoundTrip) {
  EXPECT_EQ(mutant::names().size(), 23u);
  EXPECT_EQ(mutant::from_name("null-accepted"), Mutant::null_accepted);
  EXPECT_EQ(mutant::from_name("accept-error-swallowed"), Mutant::accept_error_swallowed);
  EXPECT_FALSE(mutant::from_name("no-such-mutant"));
}

TEST_F(Mutants, NoEndOnceHandsOutTheSameSocketTwice) {
  mutant::select(Mutant::no_end_once);
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client;
  client.connect(listener->local_endpoint());
  const auto first = listener->end_accept(result);
  EXPECT_EQ(listener->end_accept(result), first);
}

TEST_F(Mutants, AsyncStateReplacedLosesTheCallersState) {
  mutant::select(Mutant::async_state_replaced);
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, std::make_shared<int>(1));
  EXPECT_EQ(result->async_state(), nullptr);
}

TEST_F(Mutants, ForeignWrongExceptionThrowsInvalidOperation) {
  mutant::select(Mutant::foreign_wrong_exception);
  const auto listener = listening_socket();
  const auto other = listening_socket();
  EXPECT_THROW(listener->end_accept(other->begin_accept({}, nullptr)), apm::InvalidOperationException);
}

TEST_F(Mutants, ReturnsListenerReturnsTheListener) {
  mutant::select(Mutant::returns_listener);
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client;
  client.connect(listener->local_endpoint());
  EXPECT_EQ(listener->end_accept(result), listener);
}

}  // namespace
}  // namespace ea::test
