// The implementation's network tracing.
#include <algorithm>
#include <thread>

#include "protocol_violation.hpp"
#include "step_check.hpp"
#include "step_context.hpp"
#include "step_op.hpp"

namespace ea::harness {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

void set_tracing(StepContext& context, const Json& step, StepRecord& record) {
  context.call("set_tracing", {{"enabled", step["enabled"]}});
  record.expected = record.observed = step["enabled"].get<bool>() ? "tracing on" : "tracing off";
}

void expect_trace(StepContext& context, const Json& step, StepRecord& record) {
  const std::string needle = lower(step["contains"]);
  const auto until = Clock::now() + context.timing.within(step);
  record.expected = "a trace line containing \"" + needle + "\"";
  for (;;) {
    const Json result = context.call("trace_events", Json::object());
    if (!result.contains("events") || !result["events"].is_array()) throw ProtocolViolation("trace_events has no events array");
    for (const auto& event : result["events"]) {
      if (!event.is_string()) throw ProtocolViolation("a trace event is not a string");
      if (lower(event).find(needle) != std::string::npos) {
        record.observed = event.get<std::string>();
        return;
      }
    }
    if (Clock::now() >= until) {
      record.observed = std::to_string(result["events"].size()) + " trace line(s), none matching";
      throw StepFailed("no trace line mentions \"" + needle + "\"");
    }
    // Trace events are delivered asynchronously by some runtimes.
    std::this_thread::sleep_for(Milliseconds(20));
  }
}

}  // namespace

std::vector<StepOp> trace_steps() {
  return {
      {.name = "set_tracing",
       .concern = "trace",
       .summary = "switches the implementation's network tracing",
       .fields = {required(field("enabled", FieldType::boolean, "on or off"))},
       .capability = "tracing",
       .words = "Switch the implementation's network tracing {enabled=true:on|false:off}",
       .run = set_tracing},
      {.name = "expect_trace",
       .concern = "trace",
       .summary = "some trace line contains the text (case-insensitive)",
       .fields = {required(field("contains", FieldType::text, "the text to look for")),
                  field("within_ms", FieldType::within_ms, "how long the line may take to appear")},
       .capability = "tracing",
       .words = "Some trace line contains \u201c{contains}\u201d[ within {within_ms}]",
       .run = expect_trace},
  };
}

}  // namespace ea::harness
