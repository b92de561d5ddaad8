#include "listener_sockets.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace ea::harness {

namespace {

constexpr const char* kListenState = "0A";  // TCP_LISTEN in /proc/net/tcp's "st" column

std::set<unsigned long long> socket_inodes(pid_t pid) {
  std::set<unsigned long long> inodes;
  std::error_code error;
  const std::filesystem::path fds = "/proc/" + std::to_string(pid) + "/fd";
  for (const auto& entry : std::filesystem::directory_iterator(fds, error)) {
    std::error_code link_error;
    const std::string target = std::filesystem::read_symlink(entry.path(), link_error).string();
    if (link_error || target.rfind("socket:[", 0) != 0) continue;
    try {
      inodes.insert(std::stoull(target.substr(8)));
    } catch (const std::exception&) {
    }
  }
  return inodes;
}

// The kernel prints each 32-bit word of the address as a native-endian
// integer in hex, so reading the words back the same way restores the bytes.
bool parse_address(const std::string& hex, unsigned char* bytes, std::size_t size) {
  if (hex.size() != size * 2) return false;
  for (std::size_t word = 0; word < size / 4; ++word) {
    std::uint32_t value = 0;
    try {
      value = static_cast<std::uint32_t>(std::stoul(hex.substr(word * 8, 8), nullptr, 16));
    } catch (const std::exception&) {
      return false;
    }
    std::memcpy(bytes + word * 4, &value, 4);
  }
  return true;
}

BoundListener describe_listener(int family, const void* address, unsigned short port) {
  BoundListener listener;
  listener.port = port;
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(family, address, text, sizeof text);
  listener.address = text;
  if (family == AF_INET6) {
    const auto* v6 = static_cast<const in6_addr*>(address);
    listener.loopback = IN6_IS_ADDR_LOOPBACK(v6) || (IN6_IS_ADDR_V4MAPPED(v6) && v6->s6_addr[12] == 127);
  } else {
    listener.loopback = (ntohl(static_cast<const in_addr*>(address)->s_addr) >> 24) == 127;
  }
  return listener;
}

void read_table(const std::string& path, bool ipv6, unsigned short port, const std::set<unsigned long long>& inodes,
                std::vector<BoundListener>& out) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
    unsigned long long inode = 0;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
      continue;
    if (state != kListenState || !inodes.count(inode)) continue;
    const auto colon = local.find(':');
    if (colon == std::string::npos) continue;
    unsigned long local_port = 0;
    try {
      local_port = std::stoul(local.substr(colon + 1), nullptr, 16);
    } catch (const std::exception&) {
      continue;
    }
    if (local_port != port) continue;
    if (ipv6) {
      in6_addr address{};
      if (!parse_address(local.substr(0, colon), address.s6_addr, 16)) continue;
      out.push_back(describe_listener(AF_INET6, &address, port));
    } else {
      in_addr address{};
      if (!parse_address(local.substr(0, colon), reinterpret_cast<unsigned char*>(&address.s_addr), 4)) continue;
      out.push_back(describe_listener(AF_INET, &address, port));
    }
  }
}

// The kernel's socket diagnostics, asked for listening TCP sockets only: it
// then walks its listening table and never the table of established
// connections, whose size grows with the machine's memory (reading
// /proc/net/tcp walks all of it, milliseconds of kernel time per case).
// False when netlink diagnostics are not available here.
bool ask_sock_diag(int family, unsigned short port, const std::set<unsigned long long>& inodes,
                   std::vector<BoundListener>& out) {
  const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return false;
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } query{};
  query.header.nlmsg_len = sizeof query;
  query.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  query.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  query.request.sdiag_family = static_cast<std::uint8_t>(family);
  query.request.sdiag_protocol = IPPROTO_TCP;
  query.request.idiag_states = 1u << TCP_LISTEN;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  bool answered = false;
  if (::sendto(fd, &query, sizeof query, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) ==
      static_cast<ssize_t>(sizeof query)) {
    alignas(nlmsghdr) char buffer[32768];
    // Bounded: a listening table is small, and the dump ends with NLMSG_DONE.
    for (int reads = 0; reads < 10000 && !answered; ++reads) {
      const ssize_t size = ::recv(fd, buffer, sizeof buffer, 0);
      if (size <= 0) break;
      // Walked by hand rather than with NLMSG_OK/NLMSG_NEXT, whose mixed
      // signed and unsigned comparisons compilers warn about; every length
      // is checked against what was received.
      const auto received = static_cast<std::size_t>(size);
      for (std::size_t offset = 0; offset + sizeof(nlmsghdr) <= received;) {
        const auto* message = reinterpret_cast<const nlmsghdr*>(buffer + offset);
        if (message->nlmsg_len < sizeof(nlmsghdr) || message->nlmsg_len > received - offset) break;
        offset += NLMSG_ALIGN(message->nlmsg_len);
        if (message->nlmsg_type == NLMSG_DONE) {
          answered = true;
          break;
        }
        if (message->nlmsg_type == NLMSG_ERROR) {
          ::close(fd);
          return false;
        }
        if (message->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) continue;
        const auto* socket = static_cast<const inet_diag_msg*>(NLMSG_DATA(message));
        if (ntohs(socket->id.idiag_sport) != port || !inodes.count(socket->idiag_inode)) continue;
        out.push_back(describe_listener(family, socket->id.idiag_src, port));
      }
    }
  }
  ::close(fd);
  return answered;
}

}  // namespace

std::optional<std::vector<BoundListener>> listeners_from(ListenerSource source, pid_t pid, unsigned short port) {
  std::vector<BoundListener> found;
  const auto inodes = socket_inodes(pid);
  if (source == ListenerSource::sock_diag) {
    if (!ask_sock_diag(AF_INET, port, inodes, found) || !ask_sock_diag(AF_INET6, port, inodes, found)) {
      return std::nullopt;
    }
    return found;
  }
  const std::string net = "/proc/" + std::to_string(pid) + "/net/";
  if (!std::filesystem::exists(net + "tcp")) return std::nullopt;
  read_table(net + "tcp", false, port, inodes, found);
  read_table(net + "tcp6", true, port, inodes, found);
  return found;
}

std::vector<BoundListener> listeners_of(pid_t pid, unsigned short port) {
  for (const auto source : {ListenerSource::sock_diag, ListenerSource::proc_tables}) {
    if (auto found = listeners_from(source, pid, port)) return *found;
  }
  return {};
}

}  // namespace ea::harness
