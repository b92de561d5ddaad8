#pragma once
// What the kernel says about an adapter's listeners, whatever the adapter
// reports: the local addresses of the listening TCP sockets it holds, read
// from /proc/<pid>/net/tcp{,6} and matched by inode to /proc/<pid>/fd.
#include <sys/types.h>

#include <string>
#include <vector>

namespace ea::harness {

struct BoundListener {
  std::string address;  // textual, as inet_ntop writes it
  unsigned short port = 0;
  bool loopback = false;  // 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104
};

// The listening sockets of process `pid` on `port`; empty when /proc does
// not tell (no such entries, or unreadable), which proves nothing either way.
std::vector<BoundListener> listeners_of(pid_t pid, unsigned short port);

}  // namespace ea::harness
