// endaccept-conformance: loads the spec and the case tables, registers one
// GoogleTest test per case for the chosen adapter, runs them in fresh adapter
// processes and writes the JSON report.
//
// Exit status: 0 every result as expected, 1 some result unexpected,
// 2 bad input or usage, 3 internal error; 128 + the signal (129, 130, 143)
// when SIGHUP, SIGINT or SIGTERM stopped the run (no report written).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>
#include <string_view>
#include <map>
#include <mutex>

#include "adapter_launch.hpp"
#include "case_loader.hpp"
#include "case_runner.hpp"
#include "expectations.hpp"
#include "exploration.hpp"
#include "input_error.hpp"
#include "leftover_processes.hpp"
#include "report.hpp"
#include "verdict.hpp"
#include "runner_options.hpp"
#include "scheduler.hpp"
#include "schema_validator.hpp"
#include "steps/step_table.hpp"
#include "stop_signals.hpp"
#include "test_client.hpp"
#include "untrusted_text.hpp"

namespace ea::harness {
namespace {

struct RunContext {
  RunnerOptions options;
  Timing timing;
  HostFacts host;
  Observe observe = Observe::every_deviation;  // --stop-at-first-deviation
  AdapterDefinition adapter;
  Expectations expectations;
  std::vector<ConformanceCase> cases;
  std::vector<CaseRecord> records;  // parallel to cases
  // Runs made ahead by the pool (scheduler.hpp), per case in repetition
  // order; GoogleTest's tests replay them, so the verdict and the --gtest_*
  // flags stay GoogleTest's.
  std::vector<std::vector<CaseRun>> ready_runs;  // parallel to cases
  std::unique_ptr<SpareAdapters> spares;         // for the pool's runs that have no seed
  std::atomic<bool> a_run_failed{false};         // for --stop-at-first-failure
  std::vector<std::size_t> replayed;             // parallel to cases
  std::map<std::string, std::size_t> index_of_test;  // "Suite.Name" -> case index
  std::mutex progress_lock;
  std::size_t finished = 0;
  Exploration exploration;
};

// The CPU this runner and every adapter it has reaped used so far.
double cpu_ms_so_far() {
  double ms = 0;
  for (const int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    if (::getrusage(who, &usage) != 0) continue;
    for (const timeval& t : {usage.ru_utime, usage.ru_stime})
      ms += static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
  }
  return ms;
}

bool can_write_beside(const std::filesystem::path& file) {
  std::error_code error;
  const auto directory = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::filesystem::create_directories(directory, error);
  return !error && ::access(directory.c_str(), W_OK) == 0;
}

// GoogleTest names may not contain '/' or '-' usefully in filters
// ("-" starts the negative part), so "arg-null/idle-listener" becomes
// arg_null.idle_listener.
std::string gtest_name(std::string text) {
  std::replace(text.begin(), text.end(), '-', '_');
  return text;
}

int end_interrupted_run(const RunInterrupted& stop) {
  // Every adapter of the run, those of cases still running on the pool too.
  unregister_every_adapter();
  end_processes_left_behind(0);
  const char* name = sigabbrev_np(stop.signal);
  std::cerr << "stopped by SIG" << (name ? name : "?") << ": adapters ended, no report written" << std::endl;
  return 128 + stop.signal;
}

// Explored run `i` of a race case: its own seed; a failure names the seed
// that replays it.
CaseRun explored_run(const RunContext& context, const ConformanceCase& c, int i, HeadStart* head_start = nullptr) {
  const Exploration& exploration = context.exploration;
  CaseRun run = run_case(c, context.adapter.launch, context.timing, context.host, context.observe, exploration.seed_of(i),
                         nullptr, head_start);
  run.explored_runs = i + 1;
  if (run.status != Status::pass) {
    run.message = "seed " + std::to_string(*run.seed) + " (run " + std::to_string(i + 1) + " of " +
                  std::to_string(exploration.runs) + "): " + run.message;
  }
  return run;
}

bool explored(const RunContext& context, const ConformanceCase& c) { return c.race && context.exploration.active(); }

// A race case under --explore (or --seed) runs with one seed after the
// other until a run fails; the run shown is that one, or the last. (The
// pool splits the runs into chunks instead: ExploredCase.)
CaseRun explore_case(const RunContext& context, const ConformanceCase& c) {
  if (!explored(context, c)) return run_case(c, context.adapter.launch, context.timing, context.host, context.observe);
  CaseRun run;
  for (int i = 0; i < context.exploration.runs; ++i) {
    throw_if_stopped();
    run = explored_run(context, c, i);
    if (run.status != Status::pass) break;
  }
  return run;
}

// The progress line of a finished run, as it finishes (the driver's counter
// reads these), whichever worker ran it. Its verdict is the report's (one
// judge): "(unexpected)" for a result that fails the run, "(expected)" for a
// failure that does not (a known deviation, an INFO case).
void announce(RunContext& context, const ConformanceCase& c, const CaseRun& run) {
  const std::lock_guard<std::mutex> hold(context.progress_lock);
  ++context.finished;
  if (context.options.quiet) return;
  const std::string status = to_string(run.status);
  const auto expectation = context.expectations.find(c.id);
  const Verdict verdict =
      judge(status, expectation != context.expectations.end() ? &expectation->second : nullptr, c.level);
  const char* said = verdict.unexpected                                                ? " (unexpected)"
                     : run.status != Status::pass && run.status != Status::skip ? " (expected)"
                                                                                          : "";
  std::cerr << "[" << context.adapter.name << "] " << status << said << " " << c.id << " ("
            << static_cast<long long>(run.duration_ms) << " ms)" << (run.message.empty() ? "" : ": " + run.message)
            << std::endl;
}

// The plan is the runs GoogleTest will report (after --gtest_filter, its
// sharding and --gtest_repeat), announced once before the first of them.
void announce_plan(const RunContext& context, std::size_t runs) {
  if (!context.options.quiet) std::cerr << "[" << context.adapter.name << "] plan " << runs << " runs" << std::endl;
}

// Before the first test runs (GoogleTest has applied --gtest_filter and its
// sharding by then), every selected test's runs are made on the pool,
// longest expected first; the tests then replay them in GoogleTest's order.
class RunAheadOnPool : public testing::Environment {
 public:
  explicit RunAheadOnPool(RunContext& context) : context_(context) {}

