// The step interpreter judged against the reference adapter and its
// mutants: a correct implementation passes a step, a broken one is caught by
// the step that describes what it broke, with a message that says so.
#include "step_interpreter.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace ea::harness {
namespace {

using namespace std::chrono_literals;

class Interpreter {
 public:
  explicit Interpreter(const std::string& mutant = "")
      : process_(launch(mutant)), session_(process_), interpreter_(session_, process_, timing_, Clock::now() + 60s) {
    session_.hello(Clock::now() + 10s);
  }

  void run(const char* step_json) {
    StepRecord record;
    interpreter_.run(Json::parse(step_json), record);
  }

  std::string failure(const char* step_json) {
    try {
      run(step_json);
    } catch (const StepFailed& failed) {
      return failed.what();
    }
    ADD_FAILURE() << "the step passed: " << step_json;
    return "";
  }

 private:
  static LaunchSpec launch(const std::string& mutant) {
    LaunchSpec spec{{ENDACCEPT_ASIO_ADAPTER}, {{"PATH", "/usr/bin:/bin"}}};
    if (!mutant.empty()) spec.environment["EA_MUTANT"] = mutant;
    return spec;
  }

  Timing timing_;
  AdapterProcess process_;
  AdapterSession session_;
  StepInterpreter interpreter_;
};

TEST(StepInterpreter, ACorrectAcceptPassesEveryStep) {
  Interpreter steps;
  steps.run(R"({"op": "listen", "socket": "L"})");
  steps.run(R"({"op": "begin_accept", "socket": "L", "result": "r1"})");
  steps.run(R"({"op": "end_accept", "socket": "L", "result": "r1", "as": "a1", "in_background": "t1"})");
  steps.run(R"({"op": "expect_blocked", "task": "t1"})");
  steps.run(R"({"op": "connect", "client": "c1", "to": "L"})");
  steps.run(R"({"op": "await", "task": "t1", "expect": "Socket"})");
  steps.run(R"({"op": "expect_connected", "socket": "a1", "client": "c1", "listener": "L"})");
  steps.run(R"({"op": "exchange", "socket": "a1", "client": "c1"})");
}

TEST(StepInterpreter, AnOutcomeOtherThanExpectedFailsWithBoth) {
  Interpreter steps;
  steps.run(R"({"op": "listen", "socket": "L"})");
  const auto message = steps.failure(R"({"op": "end_accept", "socket": "L", "result": null, "expect": "Argument"})");
  EXPECT_NE(message.find("expected Argument, observed ArgumentNull"), std::string::npos) << message;
}

TEST(StepInterpreter, AnEndAcceptThatDoesNotBlockFailsTheHold) {
  Interpreter steps("end-returns-immediately");
  steps.run(R"({"op": "listen", "socket": "L"})");
  steps.run(R"({"op": "begin_accept", "socket": "L", "result": "r1"})");
  steps.run(R"({"op": "end_accept", "socket": "L", "result": "r1", "in_background": "t1"})");
  const auto message = steps.failure(R"({"op": "expect_blocked", "task": "t1"})");
  EXPECT_NE(message.find("before the hold period"), std::string::npos) << message;
}

TEST(StepInterpreter, ReturningTheListenerIsNotAConnectedSocket) {
  Interpreter steps("returns-listener");
  steps.run(R"({"op": "listen", "socket": "L"})");
  steps.run(R"({"op": "begin_accept", "socket": "L", "result": "r1"})");
  steps.run(R"({"op": "connect", "client": "c1", "to": "L"})");
  steps.run(R"({"op": "end_accept", "socket": "L", "result": "r1", "as": "a1", "expect": "Socket"})");
  const auto message = steps.failure(R"({"op": "expect_connected", "socket": "a1", "client": "c1", "listener": "L"})");
  EXPECT_NE(message.find("the listener itself"), std::string::npos) << message;
}

TEST(StepInterpreter, BothRacingEndsSucceedingIsCaughtWhateverTheOrder) {
  Interpreter steps("end-once-racy");
  steps.run(R"({"op": "listen", "socket": "L"})");
  steps.run(R"({"op": "begin_accept", "socket": "L", "result": "r1"})");
  steps.run(R"({"op": "end_accept", "socket": "L", "result": "r1", "in_background": "t1"})");
  steps.run(R"({"op": "end_accept", "socket": "L", "result": "r1", "in_background": "t2"})");
  steps.run(R"({"op": "connect", "client": "c1", "to": "L"})");
  const auto message = steps.failure(
      R"({"op": "await_all", "tasks": ["t1", "t2"], "expect_each_of": ["InvalidOperation", "Socket"]})");
  EXPECT_NE(message.find("observed Socket, Socket"), std::string::npos) << message;
}

TEST(StepInterpreter, ASecondCallbackIsSeenDuringTheHold) {
  Interpreter steps("callback-twice");
  steps.run(R"({"op": "listen", "socket": "L"})");
  steps.run(R"({"op": "begin_accept", "socket": "L", "result": "r1", "state": {"socket": "L"}, "callback": "record"})");
  steps.run(R"({"op": "connect", "client": "c1", "to": "L"})");
  const auto message = steps.failure(R"({"op": "expect_callback", "result": "r1", "calls": 1})");
  EXPECT_NE(message.find("ran 2 time(s)"), std::string::npos) << message;
}

TEST(StepInterpreter, ALeakedDescriptorIsCountedAgainstTheBaseline) {
  Interpreter steps("leak-on-close");
  steps.run(R"({"op": "snapshot_descriptors", "as": "base"})");
  steps.run(R"({"op": "listen", "socket": "L"})");
  steps.run(R"({"op": "begin_accept", "socket": "L", "result": "r1"})");
  steps.run(R"({"op": "connect", "client": "c1", "to": "L"})");
  steps.run(R"({"op": "expect_wait_handle", "result": "r1", "signalled": true})");
  steps.run(R"({"op": "close", "socket": "L"})");
  const auto message = steps.failure(R"({"op": "expect_descriptors", "same_as": "base", "within_ms": 300})");
  EXPECT_NE(message.find("1 descriptor(s) leaked"), std::string::npos) << message;
}

}  // namespace
}  // namespace ea::harness
