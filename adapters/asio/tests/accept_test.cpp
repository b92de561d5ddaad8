// EndAccept hands out a new connected socket, blocks until there is one,
// and leaves the listener accepting.
#include <gtest/gtest.h>

#include <set>

#include "loopback_client.hpp"
#include "test_support.hpp"

namespace ea::test {
namespace {

std::string receive_exactly(apm::Socket& socket, std::size_t count) {
  std::string data;
  while (data.size() < count) {
    const auto chunk = socket.receive(count - data.size());
    if (chunk.empty()) break;
    data += chunk;
  }
  return data;
}

TEST(Accept, ReturnsANewConnectedSocketThatTalksToTheClient) {
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client;
  client.connect(listener->local_endpoint());

  const auto accepted = listener->end_accept(result);
  ASSERT_TRUE(accepted);
  EXPECT_NE(accepted.get(), listener.get());
  EXPECT_NE(accepted->identity(), listener->identity());
  EXPECT_TRUE(accepted->connected());
  EXPECT_EQ(accepted->local_endpoint().address, "127.0.0.1");
  EXPECT_EQ(accepted->local_endpoint().port, listener->local_endpoint().port);
  ASSERT_TRUE(accepted->remote_endpoint());
  EXPECT_EQ(accepted->remote_endpoint()->port, client.local_port());

  client.send("ping");
  EXPECT_EQ(receive_exactly(*accepted, 4), "ping");
  EXPECT_EQ(accepted->send("pong"), 4u);
  EXPECT_EQ(client.receive(4), "pong");
}

TEST(Accept, EndAcceptBlocksUntilAConnectionArrives) {
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, nullptr);
  const EndAcceptCall end(listener, result);
  EXPECT_FALSE(end.finished_within(100ms));
  EXPECT_FALSE(result->is_completed());
  EXPECT_FALSE(result->wait(10ms));

  LoopbackClient client;
  client.connect(listener->local_endpoint());
  ASSERT_TRUE(end.finished_within(deadline));
  EXPECT_TRUE(end.socket()->connected());
  EXPECT_TRUE(result->is_completed());
  EXPECT_TRUE(result->wait(0ms));
  EXPECT_FALSE(result->completed_synchronously());
}

TEST(Accept, ListenerKeepsAcceptingAfterEndAccept) {
  const auto listener = listening_socket();
  for (int round = 0; round < 3; ++round) {
    const auto result = listener->begin_accept({}, nullptr);
    LoopbackClient client;
    client.connect(listener->local_endpoint());
    const EndAcceptCall end(listener, result);
    ASSERT_TRUE(end.finished_within(deadline)) << "round " << round;
    EXPECT_EQ(end.socket()->remote_endpoint()->port, client.local_port());
  }
}

TEST(Accept, OutstandingAcceptsCompleteWithDistinctConnections) {
  const auto listener = listening_socket();
  std::vector<std::shared_ptr<apm::AsyncResult>> results;
  for (int i = 0; i < 3; ++i) results.push_back(listener->begin_accept({}, nullptr));
  LoopbackClient clients[3];
  std::set<std::uint16_t> client_ports;
  for (auto& client : clients) {
    client.connect(listener->local_endpoint());
    client_ports.insert(client.local_port());
  }

  std::set<std::uint16_t> accepted_ports;
  std::set<std::string> identities;
  std::vector<std::shared_ptr<apm::Socket>> accepted;
  for (const auto& result : results) {
    const EndAcceptCall end(listener, result);
    ASSERT_TRUE(end.finished_within(deadline));
    accepted.push_back(end.socket());
    accepted_ports.insert(accepted.back()->remote_endpoint()->port);
    identities.insert(accepted.back()->identity());
  }
  EXPECT_EQ(accepted_ports, client_ports);
  EXPECT_EQ(identities.size(), 3u);
}

TEST(Accept, WorksOnIpv6Loopback) {
  std::shared_ptr<asio_ref::Socket> listener;
  try {
    listener = listening_socket(apm::Family::ipv6);
  } catch (const apm::SocketException& e) {
    GTEST_SKIP() << "no IPv6 loopback: " << e.what();
  }
  EXPECT_EQ(listener->local_endpoint().address, "::1");
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client(apm::Family::ipv6);
  client.connect(listener->local_endpoint());
  const EndAcceptCall end(listener, result);
  ASSERT_TRUE(end.finished_within(deadline));
  const auto accepted = end.socket();
  EXPECT_EQ(accepted->local_endpoint().address, "::1");
  EXPECT_EQ(accepted->remote_endpoint()->address, "::1");
  EXPECT_EQ(accepted->remote_endpoint()->port, client.local_port());
}

TEST(Accept, SecondEndAcceptOfAResultThrowsInvalidOperation) {
  const auto listener = listening_socket();
  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client;
  client.connect(listener->local_endpoint());
  ASSERT_TRUE(listener->end_accept(result));
  EXPECT_THROW(listener->end_accept(result), apm::InvalidOperationException);
}

TEST(Accept, ConcurrentEndAcceptsYieldExactlyOneSocket) {
  const auto listener = listening_socket();
  for (int round = 0; round < 10; ++round) {
    const auto result = listener->begin_accept({}, nullptr);
    const EndAcceptCall first(listener, result);
    const EndAcceptCall second(listener, result);
    LoopbackClient client;
    client.connect(listener->local_endpoint());
    ASSERT_TRUE(first.finished_within(deadline));
    ASSERT_TRUE(second.finished_within(deadline));

    int sockets = 0;
    int refused = 0;
    for (const auto* end : {&first, &second}) {
      try {
        if (end->socket()) ++sockets;
      } catch (const apm::InvalidOperationException&) {
        ++refused;
      }
    }
    EXPECT_EQ(sockets, 1) << "round " << round;
    EXPECT_EQ(refused, 1) << "round " << round;
  }
}

}  // namespace
}  // namespace ea::test
