// The adapter process's descriptor table, seen from outside: leaks and
// exhaustion.
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "step_check.hpp"
#include "step_context.hpp"
#include "step_op.hpp"

namespace ea::harness {
namespace {

int open_descriptors(StepContext& context) {
  const auto count = count_open_descriptors(context.process.pid());
  if (!count) throw std::runtime_error("cannot read /proc/" + std::to_string(context.process.pid()) + "/fd");
  return *count;
}

void snapshot_descriptors(StepContext& context, const Json& step, StepRecord& record) {
  const int count = open_descriptors(context);
  context.snapshots[step["as"]] = count;
  record.expected = "a baseline";
  record.observed = std::to_string(count) + " open descriptors";
}

void expect_descriptors(StepContext& context, const Json& step, StepRecord& record) {
  const int baseline = context.snapshots.at(step["same_as"]);
  const auto until = Clock::now() + context.timing.within(step);
  record.expected = std::to_string(baseline) + " open descriptors";
  // Descriptors may be released by a worker thread shortly after Close
  // returns; there is no event for that, so poll briefly until the deadline.
  int count = open_descriptors(context);
  while (count > baseline && Clock::now() < until) {
    std::this_thread::sleep_for(Milliseconds(10));
    count = open_descriptors(context);
  }
  record.observed = std::to_string(count) + " open descriptors";
  if (count > baseline)
    throw StepFailed(std::to_string(count - baseline) + " descriptor(s) leaked: " + std::to_string(count) +
                     " open, baseline " + std::to_string(baseline));
}

void interrupt_threads(StepContext& context, const Json&, StepRecord& record) {
  const pid_t pid = context.process.pid();
  int interrupted = 0;
  std::error_code error;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", error)) {
    const std::string name = task.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (::syscall(SYS_tgkill, pid, std::stoi(name), SIGWINCH) == 0) ++interrupted;
  }
  if (error) throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/task: " + error.message());
  record.expected = "every thread of the adapter interrupted";
  record.observed = std::to_string(interrupted) + " thread(s) interrupted";
}

}  // namespace

std::vector<StepOp> descriptor_steps() {
  return {
      {.name = "snapshot_descriptors",
       .concern = "descriptors",
       .summary = "counts the adapter process's open descriptors",
       .fields = {defines("as", "snapshot", "the name of the count")},
       .words = "Count the adapter's open descriptors as {as}",
       .run = snapshot_descriptors},
      {.name = "expect_descriptors",
       .concern = "descriptors",
       .summary = "the count is back to the snapshot (a leak is reported with its size)",
       .fields = {uses("same_as", "snapshot", "the earlier count"),
                  field("within_ms", FieldType::within_ms, "how long descriptors may take to be released")},
       .words = "The adapter's open descriptors are back to {same_as}[ within {within_ms}| within the deadline]",
       .run = expect_descriptors},
      {.name = "limit_descriptors",
       .concern = "descriptors",
       .summary = "lowers the adapter process's descriptor limit (prlimit) so no descriptor can be created",
       .rule = [](StepCheck& check) { check.facts.insert("descriptors-limited"); },
       .words = "Lower the adapter's descriptor limit so no new descriptor can be created",
       .run =
           [](StepContext& context, const Json&, StepRecord& record) {
             context.descriptor_limit.exhaust();
             record.expected = record.observed = "no descriptor left to the adapter process";
           }},
      {.name = "restore_descriptors",
       .concern = "descriptors",
       .summary = "restores the descriptor limit",
       .rule =
           [](StepCheck& check) {
             if (!check.facts.erase("descriptors-limited"))
               check.fail("op", "restore_descriptors without an earlier limit_descriptors");
           },
       .words = "Restore the adapter's descriptor limit",
       .run =
           [](StepContext& context, const Json&, StepRecord& record) {
             context.descriptor_limit.restore();
             record.expected = record.observed = "descriptor limit restored";
           }},
      {.name = "interrupt_threads",
       .concern = "descriptors",
       .summary = "sends SIGWINCH to every thread of the adapter process, whose handler does nothing: blocking "
                  "waits return EINTR once, and a correct implementation simply waits again",
       .capability = "signals",
       .words = "Interrupt every thread of the adapter with a signal it ignores",
       .run = interrupt_threads},
  };
}

}  // namespace ea::harness
