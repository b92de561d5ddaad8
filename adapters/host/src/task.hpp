#pragma once
// A call run on its own thread. The request thread only waits on its
// completion, so a call that never returns cannot stall the protocol; the
// thread is detached because the process may end while it is still blocked.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "endaccept/host/adapter.hpp"

namespace ea::host {

// Where a parked task waits. release_tasks gives every gate of one release
// the same arrival counter and the number of tasks, then opens them.
struct StartGate {
  std::atomic<bool> open{false};
  std::shared_ptr<std::atomic<int>> arrivals;
  int released_together = 0;

  void open_with(std::shared_ptr<std::atomic<int>> shared_arrivals, int count) {
    arrivals = std::move(shared_arrivals);
    released_together = count;
    open.store(true, std::memory_order_release);
  }
};

class Task {
 public:
  // `work` returns the fields of the await_task reply once done: at least
  // {"outcome": {...}}.
  static std::shared_ptr<Task> start(std::function<Json()> work);
  // The same, but the thread waits at `gate` until release_tasks opens it,
  // then for the other tasks released with it, so that they all start
  // within nanoseconds of each other.
  static std::shared_ptr<Task> start_parked(std::function<Json()> work, std::shared_ptr<StartGate> gate);

  // The reply fields, if the call finished within `timeout`.
  std::optional<Json> wait_for(std::chrono::milliseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable finished_;
  std::optional<Json> reply_;
};

}  // namespace ea::host
