// Mutants are off by default and really change behavior when selected.
#include "endaccept/asio_ref/mutant.hpp"

#include <gtest/gtest.h>

#include "endaccept/asio_ref/socket.hpp"
#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"

namespace ea::test {
namespace {

using asio_ref::Mutant;
using contract_kit::LoopbackClient;
namespace mutant = asio_ref::mutant;

std::shared_ptr<apm::Socket> listening_socket() { return contract_kit::listening_socket(&asio_ref::make_socket); }

class Mutants : public ::testing::Test {
 protected:
  void TearDown() override { mutant::select(std::nullopt); }
};

TEST_F(Mutants, NoneIsActiveByDefault) {
  for (const auto& [name, family] : mutant::names()) EXPECT_FALSE(mutant::active(*mutant::from_name(name))) << name;
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
  LoopbackClient client(listener->local_endpoint());
  ASSERT_TRUE(result->wait(contract_kit::deadline));
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
  LoopbackClient client(listener->local_endpoint());
  ASSERT_TRUE(result->wait(contract_kit::deadline));
  EXPECT_EQ(listener->end_accept(result), listener);
}

}  // namespace
}  // namespace ea::test
