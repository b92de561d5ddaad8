#pragma once
// The clause catalog (spec/clauses.json): what must hold, with levels.
#include <filesystem>
#include <map>
#include <string>

#include "json_file.hpp"

namespace ea::harness {

// Ordered by strictness; the numbers are the ranks of spec/vocabulary.json.
enum class Level { info = 0, should = 1, must = 2 };

Level parse_level(const std::string& text);  // throws std::invalid_argument
std::string to_string(Level level);
std::string level_names();  // "MUST, SHOULD, INFO", for messages

struct Clause {
  std::string id;
  Level level = Level::must;
  std::string title;
  std::string statement;
  std::string section;
};

struct Catalog {
  std::string revision;
  std::map<std::string, Clause> clauses;

  static Catalog load(const std::filesystem::path& file);
};

}  // namespace ea::harness
