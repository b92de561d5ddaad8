#include "loopback_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace ea::test {
namespace {

[[noreturn]] void fail(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace

LoopbackClient::LoopbackClient(apm::Family family)
    : fd_(::socket(family == apm::Family::ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  if (fd_ < 0) fail("socket");
  const timeval deadline{5, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &deadline, sizeof deadline);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &deadline, sizeof deadline);
}

LoopbackClient::~LoopbackClient() { close(); }

void LoopbackClient::connect(const apm::Endpoint& listener) {
  sockaddr_storage address{};
  socklen_t length = 0;
  if (listener.address.find(':') != std::string::npos) {
    auto& v6 = reinterpret_cast<sockaddr_in6&>(address);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(listener.port);
    ::inet_pton(AF_INET6, listener.address.c_str(), &v6.sin6_addr);
    length = sizeof v6;
  } else {
    auto& v4 = reinterpret_cast<sockaddr_in&>(address);
    v4.sin_family = AF_INET;
    v4.sin_port = htons(listener.port);
    ::inet_pton(AF_INET, listener.address.c_str(), &v4.sin_addr);
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
  char buffer[4096];
  while (data.size() < count) {
    const auto received = ::recv(fd_, buffer, std::min(sizeof buffer, count - data.size()), 0);
    if (received <= 0) break;
    data.append(buffer, static_cast<std::size_t>(received));
  }
  return data;
}

void LoopbackClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace ea::test
