// The posix implementation behind the adapter protocol (spec/adapter-protocol.md).
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "endaccept/host/implementation.hpp"
#include "endaccept/posix_impl/mutant.hpp"
#include "endaccept/posix_impl/socket.hpp"

int main(int argc, char** argv) {
  namespace mutant = ea::posix_impl::mutant;
  if (argc > 1 && std::string_view(argv[1]) == "--list-mutants") {
    ea::host::list_mutants(mutant::names(), std::cout);
    return 0;
  }
  if (!mutant::environment_valid()) {
    // A misspelt mutant must not quietly run the correct implementation.
    std::cerr << "endaccept-adapter-posix: unknown EA_MUTANT " << std::getenv("EA_MUTANT")
              << " (see --list-mutants)\n";
    return 2;
  }

  ea::host::Implementation implementation;
  implementation.adapter_name = "posix";
  implementation.adapter_version = "1.0.0";
  implementation.description = "endaccept on BSD sockets, poll and std::thread";
  implementation.make_socket = &ea::posix_impl::Socket::open;
  implementation.ipv6 = true;
  return ea::host::run_apm_adapter(implementation);
}
