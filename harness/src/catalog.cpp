#include "catalog.hpp"

#include "input_error.hpp"
#include "vocabulary.hpp"

namespace ea::harness {

Level parse_level(const std::string& text) {
  for (const auto& level : vocabulary::kLevels)
    if (text == level.name) return static_cast<Level>(level.rank);
  throw std::invalid_argument("unknown level " + text);
}

std::string to_string(Level level) {
  for (const auto& known : vocabulary::kLevels)
    if (known.rank == static_cast<int>(level)) return std::string(known.name);
  return "?";
}

std::string level_names() {
  std::string names;
  for (const auto& level : vocabulary::kLevels) names += (names.empty() ? "" : ", ") + std::string(level.name);
  return names;
}

Catalog Catalog::load(const std::filesystem::path& file) {
  const Json document = read_json_file(file);
  Catalog catalog;
  const auto where = file.string();
  if (!document.contains("spec_revision") || !document["spec_revision"].is_string())
    throw InputError(where, "/spec_revision", "missing or not a string");
  catalog.revision = document["spec_revision"];
  if (!document.contains("clauses") || !document["clauses"].is_array())
    throw InputError(where, "/clauses", "missing or not an array");
  std::size_t index = 0;
  for (const auto& entry : document["clauses"]) {
    const auto pointer = "/clauses/" + std::to_string(index++);
    for (const char* field : {"id", "level", "title", "statement", "section"}) {
      if (!entry.contains(field) || !entry[field].is_string())
        throw InputError(where, pointer + "/" + field, "missing or not a string");
    }
    Clause clause;
    clause.id = entry["id"];
    try {
      clause.level = parse_level(entry["level"]);
    } catch (const std::invalid_argument&) {
      throw InputError(where, pointer + "/level", "must be one of " + level_names());
    }
    clause.title = entry["title"];
    clause.statement = entry["statement"];
    clause.section = entry["section"];
    if (!catalog.clauses.emplace(clause.id, clause).second)
      throw InputError(where, pointer + "/id", "duplicate clause id " + clause.id);
  }
  return catalog;
}

}  // namespace ea::harness
