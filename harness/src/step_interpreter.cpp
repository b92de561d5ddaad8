#include "step_interpreter.hpp"

#include "steps/step_table.hpp"

namespace ea::harness {

void StepInterpreter::run(const Json& step, StepRecord& record) {
  const std::string op = step.at("op");
  const StepOp* declared = find_step_op(op);
  // Case files are validated before any run, so this is a harness bug.
  if (!declared) throw std::logic_error("no step op " + op);
  declared->run(context_, step, record);
}

}  // namespace ea::harness
