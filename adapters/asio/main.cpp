// The adapter executable of the Asio reference (spec/adapter-protocol.md).
#include <asio/version.hpp>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "endaccept/asio_ref/mutant.hpp"
#include "endaccept/asio_ref/socket.hpp"
#include "endaccept/asio_ref/trace.hpp"
#include "endaccept/asio_ref/worker_pool.hpp"
#include "endaccept/host/implementation.hpp"

namespace {

std::string asio_version() {
  return std::to_string(ASIO_VERSION / 100000) + "." + std::to_string(ASIO_VERSION / 100 % 1000) + "." +
         std::to_string(ASIO_VERSION % 100);
}

}  // namespace

int main(int argc, char** argv) {
  namespace asio_ref = ea::asio_ref;
  if (argc > 1 && std::string_view(argv[1]) == "--list-mutants") {
    ea::host::list_mutants(asio_ref::mutant::names(), std::cout);
    return 0;
  }
  if (const char* name = std::getenv("EA_MUTANT"); name && *name && !asio_ref::mutant::from_name(name)) {
    std::cerr << "endaccept-adapter-asio: unknown EA_MUTANT " << name << " (see --list-mutants)\n";
    return 2;
  }

  // Started before the first request, so that its descriptors are not
  // counted against the first socket the harness watches.
  auto& pool = asio_ref::WorkerPool::shared();

  ea::host::Implementation implementation;
  implementation.adapter_name = "asio";
  implementation.adapter_version = "1.0.0";
  implementation.description = "endaccept reference on Asio " + asio_version();
  implementation.make_socket = [&pool](ea::apm::Family family) {
    return std::make_shared<asio_ref::Socket>(pool.context(), family);
  };
  implementation.tracing = asio_ref::trace::set_sink;
  implementation.ipv6 = true;
  return ea::host::run_apm_adapter(implementation);
}
