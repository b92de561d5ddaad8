#include "endaccept/posix_impl/background_result.hpp"

#include <algorithm>
#include <utility>

namespace ea::posix_impl {

BackgroundResult::BackgroundResult(apm::AsyncCallback callback, apm::State state)
    : callback_(std::move(callback)), state_(std::move(state)) {}

bool BackgroundResult::is_completed() const {
  std::lock_guard lock(mutex_);
  return completed_;
}

bool BackgroundResult::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (timeout < std::chrono::milliseconds::zero()) {
    completed_changed_.wait(lock, [this] { return completed_; });
    return true;
  }
  // Bounded so that the deadline below cannot overflow the clock.
  constexpr auto longest = std::chrono::hours(24 * 365);
  const auto deadline = std::chrono::steady_clock::now() + std::min<std::chrono::nanoseconds>(timeout, longest);
  return completed_changed_.wait_until(lock, deadline, [this] { return completed_; });
}

void BackgroundResult::run_callback() {
  apm::AsyncCallback callback;
  {
    std::lock_guard lock(mutex_);
    callback = std::exchange(callback_, nullptr);
  }
  // An exception escaping the callback ends the process, as an unhandled
  // exception in a .NET thread-pool callback does.
  if (callback) callback(shared_from_this());
}

void BackgroundResult::mark_completed_locked() {
  completed_ = true;
  completed_changed_.notify_all();
}

void BackgroundResult::wait_completed_locked(std::unique_lock<std::mutex>& lock) {
  completed_changed_.wait(lock, [this] { return completed_; });
}

}  // namespace ea::posix_impl
