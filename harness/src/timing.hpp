#pragma once
// Every duration the harness uses, scaled by --timeout-scale. Holds are
// one-sided (a correct implementation cannot fail them); deadlines are
// generous (only a broken or starved implementation reaches them).
#include <chrono>

#include "json_file.hpp"
#include "vocabulary.hpp"

namespace ea::harness {

using Milliseconds = std::chrono::milliseconds;

struct Timing {
  double scale = 1.0;
  int default_hold_ms = vocabulary::kDefault_hold_ms;
  int default_within_ms = vocabulary::kDefault_within_ms;
  int reply_grace_ms = vocabulary::kDefault_reply_grace_ms;  // added to the adapter's own wait for its reply
  int case_limit_ms = vocabulary::kDefault_case_limit_ms;
  int exit_grace_ms = vocabulary::kDefault_exit_grace_ms;

  Milliseconds scaled(int ms) const { return Milliseconds(static_cast<long long>(ms * scale)); }
  Milliseconds hold(const Json& step) const { return scaled(step.value("hold_ms", default_hold_ms)); }
  Milliseconds within(const Json& step) const { return scaled(step.value("within_ms", default_within_ms)); }
  Milliseconds reply_grace() const { return scaled(reply_grace_ms); }
  Milliseconds case_limit() const { return scaled(case_limit_ms); }
  Milliseconds exit_grace() const { return scaled(exit_grace_ms); }

  Json to_json() const;
};

}  // namespace ea::harness