  // GoogleTest sets environments up only when some test will run.
  bool planned() const { return planned_; }

  void SetUp() override {
    if (done_) return;  // once, even if environments are set up per repetition
    done_ = true;
    const int repetitions = std::max(1, static_cast<int>(testing::GTEST_FLAG(repeat)));
    DurationHistory history(duration_history_file(context_.options.build_dir, context_.adapter.name,
                                                  context_.options.mutant));
    std::vector<ScheduledRun> runs;
    std::map<std::pair<std::size_t, int>, std::unique_ptr<ExploredCase>> explorations;
    const testing::UnitTest& unit = *testing::UnitTest::GetInstance();
    for (int repetition = 0; repetition < repetitions; ++repetition) {
      for (int s = 0; s < unit.total_test_suite_count(); ++s) {
        const testing::TestSuite& suite = *unit.GetTestSuite(s);
        for (int t = 0; t < suite.total_test_count(); ++t) {
          const testing::TestInfo& test = *suite.GetTestInfo(t);
          if (!test.should_run()) continue;
          const auto found = context_.index_of_test.find(std::string(suite.name()) + "." + test.name());
          if (found == context_.index_of_test.end()) continue;
          const std::size_t index = found->second;
          if (!explored(context_, context_.cases[index])) {
            runs.push_back({index, repetition, expected_ms(history, index), std::nullopt});
            continue;
          }
          auto& pieces = explorations[{index, repetition}];
          pieces = std::make_unique<ExploredCase>(context_.exploration.runs, explored_chunks());
          for (int k = 0; k < pieces->chunk_count(); ++k) {
            const auto [first, end] = pieces->chunk(k);
            runs.push_back({index, repetition, expected_ms(history, index) * (end - first), k});
          }
        }
      }
    }
    announce_plan(context_, runs.size());
    const auto unseeded = static_cast<std::size_t>(
        std::count_if(runs.begin(), runs.end(), [](const ScheduledRun& run) { return !run.explored_chunk; }));
    // A correct adapter answers its first step well within this, even a
    // managed runtime's on a loaded machine; a broken one delays the others
    // no longer.
    constexpr int kHeadStartAtMostMs = 1000;
    HeadStart head_start(context_.timing.scaled(kHeadStartAtMostMs));
    context_.spares = std::make_unique<SpareAdapters>(context_.adapter.launch, spares_to_keep(), unseeded, &head_start);
    planned_ = true;
    for (auto& ready : context_.ready_runs) ready.resize(static_cast<std::size_t>(repetitions));
    std::vector<char> made(context_.cases.size() * static_cast<std::size_t>(repetitions), 0);
    run_longest_first(runs, context_.options.jobs, [&](const ScheduledRun& entry) {
                        const ConformanceCase& c = context_.cases[entry.case_index];
                        CaseRun run;
                        try {
                          throw_if_stopped();
                          if (!entry.explored_chunk) {
                            run = stopped_early() ? not_run()
                                                  : run_case(c, context_.adapter.launch, context_.timing,
                                                             context_.host, context_.observe, std::nullopt,
                                                             context_.spares.get(), &head_start);
                          } else {
                            ExploredCase& pieces = *explorations.at({entry.case_index, entry.repetition});
                            const auto [first, end] = pieces.chunk(*entry.explored_chunk);
                            for (int i = first; i < end && pieces.still_wanted(i) && !stopped_early(); ++i) {
                              throw_if_stopped();
                              CaseRun one = explored_run(context_, c, i, &head_start);
                              const bool failed = one.status != Status::pass;
                              if (failed && unexpected(c, one)) context_.a_run_failed = true;
                              pieces.keep(i, std::move(one));
                              if (failed) break;
                            }
                            auto whole = pieces.chunk_done();
                            if (!whole) return;  // other chunks of this case are still running
                            // Neither a failure nor the last run: the stop came first.
                            run = whole->explored_runs > 0 ? std::move(*whole) : not_run();
                          }
                        } catch (const RunInterrupted& stop) {
                          // A stopped run ends here, from whichever worker noticed, without a report.
                          std::_Exit(end_interrupted_run(stop));
                        } catch (const std::exception& e) {
                          run.status = Status::error;
                          run.message = std::string("harness could not run the case: ") + e.what();
                        }
                        if (unexpected(c, run)) context_.a_run_failed = true;
                        announce(context_, c, run);
                        context_.ready_runs[entry.case_index][static_cast<std::size_t>(entry.repetition)] = std::move(run);
                        made[entry.case_index * static_cast<std::size_t>(repetitions) + static_cast<std::size_t>(entry.repetition)] = 1;
                      },
                      &head_start);
    context_.spares.reset();  // the spares nobody took: ended, with whatever they started
    const auto runs_made = static_cast<std::size_t>(std::count(made.begin(), made.end(), 1));
    if (runs_made > 0) history.record_cpu_ms_per_run(cpu_ms_so_far() / static_cast<double>(runs_made));
    // Only runs that were made are replayed; the rest (tests filtered out) stay empty.
    for (std::size_t i = 0; i < context_.cases.size(); ++i) {
      auto& ready = context_.ready_runs[i];
      std::vector<CaseRun> kept;
      double total_ms = 0;
      for (std::size_t r = 0; r < ready.size(); ++r)
        if (made[i * static_cast<std::size_t>(repetitions) + r]) {
          total_ms += ready[r].duration_ms;
          kept.push_back(std::move(ready[r]));
        }
      if (!kept.empty()) history.record(context_.cases[i].id, total_ms / static_cast<double>(kept.size()));
      ready = std::move(kept);
    }
    // A search for one failure (the gate's second round: race cases only,
    // explored up to 100 times, stopped at the first failure) is no measure
    // of a verdict run's times or CPU per case, which the history is for.
    if (!context_.options.stop_at_first_failure) history.save();
  }

