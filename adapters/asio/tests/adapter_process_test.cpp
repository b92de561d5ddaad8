// The adapter executable as the harness sees it: a child process speaking
// the protocol on its standard streams.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "endaccept/asio_ref/mutant.hpp"

extern char** environ;

namespace ea::test {
namespace {

using namespace std::chrono_literals;

class AdapterProcess {
 public:
  explicit AdapterProcess(std::vector<std::string> arguments = {}, std::vector<std::string> environment = {}) {
    int to_child[2];
    int from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
    ::posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);

    arguments.insert(arguments.begin(), ENDACCEPT_ADAPTER_ASIO);
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    environment.push_back("PATH=/usr/bin:/bin");
    std::vector<char*> envp;
    for (auto& variable : environment) envp.push_back(variable.data());
    envp.push_back(nullptr);

    const int error = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(to_child[0]);
    ::close(from_child[1]);
    stdin_ = to_child[1];
    stdout_ = from_child[0];
    if (error != 0) throw std::runtime_error("posix_spawn");
  }

  ~AdapterProcess() {
    close_stdin();
    if (stdout_ >= 0) ::close(stdout_);
    if (!status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void send_line(const std::string& line) {
    const std::string framed = line + "\n";
    ASSERT_EQ(::write(stdin_, framed.data(), framed.size()), static_cast<ssize_t>(framed.size()));
  }

  // The next line of output; empty at the deadline or end of output.
  std::string read_line(std::chrono::milliseconds deadline = 5s) {
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      if (const auto end = buffer_.find('\n'); end != std::string::npos) {
        auto line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now());
      pollfd readable{stdout_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0) return {};
      char chunk[4096];
      const auto received = ::read(stdout_, chunk, sizeof chunk);
      if (received <= 0) return {};
      buffer_.append(chunk, static_cast<std::size_t>(received));
    }
  }

  void close_stdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }

  // The exit status, if the process exited before the deadline.
  std::optional<int> wait_for_exit(std::chrono::milliseconds deadline = 5s) {
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    while (!status_ && std::chrono::steady_clock::now() < give_up) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = status;
      } else {
        std::this_thread::sleep_for(5ms);
      }
    }
    if (!status_ || !WIFEXITED(*status_)) return std::nullopt;
    return WEXITSTATUS(*status_);
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string buffer_;
  std::optional<int> status_;
};

TEST(AdapterProcess, ExitsWithZeroAtEndOfInputEvenWhileEndAcceptBlocks) {
  AdapterProcess adapter;
  adapter.send_line(R"({"id":1,"op":"hello","args":{"protocol":1}})");
  EXPECT_NE(adapter.read_line().find(R"("id":1,"ok":true)"), std::string::npos);
  adapter.send_line(R"({"id":2,"op":"listen","args":{"socket":"L","family":"ipv4","backlog":16}})");
  adapter.send_line(R"({"id":3,"op":"begin_accept","args":{"socket":"L","result":"r1","state":null,"callback":"none"}})");
  adapter.send_line(R"({"id":4,"op":"end_accept","args":{"socket":"L","result":"r1","as":"a1","task":"t1"}})");
  for (int id = 2; id <= 4; ++id) EXPECT_NE(adapter.read_line().find(R"("ok":true)"), std::string::npos);

  adapter.close_stdin();
  EXPECT_EQ(adapter.wait_for_exit(), 0);
}

TEST(AdapterProcess, ListsEveryMutant) {
  AdapterProcess adapter({"--list-mutants"});
  for (const auto& [name, family] : asio_ref::mutant::names()) {
    EXPECT_FALSE(family.empty()) << name;
    EXPECT_EQ(adapter.read_line(), std::string(name) + "\t" + std::string(family));
  }
  EXPECT_EQ(adapter.read_line(), "");
  EXPECT_EQ(adapter.wait_for_exit(), 0);
}

TEST(AdapterProcess, RefusesAnUnknownMutant) {
  AdapterProcess adapter({}, {"EA_MUTANT=no-such-mutant"});
  EXPECT_EQ(adapter.wait_for_exit(), 2);
}

}  // namespace
}  // namespace ea::test
