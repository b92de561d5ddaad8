// The shape of an explored pause: what a race gets from one random draw.
#include <chrono>
#include <cstdint>

#include <gtest/gtest.h>

#include "endaccept/host/jitter.hpp"

namespace ea::host {
namespace {

using std::chrono::nanoseconds;

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

TEST(ExploredPause, AnEvenDrawDoesNotPause) {
  EXPECT_EQ(explored_pause(0, kMaxJitterMicros), nanoseconds(0));
  EXPECT_EQ(explored_pause(~std::uint64_t{1}, kMaxJitterMicros), nanoseconds(0));
}

TEST(ExploredPause, AnOddDrawPausesBetweenOneMicrosecondAndTheMaximum) {
  EXPECT_EQ(explored_pause(1, kMaxJitterMicros), nanoseconds(1000)) << "the smallest fraction: 1 µs";
  EXPECT_LE(explored_pause(~std::uint64_t{0}, kMaxJitterMicros), nanoseconds(kMaxJitterMicros * 1000ll));
  EXPECT_GT(explored_pause(~std::uint64_t{0}, kMaxJitterMicros), nanoseconds(kMaxJitterMicros * 990ll));
}

// Half none; the rest spread over the orders of magnitude, so that short
// and long pauses are both common (a uniform draw up to 2 ms would make a
// pause under 20 µs a 1-in-100 event).
TEST(ExploredPause, HalfPauseNotAndThePausesSpreadOverOrdersOfMagnitude) {
  constexpr int draws = 100000;
  std::uint64_t state = 42;
  int none = 0, under_10us = 0, from_10_to_100us = 0, from_100us = 0;
  for (int i = 0; i < draws; ++i) {
    const nanoseconds pause = explored_pause(splitmix(state), kMaxJitterMicros);
    if (pause == nanoseconds(0)) {
      ++none;
    } else if (pause < nanoseconds(10'000)) {
      ++under_10us;
    } else if (pause < nanoseconds(100'000)) {
      ++from_10_to_100us;
    } else {
      ++from_100us;
    }
  }
  EXPECT_NEAR(none, draws / 2, draws / 50);
  // log(10)/log(2000) of the pauses per decade: about 30 % of the half each.
  for (const int decade : {under_10us, from_10_to_100us}) EXPECT_NEAR(decade, draws / 2 * 0.303, draws / 50);
  EXPECT_NEAR(from_100us, draws / 2 * 0.394, draws / 50);
}

TEST(ExploredPause, TheSameDrawGivesTheSamePause) {
  EXPECT_EQ(explored_pause(0x123456789abcdef1ull, 3000), explored_pause(0x123456789abcdef1ull, 3000));
}

}  // namespace
}  // namespace ea::host
