#include "step_op.hpp"

namespace ea::harness {

StepField uses(std::string field, std::string kind, std::string description) {
  StepField f;
  f.name = std::move(field);
  f.type = FieldType::name;
  f.required = true;
  f.role = NameRole::uses;
  f.kind = std::move(kind);
  f.description = std::move(description);
  return f;
}

StepField defines(std::string field, std::string kind, std::string description) {
  StepField f = uses(std::move(field), std::move(kind), std::move(description));
  f.role = NameRole::defines;
  return f;
}

StepField field(std::string field, FieldType type, std::string description) {
  StepField f;
  f.name = std::move(field);
  f.type = type;
  f.description = std::move(description);
  return f;
}

StepField required(StepField field) {
  field.required = true;
  return field;
}

StepField optional(StepField field) {
  field.required = false;
  return field;
}

StepField nullable(StepField field) {
  field.type = FieldType::nullable_name;
  return field;
}

StepField many(StepField field) {
  field.type = FieldType::names;
  return field;
}

StepField with_default(StepField field, Json value) {
  field.required = false;
  field.default_value = std::move(value);
  return field;
}

StepField one_of(StepField field, std::vector<std::string> choices,
                 std::map<std::string, std::string> capability_for_choice) {
  field.type = FieldType::choice;
  field.choices = std::move(choices);
  field.capability_for_choice = std::move(capability_for_choice);
  return field;
}

StepField at_most(StepField field, int minimum, int maximum) {
  field.minimum = minimum;
  field.maximum = maximum;
  return field;
}

const StepField* StepOp::find(const std::string& field) const {
  for (const auto& f : fields)
    if (f.name == field) return &f;
  return nullptr;
}

}  // namespace ea::harness
