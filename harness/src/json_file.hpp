#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ea::harness {

using Json = nlohmann::json;

// What the suite's own input files (spec, case tables, expectations,
// adapter.json, reports given back to it) may be. Anything beyond is an
// InputError before the text is parsed or validated: the bounds keep the
// parser, the schema validator (whose regular expressions recurse once per
// character) and every walk over the document far from their stack limits.
inline constexpr std::size_t kMaxInputFileBytes = 64u << 20;
inline constexpr int kMaxInputNesting = 64;
inline constexpr std::size_t kMaxInputStringBytes = 64u << 10;

// Parses JSON text that `where` names in messages: UTF-8 without a byte
// order mark, one value and nothing after it, no member name twice in an
// object, nesting and strings within the bounds above. Every violation is an
// InputError naming `where` and the JSON pointer of the mistake.
Json parse_json_text(std::string_view text, const std::string& where);

// parse_json_text of a regular file of at most kMaxInputFileBytes (a FIFO,
// a device or a directory is refused without being opened for a blocking read).
Json read_json_file(const std::filesystem::path& path);

// Writes `value` to `path` via a temporary file and rename, so a reader
// never sees a half-written file.
void write_json_file_atomically(const std::filesystem::path& path, const Json& value);

}  // namespace ea::harness
