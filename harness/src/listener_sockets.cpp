#include "listener_sockets.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
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
    BoundListener listener;
    listener.port = port;
    char text[INET6_ADDRSTRLEN] = {};
    if (ipv6) {
      in6_addr address{};
      if (!parse_address(local.substr(0, colon), address.s6_addr, 16)) continue;
      ::inet_ntop(AF_INET6, &address, text, sizeof text);
      const bool mapped_loopback = IN6_IS_ADDR_V4MAPPED(&address) && address.s6_addr[12] == 127;
      listener.loopback = IN6_IS_ADDR_LOOPBACK(&address) || mapped_loopback;
    } else {
      in_addr address{};
      if (!parse_address(local.substr(0, colon), reinterpret_cast<unsigned char*>(&address.s_addr), 4)) continue;
      ::inet_ntop(AF_INET, &address, text, sizeof text);
      listener.loopback = (ntohl(address.s_addr) >> 24) == 127;
    }
    listener.address = text;
    out.push_back(listener);
  }
}

}  // namespace

std::vector<BoundListener> listeners_of(pid_t pid, unsigned short port) {
  std::vector<BoundListener> found;
  const auto inodes = socket_inodes(pid);
  if (inodes.empty()) return found;
  const std::string net = "/proc/" + std::to_string(pid) + "/net/";
  read_table(net + "tcp", false, port, inodes, found);
  read_table(net + "tcp6", true, port, inodes, found);
  return found;
}

}  // namespace ea::harness
