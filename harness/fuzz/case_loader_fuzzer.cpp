// libFuzzer target: one case file, as a careless or hostile author might
// write it. Whatever the bytes, the loader (the reader's bounds, the
// generated case schema, then the semantic checks of every step) either
// returns cases or throws InputError; it never crashes, overflows its stack
// or lets a case through with a name the harness would refuse later.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "case_loader.hpp"
#include "catalog.hpp"
#include "input_error.hpp"
#include "json_file.hpp"

using namespace ea::harness;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Catalog catalog = Catalog::load(ENDACCEPT_SOURCE_DIR "/spec/clauses.json");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const Json table = parse_json_text(text, "fuzz.json");
    const auto cases = check_case_table(table, "fuzz.json", catalog);
    for (const auto& c : cases)
      if (c.id.find('/') == std::string::npos || c.clause_ids.empty()) __builtin_trap();
  } catch (const InputError&) {
  }
  return 0;
}
