#include "endaccept/host/apm_adapter.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>

#include "adapter_session.hpp"
#include "fake_apm.hpp"

namespace ea::test {
namespace {

class ApmAdapterTest : public ::testing::Test {
 protected:
  void listen_and_accept(const std::string& result) {
    session_.call("listen", {{"socket", "L"}, {"family", "ipv4"}});
    session_.call("begin_accept", {{"socket", "L"}, {"result", result}, {"state", nullptr}, {"callback", "none"}});
  }

  host::ApmAdapter adapter_{fake_implementation(CallbackTiming::worker_thread)};
  AdapterSession session_{adapter_};
};

TEST_F(ApmAdapterTest, HelloDeclaresTheCapabilitiesOfTheImplementation) {
  const auto hello = session_.call("hello", {{"protocol", 1}});
  EXPECT_EQ(hello["protocol"], 1);
  EXPECT_EQ(hello["adapter"]["name"], "fake");
  EXPECT_EQ(hello["capabilities"], Json({"ipv6", "foreign-other-operation", "foreign-caller-made"}));
  EXPECT_EQ(hello["platform"]["supported"], true);
}

TEST_F(ApmAdapterTest, EndAcceptNamesTheAcceptedSocket) {
  listen_and_accept("r1");
  const auto end = session_.call("end_accept", {{"socket", "L"}, {"result", "r1"}, {"as", "a1"}});
  EXPECT_EQ(end["outcome"]["kind"], "Socket");
  const auto info = session_.call("socket_info", {{"socket", "a1"}});
  EXPECT_EQ(info["connected"], true);
  EXPECT_EQ(info["remote"]["address"], "127.0.0.1");
}

TEST_F(ApmAdapterTest, NullResultIsPassedAsNull) {
  listen_and_accept("r1");
  const auto end = session_.call("end_accept", {{"socket", "L"}, {"result", nullptr}, {"as", "a1"}});
  EXPECT_EQ(end["outcome"]["kind"], "ArgumentNull");
}

TEST_F(ApmAdapterTest, EndAcceptAsTaskIsAwaited) {
  listen_and_accept("r1");
  EXPECT_EQ(session_.call("end_accept", {{"socket", "L"}, {"result", "r1"}, {"as", "a1"}, {"task", "t1"}})["started"], true);
  const auto done = session_.call("await_task", {{"task", "t1"}, {"timeout_ms", 5000}});
  EXPECT_EQ(done["done"], true);
  EXPECT_EQ(done["outcome"]["kind"], "Socket");
}

TEST_F(ApmAdapterTest, ForeignResultsAreStoredAndPassedThrough) {
  listen_and_accept("r1");
  session_.call("make_foreign_result", {{"result", "f1"}, {"kind", "caller-made"}});
  session_.call("make_foreign_result", {{"result", "f2"}, {"kind", "other-operation"}, {"port", 40000}});
  EXPECT_EQ(session_.call("end_accept", {{"socket", "L"}, {"result", "f1"}})["outcome"]["kind"], "Argument");
  EXPECT_EQ(session_.call("end_accept", {{"socket", "L"}, {"result", "f2"}})["outcome"]["kind"], "Argument");
  EXPECT_EQ(session_.call("result_info", {{"result", "f1"}})["is_completed"], true);
  EXPECT_EQ(session_.call("callback_info", {{"result", "f1"}, {"min_calls", 0}, {"timeout_ms", 0}})["calls"], 0);
}

TEST_F(ApmAdapterTest, ReceiveKeepsWhatAnEarlierRequestDidNotTake) {
  listen_and_accept("r1");
  session_.call("end_accept", {{"socket", "L"}, {"result", "r1"}, {"as", "a1"}});
  EXPECT_EQ(session_.call("receive", {{"socket", "a1"}, {"count", 3}, {"timeout_ms", 5000}})["data"], "hel");
  const auto rest = session_.call("receive", {{"socket", "a1"}, {"count", 5}, {"timeout_ms", 5000}});
  EXPECT_EQ(rest["data"], "lo");
  EXPECT_EQ(rest["outcome"]["kind"], "Returned");
}

TEST_F(ApmAdapterTest, SendTakesLatin1Text) {
  listen_and_accept("r1");
  session_.call("end_accept", {{"socket", "L"}, {"result", "r1"}, {"as", "a1"}});
  EXPECT_EQ(session_.call("send", {{"socket", "a1"}, {"data", "caf\u00e9"}})["sent"], 4);
  EXPECT_EQ(session_.request("send", {{"socket", "a1"}, {"data", "\u20ac"}})["error"]["code"], "bad_request");
}

TEST_F(ApmAdapterTest, TracingIsUnsupportedWithoutTraceControl) {
  EXPECT_EQ(session_.request("set_tracing", {{"enabled", true}})["error"]["code"], "unsupported");
}

TEST(ApmAdapterTracing, CapturesLinesSinceEnabled) {
  auto implementation = fake_implementation(CallbackTiming::worker_thread);
  apm::TraceSink installed;
  std::mutex mutex;
  implementation.tracing = [&](apm::TraceSink sink) {
    std::lock_guard lock(mutex);
    installed = std::move(sink);
  };
  host::ApmAdapter adapter(implementation);
  AdapterSession session(adapter);
  EXPECT_EQ(session.call("hello", {{"protocol", 1}})["capabilities"].back(), "tracing");
  session.call("set_tracing", {{"enabled", true}});
  {
    std::lock_guard lock(mutex);
    ASSERT_TRUE(installed);
    installed("Accept: something");
  }
  EXPECT_EQ(session.call("trace_events", Json::object())["events"], Json({"Accept: something"}));
  session.call("set_tracing", {{"enabled", false}});
  std::lock_guard lock(mutex);
  EXPECT_FALSE(installed);
}

}  // namespace
}  // namespace ea::test
