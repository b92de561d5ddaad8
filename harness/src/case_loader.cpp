#include "case_loader.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "input_error.hpp"
#include "schema_validator.hpp"

namespace ea::harness {

bool ConformanceCase::uses_ipv6() const {
  return std::any_of(steps.begin(), steps.end(),
                     [](const Json& step) { return step.value("family", "ipv4") == "ipv6"; });
}

namespace {

// Tracks which names a case has defined so far, per kind, so a step that
// refers to something no earlier step created is caught before any run.
class NameScope {
 public:
  NameScope(const std::string& file, const std::string& case_pointer) : file_(file), case_pointer_(case_pointer) {}

  void define(const std::string& kind, const std::string& name) { defined_[kind].insert(name); }

  bool has(const std::string& kind, const std::string& name) const {
    const auto found = defined_.find(kind);
    return found != defined_.end() && found->second.count(name) > 0;
  }

  void require(const std::string& kind, const Json& step, const char* field, std::size_t step_index) const {
    if (!step.contains(field) || step[field].is_null()) return;
    const auto check = [&](const std::string& name, const std::string& pointer) {
      if (!has(kind, name))
        throw InputError(file_, pointer, "refers to " + kind + " '" + name + "', which no earlier step defines");
    };
    const auto base = case_pointer_ + "/steps/" + std::to_string(step_index) + "/" + field;
    if (step[field].is_array()) {
      for (std::size_t i = 0; i < step[field].size(); ++i) check(step[field][i], base + "/" + std::to_string(i));
    } else {
      check(step[field], base);
    }
  }

 private:
  std::string file_;
  std::string case_pointer_;
  std::map<std::string, std::set<std::string>> defined_;
};

class CaseChecker {
 public:
  CaseChecker(const std::string& file, const std::string& pointer, const Catalog& catalog)
      : file_(file), pointer_(pointer), catalog_(catalog), names_(file, pointer) {}

  ConformanceCase check(const Json& entry) {
    ConformanceCase result;
    result.id = entry["id"];
    result.title = entry["title"];
    result.explanation = entry["explanation"];
    result.level = parse_level(entry["level"]);
    result.file = file_;
    result.pointer = pointer_;
    result.steps = entry["steps"];
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

    for (std::size_t i = 0; i < result.steps.size(); ++i) check_step(result.steps[i], i, result.requires_capabilities);
    return result;
  }

 private:
  [[noreturn]] void fail(const std::string& where, const std::string& reason) const {
    throw InputError(file_, pointer_ + where, reason);
  }

  void need_capability(const std::vector<std::string>& declared, const std::string& capability, std::size_t index) {
    if (std::find(declared.begin(), declared.end(), capability) == declared.end())
      fail("/steps/" + std::to_string(index), "this step needs the case to declare \"requires\": [\"" + capability + "\"]");
  }

