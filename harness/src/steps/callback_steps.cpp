// The AsyncCallback: how often it ran, on which thread, with what, and what
// the documented pattern inside it achieved.
#include "protocol_violation.hpp"
#include "step_check.hpp"
#include "step_context.hpp"
#include "step_op.hpp"

namespace ea::harness {
namespace {

void check_invocation(const Json& step, const Json& invocation, StepRecord& record) {
  static const std::vector<std::pair<std::string, std::string>> broken = {
      {"on_begin_thread", "the callback ran on the thread that called BeginAccept"},
      {"begin_returned", "the callback ran before BeginAccept had returned"},
      {"same_result", "the callback was given a different result object than BeginAccept returned"}};
  for (const auto& [flag, failure] : broken) {
    if (!step.contains(flag)) continue;
    const bool want = step[flag];
    const bool got = reply_bool(invocation, flag.c_str());
    record.expected += ", " + flag + "=" + (want ? "true" : "false");
    record.observed += ", " + flag + "=" + (got ? "true" : "false");
    if (got != want) throw StepFailed(failure);
  }
  if (step.contains("async_state")) {
    if (!invocation.contains("async_state")) throw ProtocolViolation("invocation has no async_state");
    record.expected += ", AsyncState=" + describe_identity(step["async_state"]);
    record.observed += ", AsyncState=" + describe_identity(invocation["async_state"]);
    if (invocation["async_state"] != step["async_state"])
      throw StepFailed("in the callback, AsyncState is " + describe_identity(invocation["async_state"]));
  }
  static const std::vector<std::pair<std::string, std::string>> nested_calls = {
      {"end_outcome", "EndAccept"}, {"begin_outcome", "BeginAccept"}, {"close_outcome", "Close"}};
  for (const auto& [field, call] : nested_calls) {
    if (!step.contains(field)) continue;
    if (!invocation.contains(field)) throw ProtocolViolation("invocation has no " + field);
    const Outcome outcome = Outcome::from_adapter(invocation[field]);
    record.expected += ", " + call + " in callback: " + step[field].get<std::string>();
    record.observed += ", " + call + " in callback: " + with_detail(outcome);
    if (!ExpectedOutcome::parse(step[field]).matches(outcome))
      throw StepFailed(call + " inside the callback gave " + with_detail(outcome) + ", expected " +
                       step[field].get<std::string>());
  }
}

// CompletedSynchronously says the callback already ran on the calling
// thread, before BeginAccept returned; it must say so exactly then.
void check_completed_synchronously(StepContext& context, const Json& step, const Json& invocation, StepRecord& record) {
  const bool claimed = reply_bool(context.call("result_info", {{"result", step["result"]}}), "completed_synchronously");
  const bool inline_call = reply_bool(invocation, "on_begin_thread") && !reply_bool(invocation, "begin_returned");
  record.expected += ", CompletedSynchronously agrees with where the callback ran";
  record.observed += std::string(", CompletedSynchronously=") + (claimed ? "true" : "false") + ", callback " +
                     (inline_call ? "inside BeginAccept" : "after BeginAccept returned or on another thread");
  if (claimed != inline_call)
    throw StepFailed(claimed ? "CompletedSynchronously is true, but the callback did not run inside BeginAccept on its thread"
                             : "CompletedSynchronously is false, but the callback ran inside BeginAccept on its thread");
}

void expect_callback(StepContext& context, const Json& step, StepRecord& record) {
  const int calls = step.value("calls", 1);
  const auto hold = context.timing.hold(step);
  const auto calls_text = [](long long n) { return std::to_string(n) + " call(s)"; };
  Json info;
  if (calls > 0) {
    const auto within = context.timing.within(step);
    info = context.call("callback_info",
                        {{"result", step["result"]}, {"min_calls", calls}, {"timeout_ms", count_ms(within)}}, within);
    if (reply_count(info, "calls") < calls) {
      record.expected = calls_text(calls);
      record.observed = calls_text(reply_count(info, "calls")) + " after " + ms_text(within);
      throw StepFailed("the callback ran " + std::to_string(reply_count(info, "calls")) + " time(s) within " +
                       ms_text(within) + ", expected " + std::to_string(calls));
    }
  }
  // Watch for one more invocation than expected, for the hold period.
  info = context.call("callback_info", {{"result", step["result"]}, {"min_calls", calls + 1}, {"timeout_ms", count_ms(hold)}},
                      hold);
  const long long observed_calls = reply_count(info, "calls");
  record.expected = "exactly " + calls_text(calls);
  record.observed = calls_text(observed_calls);
  if (observed_calls != calls)
    throw StepFailed("the callback ran " + std::to_string(observed_calls) + " time(s), expected exactly " +
                     std::to_string(calls));
  if (!info.contains("invocations") || !info["invocations"].is_array() ||
      static_cast<long long>(info["invocations"].size()) != observed_calls)
    throw ProtocolViolation("callback_info invocations do not match calls");
  for (const auto& invocation : info["invocations"]) {
    check_invocation(step, invocation, record);
    if (step.value("completed_synchronously_agrees", false)) check_completed_synchronously(context, step, invocation, record);
  }
}

void expect_callback_rule(StepCheck& check) {
  if (!check.names.has_tag("result", check.step["result"], "with-callback"))
    check.fail("result", "the begin_accept that produced this result had no callback");
  if (check.step.value("calls", 1) == 0 && check.has("within_ms"))
    check.fail("within_ms", "calls: 0 is a hold (hold_ms), not a deadline");
}

void expect_received(StepContext& context, const Json& step, StepRecord& record) {
  const std::string data = step["data"];
  const auto within = context.timing.within(step);
  const Json result = context.call(
      "collect_received", {{"socket", step["socket"]}, {"count", data.size()}, {"timeout_ms", count_ms(within)}}, within);
  const std::string got = reply_string(result, "data");
  record.expected = "\"" + data + "\"";
  record.observed = "\"" + got + "\"";
  if (got != data) throw StepFailed("the receive started in the callback got \"" + got + "\" instead of \"" + data + "\"");
}

}  // namespace

std::vector<StepOp> callback_steps() {
  return {
      {.name = "expect_callback",
       .concern = "callback",
       .summary = "the callback ran exactly `calls` times (waiting for them, then holding to see no more), with these "
                  "facts about each invocation",
       .fields = {uses("result", "result", "the result whose BeginAccept had a callback"),
                  with_default(at_most(field("calls", FieldType::count, "how many times it must have run"), 0, 8), 1),
                  field("on_begin_thread", FieldType::boolean, "whether it ran on the thread that called BeginAccept"),
                  field("begin_returned", FieldType::boolean, "whether BeginAccept had returned when it ran"),
                  field("same_result", FieldType::boolean, "whether it was given the result BeginAccept returned"),
                  field("async_state", FieldType::state, "the AsyncState it saw"),
                  field("end_outcome", FieldType::outcome, "the outcome of the EndAccept the callback called"),
                  field("begin_outcome", FieldType::outcome, "begin_again: the outcome of the BeginAccept it called"),
                  field("close_outcome", FieldType::outcome, "close_listener: the outcome of the Close it called"),
                  field("completed_synchronously_agrees", FieldType::boolean,
                        "the result's CompletedSynchronously is true exactly when the callback ran inside BeginAccept, "
                        "on its thread"),
                  field("within_ms", FieldType::within_ms, "how long the calls may take to happen"),
                  field("hold_ms", FieldType::hold_ms, "how long to watch for one call too many")},
       .rule = expect_callback_rule,
       .words = Json::array(
           {"{calls=0:{result}'s callback does not run (watched for {hold_ms})|*:{result}'s callback runs exactly "
            "{calls=1:once|2:twice|*:{calls} times}[ within {within_ms}]}",
            {{"join", ", "},
             {"before", ", "},
             {"items",
              {"[{on_begin_thread=true:on the BeginAccept thread|false:not on the BeginAccept thread}]",
               "[{begin_returned=true:after BeginAccept returned|false:before BeginAccept returned}]",
               "[{same_result=true:given the result BeginAccept returned|false:given a result other than the one "
               "BeginAccept returned}]",
               "[seeing AsyncState {async_state}]", "[its EndAccept {end_outcome}]", "[its BeginAccept {begin_outcome}]",
               "[its Close {close_outcome}]",
               "[{completed_synchronously_agrees=true:with CompletedSynchronously true exactly when it ran inside "
               "BeginAccept}]"}}}}),
       .run = expect_callback,
       .csharp = R"cs(var recorder = Recorders[s.Str("result")];
int calls = s.Int("calls", 1);
if (calls > 0 && recorder.WaitFor(calls, s.Within()).Count < calls)
{
    int seen = recorder.WaitFor(calls, 0).Count;
    s.Saw(calls + " call(s)", seen + " call(s) after " + s.Within() + " ms");
    Fail("the callback ran " + seen + " time(s) within " + s.Within() + " ms, expected " + calls);
}
// Watch for one more invocation than expected, for the hold period.
var invocations = recorder.WaitFor(calls + 1, s.Hold());
s.Saw("exactly " + calls + " call(s)", invocations.Count + " call(s)");
if (invocations.Count != calls) Fail("the callback ran " + invocations.Count + " time(s), expected exactly " + calls);
foreach (var call in invocations)
{
    if (s.Has("on_begin_thread") && call.OnBeginThread != s.Bool("on_begin_thread", false))
        Fail(call.OnBeginThread ? "the callback ran on the thread that called BeginAccept" : "the callback did not run on the thread that called BeginAccept");
    if (s.Has("begin_returned") && call.BeginReturned != s.Bool("begin_returned", false))
        Fail(call.BeginReturned ? "the callback ran after BeginAccept had returned" : "the callback ran before BeginAccept had returned");
    if (s.Has("same_result") && ReferenceEquals(call.Result, Results[s.Str("result")]) != s.Bool("same_result", false))
        Fail("the callback was given a different result object than BeginAccept returned");
    if (s.Fields.ContainsKey("async_state") && call.AsyncState != State.Describe(s.StateOf("async_state")))
        Fail("in the callback, AsyncState is " + call.AsyncState);
    var nested = new[] { Tuple.Create("end_outcome", "EndAccept", call.EndOutcome), Tuple.Create("begin_outcome", "BeginAccept", call.BeginOutcome),
                         Tuple.Create("close_outcome", "Close", call.CloseOutcome) };
    foreach (var made in nested)
    {
        if (!s.Has(made.Item1)) continue;
        s.Expected += ", " + made.Item2 + " in callback: " + s.Str(made.Item1);
        s.Observed += ", " + made.Item2 + " in callback: " + (made.Item3 == null ? "not called" : made.Item3.WithDetail());
        if (made.Item3 == null || !made.Item3.Matches(s.Str(made.Item1)))
            Fail(made.Item2 + " inside the callback gave " + (made.Item3 == null ? "nothing" : made.Item3.WithDetail()) + ", expected " + s.Str(made.Item1));
    }
    if (s.Bool("completed_synchronously_agrees", false))
    {
        bool inline = call.OnBeginThread && !call.BeginReturned;
        bool claimed = Results[s.Str("result")].CompletedSynchronously;
        if (claimed != inline)
            Fail(claimed ? "CompletedSynchronously is true, but the callback did not run inside BeginAccept on its thread"
                         : "CompletedSynchronously is false, but the callback ran inside BeginAccept on its thread");
    }
})cs"},
      {.name = "expect_received",
       .concern = "callback",
       .summary = "the receive started in an end_in_callback callback got these bytes",
       .fields = {uses("socket", "receiving", "the socket the callback accepted and started receiving on"),
                  required(field("data", FieldType::data, "the bytes it must have received")),
                  field("within_ms", FieldType::within_ms, "how long they may take")},
       .words = "The receive started in the callback on {socket} gets {data}[ within {within_ms}]",
       .run = expect_received,
       .csharp = R"cs(string data = s.Str("data");
string got = Receivers[s.Str("socket")].WaitFor(s.Within());
s.Saw("\"" + data + "\"", "\"" + got + "\"");
if (got != data) Fail("the receive started in the callback got \"" + got + "\" instead of \"" + data + "\"");)cs"},
  };
}

}  // namespace ea::harness
