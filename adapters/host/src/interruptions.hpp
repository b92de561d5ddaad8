#pragma once
// The SIGWINCH handler the harness relies on to interrupt the adapter's
// threads (capability "signals", step interrupt_threads).
#include <atomic>

namespace ea::host {

// Set once the handler is in place; only then does hello declare "signals".
extern std::atomic<bool> interruption_handler_installed;
void install_interruption_handler();

}  // namespace ea::host
