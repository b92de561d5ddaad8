#include "case_loader.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "input_error.hpp"
#include "schema_validator.hpp"
#include "steps/step_table.hpp"

namespace ea::harness {

bool ConformanceCase::uses_ipv6() const {
  return std::any_of(steps.begin(), steps.end(),
                     [](const Json& step) { return step.value("family", "ipv4") == "ipv6"; });
}

namespace {

class CaseChecker {
 public:
  CaseChecker(const std::string& file, const std::string& pointer, const Catalog& catalog)
      : file_(file), pointer_(pointer), catalog_(catalog) {}

  ConformanceCase check(const Json& entry) {
    ConformanceCase result;
    result.id = entry["id"];
    result.title = entry["title"];
    result.explanation = entry["explanation"];
    result.level = parse_level(entry["level"]);
    result.file = file_;
    result.pointer = pointer_;
    result.steps = entry["steps"];
    result.race = entry.value("race", false);
    if (entry.contains("requires")) result.requires_capabilities = entry["requires"].get<std::vector<std::string>>();

    Level strictest = Level::info;
    for (std::size_t i = 0; i < entry["clauses"].size(); ++i) {
      const std::string id = entry["clauses"][i];
      const auto clause = catalog_.clauses.find(id);
      if (clause == catalog_.clauses.end())
        fail("/clauses/" + std::to_string(i), "unknown clause id " + id + " (see spec/clauses.json)");
      strictest = std::max(strictest, clause->second.level);
      result.clause_ids.push_back(id);
    }
    if (result.level > strictest)
      fail("/level", std::string("a case cannot be stricter than its clauses (strictest is ") + to_string(strictest) + ")");

    NameScope names;
    std::set<std::string> facts;
    for (std::size_t i = 0; i < result.steps.size(); ++i) {
      const Json& step = result.steps[i];
      StepCheck check(step, file_, pointer_ + "/steps/" + std::to_string(i), names, facts,
                      result.requires_capabilities);
      const StepOp* op = find_step_op(step["op"]);
      if (!op) check.fail("op", "unknown step op");  // the schema lists every op; kept for a stale schema
      check_step(*op, check);
    }
    return result;
  }

 private:
  [[noreturn]] void fail(const std::string& where, const std::string& reason) const {
    throw InputError(file_, pointer_ + where, reason);
  }

  std::string file_;
  std::string pointer_;
  const Catalog& catalog_;
};

const SchemaValidator& case_validator() {
  static const SchemaValidator validator(case_schema(), "the generated case schema");
  return validator;
}

}  // namespace

std::vector<ConformanceCase> check_case_table(const Json& table, const std::string& file, const Catalog& catalog) {
  case_validator().validate(table, file);
  std::vector<ConformanceCase> cases;
  for (std::size_t i = 0; i < table["cases"].size(); ++i) {
    CaseChecker checker(file, "/cases/" + std::to_string(i), catalog);
    cases.push_back(checker.check(table["cases"][i]));
  }
  return cases;
}

std::vector<ConformanceCase> load_cases(const std::filesystem::path& cases_dir, const Catalog& catalog) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(cases_dir)) {
    const auto& path = entry.path();
    if (path.extension() == ".json" && path.filename() != "case.schema.json") files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw InputError(cases_dir.string(), "", "no case files (*.json)");

  std::vector<ConformanceCase> cases;
  std::map<std::string, std::string> first_seen;  // id -> "file pointer"
  for (const auto& path : files) {
    const Json table = read_json_file(path);
    case_validator().validate(table, path.string());
    for (std::size_t i = 0; i < table["cases"].size(); ++i) {
      CaseChecker checker(path.string(), "/cases/" + std::to_string(i), catalog);
      auto loaded = checker.check(table["cases"][i]);
      const auto where = path.string() + " /cases/" + std::to_string(i);
      const auto [it, inserted] = first_seen.emplace(loaded.id, where);
      if (!inserted)
        throw InputError(path.string(), "/cases/" + std::to_string(i) + "/id",
                         "duplicate case id " + loaded.id + " (first defined at " + it->second + ")");
      cases.push_back(std::move(loaded));
    }
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return cases;
}

}  // namespace ea::harness
