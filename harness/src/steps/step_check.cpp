#include "step_check.hpp"

#include <algorithm>

#include "input_error.hpp"

namespace ea::harness {

void NameScope::define(const std::string& kind, const std::string& name, std::set<std::string> tags) {
  defined_[kind][name] = std::move(tags);
}

bool NameScope::has(const std::string& kind, const std::string& name) const {
  const auto names = defined_.find(kind);
  return names != defined_.end() && names->second.count(name) > 0;
}

bool NameScope::has_tag(const std::string& kind, const std::string& name, const std::string& tag) const {
  const auto names = defined_.find(kind);
  if (names == defined_.end()) return false;
  const auto found = names->second.find(name);
  return found != names->second.end() && found->second.count(tag) > 0;
}

std::string StepCheck::text(const char* field, const std::string& otherwise) const {
  return step.contains(field) && step[field].is_string() ? step[field].get<std::string>() : otherwise;
}

std::string StepCheck::pointer_of(const std::string& field) const { return pointer_ + "/" + field; }

void StepCheck::fail(const std::string& field, const std::string& reason) const {
  throw InputError(file_, pointer_of(field), reason);
}

void StepCheck::need_capability(const std::string& capability) const {
  if (std::find(declared_.begin(), declared_.end(), capability) == declared_.end())
    throw InputError(file_, pointer_, "this step needs the case to declare \"requires\": [\"" + capability + "\"]");
}

void StepCheck::state_names_known_socket(const char* field) const {
  if (!step.contains(field) || !step[field].is_object() || !step[field].contains("socket")) return;
  if (!names.has("socket", step[field]["socket"]))
    fail(std::string(field) + "/socket", "refers to a socket no earlier step defines");
}

}  // namespace ea::harness