 private:
  // One run's: the last recorded duration, else the mandated waits plus a
  // process start.
  double expected_ms(const DurationHistory& history, std::size_t index) const {
    constexpr double kProcessStartGuessMs = 50;
    const ConformanceCase& c = context_.cases[index];
    return history.last_ms(c.id).value_or(mandated_wait_ms(c, context_.timing) + kProcessStartGuessMs);
  }

  bool stopped_early() const { return context_.options.stop_at_first_failure && context_.a_run_failed; }

  // The report's verdict on one run (an INFO case's failure is not one).
  bool unexpected(const ConformanceCase& c, const CaseRun& run) const {
    const auto expectation = context_.expectations.find(c.id);
    return judge(to_string(run.status), expectation != context_.expectations.end() ? &expectation->second : nullptr,
                 c.level)
        .unexpected;
  }

  static CaseRun not_run() {
    CaseRun run;
    run.status = Status::skip;
    run.message = "not run: --stop-at-first-failure, and an earlier run did not pass";
    return run;
  }

  // One spare per worker, so that each finds its next adapter started,
  // within a small bound: a wide gate runs dozens of runners at once.
  std::size_t spares_to_keep() const {
    constexpr int kMostSpares = 4;
    return static_cast<std::size_t>(std::clamp(context_.options.jobs, 1, kMostSpares));
  }

