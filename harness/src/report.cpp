#include "report.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>

namespace ea::harness {

std::string aggregate_status(const std::vector<CaseRun>& runs) {
  if (runs.empty()) return to_string(Status::skip);
  const Status first = runs.front().status;
  for (const auto& run : runs)
    if (run.status != first) return "FLAKY";
  return to_string(first);
}

std::string utc_now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char with_millis[48];
  std::snprintf(with_millis, sizeof with_millis, "%s.%03dZ", text, static_cast<int>(millis));
  return with_millis;
}

namespace {

Json host_facts() {
  utsname system{};
  ::uname(&system);
  char hostname[256] = {};
  ::gethostname(hostname, sizeof hostname - 1);
  return {{"hostname", hostname},
          {"os", system.sysname},
          {"kernel", system.release},
          {"machine", system.machine},
          {"cpus", std::thread::hardware_concurrency()}};
}

// The run to show in detail: the first that went wrong, else the last.
const CaseRun& representative(const std::vector<CaseRun>& runs) {
  for (const auto& run : runs)
    if (run.status != Status::pass && run.status != Status::skip) return run;
  return runs.back();
}

Json result_json(const CaseRecord& record, const Expectations& expectations) {
  const ConformanceCase& c = *record.conformance_case;
  const std::string status = aggregate_status(record.runs);
  const auto expectation = expectations.find(c.id);
  const std::string expected = expectation != expectations.end() ? expectation->second.status : "PASS";
  // INFO cases are observations; a SKIP without an expectation is a missing
  // capability, reported as such but not as a conformance failure.
  bool unexpected = status != expected;
  // "FLAKY" admits that a case goes either way: any single-run status that
  // is not a crash, hang or protocol breach is as expected.
  if (expected == "FLAKY") unexpected = status != "FLAKY" && status != "PASS" && status != "FAIL";
  if (c.level == Level::info) unexpected = false;
  if (status == "SKIP" && expectation == expectations.end()) unexpected = false;

  Json by_status = Json::object();
  int pass_count = 0;
  double total_ms = 0;
  for (const auto& run : record.runs) {
    by_status[to_string(run.status)] = by_status.value(to_string(run.status), 0) + 1;
    if (run.status == Status::pass) ++pass_count;
    total_ms += run.duration_ms;
  }
  const CaseRun& shown = representative(record.runs);
  Json steps = Json::array();
  for (const auto& step : shown.steps) steps.push_back(to_json(step));

  Json result = {{"case_id", c.id},
                 {"clause_ids", c.clause_ids},
                 {"level", to_string(c.level)},
                 {"title", c.title},
                 {"file", c.file},
                 {"status", status},
                 {"expected_status", expected},
                 {"unexpected", unexpected},
                 {"duration_ms", record.runs.empty() ? 0.0 : total_ms / static_cast<double>(record.runs.size())},
                 {"message", shown.message},
                 {"runs", record.runs.size()},
                 {"pass_count", pass_count},
                 {"by_status", by_status},
                 {"steps", steps},
                 {"descriptors",
                  {{"start", shown.descriptors_at_start ? Json(*shown.descriptors_at_start) : Json()},
                   {"end", shown.descriptors_at_end ? Json(*shown.descriptors_at_end) : Json()}}},
                 {"adapter_exit", shown.adapter_exit}};
  if (!shown.stderr_tail.empty()) result["stderr_tail"] = shown.stderr_tail;
  if (expectation != expectations.end()) {
    result["expectation"] = {{"status", expectation->second.status},
                             {"reason", expectation->second.reason},
                             {"evidence", expectation->second.evidence},
                             {"observed", expectation->second.observed}};
  }
  return result;
}

}  // namespace

Json build_report(const ReportInput& input) {
  static const Expectations none;
  const Expectations& expectations = input.expectations ? *input.expectations : none;
  Json results = Json::array();
  Json by_status = {{"PASS", 0}, {"FAIL", 0}, {"TIMEOUT", 0}, {"CRASH", 0}, {"ERROR", 0}, {"SKIP", 0}, {"FLAKY", 0}};
  Json unexpected_cases = Json::array();
  for (const auto& record : input.records) {
    Json result = result_json(record, expectations);
    by_status[result["status"].get<std::string>()] = by_status[result["status"].get<std::string>()].get<int>() + 1;
    if (result["unexpected"].get<bool>()) unexpected_cases.push_back(result["case_id"]);
    results.push_back(std::move(result));
  }
  return {{"schema_version", kReportSchemaVersion},
          {"suite", {{"name", kSuiteName}, {"version", kSuiteVersion}}},
          {"spec", {{"revision", input.catalog->revision}, {"clauses", input.catalog->clauses.size()}}},
          {"adapter", input.adapter},
          {"run",
           {{"started_at", input.started_at},
            {"finished_at", input.finished_at},
            {"duration_ms", input.duration_ms},
            {"host", host_facts()},
            {"options", input.options}}},
          {"summary",
           {{"total", results.size()},
            {"by_status", by_status},
            {"unexpected", unexpected_cases.size()},
            {"unexpected_cases", unexpected_cases}}},
          {"results", results}};
}

bool report_is_clean(const Json& report) { return report["summary"]["unexpected"].get<int>() == 0; }

}  // namespace ea::harness
