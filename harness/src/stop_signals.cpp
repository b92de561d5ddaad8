#include "stop_signals.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <initializer_list>

namespace ea::harness {

namespace {

volatile std::sig_atomic_t received_signal = 0;
int wake_pipe[2] = {-1, -1};

void on_stop_signal(int signal) {
  const int saved_errno = errno;
  if (received_signal == 0) received_signal = signal;
  const char byte = 1;
  // Nonblocking: a full pipe is as readable as one byte.
  [[maybe_unused]] const auto written = ::write(wake_pipe[1], &byte, 1);
  errno = saved_errno;
}

}  // namespace

void install_stop_signals() {
  if (wake_pipe[0] < 0 && ::pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) wake_pipe[0] = wake_pipe[1] = -1;
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking call returns EINTR and the caller looks
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
}

int stop_signal() { return received_signal; }

int stop_signal_fd() { return wake_pipe[0]; }

void throw_if_stopped() {
  if (received_signal != 0) throw RunInterrupted{received_signal};
}

}  // namespace ea::harness
