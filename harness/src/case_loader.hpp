#pragma once
// Loads every case table under cases/, validates it (schema, then meaning)
// and returns the cases sorted by id. Any problem is an InputError.
#include <filesystem>
#include <vector>

#include "catalog.hpp"
#include "conformance_case.hpp"

namespace ea::harness {

std::vector<ConformanceCase> load_cases(const std::filesystem::path& cases_dir, const Catalog& catalog);

// Exposed for tests: checks one already-parsed case table.
std::vector<ConformanceCase> check_case_table(const Json& table, const std::string& file, const Catalog& catalog);

}  // namespace ea::harness
