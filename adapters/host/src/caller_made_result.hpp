#pragma once
// A result the caller built itself: BeginAccept never saw it.
#include "endaccept/apm/async_result.hpp"

namespace ea::host {

class CallerMadeResult final : public apm::AsyncResult {
 public:
  bool is_completed() const override { return true; }
  bool completed_synchronously() const override { return true; }
  apm::State async_state() const override { return nullptr; }
  bool wait(std::chrono::milliseconds) override { return true; }
};

}  // namespace ea::host
