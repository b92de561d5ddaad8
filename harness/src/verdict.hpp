#pragma once
// The one verdict of the suite: a case's status over its runs, whether that
// is as expected, and the summary of a report. The report, the runner's
// GoogleTest assertion and `--merge` all call these; Python views read the
// result and never judge again.
#include <string>
#include <vector>

#include "case_result.hpp"
#include "catalog.hpp"
#include "expectations.hpp"

namespace ea::harness {

// FLAKY when the runs disagree; SKIP when there were none.
std::string aggregate_status(const std::vector<Status>& runs);

struct Verdict {
  std::string status;    // aggregated
  std::string expected;  // the expectation's status, or PASS
  bool unexpected = false;
};

// A run's status and message are its first deviation's (PASS when there was
// none); the others become later_deviations, in the order they happened.
void conclude(CaseRun& run, std::vector<Deviation> deviations);

// `expectation` is null when the adapter has none for the case.
Verdict judge(const std::string& status, const Expectation* expectation, Level level);

// {"total", "by_status" (every status, 0 included), "unexpected", "unexpected_cases"}
// from report results that carry "case_id", "status" and "unexpected".
Json summarize(const Json& results);

}  // namespace ea::harness
