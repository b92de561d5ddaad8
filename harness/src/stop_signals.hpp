#pragma once
// SIGINT, SIGTERM and SIGHUP end a run: the adapter of the running case and
// everything it started are killed, no report is written, and the runner
// exits 128 + the signal (130, 143, 129).
namespace ea::harness {

// Not a std::exception, so that no handler meant for a failed step or
// probe swallows it on the way out.
struct RunInterrupted {
  int signal;
};

void install_stop_signals();
// 0 while no stop signal has arrived.
int stop_signal();
// Readable once a stop signal has arrived (and from then on), so that any
// poll that includes it wakes up.
int stop_signal_fd();
void throw_if_stopped();

}  // namespace ea::harness
