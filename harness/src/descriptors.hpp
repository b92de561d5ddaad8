#pragma once
// The adapter process's descriptor table, seen from outside through /proc
// and prlimit(2): counting for the leak cases, limiting for the
// descriptor-exhaustion cases.
#include <sys/resource.h>
#include <sys/types.h>

#include <optional>

namespace ea::harness {

// Open descriptors of `pid`; nullopt when /proc cannot be read.
std::optional<int> count_open_descriptors(pid_t pid);

// Lowers `pid`'s soft RLIMIT_NOFILE so that no new descriptor can be
// created, and restores it later.
class DescriptorLimit {
 public:
  explicit DescriptorLimit(pid_t pid) : pid_(pid) {}
  void exhaust();  // throws std::runtime_error
  void restore();

 private:
  pid_t pid_;
  std::optional<rlimit> saved_;
};

}  // namespace ea::harness
