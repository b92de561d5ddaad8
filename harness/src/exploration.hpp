#pragma once
// Race amplification: a race-marked case is run many times, each run with
// its own seed, until one fails. The seed sets the pauses the harness puts
// between its own steps and, through EA_JITTER_SEED, the pauses the adapter
// puts before its calls into the implementation; the report records the
// seed of the run it shows, and --seed replays it.
#include <chrono>
#include <cstdint>
#include <optional>

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

// A seed for a run that names none: from the clock and the process.
std::uint64_t fresh_seed();

}  // namespace ea::harness
