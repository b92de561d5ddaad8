#include "callback_recorder.hpp"

namespace ea::host {

std::shared_ptr<apm::AsyncResult> CallbackRecorder::call_begin(const Begin& begin) {
  std::lock_guard lock(begin_mutex_);
  begin_thread_ = std::this_thread::get_id();
  try {
    auto result = begin();
    begin_result_ = result.get();
    begin_returned_ = true;
    return result;
  } catch (...) {
    begin_returned_ = true;
    throw;
  }
}

Invocation CallbackRecorder::enter(const apm::AsyncResult* result) {
  std::lock_guard lock(begin_mutex_);
  Invocation invocation;
  invocation.on_begin_thread = std::this_thread::get_id() == begin_thread_;
  invocation.begin_returned = begin_returned_;
  invocation.result = result;
  return invocation;
}

void CallbackRecorder::record(Invocation invocation) {
  {
    std::lock_guard lock(mutex_);
    invocations_.push_back(std::move(invocation));
  }
  recorded_.notify_all();
}

Json CallbackRecorder::report(std::size_t min_calls, std::chrono::milliseconds timeout) {
  const void* begin_result = nullptr;
  {
    std::lock_guard lock(begin_mutex_);
    begin_result = begin_result_;
  }
  std::unique_lock lock(mutex_);
  recorded_.wait_for(lock, timeout, [&] { return invocations_.size() >= min_calls; });
  Json invocations = Json::array();
  for (const auto& invocation : invocations_) {
    Json entry{{"on_begin_thread", invocation.on_begin_thread},
               {"begin_returned", invocation.begin_returned},
               {"same_result", invocation.result != nullptr && invocation.result == begin_result},
               {"async_state", invocation.async_state}};
    if (invocation.end_outcome) entry["end_outcome"] = *invocation.end_outcome;
    if (invocation.begin_outcome) entry["begin_outcome"] = *invocation.begin_outcome;
    if (invocation.close_outcome) entry["close_outcome"] = *invocation.close_outcome;
    invocations.push_back(std::move(entry));
  }
  return {{"calls", invocations_.size()}, {"invocations", std::move(invocations)}};
}

}  // namespace ea::host
