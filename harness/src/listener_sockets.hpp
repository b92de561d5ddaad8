#pragma once
// What the kernel says about an adapter's listeners, whatever the adapter
// reports: the local addresses of the listening TCP sockets it holds, read
// from the kernel's socket diagnostics (or /proc/<pid>/net/tcp{,6} where
// those are not available) and matched by inode to /proc/<pid>/fd.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace ea::harness {

struct BoundListener {
  std::string address;  // textual, as inet_ntop writes it
  unsigned short port = 0;
  bool loopback = false;  // 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104
};

// The listening sockets of process `pid` on `port`; empty when the kernel
// does not tell (no such entries, or unreadable), which proves nothing
// either way.
std::vector<BoundListener> listeners_of(pid_t pid, unsigned short port);

// Each source alone (listeners_of asks the first and falls back to the
// second); nullopt when that source is not available here.
enum class ListenerSource { sock_diag, proc_tables };
std::optional<std::vector<BoundListener>> listeners_from(ListenerSource source, pid_t pid, unsigned short port);

}  // namespace ea::harness
