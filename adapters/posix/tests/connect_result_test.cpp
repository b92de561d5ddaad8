// BeginConnect and the posix ConnectResult that reports its error.
#include <gtest/gtest.h>

#include <cerrno>

#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/posix_impl/connect_result.hpp"
#include "endaccept/posix_impl/socket.hpp"

namespace ea::posix_impl::testing {
namespace {

using contract_kit::CallbackProbe;
using contract_kit::deadline;

std::shared_ptr<apm::Socket> make_listener() { return contract_kit::listening_socket(&Socket::open); }

TEST(BeginConnect, CompletesOnABackgroundThreadAndRunsTheCallbackOnce) {
  auto listener = make_listener();
  auto connecting = Socket::open(apm::Family::ipv4);
  const CallbackProbe probe;
  auto token = std::make_shared<int>(7);
  auto result = connecting->begin_connect(listener->local_endpoint(), probe.callback(), token);

  ASSERT_TRUE(probe.wait_for_calls(1));
  EXPECT_TRUE(result->is_completed());
  EXPECT_FALSE(result->completed_synchronously());
  EXPECT_EQ(result->async_state(), token);
  EXPECT_NE(probe.calls()[0].thread, std::this_thread::get_id());
  EXPECT_EQ(probe.calls()[0].result, result);
  EXPECT_EQ(std::dynamic_pointer_cast<ConnectResult>(result)->error(), 0);
  EXPECT_TRUE(connecting->connected());
  EXPECT_EQ(connecting->remote_endpoint()->port, listener->local_endpoint().port);

  auto accept = listener->begin_accept(nullptr, nullptr);
  auto accepted = contract_kit::EndAcceptCall(listener, accept).socket();
  EXPECT_EQ(connecting->send("hi"), 2u);
  EXPECT_EQ(accepted->receive(2), "hi");
  listener->close();
  connecting->close();
}

TEST(BeginConnect, ReportsARefusedConnectionThroughTheResult) {
  auto listener = make_listener();
  const auto closed_endpoint = listener->local_endpoint();
  listener->close();
  auto connecting = Socket::open(apm::Family::ipv4);
  auto result = connecting->begin_connect(closed_endpoint, nullptr, nullptr);
  ASSERT_TRUE(result->wait(deadline));
  EXPECT_EQ(std::dynamic_pointer_cast<ConnectResult>(result)->error(), ECONNREFUSED);
  EXPECT_FALSE(connecting->connected());
}

}  // namespace
}  // namespace ea::posix_impl::testing
