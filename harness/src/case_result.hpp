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
};

Json to_json(const StepRecord& record);

}  // namespace ea::harness
