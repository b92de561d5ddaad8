// EndAccept hands out a new connected socket, blocks until there is one,
// and leaves the listener accepting.
#include <set>
#include <thread>

#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/kit.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"
#include "suite_anchors.hpp"

namespace ea::contract_kit {

const int anchor::accept_tests = 1;

namespace {

std::string receive_exactly(const std::shared_ptr<apm::Socket>& socket, std::size_t count) {
  std::string data;
  while (data.size() < count) {
    const auto chunk = receive_by_deadline(socket, count - data.size());
    if (chunk.empty()) break;
    data += chunk;
  }
  return data;
}

}  // namespace

TEST_P(Accept, ReturnsANewConnectedSocketOnTheLoopbackEndpoints) {
  const auto listener = this->listener();
  const auto listening = listener->local_endpoint();
  EXPECT_EQ(listening.address, "127.0.0.1");
  EXPECT_NE(listening.port, 0);

  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client(listening);
  const auto accepted = EndAcceptCall(listener, result).socket();
  ASSERT_NE(accepted, nullptr);
  EXPECT_NE(accepted.get(), listener.get());
  EXPECT_NE(accepted->identity(), listener->identity());
  EXPECT_TRUE(accepted->connected());
  EXPECT_EQ(accepted->local_endpoint().address, "127.0.0.1");
  EXPECT_EQ(accepted->local_endpoint().port, listening.port);
  const auto remote = accepted->remote_endpoint();
  ASSERT_TRUE(remote.has_value());
  EXPECT_EQ(remote->address, "127.0.0.1");
  EXPECT_EQ(remote->port, client.local_port());

  client.send("ping");
  EXPECT_EQ(receive_exactly(accepted, 4), "ping");
  EXPECT_EQ(send_by_deadline(accepted, "pong"), 4u);
  EXPECT_EQ(client.receive(4), "pong");
  accepted->close();
  listener->close();
}

TEST_P(Accept, WorksOnIpv6Loopback) {
  if (!GetParam().ipv6) GTEST_SKIP() << GetParam().name << " does not claim IPv6";
  if (!host_has_ipv6_loopback()) GTEST_SKIP() << "no IPv6 loopback on this host";
  const auto listener = this->listener(apm::Family::ipv6);
  EXPECT_EQ(listener->local_endpoint().address, "::1");

  const auto result = listener->begin_accept({}, nullptr);
  LoopbackClient client(listener->local_endpoint());
  const auto accepted = EndAcceptCall(listener, result).socket();
  EXPECT_EQ(accepted->local_endpoint().address, "::1");
  ASSERT_TRUE(accepted->remote_endpoint().has_value());
  EXPECT_EQ(accepted->remote_endpoint()->address, "::1");
  EXPECT_EQ(accepted->remote_endpoint()->port, client.local_port());
  listener->close();
}

TEST_P(Accept, EndAcceptBlocksUntilAConnectionArrives) {
  const auto listener = this->listener();
  const auto result = listener->begin_accept({}, nullptr);
  const EndAcceptCall end(listener, result);
  EXPECT_FALSE(end.finished_within(100ms));
  EXPECT_FALSE(result->is_completed());
  EXPECT_FALSE(result->wait(20ms));

  LoopbackClient client(listener->local_endpoint());
  ASSERT_TRUE(end.finished_within(deadline));
  EXPECT_TRUE(end.socket()->connected());
  EXPECT_TRUE(result->is_completed());
  EXPECT_TRUE(result->wait(0ms));
  EXPECT_FALSE(result->completed_synchronously());
  listener->close();
}

TEST_P(Accept, WaitReportsCompletionWithoutAnyEndAccept) {
  const auto listener = this->listener();
  const auto result = listener->begin_accept({}, nullptr);
  EXPECT_FALSE(result->wait(20ms));
  EXPECT_FALSE(result->is_completed());

  LoopbackClient client(listener->local_endpoint());
  EXPECT_TRUE(result->wait(deadline));
  EXPECT_TRUE(result->is_completed());
  EXPECT_TRUE(result->wait(0ms));
  listener->close();
}

TEST_P(Accept, ListenerKeepsAcceptingAfterEndAccept) {
  const auto listener = this->listener();
  for (int round = 0; round < 3; ++round) {
    const auto result = listener->begin_accept({}, nullptr);
    LoopbackClient client(listener->local_endpoint());
    const EndAcceptCall end(listener, result);
    ASSERT_TRUE(end.finished_within(deadline)) << "round " << round;
    EXPECT_EQ(end.socket()->remote_endpoint()->port, client.local_port()) << "round " << round;
  }
  listener->close();
}

TEST_P(Accept, OutstandingAcceptsCompleteWithDistinctConnections) {
  const auto listener = this->listener();
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
  listener->close();
}

TEST_P(Accept, OutstandingAcceptsCompleteInTheOrderTheyBegan) {
  const auto listener = this->listener();
  const auto first = listener->begin_accept({}, nullptr);
  const auto second = listener->begin_accept({}, nullptr);

  LoopbackClient early(listener->local_endpoint());
  ASSERT_TRUE(first->wait(deadline));
  LoopbackClient late(listener->local_endpoint());

  EXPECT_EQ(EndAcceptCall(listener, second).socket()->remote_endpoint()->port, late.local_port());
  EXPECT_EQ(EndAcceptCall(listener, first).socket()->remote_endpoint()->port, early.local_port());
  listener->close();
}

TEST_P(Accept, LeavesConnectionsNobodyAskedForInTheListenQueue) {
  const auto listener = this->listener();
  const auto before = open_descriptor_count();
  LoopbackClient client(listener->local_endpoint());
  // Gives a wrong implementation time to accept on its own; a right one
  // passes whatever the scheduling.
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(open_descriptor_count(), before + 1);  // the client only

  const auto result = listener->begin_accept({}, nullptr);
  EXPECT_EQ(EndAcceptCall(listener, result).socket()->remote_endpoint()->port, client.local_port());
  listener->close();
}

}  // namespace ea::contract_kit
