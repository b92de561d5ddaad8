// The posix implementation behind the adapter protocol (spec/adapter-protocol.md).
#include "endaccept/host/implementation.hpp"
#include "endaccept/posix_impl/socket.hpp"

int main() {
  ea::host::Implementation implementation;
  implementation.adapter_name = "posix";
  implementation.adapter_version = "1.0.0";
  implementation.description = "endaccept on BSD sockets, poll and std::thread";
  implementation.make_socket = &ea::posix_impl::Socket::open;
  implementation.ipv6 = true;
  return ea::host::run_apm_adapter(implementation);
}
