#include "adapter_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "leftover_processes.hpp"
#include "protocol_violation.hpp"
#include "stop_signals.hpp"
#include "untrusted_text.hpp"

extern char** environ;

namespace ea::harness {

namespace {

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 60'000));
}

void set_nonblocking_cloexec(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

}  // namespace

AdapterProcess::AdapterProcess(const LaunchSpec& spec) {
  if (spec.argv.empty()) throw std::invalid_argument("adapter command is empty");
  int in[2], out[2], err[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0 || ::pipe(err) != 0) throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) posix_spawn_file_actions_addclose(&actions, fd);
  // Cases run on several threads at once (scheduler.hpp): without this, an
  // adapter would inherit another case's pipes and client sockets, opened
  // between their creation and FD_CLOEXEC, and keep them open past their end.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  // Its own process group (setpgid(0, 0) in the child, before exec), so that
  // whatever it starts can be found and ended with it.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t default_signals, empty;
  sigemptyset(&empty);
  sigfillset(&default_signals);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  posix_spawnattr_setsigmask(&attributes, &empty);

  std::vector<std::string> env_strings;
  for (const auto& [key, value] : spec.environment) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = spec.argv;
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);

  int rc = 0;
  spawn_registered_adapter([&] {
    rc = ::posix_spawnp(&pid_, argv[0], &actions, &attributes, argv.data(), envp.data());
    return rc == 0 ? pid_ : pid_t(-1);
  });
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    ::close(err[0]);
    throw AdapterCrashed("cannot start adapter '" + spec.argv[0] + "': " + std::strerror(rc));
  }
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_}) set_nonblocking_cloexec(fd);
  // A pidfd makes the exit an event to poll, even while another process
  // still holds the adapter's pipes open.
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd_ >= 0) ::fcntl(pidfd_, F_SETFD, FD_CLOEXEC);
}

AdapterProcess::~AdapterProcess() {
  // finish() already ended what the reaped adapter left (nothing of its can
  // start after that: its group was empty or killed); look again only if it
  // did not run, or the adapter had to be ended here.
  bool look = !leftovers_ended_;
  if (!has_exited()) {
    kill();
    reap(true);
    look = true;
  }
  if (look) end_leftovers();
  for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_, pidfd_})
    if (fd >= 0) ::close(fd);
}

std::vector<std::string> AdapterProcess::end_leftovers() {
  if (pid_ <= 0) return {};
  unregister_adapter(pid_);
  auto ended = end_processes_left_behind(pid_);
  leftovers_ended_ = has_exited();
  leftovers_.insert(leftovers_.end(), ended.begin(), ended.end());
  return ended;
}

void AdapterProcess::write_line(const std::string& line, Clock::time_point deadline) {
  std::string data = line + "\n";
  std::size_t written = 0;
  while (written < data.size()) {
    if (stdin_fd_ < 0) throw AdapterCrashed("adapter stdin is closed");
    const ssize_t n = ::write(stdin_fd_, data.data() + written, data.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EPIPE) throw AdapterCrashed("adapter closed its stdin");
    if (n < 0 && errno != EAGAIN && errno != EINTR) throw AdapterCrashed(std::string("write to adapter: ") + std::strerror(errno));
    pollfd fds[2] = {{stdin_fd_, POLLOUT, 0}, {stop_signal_fd(), POLLIN, 0}};
    if (remaining_ms(deadline) == 0) throw AdapterTimedOut("adapter does not read its stdin");
    ::poll(fds, 2, remaining_ms(deadline));
    throw_if_stopped();
    drain(stderr_fd_, Clock::now(), false);
  }
}

std::string AdapterProcess::read_line(Clock::time_point deadline) {
  for (;;) {
    const auto newline = stdout_buffer_.find('\n');
    if (newline != std::string::npos) {
      if (newline > kMaxLineBytes) throw ProtocolViolation("reply line longer than 1 MiB");
      std::string line = stdout_buffer_.substr(0, newline);
      stdout_buffer_.erase(0, newline + 1);
      return line;
    }
    if (stdout_buffer_.size() > kMaxLineBytes) throw ProtocolViolation("reply line longer than 1 MiB");
    if (stdout_eof_) throw AdapterCrashed("adapter closed its stdout");
    if (exit_seen_) throw AdapterCrashed("adapter ended, its stdout still held open by a process it started");
    if (Clock::now() >= deadline) throw AdapterTimedOut("no reply");
    drain(stdout_fd_, deadline, true);
    if (!exit_seen_ && reap(false)) {
      // What it wrote before it ended is still in the pipe: read that first.
      std::size_t before;
      do {
        before = stdout_buffer_.size();
        drain(stdout_fd_, Clock::now(), false);
      } while (stdout_buffer_.size() != before && stdout_buffer_.size() <= kMaxLineBytes && !stdout_eof_);
      exit_seen_ = true;
    }
  }
}

