#pragma once
// IAsyncResult: the handle BeginAccept returns and EndAccept consumes.
#include <chrono>
#include <functional>
#include <memory>

namespace ea::apm {

// The caller's AsyncState: any object, compared by identity (pointer).
using State = std::shared_ptr<void>;

class AsyncResult {
 public:
  virtual ~AsyncResult() = default;

  virtual bool is_completed() const = 0;
  virtual bool completed_synchronously() const = 0;
  virtual State async_state() const = 0;

  // AsyncWaitHandle.WaitOne(timeout): true once the operation has completed.
  virtual bool wait(std::chrono::milliseconds timeout) = 0;
};

using AsyncCallback = std::function<void(const std::shared_ptr<AsyncResult>&)>;

}  // namespace ea::apm
