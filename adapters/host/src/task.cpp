#include "task.hpp"

#include <thread>

#include "endaccept/host/outcome.hpp"
#include "endaccept/host/jitter.hpp"

namespace ea::host {

std::shared_ptr<Task> Task::start(std::function<Json()> work) {
  auto task = std::make_shared<Task>();
  std::thread([task, work = std::move(work)] {
    Json reply;
    try {
      reply = work();
    } catch (...) {
      reply = {{"outcome", outcome_from_exception(std::current_exception())}};
    }
    {
      std::lock_guard lock(task->mutex_);
      task->reply_ = std::move(reply);
    }
    task->finished_.notify_all();
  }).detach();
  return task;
}

std::shared_ptr<Task> Task::start_parked(std::function<Json()> work, std::shared_ptr<StartGate> gate) {
  return start([work = std::move(work), gate = std::move(gate)] {
    no_jitter_on_this_thread();
    // Spin, yielding now and then: the gate opens within milliseconds, and a
    // sleeping thread would wake too late to race its siblings. Then wait for
    // the siblings too, so that all leave once every one of them is running.
    for (std::uint64_t spins = 0; !gate->open.load(std::memory_order_acquire); ++spins)
      if (spins % 4096 == 4095) std::this_thread::yield();
    gate->arrivals->fetch_add(1, std::memory_order_acq_rel);
    for (std::uint64_t spins = 0; gate->arrivals->load(std::memory_order_acquire) < gate->released_together; ++spins)
      if (spins % 4096 == 4095) std::this_thread::yield();
    return work();
  });
}

std::optional<Json> Task::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  finished_.wait_for(lock, timeout, [this] { return reply_.has_value(); });
  return reply_;
}

}  // namespace ea::host