  // Chunks per explored race case: enough to keep every worker busy, and at
  // least a few runs each, so that process starts stay a small part.
  int explored_chunks() const {
    constexpr int kRunsPerChunkAtLeast = 2;
    return std::max(1, std::min(context_.options.jobs, context_.exploration.runs / kRunsPerChunkAtLeast));
  }

  RunContext& context_;
  bool done_ = false;
  bool planned_ = false;
};

class CaseTest : public testing::Test {
 public:
  CaseTest(RunContext& context, std::size_t index) : context_(context), index_(index) {}

  void TestBody() override {
    const ConformanceCase& c = context_.cases[index_];
    auto& ready = context_.ready_runs[index_];
    auto& replayed = context_.replayed[index_];
    CaseRun run;
    if (replayed < ready.size()) {
      run = std::move(ready[replayed++]);
    } else {
      // More repetitions than the pool made (--gtest_repeat=-1): run it here.
      try {
        throw_if_stopped();
        run = explore_case(context_, c);
      } catch (const RunInterrupted& stop) {
        std::_Exit(end_interrupted_run(stop));
      }
      announce(context_, c, run);
    }
    const std::string status = to_string(run.status);
    const auto expectation = context_.expectations.find(c.id);
    // The same verdict as the report's, for this one run.
    const Verdict verdict =
        judge(status, expectation != context_.expectations.end() ? &expectation->second : nullptr, c.level);
    context_.records[index_].runs.push_back(run);
    RecordProperty("conformance_status", status);
    RecordProperty("clauses", testing::PrintToString(c.clause_ids));
    if (verdict.unexpected)
      ADD_FAILURE() << c.id << " [" << to_string(c.level) << "]: " << status << " (expected " << verdict.expected
                    << "): " << run.message;
    else if (run.status == Status::skip)
      GTEST_SKIP() << run.message;
  }

 private:
  RunContext& context_;
  std::size_t index_;
};

// The hello's adapter object, minus every member the harness itself writes
// (name, command, mutant, probe_error, ...), so that no adapter can pose as
// another or as a mutant, or fake a probe failure; then the harness's own
// reading of capabilities and platform.
Json adapter_block_from_hello(const AdapterIdentity& identity) {
  static const std::set<std::string> harness_owned = {"name",     "reported_name", "command",  "mutant",
                                                      "probe_error", "capabilities", "platform"};
  Json block = Json::object();
  for (const auto& [key, value] : identity.adapter.items())
    if (!harness_owned.count(key)) block[key] = value;
  block["reported_name"] = identity.adapter["name"];
  block["capabilities"] = identity.capabilities;
  block["platform"] = identity.platform;
  return block;
}

// GoogleTest's spellings of a request for help.
bool asks_for_help(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg == "--help" || arg == "-h" || arg == "-?" || arg == "/?" || arg == "--gtest_help") return true;
  }
  return false;
}

