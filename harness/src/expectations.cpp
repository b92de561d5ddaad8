#include "expectations.hpp"

#include <set>

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
  static const std::set<std::string> statuses = {"FAIL", "TIMEOUT", "CRASH", "ERROR", "SKIP", "FLAKY"};
  for (const auto& [id, entry] : document["expectations"].items()) {
    std::string pointer = "/expectations/";
    for (char c : id) pointer += c == '/' ? std::string("~1") : c == '~' ? std::string("~0") : std::string(1, c);
    if (!known.count(id)) throw InputError(where, pointer, "unknown case id " + id);
    if (!entry.is_object()) throw InputError(where, pointer, "must be an object");
    if (!entry.contains("status") || !entry["status"].is_string() || !statuses.count(entry["status"]))
      throw InputError(where, pointer + "/status", "must be one of FAIL, TIMEOUT, CRASH, ERROR, SKIP, FLAKY");
    if (!entry.contains("reason") || !entry["reason"].is_string() || entry["reason"].get<std::string>().empty())
      throw InputError(where, pointer + "/reason", "every expectation needs a one-line reason");
    for (const char* field : {"evidence", "observed"}) {
      if (entry.contains(field) && !entry[field].is_string())
        throw InputError(where, pointer + "/" + field, "must be a string");
    }
    expectations[id] = {entry["status"], entry["reason"], entry.value("evidence", ""), entry.value("observed", "")};
  }
  return expectations;
}

}  // namespace ea::harness
