#pragma once
// An IAsyncResult that a background thread completes. Completion never happens
// on the thread that began the operation, so CompletedSynchronously is false.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "endaccept/apm/async_result.hpp"
#include "endaccept/posix_impl/explored_mutex.hpp"

namespace ea::posix_impl {

class BackgroundResult : public apm::AsyncResult,
                         public std::enable_shared_from_this<BackgroundResult> {
 public:
  bool is_completed() const final;
  bool completed_synchronously() const final { return synchronously_.load(); }
  apm::State async_state() const override;
  // A negative timeout waits without limit (Timeout.Infinite).
  bool wait(std::chrono::milliseconds timeout) final;

  // Called by the completing thread after completion; runs the callback at
  // most once however often it is called.
  void run_callback();
  // Only mutants call it: this implementation never completes on the
  // thread that began the operation.
  void report_synchronous() noexcept { synchronously_.store(true); }

 protected:
  BackgroundResult(apm::AsyncCallback callback, apm::State state);

  // The following require `mutex_` held; derived classes keep their outcome
  // under the same mutex so that outcome and completion change together.
  bool completed_locked() const noexcept { return completed_; }
  void mark_completed_locked();
  void wait_completed_locked(std::unique_lock<ExploredMutex>& lock);
  // False when `timeout` passed first.
  bool wait_completed_locked_for(std::unique_lock<ExploredMutex>& lock, std::chrono::milliseconds timeout);
  // Whether an outcome has been stored, published or not (mutex_ held).
  virtual bool outcome_stored_locked() const noexcept { return false; }

  mutable ExploredMutex mutex_;

 private:
  std::condition_variable_any completed_changed_;
  bool completed_ = false;
  apm::AsyncCallback callback_;
  apm::State state_;
  std::weak_ptr<void> weak_state_;  // instead of state_ under async-state-weak
  std::atomic<bool> synchronously_{false};
};

}  // namespace ea::posix_impl
