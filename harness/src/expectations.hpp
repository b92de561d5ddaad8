#pragma once
// Known deviations of one adapter (adapters/<name>/expectations.json): data
// kept apart from the cases, as in web-platform-tests' metadata.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "conformance_case.hpp"

namespace ea::harness {

struct Expectation {
  std::string status;  // any status of spec/vocabulary.json but PASS
  std::string reason;
  std::string evidence;
  std::string observed;
  std::string classification;  // one of spec/vocabulary.json's classifications
  std::string since;           // the first version seen to deviate, when a history shows it
};

using Expectations = std::map<std::string, Expectation>;

// A missing file means "everything PASS". Throws InputError.
Expectations load_expectations(const std::filesystem::path& file, const std::vector<ConformanceCase>& cases);

}  // namespace ea::harness
