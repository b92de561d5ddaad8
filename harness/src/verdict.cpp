#include "verdict.hpp"

#include <algorithm>

namespace ea::harness {

std::string aggregate_status(const std::vector<Status>& runs) {
  if (runs.empty()) return to_string(Status::skip);
  for (const Status status : runs)
    if (status != runs.front()) return to_string(Status::flaky);
  return to_string(runs.front());
}

void conclude(CaseRun& run, std::vector<Deviation> deviations) {
  if (deviations.empty()) return;
  run.status = deviations.front().status;
  run.message = deviations.front().message;
  run.later_deviations.assign(std::make_move_iterator(deviations.begin() + 1), std::make_move_iterator(deviations.end()));
}

Verdict judge(const std::string& status, const Expectation* expectation, Level level) {
  Verdict verdict{status, expectation ? expectation->status : to_string(Status::pass), false};
  verdict.unexpected = status != verdict.expected;
  // FLAKY admits that a case goes either way: a single-run status it names
  // (not a crash, hang or protocol breach) is as expected.
  if (verdict.expected == to_string(Status::flaky)) {
    const auto admitted = std::find_if(vocabulary::kFlakyAdmits.begin(), vocabulary::kFlakyAdmits.end(),
                                       [&](Status s) { return to_string(s) == status; });
    verdict.unexpected = status != verdict.expected && admitted == vocabulary::kFlakyAdmits.end();
  }
  // INFO cases are observations; a SKIP without an expectation is a missing
  // capability, reported as such but not as a conformance failure.
  if (level == Level::info) verdict.unexpected = false;
  if (status == to_string(Status::skip) && !expectation) verdict.unexpected = false;
  return verdict;
}

Json summarize(const Json& results) {
  Json by_status = Json::object();
  for (const auto& status : vocabulary::kStatuses) by_status[std::string(status.name)] = 0;
  Json unexpected_cases = Json::array();
  for (const auto& result : results) {
    const std::string status = result.at("status");
    by_status[status] = by_status.value(status, 0) + 1;
    if (result.at("unexpected").get<bool>()) unexpected_cases.push_back(result.at("case_id"));
  }
  return {{"total", results.size()},
          {"by_status", by_status},
          {"unexpected", unexpected_cases.size()},
          {"unexpected_cases", unexpected_cases}};
}

}  // namespace ea::harness
