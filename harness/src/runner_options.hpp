#pragma once
// Command line of the conformance runner (GoogleTest flags are removed by
// InitGoogleTest before these are parsed).
#include <filesystem>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ea::harness {

struct Slice {
  int index = 1;  // 1-based
  int count = 1;
};

struct RunnerOptions {
  std::filesystem::path root = ".";
  std::filesystem::path spec;
  std::filesystem::path cases;
  std::filesystem::path adapter_dir;
  std::filesystem::path build_dir;
  std::filesystem::path report;
  std::optional<std::filesystem::path> expectations;
  double timeout_scale = 1.0;
  std::vector<std::string> filters;
  Slice shard;
  Slice part;
  int jobs = 1;  // --jobs N: cases run at once on the runner's pool (scheduler.hpp)
  std::string mutant;
  int explore = 0;                       // --explore N: runs of each race case
  std::optional<std::uint64_t> seed;     // --seed S: the first run's seed
  bool list = false;
  bool describe_adapter = false;  // print the resolved adapter.json and whether it can run, then exit
  bool validate_only = false;
  bool print_case_schema = false;
  // --check-inputs: validate the spec, every case table and, for each
  // --check-adapter DIR, its adapter.json and expectations.json; print what
  // would run (JSON) and exit, running nothing.
  bool check_inputs = false;
  std::vector<std::filesystem::path> adapters_to_check;
  std::vector<std::filesystem::path> reports_to_validate;  // --validate-report
  std::vector<std::filesystem::path> merge_inputs;  // --merge: combine these into --report
  std::optional<double> merge_wall_ms;
  bool quiet = false;
  // --stop-at-first-failure: once a run's result is unexpected, the runs not yet
  // started are not made (SKIP, saying why). For a search that needs one
  // failure only (the gate's second round), not for a verdict.
  bool stop_at_first_failure = false;
  // --stop-at-first-deviation: each case ends at its first deviation. Its
  // status and message are the same (they are the first deviation's), but
  // later deviations go unreported. For the mutation gate, where only the
  // verdict counts and a mutant's later deadlines would each be waited out.
  bool stop_at_first_deviation = false;
};

// Throws UsageError.
RunnerOptions parse_runner_options(const std::vector<std::string>& args);
std::string runner_usage();
// --help: what the runner is, its options one per line, its progress lines and exit statuses.
std::string runner_help();

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Deterministic selection: --shard splits by a hash of the case id, so a
// case stays in its shard whatever else is added; --part splits a shard
// round-robin for parallel jobs.
bool in_shard(const std::string& case_id, const Slice& shard);
bool matches_any_glob(const std::string& case_id, const std::vector<std::string>& globs);

}  // namespace ea::harness
