#pragma once
// The clause catalog (spec/clauses.json): what must hold, with levels.
#include <filesystem>
#include <map>
#include <string>

#include "json_file.hpp"

namespace ea::harness {

enum class Level { info = 0, should = 1, must = 2 };

Level parse_level(const std::string& text);
const char* to_string(Level level);

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
