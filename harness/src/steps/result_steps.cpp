// The IAsyncResult's own members: IsCompleted, CompletedSynchronously,
// AsyncState and AsyncWaitHandle.
#include "protocol_violation.hpp"
#include "step_check.hpp"
#include "step_context.hpp"
#include "step_op.hpp"

namespace ea::harness {
namespace {

void expect_result(StepContext& context, const Json& step, StepRecord& record) {
  const Json info = context.call("result_info", {{"result", step["result"]}});
  std::string expected, observed, mismatch;
  const auto note = [](std::string& text, const std::string& fact) { text += (text.empty() ? "" : ", ") + fact; };
  for (const char* member : {"is_completed", "completed_synchronously"}) {
    if (!step.contains(member)) continue;
    const bool want = step[member];
    const bool got = reply_bool(info, member);
    note(expected, std::string(member) + "=" + (want ? "true" : "false"));
    note(observed, std::string(member) + "=" + (got ? "true" : "false"));
    if (want != got && mismatch.empty()) mismatch = std::string(member) + " is " + (got ? "true" : "false");
  }
  if (step.contains("async_state")) {
    if (!info.contains("async_state")) throw ProtocolViolation("result_info has no async_state");
    note(expected, "AsyncState=" + describe_identity(step["async_state"]));
    note(observed, "AsyncState=" + describe_identity(info["async_state"]));
    if (info["async_state"] != step["async_state"] && mismatch.empty())
      mismatch = "AsyncState is " + describe_identity(info["async_state"]) + ", not " + describe_identity(step["async_state"]);
  }
  record.expected = expected;
  record.observed = observed;
  if (!mismatch.empty()) throw StepFailed(mismatch);
}

void expect_wait_handle(StepContext& context, const Json& step, StepRecord& record) {
  const bool want = step["signalled"];
  const auto wait = want ? context.timing.within(step) : context.timing.hold(step);
  const Json result = context.call("wait_handle", {{"result", step["result"]}, {"timeout_ms", count_ms(wait)}}, wait);
  const bool got = reply_bool(result, "signalled");
  record.expected = want ? "signalled within " + ms_text(wait) : "not signalled for " + ms_text(wait);
  record.observed = got ? "signalled" : "not signalled";
  if (got != want)
    throw StepFailed(want ? "AsyncWaitHandle was not signalled within " + ms_text(wait)
                          : "AsyncWaitHandle was signalled while nothing could have completed");
}

void forget_state(StepContext& context, const Json& step, StepRecord& record) {
  context.call("forget_state", {{"object", step["object"]}}, context.timing.within(Json::object()));
  record.expected = record.observed = "the adapter holds no reference to " + step["object"].get<std::string>();
}

}  // namespace

std::vector<StepOp> result_steps() {
  return {
      {.name = "expect_result",
       .concern = "result",
       .summary = "the IAsyncResult's members have these values",
       .fields = {uses("result", "result", "the result to inspect"),
                  field("is_completed", FieldType::boolean, "IsCompleted"),
                  field("completed_synchronously", FieldType::boolean, "CompletedSynchronously"),
                  field("async_state", FieldType::state, "AsyncState: the very object given to BeginAccept")},
       .rule =
           [](StepCheck& check) {
             if (!check.has("is_completed") && !check.has("completed_synchronously") && !check.has("async_state"))
               check.fail("op", "expect_result must check at least one of is_completed, completed_synchronously, async_state");
           },
       .words = Json::array({"{result} ",
                             {{"join", ", "},
                              {"before", "reports "},
                              {"items",
                               {"[IsCompleted = {is_completed}]", "[CompletedSynchronously = {completed_synchronously}]",
                                "[AsyncState is {async_state}]"}},
                              {"otherwise", "can be inspected"}}}),
       .run = expect_result,
       .csharp = R"cs(var result = Results[s.Str("result")];
var expected = new List<string>();
var observed = new List<string>();
string mismatch = null;
if (s.Has("is_completed"))
{
    expected.Add("is_completed=" + s.Bool("is_completed", false).ToString().ToLowerInvariant());
    observed.Add("is_completed=" + result.IsCompleted.ToString().ToLowerInvariant());
    if (result.IsCompleted != s.Bool("is_completed", false) && mismatch == null) mismatch = "is_completed is " + result.IsCompleted.ToString().ToLowerInvariant();
}
if (s.Has("completed_synchronously"))
{
    expected.Add("completed_synchronously=" + s.Bool("completed_synchronously", false).ToString().ToLowerInvariant());
    observed.Add("completed_synchronously=" + result.CompletedSynchronously.ToString().ToLowerInvariant());
    if (result.CompletedSynchronously != s.Bool("completed_synchronously", false) && mismatch == null)
        mismatch = "completed_synchronously is " + result.CompletedSynchronously.ToString().ToLowerInvariant();
}
if (s.Fields.ContainsKey("async_state"))
{
    string want = State.Describe(s.StateOf("async_state")), got = State.Describe(result.AsyncState);
    expected.Add("AsyncState=" + want);
    observed.Add("AsyncState=" + got);
    if (want != got && mismatch == null) mismatch = "AsyncState is " + got + ", not " + want;
}
s.Saw(string.Join(", ", expected.ToArray()), string.Join(", ", observed.ToArray()));
if (mismatch != null) Fail(mismatch);)cs"},
      {.name = "expect_wait_handle",
       .concern = "result",
       .summary = "AsyncWaitHandle is signalled within the deadline, or stays unsignalled for the hold",
       .fields = {uses("result", "result", "the result whose wait handle is watched"),
                  required(field("signalled", FieldType::boolean, "whether it must be signalled")),
                  field("within_ms", FieldType::within_ms, "signalled: how long it may take"),
                  field("hold_ms", FieldType::hold_ms, "not signalled: how long it must stay so")},
       .rule =
           [](StepCheck& check) {
             const bool signalled = check.step["signalled"];
             if (signalled && check.has("hold_ms"))
               check.fail("hold_ms", "a signalled wait has a deadline (within_ms), not a hold");
             if (!signalled && check.has("within_ms"))
               check.fail("within_ms", "an unsignalled wait is a hold (hold_ms), not a deadline");
           },
       .words = "{signalled=true:{result}'s AsyncWaitHandle is signalled[ within {within_ms}| within the deadline]|"
                "false:{result}'s AsyncWaitHandle stays unsignalled for {hold_ms}}",
       .run = expect_wait_handle,
       .csharp = R"cs(bool want = s.Bool("signalled", false);
int wait = want ? s.Within() : s.Hold();
bool got = Results[s.Str("result")].AsyncWaitHandle.WaitOne(wait);
s.Saw(want ? "signalled within " + wait + " ms" : "not signalled for " + wait + " ms", got ? "signalled" : "not signalled");
if (got != want) Fail(want ? "AsyncWaitHandle was not signalled within " + wait + " ms" : "AsyncWaitHandle was signalled while nothing could have completed");)cs"},
      {.name = "forget_state",
       .concern = "result",
       .summary = "the adapter drops its own references to a state object and collects garbage where the runtime has "
                  "a collector, so that only the implementation still holds it",
       .fields = {required(field("object", FieldType::name, "the label of the state object, as in {\"object\": label}"))},
       .words = "The adapter drops its own references to the object {object} (and collects garbage)",
       .run = forget_state,
       .csharp = R"cs(Token dropped;
Tokens.TryRemove(s.Str("object"), out dropped);
dropped = null;
GC.Collect();
GC.WaitForPendingFinalizers();
s.Saw("no reference held to " + s.Str("object"), "dropped");)cs"},
  };
}

}  // namespace ea::harness
