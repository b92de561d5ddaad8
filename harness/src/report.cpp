#include "report.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>

#include <map>

#include "input_error.hpp"
#include "verdict.hpp"

namespace ea::harness {

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
  std::vector<Status> statuses;
  for (const auto& run : record.runs) statuses.push_back(run.status);
  const auto expectation = expectations.find(c.id);
  const Verdict verdict =
      judge(aggregate_status(statuses), expectation != expectations.end() ? &expectation->second : nullptr, c.level);

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
                 {"status", verdict.status},
                 {"expected_status", verdict.expected},
                 {"unexpected", verdict.unexpected},
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
  Json later = Json::array();
  for (const auto& deviation : shown.later_deviations) later.push_back(to_json(deviation));
  result["later_deviations"] = later;
  if (!shown.stderr_tail.empty()) result["stderr_tail"] = shown.stderr_tail;
  if (shown.seed) {
    result["seed"] = *shown.seed;
    result["explored_runs"] = shown.explored_runs;
  }
  if (expectation != expectations.end()) {
    result["expectation"] = {{"status", expectation->second.status},
                             {"reason", expectation->second.reason},
                             {"evidence", expectation->second.evidence},
                             {"observed", expectation->second.observed},
                             {"classification", expectation->second.classification},
                             {"since", expectation->second.since}};
  }
  return result;
}

}  // namespace

Json build_report(const ReportInput& input) {
  static const Expectations none;
  const Expectations& expectations = input.expectations ? *input.expectations : none;
  Json results = Json::array();
  for (const auto& record : input.records) results.push_back(result_json(record, expectations));
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
          {"summary", summarize(results)},
          {"results", results}};
}

Json merge_reports(const std::vector<Json>& reports, const std::vector<std::string>& sources,
                   std::optional<double> wall_ms) {
  if (reports.empty()) throw InputError("--merge", "", "nothing to merge");
  const auto name_of = [](const Json& report) { return report.at("adapter").at("name").get<std::string>(); };
  std::map<std::string, std::string> seen;  // case id -> source
  std::vector<Json> results;
  Json merged = reports.front();
  Json parts = Json::array();
  double summed_ms = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const Json& report = reports[i];
    if (name_of(report) != name_of(reports.front()))
      throw InputError(sources[i], "/adapter/name",
                       "cannot merge reports of different adapters: " + name_of(reports.front()) + " and " + name_of(report));
    for (const auto& result : report.at("results")) {
      const std::string id = result.at("case_id");
      const auto [first, inserted] = seen.emplace(id, sources[i]);
      if (!inserted) throw InputError(sources[i], "/results", "case " + id + " is also in " + first->second);
      results.push_back(result);
    }
    const Json& run = report.at("run");
    merged["run"]["started_at"] = std::min(merged["run"]["started_at"].get<std::string>(), run.at("started_at").get<std::string>());
    merged["run"]["finished_at"] = std::max(merged["run"]["finished_at"].get<std::string>(), run.at("finished_at").get<std::string>());
    summed_ms += run.at("duration_ms").get<double>();
    const Json& options = run.value("options", Json::object());
    const char* slice = options.contains("part") ? "part" : "shard";
    parts.push_back(options.is_object() && options.contains(slice) ? options[slice] : Json());
  }
  std::sort(results.begin(), results.end(),
            [](const Json& a, const Json& b) { return a.at("case_id").get<std::string>() < b.at("case_id").get<std::string>(); });
  merged["run"]["duration_ms"] = wall_ms ? *wall_ms : summed_ms;
  if (!merged["run"]["options"].is_object()) merged["run"]["options"] = Json::object();
  merged["run"]["options"]["parts"] = parts;
  merged["results"] = results;
  merged["summary"] = summarize(merged["results"]);
  return merged;
}

bool report_is_clean(const Json& report) { return report["summary"]["unexpected"].get<int>() == 0; }

}  // namespace ea::harness
