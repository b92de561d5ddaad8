#pragma once
#include <filesystem>

#include <nlohmann/json.hpp>

namespace ea::harness {

using Json = nlohmann::json;

// Parses a JSON file; malformed JSON is an InputError naming the line.
Json read_json_file(const std::filesystem::path& path);

// Writes `value` to `path` via a temporary file and rename, so a reader
// never sees a half-written file.
void write_json_file_atomically(const std::filesystem::path& path, const Json& value);

}  // namespace ea::harness
