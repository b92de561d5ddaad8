// libFuzzer target: a report handed back to the judge (--validate-report,
// --merge; the driver's --merge, --render and --compare read reports only
// through these). Whatever the bytes, reading and validating either accepts
// the report or throws InputError; an accepted report merges (alone, and
// with a copy of itself, which must be refused as a repeated case) without
// crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "input_error.hpp"
#include "json_file.hpp"
#include "report.hpp"
#include "schema_validator.hpp"

using namespace ea::harness;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const SchemaValidator validator(ENDACCEPT_SOURCE_DIR "/reports/schema/report.schema.json");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Json report;
  try {
    report = parse_json_text(text, "fuzz.json");
    validator.validate(report, "fuzz.json");
  } catch (const InputError&) {
    return 0;
  }
  try {
    const Json merged = merge_reports({report}, {"fuzz.json"}, std::nullopt);
    static_cast<void>(report_is_clean(merged));
    static_cast<void>(merged.dump());
  } catch (const InputError&) {
  }
  try {
    static_cast<void>(merge_reports({report, report}, {"a.json", "b.json"}, std::nullopt));
  } catch (const InputError&) {
  }
  return 0;
}