  void check_step(const Json& step, std::size_t index, const std::vector<std::string>& declared) {
    const std::string op = step["op"];
    const auto at = [&](const std::string& field) { return "/steps/" + std::to_string(index) + "/" + field; };

    if (step.contains("hold_ms") && step.contains("within_ms") && step["hold_ms"].get<int>() >= step["within_ms"].get<int>())
      fail(at("hold_ms"), "a hold period must be shorter than the step's deadline");

    if (op == "listen") {
      names_.define("listener", step["socket"]);
      names_.define("socket", step["socket"]);
      if (step.value("family", "ipv4") == "ipv6") need_capability(declared, "ipv6", index);
    } else if (op == "begin_accept") {
      names_.require("socket", step, "socket", index);
      if (step.contains("state") && step["state"].is_object() && step["state"].contains("socket")) {
        if (!names_.has("socket", step["state"]["socket"]))
          fail(at("state/socket"), "refers to a socket no earlier step defines");
      }
      const std::string callback = step.value("callback", "none");
      if (callback == "end_in_callback" && !step.contains("accept_as"))
        fail(at("accept_as"), "end_in_callback needs accept_as, the name of the socket the callback accepts");
      if (callback != "end_in_callback" && (step.contains("accept_as") || step.contains("receive")))
        fail(at("callback"), "accept_as and receive only make sense with callback end_in_callback");
      if (callback == "end_in_callback") {
        const auto state = step.value("state", Json());
        if (!state.is_object() || !state.contains("socket"))
          fail(at("state"), "end_in_callback takes the listener from AsyncState, so state must be {\"socket\": ...}");
        names_.define("socket", step["accept_as"]);
        if (step.contains("receive")) names_.define("receiving", step["accept_as"]);
      }
      names_.define("result", step["result"]);
      results_with_callback_[step["result"]] = callback != "none";
    } else if (op == "end_accept") {
      names_.require("socket", step, "socket", index);
      names_.require("result", step, "result", index);
      const bool background = step.contains("in_background");
      if (background == step.contains("expect"))
        fail(at(background ? "expect" : "op"),
             "end_accept needs exactly one of expect (run now) or in_background (run on a thread, checked by await)");
      if (background && step.contains("within_ms")) fail(at("within_ms"), "a background end_accept has no deadline; give it to await");
      if (background) names_.define("task", step["in_background"]);
      if (step.contains("as")) names_.define("socket", step["as"]);
    } else if (op == "make_foreign_result") {
      const std::string kind = step["kind"];
      need_capability(declared, "foreign-" + kind, index);
      if (kind == "other-operation" && !step.contains("target"))
        fail(at("target"), "other-operation needs a target listener to connect to");
      if (kind == "caller-made" && step.contains("target")) fail(at("target"), "a caller-made result has no target");
      if (step.contains("target")) names_.require("listener", step, "target", index);
      names_.define("result", step["result"]);
    } else if (op == "close") {
      names_.require("socket", step, "socket", index);
    } else if (op == "connect") {
      names_.require("listener", step, "to", index);
      names_.define("client", step["client"]);
    } else if (op == "close_client" || op == "send_from_client") {
      names_.require("client", step, "client", index);
    } else if (op == "expect_blocked") {
      names_.require("task", step, "task", index);
    } else if (op == "await") {
      names_.require("task", step, "task", index);
    } else if (op == "await_all") {
      names_.require("task", step, "tasks", index);
      if (step["tasks"].size() != step["expect_each_of"].size())
        fail(at("expect_each_of"), "needs exactly one expected outcome per task");
    } else if (op == "expect_connected") {
      names_.require("socket", step, "socket", index);
      names_.require("client", step, "client", index);
      names_.require("listener", step, "listener", index);
    } else if (op == "expect_pairing") {
      names_.require("socket", step, "sockets", index);
      names_.require("client", step, "clients", index);
      names_.require("listener", step, "listener", index);
      if (step["sockets"].size() != step["clients"].size()) fail(at("clients"), "needs as many clients as sockets");
    } else if (op == "exchange") {
      names_.require("socket", step, "socket", index);
      names_.require("client", step, "client", index);
    } else if (op == "expect_received") {
      names_.require("receiving", step, "socket", index);
    } else if (op == "expect_result") {
      names_.require("result", step, "result", index);
      if (!step.contains("is_completed") && !step.contains("completed_synchronously") && !step.contains("async_state"))
        fail(at("op"), "expect_result must check at least one of is_completed, completed_synchronously, async_state");
      check_state_reference(step, index);
    } else if (op == "expect_wait_handle") {
      names_.require("result", step, "result", index);
      const bool signalled = step["signalled"];
      if (signalled && step.contains("hold_ms")) fail(at("hold_ms"), "a signalled wait has a deadline (within_ms), not a hold");
      if (!signalled && step.contains("within_ms")) fail(at("within_ms"), "an unsignalled wait is a hold (hold_ms), not a deadline");
    } else if (op == "expect_callback") {
      names_.require("result", step, "result", index);
      const auto found = results_with_callback_.find(step["result"]);
      if (found == results_with_callback_.end() || !found->second)
        fail(at("result"), "the begin_accept that produced this result had no callback");
      if (step.value("calls", 1) == 0 && step.contains("within_ms"))
        fail(at("within_ms"), "calls: 0 is a hold (hold_ms), not a deadline");
      check_state_reference(step, index);
    } else if (op == "snapshot_descriptors") {
      names_.define("snapshot", step["as"]);
    } else if (op == "expect_descriptors") {
      names_.require("snapshot", step, "same_as", index);
    } else if (op == "set_tracing" || op == "expect_trace") {
      need_capability(declared, "tracing", index);
    } else if (op == "restore_descriptors") {
      if (!descriptors_limited_) fail(at("op"), "restore_descriptors without an earlier limit_descriptors");
      descriptors_limited_ = false;
    } else if (op == "limit_descriptors") {
      descriptors_limited_ = true;
    }
  }

  void check_state_reference(const Json& step, std::size_t index) {
    if (step.contains("async_state") && step["async_state"].is_object() && step["async_state"].contains("socket") &&
        !names_.has("socket", step["async_state"]["socket"]))
      fail("/steps/" + std::to_string(index) + "/async_state/socket", "refers to a socket no earlier step defines");
  }

  std::string file_;
  std::string pointer_;
  const Catalog& catalog_;
  NameScope names_;
  std::map<std::string, bool> results_with_callback_;
  bool descriptors_limited_ = false;
};

}  // namespace

std::vector<ConformanceCase> check_case_table(const Json& table, const std::string& file, const Catalog& catalog,
                                              const std::filesystem::path& schema_file) {
  SchemaValidator(schema_file).validate(table, file);
  std::vector<ConformanceCase> cases;
  for (std::size_t i = 0; i < table["cases"].size(); ++i) {
    CaseChecker checker(file, "/cases/" + std::to_string(i), catalog);
    cases.push_back(checker.check(table["cases"][i]));
  }
  return cases;
}

std::vector<ConformanceCase> load_cases(const std::filesystem::path& cases_dir, const Catalog& catalog) {
  const auto schema_file = cases_dir / "case.schema.json";
  if (!std::filesystem::exists(schema_file)) throw InputError(schema_file.string(), "", "case schema is missing");
  const SchemaValidator validator(schema_file);

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
    validator.validate(table, path.string());
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
