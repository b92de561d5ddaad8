#pragma once
// The runner's schedule: every run of every selected case goes onto one pool
// of worker threads, longest expected first, because a case mostly waits
// (holds, deadlines, process start) and a wait-bound workload finishes
// soonest when many more cases run at once than there are cores and the
// longest ones start first. Each run still gets a fresh adapter process
// (case_runner.hpp); the pool only decides when.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "conformance_case.hpp"
#include "timing.hpp"

namespace ea::harness {

// What a correct implementation makes the harness wait for in this case:
// the holds (expect_blocked, expect_callback's watch for one call too many,
// an unsignalled wait handle, exchange's receive_first). Deadlines are not
// counted: a correct implementation meets them early.
double mandated_wait_ms(const ConformanceCase& conformance_case, const Timing& timing);

// Recorded durations of each case for one adapter (and mutant), kept in
// the build directory: the last, so that the next run's order starts from
// what the cases really took, and the least ever recorded, by which the
// driver sizes the next run's slots (run/runner.py). A case's time under
// contention is no measure of the slot it needs: sizing by it gives a
// contended run more slots, hence more contention and longer times, and
// the next run more slots again. A missing or unreadable file is an empty
// history.
class DurationHistory {
 public:
  DurationHistory() = default;
  explicit DurationHistory(std::filesystem::path file);
  std::optional<double> last_ms(const std::string& case_id) const;
  void record(const std::string& case_id, double ms);
  // The CPU (the runner's own and its adapters') one case run cost in the
  // last run, each repetition counted: the driver sizes the next run's
  // slots by it (run/runner.py).
  std::optional<double> cpu_ms_per_run() const { return cpu_ms_per_run_; }
  void record_cpu_ms_per_run(double ms) { cpu_ms_per_run_ = ms; }
  // Best effort: a history that cannot be written only costs ordering.
  void save() const;

 private:
  std::filesystem::path file_;
  std::map<std::string, double> last_ms_;
  std::map<std::string, double> least_ms_;
  std::optional<double> cpu_ms_per_run_;
};

std::filesystem::path duration_history_file(const std::filesystem::path& build_dir, const std::string& adapter,
                                            const std::string& mutant);

struct ScheduledRun {
  std::size_t case_index = 0;
  int repetition = 0;  // 0-based
  double expected_ms = 0;
  // Of an explored race case: which chunk of its explored runs (ExploredCase).
  std::optional<int> explored_chunk;
};

// The longest run's head start: the other workers begin once it has begun
// (its adapter has answered its first step), so that its adapter's start,
// which is on the run's critical path, does not share the cores with every
// other case's (dotnet: 0.47 s from spawn to the first step alone, 0.92 s
// beside three other runners). A head start, never a hold: the others wait
// at most `most`, and no longer once the longest run has ended.
class HeadStart {
 public:
  explicit HeadStart(std::chrono::milliseconds most) : most_(most) {}
  void begun();
  bool has_begun() const;
  void wait() const;

 private:
  const std::chrono::milliseconds most_;
  mutable std::mutex lock_;
  mutable std::condition_variable changed_;
  bool begun_ = false;
};

// Runs `body` for every entry on `workers` threads, the longest expected
// first (ties keep the given order; alone, the given order). With a
// `head_start`, the longest run starts alone, and `body` calls its begun()
// when that run has begun. Returns when every run has finished. `body`
// must not throw.
void run_longest_first(std::vector<ScheduledRun> runs, int workers,
                       const std::function<void(const ScheduledRun&)>& body, HeadStart* head_start = nullptr);

}  // namespace ea::harness
