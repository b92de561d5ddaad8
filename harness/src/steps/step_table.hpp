#pragma once
// Every step op of the case vocabulary, from the concern files
// (accept_steps.cpp, client_steps.cpp, ...), and what derives from them.
#include <string>
#include <vector>

#include "step_check.hpp"
#include "step_op.hpp"

namespace ea::harness {

const std::vector<StepOp>& step_table();
// nullptr for an op no concern declares.
const StepOp* find_step_op(const std::string& name);

// The JSON Schema of a case file (committed as cases/case.schema.json, which
// a test keeps current): the case fields from spec/vocabulary.json, each
// step op from its declaration.
Json case_schema();

// Everything the loader checks of one schema-valid step beyond its shape:
// names used were defined earlier, capabilities declared, holds shorter
// than deadlines, outcomes well-formed; the names it defines enter the
// scope; then the op's own rule runs.
void check_step(const StepOp& op, StepCheck& check);

}  // namespace ea::harness
