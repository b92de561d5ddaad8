#pragma once
// The remote end of the kit's connections: a blocking client on plain POSIX
// sockets, independent of the code under test. Every blocking call gives up
// at the kit's deadline.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "endaccept/apm/socket.hpp"

namespace ea::contract_kit {

class LoopbackClient {
 public:
  // Not connected yet: a test may need the descriptor to exist early.
  explicit LoopbackClient(apm::Family family = apm::Family::ipv4);
  // Connected to `listener`, of the family its address is written in.
  explicit LoopbackClient(const apm::Endpoint& listener);
  ~LoopbackClient();
  LoopbackClient(const LoopbackClient&) = delete;
  LoopbackClient& operator=(const LoopbackClient&) = delete;

  // Returns after the handshake: the connection is then in the listen queue.
  void connect(const apm::Endpoint& listener);
  std::uint16_t local_port() const;
  void send(std::string_view data);
  // Until `count` bytes arrived, the peer closed, or the deadline passed.
  std::string receive(std::size_t count);
  // True when the peer closed the connection (end of stream or reset) by
  // the deadline; false on data or when the deadline passed.
  bool sees_connection_closed();
  void close();

 private:
  int fd_ = -1;
};

}  // namespace ea::contract_kit
