#pragma once
// One row of a case table: a documented behavior told as steps.
#include <string>
#include <vector>

#include "catalog.hpp"
#include "json_file.hpp"

namespace ea::harness {

struct ConformanceCase {
  std::string id;  // "family/name"
  std::vector<std::string> clause_ids;
  Level level = Level::must;
  std::string title;
  std::string explanation;
  std::vector<std::string> requires_capabilities;
  bool race = false;  // explored many times with --explore (exploration.hpp)
  Json steps;  // validated array of step objects
  std::string file;
  std::string pointer;  // of the case inside its file

  bool uses_ipv6() const;
};

}  // namespace ea::harness
