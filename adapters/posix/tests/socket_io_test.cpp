// The accepted socket and the connecting socket.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <future>

#include "endaccept/posix_impl/connect_result.hpp"
#include "test_support.hpp"

namespace ea::posix_impl::testing {
namespace {

using namespace std::chrono_literals;

struct Connection {
  std::shared_ptr<Socket> listener;
  UniqueFd client;
  std::shared_ptr<apm::Socket> accepted;
};

Connection accept_one() {
  Connection connection;
  connection.listener = make_listener();
  auto result = connection.listener->begin_accept(nullptr, nullptr);
  connection.client = connect_client(connection.listener->local_endpoint());
  connection.accepted = connection.listener->end_accept(result);
  return connection;
}

TEST(AcceptedSocket, SendsAndReceivesBothWays) {
  auto connection = accept_one();
  EXPECT_EQ(connection.accepted->send("ping"), 4u);
  char buffer[4] = {};
  ASSERT_EQ(::recv(connection.client.get(), buffer, sizeof(buffer), MSG_WAITALL), 4);
  EXPECT_EQ(std::string(buffer, 4), "ping");

  ASSERT_EQ(::send(connection.client.get(), "pong!", 5, 0), 5);
  std::string received;
  while (received.size() < 5) {
    const auto part = connection.accepted->receive(5 - received.size());
    ASSERT_FALSE(part.empty());
    received += part;
  }
  EXPECT_EQ(received, "pong!");
  connection.listener->close();
}

TEST(AcceptedSocket, SendsEverythingOfALargeBuffer) {
  auto connection = accept_one();
  const std::string data(4 << 20, 'x');
  auto reading = std::async(std::launch::async, [&] {
    std::size_t total = 0;
    char buffer[65536];
    for (;;) {
      const auto count = ::recv(connection.client.get(), buffer, sizeof(buffer), 0);
      if (count <= 0) return total;
      total += static_cast<std::size_t>(count);
    }
  });
  EXPECT_EQ(connection.accepted->send(data), data.size());
  connection.accepted->close();
  ASSERT_EQ(reading.wait_for(deadline), std::future_status::ready);
  EXPECT_EQ(reading.get(), data.size());
  connection.listener->close();
}

TEST(AcceptedSocket, ReceiveReturnsAtMostMaxAndEmptyAtEndOfStream) {
  auto connection = accept_one();
  ASSERT_EQ(::send(connection.client.get(), "abcdef", 6, 0), 6);
  std::string received;
  while (received.size() < 6) {
    const auto part = connection.accepted->receive(4);
    ASSERT_FALSE(part.empty());
    EXPECT_LE(part.size(), 4u);
    received += part;
  }
  EXPECT_EQ(received, "abcdef");
  connection.client.reset();
  EXPECT_EQ(connection.accepted->receive(4), "");
  connection.listener->close();
}

TEST(AcceptedSocket, CloseWakesABlockedReceiveAndReleasesTheDescriptor) {
  auto connection = accept_one();
  const auto descriptors = open_descriptor_count();
  auto receiving = std::async(std::launch::async, [&] {
    return outcome_of([&] { connection.accepted->receive(10); });
  });
  EXPECT_EQ(receiving.wait_for(20ms), std::future_status::timeout);

  connection.accepted->close();
  ASSERT_EQ(receiving.wait_for(deadline), std::future_status::ready);
  EXPECT_EQ(receiving.get(), "Returned");  // as at end of stream
  EXPECT_EQ(open_descriptor_count(), descriptors - 1);
  EXPECT_FALSE(connection.accepted->connected());
  EXPECT_EQ(outcome_of([&] { connection.accepted->send("x"); }), "ObjectDisposed");
  connection.listener->close();
}

TEST(BeginConnect, CompletesOnABackgroundThreadAndRunsTheCallbackOnce) {
  auto listener = make_listener();
  auto connecting = Socket::open(apm::Family::ipv4);
  auto probe = std::make_shared<CallbackProbe>();
  auto token = std::make_shared<int>(7);
  auto result = connecting->begin_connect(listener->local_endpoint(), probe->callback(), token);

  ASSERT_TRUE(probe->wait_for_calls(1));
  EXPECT_TRUE(result->is_completed());
  EXPECT_FALSE(result->completed_synchronously());
  EXPECT_EQ(result->async_state(), token);
  EXPECT_NE(probe->invocations()[0].thread, std::this_thread::get_id());
  EXPECT_EQ(probe->invocations()[0].result, result);
  EXPECT_EQ(std::dynamic_pointer_cast<ConnectResult>(result)->error(), 0);
  EXPECT_TRUE(connecting->connected());
  EXPECT_EQ(connecting->remote_endpoint()->port, listener->local_endpoint().port);

  auto accept = listener->begin_accept(nullptr, nullptr);
  auto accepted = listener->end_accept(accept);
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

TEST(BeginConnect, OnAClosedSocketIsObjectDisposed) {
  auto connecting = Socket::open(apm::Family::ipv4);
  connecting->close();
  EXPECT_EQ(outcome_of([&] { connecting->begin_connect({"127.0.0.1", 9}, nullptr, nullptr); }),
            "ObjectDisposed");
}

}  // namespace
}  // namespace ea::posix_impl::testing
