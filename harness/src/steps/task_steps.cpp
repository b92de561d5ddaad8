// Background EndAccept calls: still blocked, finished, or several racing.
#include <algorithm>

#include "protocol_violation.hpp"
#include "step_check.hpp"
#include "step_context.hpp"
#include "step_op.hpp"

namespace ea::harness {
namespace {

void expect_blocked(StepContext& context, const Json& step, StepRecord& record) {
  const auto hold = context.timing.hold(step);
  record.expected = "still blocked after " + ms_text(hold);
  const Json result = context.call("await_task", {{"task", step["task"]}, {"timeout_ms", count_ms(hold)}}, hold);
  if (!reply_bool(result, "done")) {
    record.observed = "still blocked";
    return;
  }
  const Outcome outcome = Outcome::from_adapter(reply_object(result, "outcome"));
  record.observed = "returned " + with_detail(outcome);
  throw StepFailed("EndAccept returned " + with_detail(outcome) + " before the hold period of " + ms_text(hold) +
                   " was over, with nothing to return");
}

// The reply of a task started with when_completed says whether its
// EndAccept, called once IsCompleted read true, still had to wait: it
// started waiting for the accept to complete (the implementation's
// completion_wait_point), or it returned only once the implementation's
// other threads, held meanwhile, were let go.
void check_probe(const Json& result, StepRecord& record) {
  const Json& probe = reply_object(result, "probe");
  const int threads_held = reply_count(probe, "threads_held");
  const bool after_release = reply_bool(probe, "end_returned_after_release");
  const bool waited = reply_bool(probe, "end_waited_for_completion");
  if (after_release && threads_held == 0)
    throw ProtocolViolation("probe: end_returned_after_release is true, yet no thread was held");
  if (waited) {
    record.observed += ", but EndAccept waited for the accept to complete";
    throw StepFailed("IsCompleted was already true, yet EndAccept then waited for the accept to complete: IsCompleted "
                     "turned true before EndAccept would stop blocking");
  }
  if (after_release) {
    record.observed += ", returned only after the held threads were let go";
    throw StepFailed("IsCompleted was already true, yet EndAccept did not return until the " +
                     std::to_string(threads_held) +
                     " held thread(s) of the implementation were let go: it was waiting for one of them to finish the "
                     "completion, so IsCompleted turned true before EndAccept would stop blocking");
  }
  record.observed += threads_held == 0 ? ", without waiting"
                                       : ", without waiting, while " + std::to_string(threads_held) +
                                             " other thread(s) of the implementation were held";
}

void await(StepContext& context, const Json& step, StepRecord& record) {
  const auto within = context.timing.within(step);
  const Json result = context.call("await_task", {{"task", step["task"]}, {"timeout_ms", count_ms(within)}}, within);
  if (!reply_bool(result, "done")) {
    record.expected = step["expect"];
    record.observed = "still blocked";
    throw StepFailed("EndAccept was still blocked after " + ms_text(within) + " (expected " +
                     step["expect"].get<std::string>() + ")");
  }
  context.check_outcome(result, step["expect"], record);
  if (context.completion_probes.count(step["task"])) check_probe(result, record);
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

void await_all(StepContext& context, const Json& step, StepRecord& record) {
  const auto within = context.timing.within(step);
  const auto until = Clock::now() + within;
  std::vector<Outcome> observed;
  std::vector<std::string> observed_words;
  for (const auto& task : step["tasks"]) {
    const auto left = std::max(Milliseconds(0), std::chrono::duration_cast<Milliseconds>(until - Clock::now()));
    const Json result = context.call("await_task", {{"task", task}, {"timeout_ms", count_ms(left)}}, left);
    if (!reply_bool(result, "done")) {
      record.observed = task.get<std::string>() + " still blocked";
      throw StepFailed("task " + task.get<std::string>() + " was still blocked after " + ms_text(within));
    }
    observed.push_back(Outcome::from_adapter(reply_object(result, "outcome")));
    observed_words.push_back(observed.back().to_string());
  }
  std::vector<ExpectedOutcome> expected;
  std::vector<std::string> expected_words;
  for (const auto& pattern : step["expect_each_of"]) {
    expected.push_back(ExpectedOutcome::parse(pattern));
    expected_words.push_back(pattern);
  }
  record.expected = "one each of: " + joined(expected_words);
  record.observed = joined(observed_words);
  // The order in which racing threads win is not part of the contract: any
  // assignment of observed outcomes to expected ones will do.
  std::vector<std::size_t> order(observed.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  do {
    bool all = true;
    for (std::size_t i = 0; i < order.size() && all; ++i) all = expected[i].matches(observed[order[i]]);
    if (all) return;
  } while (std::next_permutation(order.begin(), order.end()));
  throw StepFailed("expected one each of " + joined(expected_words) + ", observed " + joined(observed_words));
}

void release(StepContext& context, const Json& step, StepRecord& record) {
  context.call("release_tasks", {{"tasks", step["tasks"]}});
  record.expected = record.observed = "released together";
}

// A parked task only runs once released: waiting for it before is a mistake in the case.
void refuse_parked(StepCheck& check, const Json& tasks) {
  for (const auto& task : tasks.is_array() ? tasks : Json::array({tasks}))
    if (check.facts.count("parked:" + task.get<std::string>()))
      check.fail(tasks.is_array() ? "tasks" : "task",
                 "task " + task.get<std::string>() + " is parked: release it before waiting for it");
}

}  // namespace

std::vector<StepOp> task_steps() {
  return {
      {.name = "expect_blocked",
       .concern = "task",
       .summary = "the background EndAccept has not returned after the hold",
       .fields = {uses("task", "task", "the background EndAccept"),
                  field("hold_ms", FieldType::hold_ms, "how long it must stay blocked")},
       .words = "Task {task} is still blocked after {hold_ms}",
       .run = expect_blocked,
       .csharp = R"cs(var call = Tasks[s.Str("task")];
if (call.Done.WaitOne(s.Hold()))
{
    s.Saw("still blocked after " + s.Hold() + " ms", "returned " + call.Outcome.WithDetail());
    Fail("EndAccept returned " + call.Outcome.WithDetail() + " before the hold period of " + s.Hold() + " ms was over, with nothing to return");
}
s.Saw("still blocked after " + s.Hold() + " ms", "still blocked");)cs"},
      {.name = "await",
       .concern = "task",
       .summary = "the background EndAccept returns within the deadline, with that outcome",
       .fields = {uses("task", "task", "the background EndAccept"),
                  required(field("expect", FieldType::outcome, "the outcome it must have")),
                  field("within_ms", FieldType::within_ms, "how long it may take")},
       .rule = [](StepCheck& check) { refuse_parked(check, check.step["task"]); },
       .words = "Task {task} finishes[ within {within_ms}| within the deadline] and {expect}",
       .run = await,
       .csharp = R"cs(var call = Tasks[s.Str("task")];
if (!call.Done.WaitOne(s.Within()))
{
    s.Saw(s.Str("expect"), "still blocked");
    Fail("EndAccept was still blocked after " + s.Within() + " ms (expected " + s.Str("expect") + ")");
}
Expect(s, s.Str("expect"), call.Outcome);)cs"},
      {.name = "await_all",
       .concern = "task",
       .summary = "all the background EndAccepts return; their outcomes match the list in some order",
       .fields = {at_most(many(uses("tasks", "task", "the racing tasks")), 2, 0),
                  at_most(required(field("expect_each_of", FieldType::outcomes, "one expected outcome per task, in any order")),
                          2, 0),
                  field("within_ms", FieldType::within_ms, "how long they may take, together")},
       .rule =
           [](StepCheck& check) {
             if (check.step["tasks"].size() != check.step["expect_each_of"].size())
               check.fail("expect_each_of", "needs exactly one expected outcome per task");
             refuse_parked(check, check.step["tasks"]);
           },
       .words = "Tasks {tasks} all finish[ within {within_ms}| within the deadline], one each: {expect_each_of}",
       .run = await_all,
       .csharp = R"cs(var deadline = Deadline.After(s.Within());
var observed = new List<Outcome>();
foreach (string name in s.List("tasks"))
{
    var call = Tasks[name];
    if (!call.Done.WaitOne(deadline.RemainingMs()))
    {
        s.Saw("all finished", name + " still blocked");
        Fail("task " + name + " was still blocked after " + s.Within() + " ms");
    }
    observed.Add(call.Outcome);
}
var words = new List<string>();
foreach (var outcome in observed) words.Add(outcome.ToString());
s.Saw("one each of: " + string.Join(", ", s.List("expect_each_of")), string.Join(", ", words.ToArray()));
// The order in which racing threads win is not part of the contract.
if (!MatchInSomeOrder(s.List("expect_each_of"), observed, 0))
    Fail("expected one each of " + string.Join(", ", s.List("expect_each_of")) + ", observed " + string.Join(", ", words.ToArray()));)cs"},
      {.name = "release",
       .concern = "task",
       .summary = "lets parked background EndAccepts go at the same instant (the adapter's threads spin at a start "
                  "line), to race them as closely as the machine allows",
       .fields = {at_most(many(uses("tasks", "task", "the parked tasks")), 2, 0)},
       .rule =
           [](StepCheck& check) {
             for (const auto& task : check.step["tasks"])
               if (!check.facts.erase("parked:" + task.get<std::string>()))
                 check.fail("tasks", "task " + task.get<std::string>() + " was not parked");
           },
       .words = "Tasks {tasks} are released together",
       .run = release,
       .csharp = R"cs(foreach (string name in s.List("tasks")) Tasks[name].Go.Set();
s.Saw("released together", "released together");)cs"},
  };
}

}  // namespace ea::harness
