#include "endaccept/asio_ref/trace.hpp"

#include <gtest/gtest.h>

#include "loopback_client.hpp"
#include "test_support.hpp"

namespace ea::test {
namespace {

TEST(Trace, EmitsBeginAcceptAndEachCompletedAccept) {
  std::mutex mutex;
  std::vector<std::string> lines;
  asio_ref::trace::set_sink([&](const std::string& line) {
    std::lock_guard lock(mutex);
    lines.push_back(line);
  });
  const auto listener = listening_socket();
  const auto where = "127.0.0.1:" + std::to_string(listener->local_endpoint().port);
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client;
  client.connect(listener->local_endpoint());
  ASSERT_TRUE(listener->end_accept(result));
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
