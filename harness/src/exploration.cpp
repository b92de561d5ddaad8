#include "exploration.hpp"

#include "endaccept/host/jitter.hpp"

#include <unistd.h>

#include <algorithm>
#include <random>

namespace ea::harness {

std::chrono::microseconds StepSpacing::next() {
  if (!enabled_) return std::chrono::microseconds(0);
  // splitmix64, salted so the harness's pauses differ from the adapter's.
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull) ^ 0x5bd1e995ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return std::chrono::duration_cast<std::chrono::microseconds>(host::explored_pause(z, kMaxStepSpacingMicros));
}

ExploredCase::ExploredCase(int runs, int chunks) : runs_(std::max(1, runs)) {
  const int count = std::clamp(chunks, 1, runs_);
  for (int k = 0; k < count; ++k) chunks_.emplace_back(runs_ * k / count, runs_ * (k + 1) / count);
  chunks_left_ = count;
}

void ExploredCase::keep(int run, CaseRun result) {
  const std::lock_guard<std::mutex> hold(lock_);
  if (result.status != Status::pass) {
    for (int seen = first_failure_.load(); run < seen && !first_failure_.compare_exchange_weak(seen, run);) {
    }
    if (!failing_ || run < failing_->explored_runs - 1) failing_ = std::move(result);
  } else if (run == runs_ - 1) {
    last_ = std::move(result);
  }
}

std::optional<CaseRun> ExploredCase::chunk_done() {
  const std::lock_guard<std::mutex> hold(lock_);
  if (--chunks_left_ > 0) return std::nullopt;
  if (failing_) return std::move(*failing_);
  return last_ ? std::move(*last_) : CaseRun{};
}

std::uint64_t fresh_seed() {
  std::random_device device;
  // Small enough to type: seeds are read by people replaying a failure.
  return (static_cast<std::uint64_t>(device()) ^ static_cast<std::uint64_t>(::getpid())) % 1000000000ull;
}

}  // namespace ea::harness
