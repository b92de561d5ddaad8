#pragma once
// What every asynchronous operation of the reference shares: the completion
// event behind IsCompleted / AsyncWaitHandle, the caller's AsyncState, and
// the callback, called once on the worker thread that completes it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>

#include "endaccept/apm/async_result.hpp"

namespace ea::asio_ref {

class AsyncOperation : public apm::AsyncResult, public std::enable_shared_from_this<AsyncOperation> {
 public:
  AsyncOperation(apm::AsyncCallback callback, apm::State state);

  bool is_completed() const override;
  // Always false: completion is never reported from inside the Begin call.
  bool completed_synchronously() const override;
  apm::State async_state() const override;
  bool wait(std::chrono::milliseconds timeout) override;

  // Only Mutant::end_in_callback_fails asks.
  bool calling_back() const noexcept { return calling_back_; }
  // Only Mutant::callback_inline calls this, from inside BeginAccept.
  void call_back_now() { call_back(); }

 protected:
  // Marks the operation complete with `error`, wakes waiters, then calls back.
  void finish(std::error_code error);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool completed_ = false;  // guarded by mutex_
  std::error_code error_;   // guarded by mutex_

 private:
  void call_back();

  apm::AsyncCallback callback_;  // guarded by mutex_; emptied when called
  const apm::State state_;
  std::atomic<bool> calling_back_{false};
};

}  // namespace ea::asio_ref
