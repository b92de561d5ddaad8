#include "expectations.hpp"

#include <set>

#include "case_result.hpp"
#include "input_error.hpp"

namespace ea::harness {

Expectations load_expectations(const std::filesystem::path& file, const std::vector<ConformanceCase>& cases) {
  Expectations expectations;
  if (!std::filesystem::exists(file)) return expectations;
  const Json document = read_json_file(file);
  const auto where = file.string();
  if (!document.is_object() || !document.contains("expectations") || !document["expectations"].is_object())
    throw InputError(where, "/expectations", "missing or not an object keyed by case id");
  std::set<std::string> known;
  for (const auto& c : cases) known.insert(c.id);
  // Any status but PASS, which is what having no expectation means.
  std::set<std::string> statuses;
  std::string listed;
  for (const auto& status : vocabulary::kStatuses) {
    if (status.name == to_string(Status::pass)) continue;
    statuses.emplace(status.name);
    listed += (listed.empty() ? "" : ", ") + std::string(status.name);
  }
  std::set<std::string> classifications;
  std::string classification_list;
  for (const auto& name : vocabulary::kClassifications) {
    classifications.emplace(name);
    classification_list += (classification_list.empty() ? "" : ", ") + std::string(name);
  }
  for (const auto& [id, entry] : document["expectations"].items()) {
    std::string pointer = "/expectations/";
    for (char c : id) pointer += c == '/' ? std::string("~1") : c == '~' ? std::string("~0") : std::string(1, c);
    if (!known.count(id)) throw InputError(where, pointer, "unknown case id " + id);
    if (!entry.is_object()) throw InputError(where, pointer, "must be an object");
    if (!entry.contains("status") || !entry["status"].is_string() || !statuses.count(entry["status"]))
      throw InputError(where, pointer + "/status", "must be one of " + listed);
    if (!entry.contains("reason") || !entry["reason"].is_string() || entry["reason"].get<std::string>().empty())
      throw InputError(where, pointer + "/reason", "every expectation needs a one-line reason");
    if (!entry.contains("classification") || !entry["classification"].is_string() ||
        !classifications.count(entry["classification"]))
      throw InputError(where, pointer + "/classification", "must be one of " + classification_list);
    for (const char* field : {"evidence", "observed", "since"}) {
      if (entry.contains(field) && !entry[field].is_string())
        throw InputError(where, pointer + "/" + field, "must be a string");
    }
    expectations[id] = {entry["status"], entry["reason"], entry.value("evidence", ""), entry.value("observed", ""),
                        entry["classification"], entry.value("since", "")};
  }
  return expectations;
}

}  // namespace ea::harness
