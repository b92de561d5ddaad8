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

TEST_P(CallbackRecording, BeginAgainEndsThenBeginsOnTheSameListenerWithARecordingCallback) {
  begin({{"state", {{"socket", "L"}}}, {"callback", "begin_again"}, {"accept_as", "a1"}, {"next_result", "r2"}});
  const auto invocation = first_invocation();
  EXPECT_EQ(invocation["end_outcome"]["kind"], "Socket");
  EXPECT_EQ(invocation["begin_outcome"], Json({{"kind", "Returned"}}));
  EXPECT_FALSE(invocation.contains("close_outcome"));
  EXPECT_EQ(session_.call("socket_info", {{"socket", "a1"}})["connected"], true);

  // The nested BeginAccept: same AsyncState, a recording callback of its own.
  EXPECT_EQ(session_.call("result_info", {{"result", "r2"}})["async_state"], Json({{"socket", "L"}}));
  const auto nested = session_.call("callback_info", {{"result", "r2"}, {"min_calls", 1}, {"timeout_ms", 5000}});
  ASSERT_EQ(nested["calls"], 1);
  EXPECT_EQ(nested["invocations"][0]["same_result"], true);
  EXPECT_EQ(nested["invocations"][0]["async_state"], Json({{"socket", "L"}}));
  EXPECT_FALSE(nested["invocations"][0].contains("end_outcome"));
  EXPECT_EQ(session_.call("end_accept", {{"socket", "L"}, {"result", "r2"}})["outcome"]["kind"], "Socket");
}

TEST_P(CallbackRecording, BeginAgainWithoutASocketStateReportsEveryCallItCouldNotMake) {
  begin({{"state", nullptr}, {"callback", "begin_again"}, {"accept_as", "a1"}, {"next_result", "r2"}});
  const auto invocation = first_invocation();
  EXPECT_EQ(invocation["end_outcome"]["kind"], "Other");
  EXPECT_EQ(invocation["begin_outcome"]["kind"], "Other");
  EXPECT_EQ(session_.request("result_info", {{"result", "r2"}})["error"]["code"], "unknown_name");
}

TEST_P(CallbackRecording, CloseListenerEndsThenClosesFromInsideTheCallback) {
  begin({{"state", {{"socket", "L"}}}, {"callback", "close_listener"}, {"accept_as", "a1"}});
  const auto invocation = first_invocation();
  EXPECT_EQ(invocation["end_outcome"]["kind"], "Socket");
  EXPECT_EQ(invocation["close_outcome"], Json({{"kind", "Returned"}}));
  EXPECT_FALSE(invocation.contains("begin_outcome"));
  EXPECT_EQ(session_.call("socket_info", {{"socket", "a1"}})["connected"], true);
  const auto after = session_.call("begin_accept", {{"socket", "L"}, {"result", "r2"}, {"state", nullptr}, {"callback", "none"}});
  EXPECT_EQ(after["outcome"]["kind"], "ObjectDisposed");
}

TEST_P(CallbackRecording, CloseListenerWithoutAcceptAsStillEnds) {
  begin({{"state", {{"socket", "L"}}}, {"callback", "close_listener"}});
  const auto invocation = first_invocation();
  EXPECT_EQ(invocation["end_outcome"]["kind"], "Socket");
  EXPECT_EQ(invocation["close_outcome"]["kind"], "Returned");
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

// forget_state: after it, only the implementation holds the state object, so
// an implementation holding AsyncState weakly is seen to lose it.
class ForgetState : public ::testing::TestWithParam<CallbackTiming> {
 protected:
  explicit ForgetState(StateHolding holding = StateHolding::strong) : adapter_(fake_implementation(GetParam(), holding)) {
    session_.call("listen", {{"socket", "L"}, {"family", "ipv4"}});
  }

  void begin_with_token(const char* result) {
    session_.call("begin_accept",
                  {{"socket", "L"}, {"result", result}, {"state", {{"object", "tok"}}}, {"callback", "record"}});
    session_.call("callback_info", {{"result", result}, {"min_calls", 1}, {"timeout_ms", 5000}});
  }

  Json async_state_of(const char* result) { return session_.call("result_info", {{"result", result}})["async_state"]; }

  host::ApmAdapter adapter_;
  AdapterSession session_{adapter_};
};

class ForgetStateWeakly : public ForgetState {
 protected:
  ForgetStateWeakly() : ForgetState(StateHolding::weak) {}
};

TEST_P(ForgetState, StateHeldByTheImplementationIsStillDescribedByItsLabel) {
  begin_with_token("r1");
  EXPECT_EQ(session_.call("forget_state", {{"object", "tok"}}), Json::object());
  EXPECT_EQ(async_state_of("r1"), Json({{"object", "tok"}}));
  // Forgotten means unknown; the label may be used again for a new object.
  EXPECT_EQ(session_.request("forget_state", {{"object", "tok"}})["error"]["code"], "unknown_name");
  begin_with_token("r2");
  EXPECT_EQ(async_state_of("r2"), Json({{"object", "tok"}}));
  EXPECT_EQ(session_.call("forget_state", {{"object", "tok"}}), Json::object());
}

TEST_P(ForgetState, UnknownLabelsAreUnknownNames) {
  EXPECT_EQ(session_.request("forget_state", {{"object", "never"}})["error"]["code"], "unknown_name");
  // A socket is no state object.
  EXPECT_EQ(session_.request("forget_state", {{"object", "L"}})["error"]["code"], "unknown_name");
}

TEST_P(ForgetStateWeakly, TheAdapterKeepsNoHiddenReference) {
  begin_with_token("r1");
  const auto invocation =
      session_.call("callback_info", {{"result", "r1"}, {"min_calls", 1}, {"timeout_ms", 5000}})["invocations"][0];
  EXPECT_EQ(invocation["async_state"], Json({{"object", "tok"}}));
  EXPECT_EQ(async_state_of("r1"), Json({{"object", "tok"}}));
  session_.call("forget_state", {{"object", "tok"}});
  EXPECT_TRUE(async_state_of("r1").is_null());
}

const auto timing_name = [](const auto& info) {
  return info.param == CallbackTiming::inline_in_begin ? "Inline" : "WorkerThread";
};

INSTANTIATE_TEST_SUITE_P(Timing, ForgetState,
                         ::testing::Values(CallbackTiming::inline_in_begin, CallbackTiming::worker_thread),
                         timing_name);
INSTANTIATE_TEST_SUITE_P(Timing, ForgetStateWeakly,
                         ::testing::Values(CallbackTiming::inline_in_begin, CallbackTiming::worker_thread),
                         timing_name);

}  // namespace
}  // namespace ea::test
