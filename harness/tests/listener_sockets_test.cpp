// The kernel's view of a process's listeners, from both sources the harness
// reads it from: the addresses must be the ones bound, loopback told apart
// from a wildcard, and the two sources must agree.
#include "listener_sockets.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace ea::harness {
namespace {

struct Listening {
  int fd = -1;
  unsigned short port = 0;
  ~Listening() {
    if (fd >= 0) ::close(fd);
  }
};

// Listens on `address` (IPv4 or IPv6 text) and an ephemeral port; port 0 when
// the address family is not available here.
void listen_on(const std::string& address, Listening& out) {
  sockaddr_storage storage{};
  socklen_t size = 0;
  int family = AF_INET;
  if (address.find(':') != std::string::npos) {
    family = AF_INET6;
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    v6->sin6_family = AF_INET6;
    ASSERT_EQ(::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr), 1);
    size = sizeof *v6;
  } else {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    v4->sin_family = AF_INET;
    ASSERT_EQ(::inet_pton(AF_INET, address.c_str(), &v4->sin_addr), 1);
    size = sizeof *v4;
  }
  out.fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (out.fd < 0) return;
  if (family == AF_INET6) {
    const int only = 1;
    ::setsockopt(out.fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
  }
  if (::bind(out.fd, reinterpret_cast<sockaddr*>(&storage), size) != 0 || ::listen(out.fd, 4) != 0) return;
  ASSERT_EQ(::getsockname(out.fd, reinterpret_cast<sockaddr*>(&storage), &size), 0);
  out.port = ntohs(family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                                      : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
}

void expect_seen_as(const std::string& bound, const std::string& shown, bool loopback) {
  Listening listening;
  listen_on(bound, listening);
  if (listening.port == 0) GTEST_SKIP() << bound << " cannot be bound here";
  int sources = 0;
  for (const auto source : {ListenerSource::sock_diag, ListenerSource::proc_tables}) {
    const auto found = listeners_from(source, ::getpid(), listening.port);
    if (!found) continue;
    ++sources;
    ASSERT_EQ(found->size(), 1u) << bound << " from source " << static_cast<int>(source);
    EXPECT_EQ(found->front().address, shown);
    EXPECT_EQ(found->front().port, listening.port);
    EXPECT_EQ(found->front().loopback, loopback) << bound;
  }
  EXPECT_GT(sources, 0) << "neither source is available: the harness could not check listeners";
  const auto combined = listeners_of(::getpid(), listening.port);
  ASSERT_EQ(combined.size(), 1u);
  EXPECT_EQ(combined.front().address, shown);
}

TEST(ListenerSockets, Ipv4LoopbackIsLoopback) { expect_seen_as("127.0.0.1", "127.0.0.1", true); }
TEST(ListenerSockets, AnyLoopbackAddressOf127Slash8IsLoopback) { expect_seen_as("127.0.0.2", "127.0.0.2", true); }
TEST(ListenerSockets, Ipv4WildcardIsNotLoopback) { expect_seen_as("0.0.0.0", "0.0.0.0", false); }
TEST(ListenerSockets, Ipv6LoopbackIsLoopback) { expect_seen_as("::1", "::1", true); }
TEST(ListenerSockets, Ipv6WildcardIsNotLoopback) { expect_seen_as("::", "::", false); }

TEST(ListenerSockets, AnotherPortOrAnotherProcessShowsNothing) {
  Listening listening;
  listen_on("127.0.0.1", listening);
  ASSERT_NE(listening.port, 0);
  const unsigned short other_port = listening.port == 65535 ? 1 : static_cast<unsigned short>(listening.port + 1);
  EXPECT_TRUE(listeners_of(::getpid(), other_port).empty());
  EXPECT_TRUE(listeners_of(::getppid(), listening.port).empty()) << "the socket is this process's, not its parent's";
}

}  // namespace
}  // namespace ea::harness
