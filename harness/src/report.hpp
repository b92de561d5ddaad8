#pragma once
// The JSON report of one adapter's run (reports/schema/report.schema.json).
#include <optional>
#include <string>
#include <vector>

#include "case_result.hpp"
#include "catalog.hpp"
#include "conformance_case.hpp"
#include "expectations.hpp"

namespace ea::harness {

inline constexpr const char* kReportSchemaVersion = "1.1";
inline constexpr const char* kSuiteName = "endaccept-conformance";
inline constexpr const char* kSuiteVersion = "0.1.0";

struct CaseRecord {
  const ConformanceCase* conformance_case = nullptr;
  std::vector<CaseRun> runs;  // one per repetition
};

struct ReportInput {
  const Catalog* catalog = nullptr;
  Json adapter;  // name, version, implementation, capabilities, ...
  Json options;
  std::string started_at;  // ISO 8601 UTC
  std::string finished_at;
  double duration_ms = 0;
  const Expectations* expectations = nullptr;
  std::vector<CaseRecord> records;
};

Json build_report(const ReportInput& input);
// True when every result is as expected.
bool report_is_clean(const Json& report);
// Reports of one adapter produced in parts or shards, as one: their results
// concatenated (sorted by case id; a case in two parts is an InputError)
// and summarized again. `sources` name the inputs for messages. The merged
// duration is `wall_ms` when given (parts ran side by side), else the sum.
Json merge_reports(const std::vector<Json>& reports, const std::vector<std::string>& sources,
                   std::optional<double> wall_ms = std::nullopt);
std::string utc_now_iso8601();

}  // namespace ea::harness
