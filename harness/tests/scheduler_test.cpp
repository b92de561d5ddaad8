// The pool's order and bound: longest first, and under shared slots at most
// one case beyond the pipe's bytes (the runner's own slot), which goes to
// the longest run.
#include "scheduler.hpp"

#include <fcntl.h>
#include <unistd.h>

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

// A jobserver pipe holding `bytes` bytes, as the driver makes it.
class SlotPipe {
 public:
  explicit SlotPipe(int bytes) {
    EXPECT_EQ(::pipe(fds_), 0);
    const std::string tokens(static_cast<std::size_t>(bytes), '+');
    if (bytes > 0) {
      EXPECT_EQ(::write(fds_[1], tokens.data(), tokens.size()), bytes);
    }
    slots_ = SharedSlots::from_text(std::to_string(fds_[0]) + "," + std::to_string(fds_[1]));
  }
  ~SlotPipe() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  const SharedSlots* slots() const { return &slots_; }
  int bytes_left() const {
    ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
    char buffer[256];
    const ssize_t n = ::read(fds_[0], buffer, sizeof buffer);
    return n < 0 ? 0 : static_cast<int>(n);
  }

 private:
  int fds_[2] = {-1, -1};
  SharedSlots slots_;
};

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
  run_longest_first(runs_expecting({1, 30, 20}), 1, nullptr, [&](const ScheduledRun& r) { observed.run(r); });
  EXPECT_EQ(observed.started, (std::vector<std::size_t>{0, 1, 2}));
}

TEST(Scheduler, InParallelTheLongestGoFirst) {
  Observed observed;
  run_longest_first(runs_expecting({1, 30, 20, 5}), 2, nullptr, [&](const ScheduledRun& r) { observed.run(r); });
  ASSERT_EQ(observed.started.size(), 4u);
  // Two workers start at once: the two longest, in either order.
  EXPECT_EQ(std::min(observed.started[0], observed.started[1]), 1u);
  EXPECT_EQ(std::max(observed.started[0], observed.started[1]), 2u);
  EXPECT_LE(observed.most.load(), 2);
}

TEST(Scheduler, AnEmptyPipeStillRunsEveryCaseOnTheRunnersOwnSlotLongestFirst) {
  // Other runners hold every byte (or there are none: the driver then
  // gives the runner one worker): its own slot is enough to make progress,
  // and its longest case is the one it starts with.
  SlotPipe pipe(0);
  Observed observed;
  run_longest_first(runs_expecting({1, 30, 20, 5, 2}), 1, pipe.slots(),
                    [&](const ScheduledRun& r) { observed.run(r); });
  EXPECT_EQ(observed.started, (std::vector<std::size_t>{1, 2, 3, 4, 0}));
  EXPECT_EQ(observed.most.load(), 1);
}

TEST(Scheduler, SharedSlotsBoundTheRunsToThePipesBytesPlusTheOwnSlotAndAreAllGivenBack) {
  SlotPipe pipe(2);
  Observed observed;
  run_longest_first(runs_expecting({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}), 8, pipe.slots(),
                    [&](const ScheduledRun& r) { observed.run(r); });
  EXPECT_EQ(observed.started.size(), 10u);
  EXPECT_LE(observed.most.load(), 3);
  EXPECT_EQ(pipe.bytes_left(), 2);
}

}  // namespace
}  // namespace ea::harness
