#pragma once
// A call run on its own thread. The request thread only waits on its
// completion, so a call that never returns cannot stall the protocol; the
// thread is detached because the process may end while it is still blocked.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "endaccept/host/adapter.hpp"

namespace ea::host {

class Task {
 public:
  // `work` returns an outcome object.
  static std::shared_ptr<Task> start(std::function<Json()> work);

  // The outcome, if the call finished within `timeout`.
  std::optional<Json> wait_for(std::chrono::milliseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable finished_;
  std::optional<Json> outcome_;
};

}  // namespace ea::host
