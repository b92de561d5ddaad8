// The pool's order and bound: alone in the given order, in parallel the
// longest first, never more at once than the workers, every run made once.
#include "scheduler.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ea::harness {
namespace {

std::vector<ScheduledRun> runs_expecting(const std::vector<double>& expected_ms) {
  std::vector<ScheduledRun> runs;
  for (std::size_t i = 0; i < expected_ms.size(); ++i) runs.push_back({i, 0, expected_ms[i], std::nullopt});
  return runs;
}

// Records the order runs start in and the most that ran at once.
struct Observed {
  std::mutex lock;
  std::vector<std::size_t> started;
  std::atomic<int> running{0};
  std::atomic<int> most{0};

  void run(const ScheduledRun& run) {
    {
      const std::lock_guard<std::mutex> hold(lock);
      started.push_back(run.case_index);
    }
    const int now = ++running;
    for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    --running;
  }
};

TEST(Scheduler, AloneKeepsTheGivenOrder) {
  Observed observed;
  run_longest_first(runs_expecting({1, 30, 20}), 1, [&](const ScheduledRun& r) { observed.run(r); });
  EXPECT_EQ(observed.started, (std::vector<std::size_t>{0, 1, 2}));
}

TEST(Scheduler, InParallelTheLongestGoFirst) {
  Observed observed;
  run_longest_first(runs_expecting({1, 30, 20, 5}), 2, [&](const ScheduledRun& r) { observed.run(r); });
  ASSERT_EQ(observed.started.size(), 4u);
  // Two workers start at once: the two longest, in either order.
  EXPECT_EQ(std::min(observed.started[0], observed.started[1]), 1u);
  EXPECT_EQ(std::max(observed.started[0], observed.started[1]), 2u);
  EXPECT_LE(observed.most.load(), 2);
}

TEST(Scheduler, EveryRunIsMadeOnceAndNoMoreAtOnceThanTheWorkers) {
  Observed observed;
  run_longest_first(runs_expecting({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}), 3, [&](const ScheduledRun& r) { observed.run(r); });
  std::vector<std::size_t> started = observed.started;
  std::sort(started.begin(), started.end());
  EXPECT_EQ(started, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_LE(observed.most.load(), 3);
}

TEST(Scheduler, MoreWorkersThanRunsIsNotAnError) {
  Observed observed;
  run_longest_first(runs_expecting({1, 2}), 16, [&](const ScheduledRun& r) { observed.run(r); });
  EXPECT_EQ(observed.started.size(), 2u);
  run_longest_first({}, 4, [&](const ScheduledRun& r) { observed.run(r); });
  EXPECT_EQ(observed.started.size(), 2u);
}

}  // namespace
}  // namespace ea::harness
