#pragma once
// What a C++ implementation of the contract hands to the adapter host.
#include <string>
#include <vector>

#include "endaccept/apm/socket.hpp"

namespace ea::host {

struct Implementation {
  std::string adapter_name;     // "asio"
  std::string adapter_version;  // "1.0.0"
  std::string description;      // "endaccept reference on Asio 1.28.1"
  ea::apm::SocketFactory make_socket;
  ea::apm::TraceControl tracing;  // empty: no "tracing" capability
  bool ipv6 = true;
  bool platform_supported = true;
};

// Runs the protocol loop on stdin/stdout until EOF; returns the exit status.
int run_apm_adapter(const Implementation& implementation);

}  // namespace ea::host
