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
       .run = snapshot_descriptors,
       .csharp = R"cs(int count = OpenDescriptors();
Snapshots[s.Str("as")] = count;
s.Saw("a baseline", count + " open descriptors");)cs"},
      {.name = "expect_descriptors",
       .concern = "descriptors",
       .summary = "the count is back to the snapshot (a leak is reported with its size)",
       .fields = {uses("same_as", "snapshot", "the earlier count"),
                  field("within_ms", FieldType::within_ms, "how long descriptors may take to be released")},
       .words = "The adapter's open descriptors are back to {same_as}[ within {within_ms}| within the deadline]",
       .run = expect_descriptors,
       .csharp = R"cs(int baseline = Snapshots[s.Str("same_as")];
var deadline = Deadline.After(s.Within());
// Descriptors may be released by a worker thread shortly after Close returns.
int count = OpenDescriptors();
while (count > baseline && deadline.RemainingMs() > 0)
{
    Thread.Sleep(10);
    count = OpenDescriptors();
}
s.Saw(baseline + " open descriptors", count + " open descriptors");
if (count > baseline) Fail((count - baseline) + " descriptor(s) leaked: " + count + " open, baseline " + baseline);)cs"},
      {.name = "limit_descriptors",
       .concern = "descriptors",
       .summary = "lowers the adapter process's descriptor limit (prlimit) so no descriptor can be created",
       .rule = [](StepCheck& check) { check.facts.insert("descriptors-limited"); },
       .words = "Lower the adapter's descriptor limit so no new descriptor can be created",
       .run =
           [](StepContext& context, const Json&, StepRecord& record) {
             context.descriptor_limit.exhaust();
             record.expected = record.observed = "no descriptor left to the adapter process";
           },
       .csharp = R"cs(Rlimit limit;
if (getrlimit(RlimitNofile, out limit) != 0) throw new InvalidOperationException("getrlimit failed");
SavedLimit = limit;
for (int i = 0; i < 2; i++)
{
    SpareRemoteSockets.Push(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
    SpareRemoteSockets.Push(new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp));
}
// The lowest free descriptor number: a soft limit equal to it leaves none.
int lowest = 0;
while (fcntl(lowest, GetDescriptorFlags) != -1) lowest++;
var lowered = limit;
lowered.Current = (ulong)lowest;
if (setrlimit(RlimitNofile, ref lowered) != 0) throw new InvalidOperationException("setrlimit failed");
s.Saw("no descriptor left to this process", "descriptor limit " + lowest);)cs"},
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
           },
       .csharp = R"cs(while (SpareRemoteSockets.Count > 0) SpareRemoteSockets.Pop().Dispose();
var saved = SavedLimit.Value;
if (setrlimit(RlimitNofile, ref saved) != 0) throw new InvalidOperationException("setrlimit failed");
s.Saw("descriptor limit restored", "descriptor limit restored");)cs"},
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
