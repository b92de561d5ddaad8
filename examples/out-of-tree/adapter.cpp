// The adapter of "mylib": the host library (endaccept::adapter_host) runs the
// protocol; this file only says how to make a socket. Here mylib is the
// suite's Asio reference (endaccept::asio_ref) standing in for your own
// implementation of ea::apm::Socket and ea::apm::AsyncResult
// (include/endaccept/apm/).
#include <memory>

#include "endaccept/asio_ref/socket.hpp"
#include "endaccept/asio_ref/worker_pool.hpp"
#include "endaccept/host/implementation.hpp"

int main() {
  // Started before the first request, so that its threads' descriptors are
  // not counted against the first socket the suite watches.
  auto& pool = ea::asio_ref::WorkerPool::shared();

  ea::host::Implementation implementation;
  implementation.adapter_name = "mylib";
  implementation.adapter_version = "0.1.0";
  implementation.description = "mylib (the endaccept Asio reference, built out of tree)";
  implementation.make_socket = [&pool](ea::apm::Family family) {
    return std::make_shared<ea::asio_ref::Socket>(pool.context(), family);
  };
  implementation.ipv6 = true;
  return ea::host::run_apm_adapter(implementation);
}
