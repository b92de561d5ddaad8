#pragma once
// Performs the steps of a case against one adapter process, playing the
// remote host itself, and judges each step. What each op does is declared
// with the op in steps/*_steps.cpp.
#include "steps/step_context.hpp"

namespace ea::harness {

class StepInterpreter {
 public:
  StepInterpreter(AdapterSession& session, AdapterProcess& process, const Timing& timing,
                  Clock::time_point case_deadline)
      : context_(session, process, timing, case_deadline) {}

  // Fills record.observed / record.expected; throws StepFailed on a
  // mismatch, and lets protocol, crash and timeout exceptions through.
  void run(const Json& step, StepRecord& record);

 private:
  StepContext context_;
};

}  // namespace ea::harness
