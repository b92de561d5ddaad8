#include "endaccept/posix_impl/socket_address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

namespace ea::posix_impl {

int address_family(apm::Family family) noexcept {
  return family == apm::Family::ipv4 ? AF_INET : AF_INET6;
}

SocketAddress SocketAddress::loopback(apm::Family family, std::uint16_t port) {
  SocketAddress address;
  if (family == apm::Family::ipv4) {
    auto* in = reinterpret_cast<sockaddr_in*>(&address.storage);
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.length = sizeof(sockaddr_in);
  } else {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    in6->sin6_addr = in6addr_loopback;
    address.length = sizeof(sockaddr_in6);
  }
  return address;
}

SocketAddress SocketAddress::from_endpoint(apm::Family family, const apm::Endpoint& endpoint) {
  SocketAddress address = loopback(family, endpoint.port);
  void* host = family == apm::Family::ipv4
                   ? static_cast<void*>(&reinterpret_cast<sockaddr_in*>(&address.storage)->sin_addr)
                   : static_cast<void*>(&reinterpret_cast<sockaddr_in6*>(&address.storage)->sin6_addr);
  if (::inet_pton(address_family(family), endpoint.address.c_str(), host) != 1) {
    throw apm::ArgumentException("not an address of the socket's family: " + endpoint.address);
  }
  return address;
}

apm::Endpoint SocketAddress::to_endpoint() const {
  char text[INET6_ADDRSTRLEN] = {};
  apm::Endpoint endpoint;
  if (storage.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&storage);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    endpoint.port = ntohs(in->sin_port);
  } else if (storage.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&storage);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    endpoint.port = ntohs(in6->sin6_port);
  }
  endpoint.address = text;
  return endpoint;
}

}  // namespace ea::posix_impl
