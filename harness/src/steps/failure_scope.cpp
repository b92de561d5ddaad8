#include "failure_scope.hpp"

namespace ea::harness {
namespace {

// The names a field holds: one, a list, or the socket of an AsyncState.
std::set<std::string> names_in(const StepField& field, const Json& value) {
  std::set<std::string> names;
  if (value.is_string() && (field.type == FieldType::name || field.type == FieldType::nullable_name)) names.insert(value);
  if (value.is_array() && field.type == FieldType::names)
    for (const auto& name : value)
      if (name.is_string()) names.insert(name);
  if (value.is_object() && field.type == FieldType::state && value.contains("socket") && value["socket"].is_string())
    names.insert(value["socket"]);
  return names;
}

}  // namespace

void FailureScope::failed(const StepOp& op, const Json& step) {
  for (const auto& field : op.fields)
    if (field.role == NameRole::defines && step.contains(field.name))
      for (const auto& name : names_in(field, step[field.name])) unmade_.insert(name);
}

std::optional<std::string> FailureScope::missing_name(const StepOp& op, const Json& step) const {
  for (const auto& field : op.fields) {
    if (!step.contains(field.name)) continue;
    if (field.role != NameRole::uses && field.type != FieldType::state) continue;
    for (const auto& name : names_in(field, step[field.name]))
      if (unmade_.count(name)) return name;
  }
  return std::nullopt;
}

bool FailureScope::stops_case(const StepOp& op, const Json& step) {
  return op.after_failure == AfterFailure::stop || step.value("then", "") == "stop";
}

}  // namespace ea::harness