// Everything a run would read, read and validated before anything runs:
// the driver calls this once for all its adapters, so that a mistake in the
// last adapter's expectations is found before the first adapter starts.
int check_inputs(const RunnerOptions& options, const std::vector<ConformanceCase>& all) {
  std::size_t matching = 0, selected = 0;
  for (const auto& c : all) {
    const bool matches = matches_any_glob(c.id, options.filters);
    matching += matches;
    selected += matches && in_shard(c.id, options.shard);
  }
  Json adapters = Json::array();
  for (const auto& directory : options.adapters_to_check) {
    const AdapterDefinition adapter = load_adapter_definition(directory, options.root, options.build_dir, "");
    static_cast<void>(load_expectations(adapter.directory / "expectations.json", all));
    adapters.push_back({{"name", adapter.name}, {"file", adapter.file.string()}});
  }
  // matching: by the filters alone; selected: by the filters and the shard.
  std::cout << Json{{"cases", all.size()},
                    {"matching", matching},
                    {"selected", selected},
                    {"first_case_id", all.empty() ? std::string() : all.front().id},
                    {"adapters", adapters}}
                   .dump(2)
            << "\n";
  return 0;
}

int run(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);  // a dead adapter must not kill the judge
  install_stop_signals();
  // Without it a setsid grandchild of an adapter goes to init and escapes.
  if (!become_child_subreaper())
    std::cerr << "warning: cannot become a child subreaper; processes that leave an adapter's group may survive\n";
  if (asks_for_help(argc, argv)) {
    std::cout << runner_help() << "\nGoogleTest's options, which the runner passes on:\n\n";
    testing::InitGoogleTest(&argc, argv);  // prints them
    return 0;
  }
  testing::InitGoogleTest(&argc, argv);
  RunContext context;
  context.options = parse_runner_options(std::vector<std::string>(argv + 1, argv + argc));
  const auto& options = context.options;

  if (!options.reports_to_validate.empty()) {
    // One validator for cases and reports alike; the first violation of each
    // file is an InputError naming the file and its JSON pointer.
    const SchemaValidator validator(options.root / "reports" / "schema" / "report.schema.json");
    for (const auto& file : options.reports_to_validate) validator.validate(read_json_file(file), file.string());
    std::cout << options.reports_to_validate.size() << " report(s) valid\n";
    return 0;
  }
  if (!options.merge_inputs.empty()) {
    // Validated as --validate-report validates: merging trusts the schema's shape.
    const SchemaValidator validator(options.root / "reports" / "schema" / "report.schema.json");
    std::vector<Json> reports;
    std::vector<std::string> sources;
    for (const auto& input : options.merge_inputs) {
      reports.push_back(read_json_file(input));
      validator.validate(reports.back(), input.string());
      sources.push_back(input.string());
    }
    const Json merged = merge_reports(reports, sources, options.merge_wall_ms);
    write_json_file_atomically(options.report, merged);
    return report_is_clean(merged) ? 0 : 1;
  }
  if (options.print_case_schema) {
    std::cout << case_schema().dump(2) << "\n";
    return 0;
  }
  const Catalog catalog = Catalog::load(options.spec);
  std::vector<ConformanceCase> all = load_cases(options.cases, catalog);
  if (options.check_inputs) return check_inputs(options, all);
  if (options.validate_only) {
    std::cout << all.size() << " cases in " << options.cases.string() << " are valid\n";
    return 0;
  }
  if (options.list) {
    Json listing = Json::array();
    for (const auto& c : all) {
      listing.push_back({{"case_id", c.id},
                         {"gtest_name", gtest_name(c.id.substr(0, c.id.find('/'))) + "." + gtest_name(c.id.substr(c.id.find('/') + 1))},
                         {"clause_ids", c.clause_ids},
                         {"level", to_string(c.level)},
                         {"title", c.title},
                         {"file", c.file},
                         // What a correct implementation makes the harness wait (scheduler.hpp).
                         {"mandated_wait_ms", mandated_wait_ms(c, context.timing)}});
    }
    std::cout << listing.dump(2) << "\n";
    return 0;
  }

  context.adapter = load_adapter_definition(options.adapter_dir, options.root, options.build_dir, options.mutant);
  if (options.describe_adapter) {
    std::cout << describe(context.adapter).dump(2) << "\n";
    return 0;
  }
  require_available(context.adapter);
  // Find out now, not after every case has run, that the report cannot be written.
  if (!can_write_beside(options.report))
    throw UsageError("--report " + options.report.string() + ": its directory cannot be created or written");
  const auto expectations_file = options.expectations.value_or(options.adapter_dir / "expectations.json");
  context.expectations = load_expectations(expectations_file, all);
  context.timing.scale = options.timeout_scale;
  if (options.explore > 0 || options.seed) {
    context.exploration.runs = options.explore > 0 ? options.explore : 1;
    context.exploration.first_seed = options.seed.value_or(fresh_seed());
  }
  context.host.ipv6 = loopback_ipv6_available();
  if (options.stop_at_first_deviation) context.observe = Observe::first_deviation;

  std::vector<ConformanceCase> selected;
  for (auto& c : all)
    if (matches_any_glob(c.id, options.filters) && in_shard(c.id, options.shard)) selected.push_back(std::move(c));
  std::vector<ConformanceCase> mine;
  for (std::size_t i = 0; i < selected.size(); ++i)
    if (static_cast<int>(i % static_cast<std::size_t>(options.part.count)) == options.part.index - 1)
      mine.push_back(std::move(selected[i]));
  context.cases = std::move(mine);
  context.records.resize(context.cases.size());
  context.ready_runs.resize(context.cases.size());
  context.replayed.resize(context.cases.size());

  Json adapter_block = Json::object();
  try {
    const AdapterIdentity identity = probe_adapter(context.adapter.launch, context.timing);
    adapter_block = adapter_block_from_hello(identity);
  } catch (const std::exception& e) {
    // Every case will meet the same failure and get its own status.
    adapter_block["version"] = "unknown";
    adapter_block["implementation"] = "unknown";
    adapter_block["capabilities"] = Json::array();
    adapter_block["probe_error"] = one_line(e.what());
  }
  adapter_block["name"] = context.adapter.name;
  adapter_block["command"] = context.adapter.launch.argv;
  if (!options.mutant.empty()) adapter_block["mutant"] = options.mutant;

  for (std::size_t i = 0; i < context.cases.size(); ++i) {
    const ConformanceCase& c = context.cases[i];
    context.records[i].conformance_case = &c;
    const auto slash = c.id.find('/');
    const std::string suite = gtest_name(c.id.substr(0, slash)), name = gtest_name(c.id.substr(slash + 1));
    context.index_of_test[suite + "." + name] = i;
    testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, c.file.c_str(), 1,
                          [&context, i]() -> testing::Test* { return new CaseTest(context, i); });
  }
  auto* const run_ahead = new RunAheadOnPool(context);  // GoogleTest owns it
  testing::AddGlobalTestEnvironment(run_ahead);

  ReportInput input;
  input.catalog = &catalog;
  input.started_at = utc_now_iso8601();
  const auto started = Clock::now();
  // The verdict comes from the report (expectations applied), not from
  // GoogleTest's own count.
  const int gtest_status = RUN_ALL_TESTS();
  static_cast<void>(gtest_status);
  if (!run_ahead->planned()) announce_plan(context, 0);
  input.finished_at = utc_now_iso8601();
  input.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  input.adapter = adapter_block;
  input.expectations = &context.expectations;
  input.options = {{"timeout_scale", options.timeout_scale},
                   {"filters", options.filters},
                   {"shard", std::to_string(options.shard.index) + "/" + std::to_string(options.shard.count)},
                   {"part", std::to_string(options.part.index) + "/" + std::to_string(options.part.count)},
                   {"mutant", options.mutant},
                   {"jobs", options.jobs},
                   {"explore", context.exploration.runs},
                   {"first_deviation_only", options.stop_at_first_deviation},
                   {"seed", context.exploration.active() ? Json(context.exploration.first_seed) : Json()},
                   {"repeat", testing::GTEST_FLAG(repeat)},
                   {"gtest_filter", testing::GTEST_FLAG(filter)},
                   {"timing", context.timing.to_json()}};
  for (auto& record : context.records)
    if (!record.runs.empty()) input.records.push_back(std::move(record));
  const Json report = build_report(input);
  throw_if_stopped();  // a stopped run leaves the previous report as it was
  write_json_file_atomically(options.report, report);
  return report_is_clean(report) ? 0 : 1;
}

}  // namespace
}  // namespace ea::harness

int main(int argc, char** argv) {
  try {
    return ea::harness::run(argc, argv);
  } catch (const ea::harness::RunInterrupted& stop) {
    return ea::harness::end_interrupted_run(stop);
  } catch (const ea::harness::UsageError& e) {
    std::cerr << "error: " << e.what() << "\n" << ea::harness::runner_usage();
    return 2;
  } catch (const ea::harness::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 3;
  }
}
