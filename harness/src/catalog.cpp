#include "catalog.hpp"

#include "input_error.hpp"

namespace ea::harness {

Level parse_level(const std::string& text) {
  if (text == "MUST") return Level::must;
  if (text == "SHOULD") return Level::should;
  if (text == "INFO") return Level::info;
  throw std::invalid_argument("unknown level " + text);
}

const char* to_string(Level level) {
  switch (level) {
    case Level::must: return "MUST";
    case Level::should: return "SHOULD";
    case Level::info: return "INFO";
  }
  return "?";
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
      throw InputError(where, pointer + "/level", "must be MUST, SHOULD or INFO");
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
