#include "exploration.hpp"

#include <unistd.h>

#include <random>

namespace ea::harness {

std::chrono::microseconds StepSpacing::next() {
  if (!enabled_) return std::chrono::microseconds(0);
  // splitmix64, salted so the harness's pauses differ from the adapter's.
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull) ^ 0x5bd1e995ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return std::chrono::microseconds(z % (kMaxStepSpacingMicros + 1));
}

std::uint64_t fresh_seed() {
  std::random_device device;
  // Small enough to type: seeds are read by people replaying a failure.
  return (static_cast<std::uint64_t>(device()) ^ static_cast<std::uint64_t>(::getpid())) % 1000000000ull;
}

}  // namespace ea::harness
