// The protocol client against scripted fake adapters (/bin/sh one-liners):
// every way a reply can be wrong maps to the right exception, and no wait
// outlives its deadline.
#include "adapter_session.hpp"

#include <gtest/gtest.h>

#include "protocol_violation.hpp"

namespace ea::harness {
namespace {

using namespace std::chrono_literals;

LaunchSpec shell(const std::string& script) { return {{"/bin/sh", "-c", script}, {{"PATH", "/usr/bin:/bin"}}}; }

// Reads one request line, then prints `reply`.
LaunchSpec replying(const std::string& reply) { return shell("read line; printf '%s\\n' '" + reply + "'; sleep 5"); }

Json ask(AdapterProcess& process, Clock::duration within = 3s) {
  AdapterSession session(process);
  return session.request("close", {{"socket", "L"}}, Clock::now() + within);
}

TEST(AdapterSession, AcceptsAWellFormedReply) {
  AdapterProcess process(replying(R"({"id": 1, "ok": true, "result": {"outcome": {"kind": "Returned"}}})"));
  EXPECT_EQ(ask(process)["outcome"]["kind"], "Returned");
}

TEST(AdapterSession, WrongIdIsAViolation) {
  AdapterProcess process(replying(R"({"id": 7, "ok": true, "result": {}})"));
  EXPECT_THROW(ask(process), ProtocolViolation);
}

TEST(AdapterSession, NonJsonIsAViolation) {
  AdapterProcess process(replying("hello there"));
  EXPECT_THROW(ask(process), ProtocolViolation);
}

TEST(AdapterSession, RefusalIsAViolation) {
  AdapterProcess process(replying(R"({"id": 1, "ok": false, "error": {"code": "unsupported", "message": "no"}})"));
  EXPECT_THROW(ask(process), ProtocolViolation);
}

TEST(AdapterSession, MissingResultIsAViolation) {
  AdapterProcess process(replying(R"({"id": 1, "ok": true})"));
  EXPECT_THROW(ask(process), ProtocolViolation);
}

TEST(AdapterSession, ExitWithoutReplyIsACrash) {
  AdapterProcess process(shell("read line; exit 0"));
  EXPECT_THROW(ask(process), AdapterCrashed);
}

TEST(AdapterSession, SilenceIsATimeoutAtTheDeadline) {
  AdapterProcess process(shell("sleep 30"));
  const auto started = Clock::now();
  EXPECT_THROW(ask(process, 300ms), AdapterTimedOut);
  EXPECT_GE(Clock::now() - started, 300ms);  // one-sided: it waited at least the deadline
}

TEST(AdapterSession, AnOverlongLineIsAViolation) {
  AdapterProcess process(shell("read line; head -c 2000000 /dev/zero | tr '\\0' 'x'; sleep 5"));
  EXPECT_THROW(ask(process, 10s), ProtocolViolation);
}

TEST(AdapterSession, HelloMustDeclareItself) {
  AdapterProcess process(replying(R"({"id": 1, "ok": true, "result": {"protocol": 1, "capabilities": []}})"));
  AdapterSession session(process);
  EXPECT_THROW(session.hello(Clock::now() + 3s), ProtocolViolation);
}

TEST(AdapterProcess, ReportsTheSignalThatKilledIt) {
  AdapterProcess process(shell("kill -SEGV $$"));
  ASSERT_TRUE(process.wait_for_exit(Clock::now() + 5s));
  EXPECT_NE(process.describe_exit().find("SIGSEGV"), std::string::npos) << process.describe_exit();
  EXPECT_FALSE(process.exited_cleanly());
}

TEST(AdapterProcess, KeepsTheTailOfStderr) {
  AdapterProcess process(shell("echo 'last words' >&2; exit 3"));
  ASSERT_TRUE(process.wait_for_exit(Clock::now() + 5s));
  EXPECT_NE(process.stderr_tail().find("last words"), std::string::npos);
  EXPECT_EQ(process.describe_exit(), "exit status 3");
}

}  // namespace
}  // namespace ea::harness
