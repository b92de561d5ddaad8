#pragma once
// What the harness can conclude about an adapter process, beyond a plain
// behavioral failure: it broke the protocol (ERROR), died (CRASH) or stopped
// answering (TIMEOUT).
#include <stdexcept>
#include <string>

namespace ea::harness {

struct ProtocolViolation : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct AdapterCrashed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct AdapterTimedOut : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace ea::harness
