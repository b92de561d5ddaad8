#include "endaccept/asio_ref/trace.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "endaccept/asio_ref/socket.hpp"
#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"

namespace ea::test {
namespace {

using contract_kit::LoopbackClient;

TEST(Trace, EmitsBeginAcceptAndEachCompletedAccept) {
  std::mutex mutex;
  std::vector<std::string> lines;
  asio_ref::trace::set_sink([&](const std::string& line) {
    std::lock_guard lock(mutex);
    lines.push_back(line);
  });
  const auto listener = contract_kit::listening_socket(&asio_ref::make_socket);
  const auto where = "127.0.0.1:" + std::to_string(listener->local_endpoint().port);
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client(listener->local_endpoint());
  ASSERT_TRUE(contract_kit::EndAcceptCall(listener, result).socket());
  asio_ref::trace::set_sink({});

  std::lock_guard lock(mutex);
  const std::vector<std::string> expected{
      "BeginAccept: listener " + where,
      "Accept: listener " + where + " accepted 127.0.0.1:" + std::to_string(client.local_port()),
  };
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], expected[0]);
  EXPECT_EQ(lines[1], expected[1]);
}

TEST(Trace, IsSilentWithoutASink) {
  EXPECT_FALSE(asio_ref::trace::enabled());
}

}  // namespace
}  // namespace ea::test
