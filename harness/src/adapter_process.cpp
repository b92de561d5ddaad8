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

#include "protocol_violation.hpp"

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

  // Its own process group, so a hung adapter's helpers die with it.
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

  const int rc = ::posix_spawnp(&pid_, argv[0], &actions, &attributes, argv.data(), envp.data());
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
}

AdapterProcess::~AdapterProcess() {
  if (!has_exited()) {
    kill();
    reap(true);
  }
  for (int fd : {stdin_fd_, stdout_fd_, stderr_fd_})
    if (fd >= 0) ::close(fd);
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
    pollfd p{stdin_fd_, POLLOUT, 0};
    if (remaining_ms(deadline) == 0) throw AdapterTimedOut("adapter does not read its stdin");
    ::poll(&p, 1, remaining_ms(deadline));
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
    if (Clock::now() >= deadline) throw AdapterTimedOut("no reply");
    drain(stdout_fd_, deadline, true);
  }
}

void AdapterProcess::drain(int primary, Clock::time_point deadline, bool until_line) {
  pollfd fds[2] = {{primary, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
  const nfds_t count = (primary == stderr_fd_ || stderr_fd_ < 0) ? 1 : 2;
  const int ready = ::poll(fds, count, until_line ? remaining_ms(deadline) : 0);
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
  if (stderr_tail_.size() > kStderrTailBytes) stderr_tail_.erase(0, stderr_tail_.size() - kStderrTailBytes);
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
  // A pidfd makes the exit an event to poll instead of a loop of sleeps.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  while (!reap(false)) {
    if (Clock::now() >= deadline) {
      if (pidfd >= 0) ::close(pidfd);
      return false;
    }
    pollfd fds[2] = {{pidfd, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
    if (pidfd >= 0) {
      ::poll(fds, stderr_fd_ >= 0 ? 2 : 1, std::min(remaining_ms(deadline), 200));
    } else {
      ::poll(nullptr, 0, 10);
    }
    drain(stderr_fd_ >= 0 ? stderr_fd_ : stdout_fd_, Clock::now(), false);
  }
  if (pidfd >= 0) ::close(pidfd);
  // Whatever the adapter printed last is the most useful part of a crash.
  while (stderr_fd_ >= 0) {
    const auto before = stderr_tail_.size();
    drain(stderr_fd_, Clock::now() + std::chrono::milliseconds(50), true);
    if (stderr_fd_ >= 0 && stderr_tail_.size() == before) break;
  }
  return true;
}

void AdapterProcess::kill() {
  if (has_exited() || pid_ <= 0) return;
  killed_by_us_ = true;
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
