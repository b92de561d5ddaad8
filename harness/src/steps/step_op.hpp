#pragma once
// A step op declared once: its fields (with the kind of name each defines or
// uses), the capability it needs, its extra rules, its words for a reader
// and what the harness does. The case loader, the interpreter, the case
// schema (cases/case.schema.json) and the step words of the docs and the
// HTML report all read these declarations; see cases/README.md for the
// recipe to add one.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "case_result.hpp"
#include "json_file.hpp"

namespace ea::harness {

class StepContext;
class StepCheck;

enum class FieldType {
  name,            // a name of the case (socket, result, task, client, ...)
  nullable_name,   // a name, or null for "no object"
  names,           // a non-empty list of names
  outcome,         // an expected outcome (spec/vocabulary.json)
  outcomes,        // a non-empty list of expected outcomes
  state,           // an AsyncState: null, {"socket": name} or {"object": label}
  data,            // printable ASCII bytes
  byte_count,      // a number of bytes
  hold_ms,         // a hold period (spec/vocabulary.json, timing)
  within_ms,       // a deadline
  count,           // a small non-negative integer
  boolean,
  choice,          // one of `choices`
  text,            // free text, e.g. a substring to look for
};

enum class NameRole { none, uses, defines };

struct StepField {
  std::string name;
  FieldType type = FieldType::text;
  bool required = false;
  NameRole role = NameRole::none;
  std::string kind;  // the kind of name used or defined (role != none)
  std::string description;
  Json default_value;  // null: none
  std::vector<std::string> choices;
  std::map<std::string, std::string> capability_for_choice;
  int minimum = 0;
  int maximum = 0;  // for count and byte_count; 0: the type's own bound
};

// Builders that read like the table they make.
StepField uses(std::string field, std::string kind, std::string description);
StepField defines(std::string field, std::string kind, std::string description);
StepField field(std::string field, FieldType type, std::string description);

StepField required(StepField field);
StepField optional(StepField field);
StepField nullable(StepField field);
StepField many(StepField field);  // a list of names  // a name, or null for "no object"
StepField with_default(StepField field, Json value);
StepField one_of(StepField field, std::vector<std::string> choices,
                 std::map<std::string, std::string> capability_for_choice = {});
// For counts the range of the value; for lists the least number of items.
StepField at_most(StepField field, int minimum, int maximum);

using StepRun = std::function<void(StepContext&, const Json& step, StepRecord& record)>;

// What a case does after this op's step failed. Most failures leave the
// adapter able to answer, so the case goes on and later steps that do not
// depend on the failed one are still observed (a step that uses a name the
// failed step should have made is not run). An op whose failure makes every
// later step meaningless or unsafe stops the case; a step in a case file may
// also say "then": "stop".
enum class AfterFailure { go_on, stop };
using StepRule = std::function<void(StepCheck&)>;

struct StepOp {
  std::string name;
  std::string concern;  // accept, client, result, callback, descriptors, trace
  std::string summary;  // what the harness does and checks, for the vocabulary table
  std::vector<StepField> fields;
  std::optional<std::string> capability;  // the case must declare it in "requires"
  StepRule rule;                          // rules beyond names and types; may be empty
  Json words;                             // a words template (harness/python/conformance/views/step_words.py)
  StepRun run;
  AfterFailure after_failure = AfterFailure::go_on;
  // The body of a standalone C# program's step (reports/repro/, rendered by
  // harness/python/conformance/views/reproducer.py); empty: this op cannot be
  // reproduced without the harness.
  std::string csharp;

  const StepField* find(const std::string& field) const;
};

// What a concern file contributes.
std::vector<StepOp> accept_steps();
std::vector<StepOp> task_steps();
std::vector<StepOp> client_steps();
std::vector<StepOp> result_steps();
std::vector<StepOp> callback_steps();
std::vector<StepOp> descriptor_steps();
std::vector<StepOp> trace_steps();

}  // namespace ea::harness
