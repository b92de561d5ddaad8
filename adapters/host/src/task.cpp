#include "task.hpp"

#include <thread>

#include "endaccept/host/outcome.hpp"

namespace ea::host {

std::shared_ptr<Task> Task::start(std::function<Json()> work) {
  auto task = std::make_shared<Task>();
  std::thread([task, work = std::move(work)] {
    Json outcome;
    try {
      outcome = work();
    } catch (...) {
      outcome = outcome_from_exception(std::current_exception());
    }
    {
      std::lock_guard lock(task->mutex_);
      task->outcome_ = std::move(outcome);
    }
    task->finished_.notify_all();
  }).detach();
  return task;
}

std::optional<Json> Task::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  finished_.wait_for(lock, timeout, [this] { return outcome_.has_value(); });
  return outcome_;
}

}  // namespace ea::host