void AdapterProcess::drain(int primary, Clock::time_point deadline, bool until_line) {
  // The pidfd and the stop signal only wake the poll; the callers look at them.
  pollfd fds[4] = {{primary, POLLIN, 0}, {stderr_fd_, POLLIN, 0}, {pidfd_, POLLIN, 0}, {stop_signal_fd(), POLLIN, 0}};
  const nfds_t count = (primary == stderr_fd_ || stderr_fd_ < 0) ? 1 : 2;
  if (count == 1) fds[1].fd = -1;  // poll ignores negative descriptors
  if (exit_seen_ || has_exited()) fds[2].fd = -1;
  const int ready = ::poll(fds, 4, until_line ? remaining_ms(deadline) : 0);
  throw_if_stopped();
  if (ready <= 0) return;
  char chunk[65536];
  for (nfds_t i = 0; i < count; ++i) {
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    const ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
    if (fds[i].fd == stdout_fd_) {
      if (n > 0) stdout_buffer_.append(chunk, static_cast<std::size_t>(n));
      else if (n == 0) stdout_eof_ = true;
    } else if (n > 0) {
      append_stderr(chunk, static_cast<std::size_t>(n));
    } else if (n == 0) {
      ::close(stderr_fd_);
      stderr_fd_ = -1;
      return;
    }
  }
}

void AdapterProcess::append_stderr(const char* data, std::size_t size) {
  stderr_tail_.append(data, size);
  // The cut lands on a character boundary, so the tail is as readable as what was written.
  if (stderr_tail_.size() > kStderrTailBytes) stderr_tail_ = std::string(utf8_suffix(stderr_tail_, kStderrTailBytes));
}

void AdapterProcess::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

bool AdapterProcess::reap(bool block) {
  if (exit_status_) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r == pid_) {
    exit_status_ = status;
    return true;
  }
  return false;
}

bool AdapterProcess::wait_for_exit(Clock::time_point deadline) {
  while (!reap(false)) {
    if (Clock::now() >= deadline) return false;
    pollfd fds[3] = {{pidfd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}, {stop_signal_fd(), POLLIN, 0}};
    if (pidfd_ >= 0) {
      ::poll(fds, 3, std::min(remaining_ms(deadline), 200));
    } else {
      ::poll(nullptr, 0, 10);
    }
    throw_if_stopped();
    drain(stderr_fd_ >= 0 ? stderr_fd_ : stdout_fd_, Clock::now(), false);
  }
  // Whatever the adapter printed last is the most useful part of a crash. A
  // process it started may hold stderr open and keep writing: the grace
  // bounds the reading, whatever arrives.
  const auto drain_until = std::min(deadline, Clock::now() + std::chrono::milliseconds(500));
  while (stderr_fd_ >= 0 && Clock::now() < drain_until) {
    const auto before = stderr_tail_.size();
    drain(stderr_fd_, std::min(drain_until, Clock::now() + std::chrono::milliseconds(50)), true);
    if (stderr_fd_ >= 0 && stderr_tail_.size() == before) break;
  }
  return true;
}

void AdapterProcess::kill() {
  if (has_exited() || pid_ <= 0) return;
  killed_by_us_ = true;
  // Descendants first: once the adapter is gone, those that left its group
  // could only be found again through the subreaper.
  for (const pid_t descendant : descendants_of(pid_)) ::kill(descendant, SIGKILL);
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
}

bool AdapterProcess::exited_cleanly() const {
  return exit_status_ && WIFEXITED(*exit_status_) && WEXITSTATUS(*exit_status_) == 0;
}

std::string AdapterProcess::describe_exit() const {
  if (!exit_status_) return "";
  if (WIFEXITED(*exit_status_)) return "exit status " + std::to_string(WEXITSTATUS(*exit_status_));
  if (WIFSIGNALED(*exit_status_)) {
    const int signal = WTERMSIG(*exit_status_);
    const char* name = sigabbrev_np(signal);
    return "signal " + std::to_string(signal) + (name ? std::string(" (SIG") + name + ")" : "") +
           (killed_by_us_ ? ", sent by the harness" : "");
  }
  return "wait status " + std::to_string(*exit_status_);
}

}  // namespace ea::harness
