#pragma once
// A socket address of either family, in the form the socket calls take.
#include <sys/socket.h>

#include <cstdint>

#include "endaccept/apm/socket.hpp"

namespace ea::posix_impl {

int address_family(apm::Family family) noexcept;  // AF_INET or AF_INET6

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = sizeof(storage);

  static SocketAddress loopback(apm::Family family, std::uint16_t port);
  // Throws ArgumentException unless `endpoint.address` is a literal of `family`.
  static SocketAddress from_endpoint(apm::Family family, const apm::Endpoint& endpoint);

  sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  apm::Endpoint to_endpoint() const;
};

}  // namespace ea::posix_impl
