#pragma once
// A result the caller built itself: no BeginAccept ever saw it. EndAccept must
// reject it with ArgumentException; implementations' tests use it as the
// adapter host does.
#include "endaccept/apm/async_result.hpp"

namespace ea::apm {

class CallerMadeResult final : public AsyncResult {
 public:
  bool is_completed() const override { return true; }
  bool completed_synchronously() const override { return true; }
  State async_state() const override { return nullptr; }
  bool wait(std::chrono::milliseconds) override { return true; }
};

}  // namespace ea::apm
