#include "endaccept/asio_ref/async_operation.hpp"

#include <thread>
#include <utility>

#include "endaccept/asio_ref/mutant.hpp"

namespace ea::asio_ref {

AsyncOperation::AsyncOperation(apm::AsyncCallback callback, apm::State state)
    : callback_(std::move(callback)), state_(std::move(state)) {}

bool AsyncOperation::is_completed() const {
  if (mutant::active(Mutant::is_completed_early)) return true;
  std::lock_guard lock(mutex_);
  return completed_;
}

bool AsyncOperation::completed_synchronously() const {
  return mutant::active(Mutant::completed_synchronously_lies);
}

apm::State AsyncOperation::async_state() const {
  if (mutant::active(Mutant::async_state_replaced)) return nullptr;
  return state_;
}

bool AsyncOperation::wait(std::chrono::milliseconds timeout) {
  if (mutant::active(Mutant::wait_handle_never_signalled)) {
    std::this_thread::sleep_for(timeout);
    return false;
  }
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return completed_; });
}

void AsyncOperation::finish(std::error_code error) {
  {
    std::lock_guard lock(mutex_);
    completed_ = true;
    error_ = error;
  }
  changed_.notify_all();
  call_back();
}

void AsyncOperation::call_back() {
  apm::AsyncCallback callback;
  {
    std::lock_guard lock(mutex_);
    callback = std::exchange(callback_, nullptr);
  }
  if (!callback) return;
  struct CallingBack {
    std::atomic<bool>& flag;
    explicit CallingBack(std::atomic<bool>& flag) : flag(flag) { flag = true; }
    ~CallingBack() { flag = false; }
  } calling_back(calling_back_);
  const std::shared_ptr<apm::AsyncResult> self = shared_from_this();
  callback(self);
  if (mutant::active(Mutant::callback_twice)) callback(self);
}

}  // namespace ea::asio_ref
