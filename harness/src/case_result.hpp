#pragma once
// What running one case produced (spec/outcomes.md, "Case statuses").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "json_file.hpp"
#include "vocabulary.hpp"

namespace ea::harness {

using vocabulary::Status;

std::string to_string(Status status);
std::optional<Status> parse_status(const std::string& text);
const vocabulary::StatusInfo& info(Status status);

struct StepRecord {
  std::size_t index = 0;
  Json step;
  std::string observed;
  std::string expected;
  double elapsed_ms = 0;
  bool ok = false;
  std::string failure;  // why the step failed (a later failure is not the case's message)
  bool ran = true;      // false: it uses a name a failed step did not make
  std::string not_run_because;
};

// Something that went wrong in a run: where, with which status, and why.
// The first is the run's status and message; the others are observed past it.
struct Deviation {
  std::optional<std::size_t> step;  // none: the hello, or after the steps
  Status status = Status::fail;
  std::string message;  // "step 6: expected ..., observed ..."
};

struct CaseRun {
  Status status = Status::pass;
  std::string message;
  std::vector<StepRecord> steps;
  double duration_ms = 0;
  std::optional<int> descriptors_at_start;
  std::optional<int> descriptors_at_end;
  std::string adapter_exit;  // how the process ended
  std::string stderr_tail;   // kept for CRASH, TIMEOUT and ERROR
  std::optional<std::uint64_t> seed;  // an explored run's seed (--explore, --seed)
  int explored_runs = 0;              // how many runs exploration made to reach this one
  std::vector<Deviation> later_deviations;  // after the first, which is status and message
};

Json to_json(const StepRecord& record);
Json to_json(const Deviation& deviation);

}  // namespace ea::harness
