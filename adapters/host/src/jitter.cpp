#include "endaccept/host/jitter.hpp"

#include "held_threads.hpp"

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

namespace ea::host {
namespace {

std::optional<std::uint64_t> seed_from_environment() {
  const char* text = std::getenv("EA_JITTER_SEED");
  if (text == nullptr || *text == '\0') return std::nullopt;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return std::nullopt;  // the harness only ever sets digits
  }
}

// splitmix64: one shared counter, so the sequence of pauses depends only on
// the seed and the order in which the threads reach their jitter points.
std::uint64_t next(std::atomic<std::uint64_t>& state) {
  std::uint64_t z = state.fetch_add(0x9e3779b97f4a7c15ull) + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

thread_local bool jitter_off = false;

void pause() {
  static const std::optional<std::uint64_t> seed = seed_from_environment();
  if (!seed) return;
  static std::atomic<std::uint64_t> state{*seed};
  std::this_thread::sleep_for(explored_pause(next(state), kMaxJitterMicros));
}

}  // namespace

void no_jitter_on_this_thread() { jitter_off = true; }

void jitter_point() {
  if (!jitter_off) pause();
}

void schedule_point() {
  pause();
  wait_if_held();
}

void pause_point() { pause(); }

void completion_wait_point() { note_completion_wait(); }

}  // namespace ea::host
