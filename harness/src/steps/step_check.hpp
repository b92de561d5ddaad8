#pragma once
// What a step's own rule sees while the loader checks a case: the step, the
// names earlier steps defined, facts earlier steps recorded, and a way to
// reject the step at a JSON pointer.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "json_file.hpp"

namespace ea::harness {

// Names a case has defined so far, per kind, with tags (e.g. a result
// whose BeginAccept had a callback).
class NameScope {
 public:
  void define(const std::string& kind, const std::string& name, std::set<std::string> tags = {});
  bool has(const std::string& kind, const std::string& name) const;
  bool has_tag(const std::string& kind, const std::string& name, const std::string& tag) const;

 private:
  std::map<std::string, std::map<std::string, std::set<std::string>>> defined_;
};

class StepCheck {
 public:
  StepCheck(const Json& step, std::string file, std::string step_pointer, NameScope& names,
            std::set<std::string>& case_facts, const std::vector<std::string>& declared_capabilities)
      : step(step),
        names(names),
        facts(case_facts),
        file_(std::move(file)),
        pointer_(std::move(step_pointer)),
        declared_(declared_capabilities) {}

  const Json& step;
  NameScope& names;
  std::set<std::string>& facts;  // per case, e.g. "descriptors-limited"

  bool has(const char* field) const { return step.contains(field); }
  std::string text(const char* field, const std::string& otherwise = "") const;
  [[noreturn]] void fail(const std::string& field, const std::string& reason) const;
  void need_capability(const std::string& capability) const;
  // A state ({"socket": name}) must name a socket an earlier step defined.
  void state_names_known_socket(const char* field) const;
  std::string pointer_of(const std::string& field) const;

 private:
  std::string file_;
  std::string pointer_;
  const std::vector<std::string>& declared_;
};

}  // namespace ea::harness
