#pragma once
// One adapter process: spawned with pipes on stdin/stdout/stderr in its own
// process group, read line by line with a deadline on every wait.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ea::harness {

using Clock = std::chrono::steady_clock;

struct LaunchSpec {
  std::vector<std::string> argv;
  std::map<std::string, std::string> environment;
};

class AdapterProcess {
 public:
  static constexpr std::size_t kMaxLineBytes = 1024 * 1024;
  static constexpr std::size_t kStderrTailBytes = 4096;

  explicit AdapterProcess(const LaunchSpec& spec);
  ~AdapterProcess();
  AdapterProcess(const AdapterProcess&) = delete;
  AdapterProcess& operator=(const AdapterProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Throws AdapterCrashed when the adapter has gone, AdapterTimedOut on deadline.
  void write_line(const std::string& line, Clock::time_point deadline);
  // Throws AdapterCrashed on EOF, AdapterTimedOut on deadline,
  // ProtocolViolation on a line over kMaxLineBytes.
  std::string read_line(Clock::time_point deadline);

  void close_stdin();
  // Waits for the process to end; false when the deadline passed first.
  bool wait_for_exit(Clock::time_point deadline);
  void kill();
  bool has_exited() const { return exit_status_.has_value(); }
  // "exit status 3", "signal 11 (SIGSEGV)"; empty while running.
  std::string describe_exit() const;
  bool exited_cleanly() const;
  std::string stderr_tail() const { return stderr_tail_; }
  // Kills and reaps what the adapter left running (its group, orphans handed
  // to the runner); once it has been reaped. Returns what was ended this time.
  std::vector<std::string> end_leftovers();

 private:
  void drain(int fd, Clock::time_point deadline, bool until_line);
  void append_stderr(const char* data, std::size_t size);
  bool reap(bool block);

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  int pidfd_ = -1;
  bool exit_seen_ = false;  // ended while its stdout was still open
  std::vector<std::string> leftovers_;
  std::string stdout_buffer_;
  std::string stderr_tail_;
  bool stdout_eof_ = false;
  std::optional<int> exit_status_;  // raw wait status
  bool killed_by_us_ = false;
  bool leftovers_ended_ = false;  // end_leftovers() ran after the adapter was reaped
};

}  // namespace ea::harness
