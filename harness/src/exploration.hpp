#pragma once
// Race amplification: a race-marked case is run many times, each run with
// its own seed, until one fails. The seed sets the pauses the harness puts
// between its own steps and, through EA_JITTER_SEED, the pauses the adapter
// puts before its calls into the implementation; the report records the
// seed of the run it shows, and --seed replays it.
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "case_result.hpp"

namespace ea::harness {

inline constexpr const char* kJitterSeedVariable = "EA_JITTER_SEED";
inline constexpr std::uint32_t kMaxStepSpacingMicros = 3000;

struct Exploration {
  int runs = 0;  // 0: no exploration; race cases run like any other
  std::uint64_t first_seed = 0;

  bool active() const { return runs > 0; }
  std::uint64_t seed_of(int run) const { return first_seed + static_cast<std::uint64_t>(run); }
};

// The pauses before each step of one run, drawn from its seed.
class StepSpacing {
 public:
  explicit StepSpacing(std::optional<std::uint64_t> seed) : state_(seed.value_or(0)), enabled_(seed.has_value()) {}
  std::chrono::microseconds next();

 private:
  std::uint64_t state_;
  bool enabled_;
};

// The explored runs 0..runs-1 of one race case, made in chunks of
// consecutive runs on several workers at once, because each run mostly
// waits. The result is what a serial exploration that stops at its first
// failure shows: the failing run of lowest index, else the last run. A
// chunk skips the runs after a failure found elsewhere, never those before it.
class ExploredCase {
 public:
  ExploredCase(int runs, int chunks);

  int chunk_count() const { return static_cast<int>(chunks_.size()); }
  std::pair<int, int> chunk(int k) const { return chunks_[static_cast<std::size_t>(k)]; }  // [first, end)
  int runs() const { return runs_; }
  bool still_wanted(int run) const { return run < first_failure_.load(); }

  // A run that did not pass, or the last run of all; other passing runs
  // need not be kept. Safe from any worker.
  void keep(int run, CaseRun result);
  // A chunk is done; after the last one, the case's result.
  std::optional<CaseRun> chunk_done();

 private:
  int runs_;
  std::vector<std::pair<int, int>> chunks_;
  std::atomic<int> first_failure_{INT_MAX};
  std::mutex lock_;
  int chunks_left_;
  std::optional<CaseRun> failing_;
  std::optional<CaseRun> last_;
};

// A seed for a run that names none: from the clock and the process.
std::uint64_t fresh_seed();

}  // namespace ea::harness
