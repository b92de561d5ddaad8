// The recording rule of spec/adapter-protocol.md, "begin_accept".
#include <gtest/gtest.h>

#include "adapter_session.hpp"
#include "endaccept/host/apm_adapter.hpp"
#include "fake_apm.hpp"

namespace ea::test {
namespace {

class CallbackRecording : public ::testing::TestWithParam<CallbackTiming> {
 protected:
  void SetUp() override { session_.call("listen", {{"socket", "L"}, {"family", "ipv4"}}); }

  Json begin(Json args) {
    args["socket"] = "L";
    args["result"] = "r1";
    return session_.call("begin_accept", std::move(args));
  }

  Json first_invocation() {
    const auto info = session_.call("callback_info", {{"result", "r1"}, {"min_calls", 1}, {"timeout_ms", 5000}});
    EXPECT_EQ(info["calls"], 1);
    return info["invocations"].at(0);
  }

  host::ApmAdapter adapter_{fake_implementation(GetParam())};
  AdapterSession session_{adapter_};
};

TEST_P(CallbackRecording, TellsWhetherTheCallbackRanInsideBeginAccept) {
  begin({{"state", nullptr}, {"callback", "record"}});
  const auto invocation = first_invocation();
  const bool inline_call = GetParam() == CallbackTiming::inline_in_begin;
  EXPECT_EQ(invocation["on_begin_thread"], inline_call);
  EXPECT_EQ(invocation["begin_returned"], !inline_call);
  EXPECT_EQ(invocation["same_result"], true);
  EXPECT_FALSE(invocation.contains("end_outcome"));
}

TEST_P(CallbackRecording, DescribesAsyncStateByIdentity) {
  begin({{"state", {{"socket", "L"}}}, {"callback", "record"}});
  EXPECT_EQ(first_invocation()["async_state"], Json({{"socket", "L"}}));
  EXPECT_EQ(session_.call("result_info", {{"result", "r1"}})["async_state"], Json({{"socket", "L"}}));

  session_.call("begin_accept", {{"socket", "L"}, {"result", "r2"}, {"state", {{"object", "token-1"}}}, {"callback", "none"}});
  EXPECT_EQ(session_.call("result_info", {{"result", "r2"}})["async_state"], Json({{"object", "token-1"}}));

  session_.call("begin_accept", {{"socket", "L"}, {"result", "r3"}, {"state", nullptr}, {"callback", "none"}});
  EXPECT_TRUE(session_.call("result_info", {{"result", "r3"}})["async_state"].is_null());
}

TEST_P(CallbackRecording, EndInCallbackNamesTheSocketAndStartsReceiving) {
  begin({{"state", {{"socket", "L"}}}, {"callback", "end_in_callback"}, {"accept_as", "a1"}, {"receive", 5}});
  EXPECT_EQ(first_invocation()["end_outcome"]["kind"], "Socket");
  EXPECT_EQ(session_.call("socket_info", {{"socket", "a1"}})["connected"], true);
  EXPECT_EQ(session_.call("collect_received", {{"socket", "a1"}, {"count", 5}, {"timeout_ms", 5000}})["data"], "hello");
}

TEST_P(CallbackRecording, EndInCallbackWithoutASocketStateReportsOther) {
  begin({{"state", nullptr}, {"callback", "end_in_callback"}, {"accept_as", "a1"}});
  EXPECT_EQ(first_invocation()["end_outcome"]["kind"], "Other");
}

TEST_P(CallbackRecording, NoCallbackMeansNoCalls) {
  begin({{"state", nullptr}, {"callback", "none"}});
  const auto info = session_.call("callback_info", {{"result", "r1"}, {"min_calls", 0}, {"timeout_ms", 0}});
  EXPECT_EQ(info["calls"], 0);
}

INSTANTIATE_TEST_SUITE_P(Timing, CallbackRecording,
                         ::testing::Values(CallbackTiming::inline_in_begin, CallbackTiming::worker_thread),
                         [](const auto& info) {
                           return info.param == CallbackTiming::inline_in_begin ? "Inline" : "WorkerThread";
                         });

}  // namespace
}  // namespace ea::test
