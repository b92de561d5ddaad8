// EndAccept refuses what BeginAccept on this socket did not return, and a
// closed socket refuses everything.
#include <gtest/gtest.h>

#include "endaccept/apm/caller_made_result.hpp"
#include "loopback_client.hpp"
#include "test_support.hpp"

namespace ea::test {
namespace {

using apm::CallerMadeResult;

TEST(Arguments, NullResultThrowsArgumentNull) {
  const auto listener = listening_socket();
  EXPECT_THROW(listener->end_accept(nullptr), apm::ArgumentNullException);
}

TEST(Arguments, AnotherListenersResultThrowsArgumentAndStaysUsable) {
  const auto listener = listening_socket();
  const auto other = listening_socket();
  const auto others_result = other->begin_accept({}, nullptr);
  EXPECT_THROW(listener->end_accept(others_result), apm::ArgumentException);
  EXPECT_THROW(listener->end_accept(others_result), apm::ArgumentException);

  LoopbackClient client;
  client.connect(other->local_endpoint());
  const EndAcceptCall end(other, others_result);
  ASSERT_TRUE(end.finished_within(deadline));
  EXPECT_TRUE(end.socket()->connected());
}

TEST(Arguments, ConnectResultThrowsArgument) {
  const auto listener = listening_socket();
  const auto target = listening_socket();
  const auto connector = asio_ref::make_socket(apm::Family::ipv4);
  const auto connect_result = connector->begin_connect(target->local_endpoint(), {}, nullptr);
  ASSERT_TRUE(connect_result->wait(deadline));
  EXPECT_THROW(listener->end_accept(connect_result), apm::ArgumentException);
}

TEST(Arguments, CallerMadeResultThrowsArgument) {
  const auto listener = listening_socket();
  EXPECT_THROW(listener->end_accept(std::make_shared<CallerMadeResult>()), apm::ArgumentException);
}

TEST(Arguments, ArgumentNullIsNotAPlainArgumentException) {
  const auto listener = listening_socket();
  try {
    listener->end_accept(nullptr);
    FAIL() << "EndAccept(null) returned";
  } catch (const apm::ArgumentNullException&) {
    SUCCEED();
  }
}

TEST(Arguments, ClosedListenerThrowsObjectDisposedBeforeCheckingArguments) {
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, nullptr);
  listener->close();
  EXPECT_THROW(listener->end_accept(nullptr), apm::ObjectDisposedException);
  EXPECT_THROW(listener->end_accept(std::make_shared<CallerMadeResult>()), apm::ObjectDisposedException);
  EXPECT_THROW(listener->end_accept(result), apm::ObjectDisposedException);
  EXPECT_THROW(listener->begin_accept({}, nullptr), apm::ObjectDisposedException);
}

TEST(Arguments, BeginAcceptBeforeListenThrowsInvalidOperation) {
  const auto socket = asio_ref::make_socket(apm::Family::ipv4);
  EXPECT_THROW(socket->begin_accept({}, nullptr), apm::InvalidOperationException);
}

}  // namespace
}  // namespace ea::test
