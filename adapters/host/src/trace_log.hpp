#pragma once
// The trace lines an implementation emitted since tracing was enabled.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "endaccept/apm/socket.hpp"

namespace ea::host {

class TraceLog : public std::enable_shared_from_this<TraceLog> {
 public:
  apm::TraceSink sink() {
    return [self = shared_from_this()](const std::string& line) {
      std::lock_guard lock(self->mutex_);
      self->events_.push_back(line);
    };
  }

  void clear() {
    std::lock_guard lock(mutex_);
    events_.clear();
  }

  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
};

}  // namespace ea::host
