#include <atomic>
#include <csignal>

#include "endaccept/host/apm_adapter.hpp"
#include "interruptions.hpp"
#include "endaccept/host/implementation.hpp"
#include "endaccept/host/protocol_loop.hpp"

namespace ea::host {

std::atomic<bool> interruption_handler_installed{false};

namespace {

void ignore_interruption(int) {}

// The harness interrupts the adapter's threads with SIGWINCH (capability
// "signals", the step interrupt_threads): with a handler installed, every
// blocking poll() or epoll_wait() in the implementation returns EINTR, which
// a correct implementation retries. SA_RESTART keeps the host's own reads
// going.
}  // namespace

void install_interruption_handler() {
  struct sigaction action {};
  action.sa_handler = ignore_interruption;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  if (::sigaction(SIGWINCH, &action, nullptr) == 0) interruption_handler_installed = true;
}

int run_apm_adapter(const Implementation& implementation) {
  install_interruption_handler();
  ApmAdapter adapter(implementation);
  run_adapter_on_stdio(adapter);
}

}  // namespace ea::host
