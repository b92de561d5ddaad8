#pragma once
// What a case may still observe after a step failed: the names the failed
// step should have made (a socket EndAccept should have returned, a result,
// a client) do not exist, so a later step that uses one is not run, and what
// that step would have made does not exist either. Every other later step
// runs: its outcome does not depend on the failure.
#include <optional>
#include <set>
#include <string>

#include "step_op.hpp"

namespace ea::harness {

class FailureScope {
 public:
  // The step failed: the names it defines were not made.
  void failed(const StepOp& op, const Json& step);
  // The step was not run: the names it defines were not made either.
  void not_run(const StepOp& op, const Json& step) { failed(op, step); }
  // A name the step uses that an earlier failed or unrun step did not make.
  std::optional<std::string> missing_name(const StepOp& op, const Json& step) const;

  // The op's policy, or the step's own "then": "stop".
  static bool stops_case(const StepOp& op, const Json& step);

 private:
  std::set<std::string> unmade_;
};

}  // namespace ea::harness
