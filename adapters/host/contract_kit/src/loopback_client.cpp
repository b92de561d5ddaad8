#include "endaccept/contract_kit/loopback_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "endaccept/contract_kit/helpers.hpp"

namespace ea::contract_kit {
namespace {

[[noreturn]] void fail(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

apm::Family family_of(const apm::Endpoint& endpoint) {
  return endpoint.address.find(':') == std::string::npos ? apm::Family::ipv4 : apm::Family::ipv6;
}

}  // namespace

LoopbackClient::LoopbackClient(apm::Family family)
    : fd_(::socket(family == apm::Family::ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  if (fd_ < 0) fail("socket");
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(deadline);
  const timeval give_up{static_cast<time_t>(seconds.count()), 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &give_up, sizeof give_up);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &give_up, sizeof give_up);
}

LoopbackClient::LoopbackClient(const apm::Endpoint& listener) : LoopbackClient(family_of(listener)) {
  connect(listener);
}

LoopbackClient::~LoopbackClient() { close(); }

void LoopbackClient::connect(const apm::Endpoint& listener) {
  sockaddr_storage address{};
  socklen_t length = 0;
  if (family_of(listener) == apm::Family::ipv6) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(address);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(listener.port);
    if (::inet_pton(AF_INET6, listener.address.c_str(), &v6.sin6_addr) != 1) fail("inet_pton");
    length = sizeof v6;
  } else {
    auto& v4 = reinterpret_cast<sockaddr_in&>(address);
    v4.sin_family = AF_INET;
    v4.sin_port = htons(listener.port);
    if (::inet_pton(AF_INET, listener.address.c_str(), &v4.sin_addr) != 1) fail("inet_pton");
    length = sizeof v4;
  }
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0) fail("connect");
}

std::uint16_t LoopbackClient::local_port() const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) fail("getsockname");
  return ntohs(address.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6&>(address).sin6_port
                                             : reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

void LoopbackClient::send(std::string_view data) {
  while (!data.empty()) {
    const auto sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0) fail("send");
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
}

std::string LoopbackClient::receive(std::size_t count) {
  std::string data;
  char buffer[65536];
  while (data.size() < count) {
    const auto received = ::recv(fd_, buffer, std::min(sizeof buffer, count - data.size()), 0);
    if (received <= 0) break;
    data.append(buffer, static_cast<std::size_t>(received));
  }
  return data;
}

bool LoopbackClient::sees_connection_closed() {
  char byte = 0;
  const auto received = ::recv(fd_, &byte, 1, 0);
  return received == 0 || (received < 0 && errno == ECONNRESET);
}

void LoopbackClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace ea::contract_kit
