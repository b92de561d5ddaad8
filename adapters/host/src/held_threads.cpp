#include "held_threads.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace ea::host {
namespace {

using Clock = std::chrono::steady_clock;

struct Hold {
  std::mutex mutex;
  std::condition_variable released;
  Clock::time_point until;
  int threads_held = 0;
  bool released_by_limit = false;
};

Hold& hold() {
  static Hold instance;
  return instance;
}

// Whether a probe holds. Written under Hold::mutex, and read without it on
// every schedule point: the common case (nobody holds) must cost one load.
std::atomic<bool> hold_active{false};
std::mutex one_probe_at_a_time;
thread_local bool is_holder = false;
thread_local bool holder_waited = false;

}  // namespace

HeldThreads::HeldThreads(std::chrono::milliseconds limit) {
  one_probe_at_a_time.lock();
  is_holder = true;
  holder_waited = false;
  auto& h = hold();
  std::lock_guard lock(h.mutex);
  h.until = Clock::now() + limit;
  h.threads_held = 0;
  h.released_by_limit = false;
  hold_active.store(true, std::memory_order_release);
}

HeldThreads::~HeldThreads() { let_go(); }

HoldSummary HeldThreads::let_go() {
  if (!holding_) return summary_;
  holding_ = false;
  auto& h = hold();
  {
    std::lock_guard lock(h.mutex);
    hold_active.store(false, std::memory_order_release);
    summary_ = {h.threads_held, h.released_by_limit, holder_waited};
  }
  h.released.notify_all();
  is_holder = false;
  one_probe_at_a_time.unlock();
  return summary_;
}

void note_completion_wait() {
  if (is_holder) holder_waited = true;
}

void wait_if_held() {
  if (!hold_active.load(std::memory_order_acquire) || is_holder) return;
  auto& h = hold();
  std::unique_lock lock(h.mutex);
  if (!hold_active.load(std::memory_order_relaxed) || Clock::now() >= h.until) return;
  ++h.threads_held;
  if (!h.released.wait_until(lock, h.until, [] { return !hold_active.load(std::memory_order_relaxed); })) h.released_by_limit = true;
}

}  // namespace ea::host
