#pragma once
// A blocking client on plain POSIX sockets, independent of the code under
// test. Every blocking call gives up after 5 s.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "endaccept/apm/socket.hpp"

namespace ea::test {

class LoopbackClient {
 public:
  explicit LoopbackClient(apm::Family family = apm::Family::ipv4);
  ~LoopbackClient();
  LoopbackClient(const LoopbackClient&) = delete;
  LoopbackClient& operator=(const LoopbackClient&) = delete;

  void connect(const apm::Endpoint& listener);
  std::uint16_t local_port() const;
  void send(std::string_view data);
  // Until `count` bytes arrived, the peer closed, or the deadline passed.
  std::string receive(std::size_t count);
  void close();

 private:
  int fd_ = -1;
};

}  // namespace ea::test
