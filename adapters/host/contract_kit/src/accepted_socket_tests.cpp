// The socket EndAccept returns: blocking send and receive, and close.
#include <future>

#include "endaccept/contract_kit/helpers.hpp"
#include "endaccept/contract_kit/kit.hpp"
#include "endaccept/contract_kit/loopback_client.hpp"
#include "suite_anchors.hpp"

namespace ea::contract_kit {

const int anchor::accepted_socket_tests = 1;

namespace {

// A listener, a client and the socket EndAccept returned for it.
struct Connection {
  explicit Connection(std::shared_ptr<apm::Socket> listening) : listener(std::move(listening)) {
    const auto result = listener->begin_accept({}, nullptr);
    client = std::make_unique<LoopbackClient>(listener->local_endpoint());
    accepted = EndAcceptCall(listener, result).socket();
  }
  ~Connection() { listener->close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  std::shared_ptr<apm::Socket> listener;
  std::unique_ptr<LoopbackClient> client;
  std::shared_ptr<apm::Socket> accepted;
};

}  // namespace

TEST_P(AcceptedSocket, SendsAndReceivesBothWays) {
  const Connection connection(listener());
  EXPECT_EQ(send_by_deadline(connection.accepted, "ping"), 4u);
  EXPECT_EQ(connection.client->receive(4), "ping");

  connection.client->send("pong!");
  std::string received;
  while (received.size() < 5) {
    const auto part = receive_by_deadline(connection.accepted, 5 - received.size());
    ASSERT_FALSE(part.empty());
    received += part;
  }
  EXPECT_EQ(received, "pong!");
}

TEST_P(AcceptedSocket, SendsEverythingOfALargeBuffer) {
  const Connection connection(listener());
  const std::string data(4 << 20, 'x');
  auto reading = std::async(std::launch::async, [&] { return connection.client->receive(data.size() + 1).size(); });
  EXPECT_EQ(send_by_deadline(connection.accepted, data), data.size());
  connection.accepted->close();
  ASSERT_EQ(reading.wait_for(deadline), std::future_status::ready);
  EXPECT_EQ(reading.get(), data.size());
}

TEST_P(AcceptedSocket, ReceiveReturnsAtMostMaxAndEmptyAtEndOfStream) {
  const Connection connection(listener());
  connection.client->send("abcdef");
  std::string received;
  while (received.size() < 6) {
    const auto part = receive_by_deadline(connection.accepted, 4);
    ASSERT_FALSE(part.empty());
    EXPECT_LE(part.size(), 4u);
    received += part;
  }
  EXPECT_EQ(received, "abcdef");
  connection.client->close();
  EXPECT_EQ(receive_by_deadline(connection.accepted, 4), "");
}

TEST_P(AcceptedSocket, CloseWakesABlockedReceiveAndReleasesTheDescriptor) {
  const Connection connection(listener());
  const auto descriptors = open_descriptor_count();
  const auto accepted = connection.accepted;
  const BoundedCall<std::string> receiving(
      [accepted] {
        std::string data;
        const auto outcome = outcome_of([&] { data = accepted->receive(10); });
        return outcome == "Returned" ? "Returned \"" + data + "\"" : outcome;
      },
      [accepted] { accepted->close(); });
  EXPECT_FALSE(receiving.finished_within(20ms));

  accepted->close();
  ASSERT_TRUE(receiving.finished_within(deadline));
  EXPECT_EQ(receiving.get(), GetParam().receive_woken_by_close == ReceiveWokenByClose::end_of_stream
                                 ? "Returned \"\""
                                 : "ObjectDisposed");
  EXPECT_EQ(open_descriptor_count(), descriptors - 1);
  EXPECT_FALSE(connection.accepted->connected());
  EXPECT_EQ(outcome_of([&] { send_by_deadline(connection.accepted, "x"); }), "ObjectDisposed");
}

}  // namespace ea::contract_kit
