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

// What happened, in order, across the workers.
struct Journal {
  std::mutex lock;
  std::vector<std::string> events;
  void add(const std::string& event) {
    const std::lock_guard<std::mutex> hold(lock);
    events.push_back(event);
  }
  std::size_t position(const std::string& event) {
    const std::lock_guard<std::mutex> hold(lock);
    return static_cast<std::size_t>(std::find(events.begin(), events.end(), event) - events.begin());
  }
};

TEST(Scheduler, WithAHeadStartNoOtherRunStartsBeforeTheLongestHasBegun) {
  HeadStart head_start(std::chrono::minutes(1));
  Journal journal;
  run_longest_first(runs_expecting({1, 30, 20, 5}), 4, [&](const ScheduledRun& r) {
    journal.add("start " + std::to_string(r.case_index));
    if (r.case_index == 1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the adapter's start: nobody else yet
      journal.add("begun");
      head_start.begun();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // its hold: the others run meanwhile
    }
    journal.add("end " + std::to_string(r.case_index));
  }, &head_start);
  EXPECT_EQ(journal.events.front(), "start 1");
  EXPECT_EQ(journal.events[1], "begun");
  for (const char* other : {"start 0", "start 2", "start 3"}) {
    EXPECT_GT(journal.position(other), journal.position("begun")) << other;
    EXPECT_LT(journal.position(other), journal.events.size()) << other << " never ran";
  }
  EXPECT_EQ(journal.events.size(), 9u);
}

TEST(Scheduler, ALongestRunThatEndsWithoutBeginningLetsTheOthersGo) {
  // Its adapter never answered a step (it crashed at hello): the head start
  // ends with it, not at the bound.
  HeadStart head_start(std::chrono::minutes(10));
  Journal journal;
  run_longest_first(runs_expecting({1, 30, 20}), 3, [&](const ScheduledRun& r) {
    journal.add("start " + std::to_string(r.case_index));
    journal.add("end " + std::to_string(r.case_index));
  }, &head_start);
  EXPECT_EQ(journal.events.size(), 6u);
  EXPECT_EQ(journal.events.front(), "start 1");
  EXPECT_EQ(journal.events[1], "end 1");
  EXPECT_TRUE(head_start.has_begun());
}

TEST(Scheduler, TheHeadStartIsBoundedTheOthersDoNotWaitForALongestRunThatNeverBegins) {
  // The longest run hangs without beginning until it sees another run start:
  // that only happens if the head start's bound lets the others go.
  HeadStart head_start(std::chrono::milliseconds(20));
  std::atomic<bool> another_started{false};
  std::atomic<bool> saw_another{false};
  run_longest_first(runs_expecting({1, 30}), 2, [&](const ScheduledRun& r) {
    if (r.case_index == 0) {
      another_started = true;
      return;
    }
    for (int i = 0; i < 6000 && !another_started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    saw_another = another_started.load();
  }, &head_start);
  EXPECT_TRUE(saw_another.load());
}

}  // namespace
}  // namespace ea::harness
