#include "endaccept/posix_impl/background_result.hpp"

#include "endaccept/host/jitter.hpp"

#include <algorithm>
#include <utility>

#include "endaccept/posix_impl/mutant.hpp"

namespace ea::posix_impl {

BackgroundResult::BackgroundResult(apm::AsyncCallback callback, apm::State state)
    : callback_(std::move(callback)) {
  if (mutant::active(Mutant::async_state_weak)) {
    // MUTANT async-state-weak: the state is often the listener, which keeps
    // its outstanding results; a strong reference here would make a cycle.
    weak_state_ = state;
  } else {
    state_ = std::move(state);
  }
}

apm::State BackgroundResult::async_state() const {
  if (mutant::active(Mutant::async_state_weak)) return weak_state_.lock();
  return state_;
}

bool BackgroundResult::is_completed() const {
  std::lock_guard lock(mutex_);
  // MUTANT is-completed-when-stored: IsCompleted answers "is there an
  // outcome to end?", which is true as soon as a socket or error is stored.
  if (mutant::active(Mutant::is_completed_when_stored)) return completed_ || outcome_stored_locked();
  return completed_;
}

bool BackgroundResult::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!completed_) host::completion_wait_point();
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
    if (mutant::active(Mutant::callback_again_on_close)) {
      // MUTANT callback-again-on-close: copied, not taken, so that Close can
      // still tell the callback of an accepted socket nobody ended.
      callback = callback_;
    } else {
      callback = std::exchange(callback_, nullptr);
    }
  }
  // An exception escaping the callback ends the process, as an unhandled
  // exception in a .NET thread-pool callback does.
  if (callback) callback(shared_from_this());
}

void BackgroundResult::mark_completed_locked() {
  completed_ = true;
  completed_changed_.notify_all();
}

void BackgroundResult::wait_completed_locked(std::unique_lock<ExploredMutex>& lock) {
  if (!completed_) host::completion_wait_point();
  completed_changed_.wait(lock, [this] { return completed_; });
}

bool BackgroundResult::wait_completed_locked_for(std::unique_lock<ExploredMutex>& lock,
                                                 std::chrono::milliseconds timeout) {
  if (!completed_) host::completion_wait_point();
  return completed_changed_.wait_for(lock, timeout, [this] { return completed_; });
}

}  // namespace ea::posix_impl
