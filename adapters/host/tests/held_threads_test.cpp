// The completion probe's holding: other threads wait at schedule points,
// the holder never does, and the summary says who let them go.
#include "held_threads.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "endaccept/host/jitter.hpp"

namespace ea::host {
namespace {

using namespace std::chrono_literals;

TEST(HeldThreads, AnotherThreadWaitsAtItsSchedulePointUntilLetGo) {
  HeldThreads held(60s);
  std::atomic<bool> passed{false};
  std::thread other([&] {
    schedule_point();
    passed = true;
  });
  // One-sided: the other thread cannot pass while the hold lasts.
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(passed.load());
  const HoldSummary summary = held.let_go();
  other.join();
  EXPECT_TRUE(passed.load());
  EXPECT_EQ(summary.threads_held, 1);
  EXPECT_FALSE(summary.end_returned_after_release);
}

TEST(HeldThreads, TheHolderItselfIsNeverHeld) {
  HeldThreads held(60s);
  schedule_point();  // would wait for a minute if it held its own thread
  const HoldSummary summary = held.let_go();
  EXPECT_EQ(summary.threads_held, 0);
}

TEST(HeldThreads, APausePointNeverHolds) {
  HeldThreads held(60s);
  std::thread other([] { pause_point(); });
  other.join();
  EXPECT_EQ(held.let_go().threads_held, 0);
}

TEST(HeldThreads, TheLimitLetsThemGoAndTheSummarySaysSo) {
  // Long enough that the thread surely reaches its point before the limit.
  HeldThreads held(1s);
  std::thread other([] { schedule_point(); });
  other.join();  // returns once the limit has passed, before let_go
  const HoldSummary summary = held.let_go();
  EXPECT_EQ(summary.threads_held, 1);
  EXPECT_TRUE(summary.end_returned_after_release);
}

TEST(HeldThreads, NothingIsHeldOnceLetGo) {
  { HeldThreads held(60s); }
  std::thread other([] { schedule_point(); });
  other.join();
  HeldThreads next(60s);
  EXPECT_EQ(next.let_go().threads_held, 0);
}

}  // namespace
}  // namespace ea::host
