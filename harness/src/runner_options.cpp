#include "runner_options.hpp"

#include <fnmatch.h>

#include <cstdint>
#include <regex>

namespace ea::harness {

std::string runner_usage() {
  return "usage: endaccept-conformance --adapter-dir DIR --build-dir DIR --report FILE\n"
         "         [--root DIR] [--spec FILE] [--cases DIR] [--expectations FILE]\n"
         "         [--timeout-scale F] [--filter GLOB[,GLOB]] [--shard I/N] [--part J/M]\n"
         "         [--jobs N]\n"
         "         [--mutant NAME] [--explore N] [--seed S] [--list] [--validate] [--quiet] [--gtest_* flags]\n"
         "       endaccept-conformance --adapter-dir DIR --describe-adapter\n"
         "       endaccept-conformance --merge REPORT [--merge REPORT...] [--merge-wall-ms MS] --report FILE\n"
         "       endaccept-conformance --check-inputs [--check-adapter DIR...] [--filter GLOB] [--shard I/N]\n"
         "       endaccept-conformance --print-case-schema\n"
         "       endaccept-conformance --validate-report REPORT [--validate-report REPORT...]\n";
}

std::string runner_help() {
  return "endaccept-conformance: the judge of the endaccept conformance suite. Runs every case of the table\n"
         "against one adapter, each in a fresh adapter process, and writes the JSON report. It is a GoogleTest\n"
         "binary: one test per case, so --gtest_filter, --gtest_repeat, --gtest_shuffle, --gtest_output and\n"
         "GoogleTest's sharding (GTEST_TOTAL_SHARDS, GTEST_SHARD_INDEX) work as usual. Most users run\n"
         "run_conformance.py instead, which builds, runs every adapter and renders the reports.\n\n" +
         runner_usage() +
         "\n"
         "  --adapter-dir DIR      the directory holding the adapter's adapter.json (and expectations.json)\n"
         "  --build-dir DIR        the build tree: {build} in adapter.json, case durations (default: ROOT/build)\n"
         "  --report FILE          where the JSON report goes (written only when the run ends)\n"
         "  --root DIR             the suite's checkout or install (spec/, cases/, reports/schema/)\n"
         "  --spec FILE            the clause catalog (default: ROOT/spec/clauses.json)\n"
         "  --cases DIR            the case table (default: ROOT/cases)\n"
         "  --expectations FILE    known deviations (default: DIR/expectations.json beside adapter.json)\n"
         "  --timeout-scale F      multiply every hold and deadline by F (0.1 to 100)\n"
         "  --filter GLOB[,GLOB]   only case ids matching a glob, e.g. 'disposed/*'; repeatable\n"
         "  --shard I/N            only shard I of N of the case ids (stable hash)\n"
         "  --part J/M             only every M-th selected case, starting at the J-th\n"
         "  --jobs N               cases run at once, each in its own adapter process\n"
         "  --mutant NAME          run the adapter with this mutant (adapter.json's mutant_env)\n"
         "  --explore N            run each race case up to N times with seeded pauses until one fails\n"
         "  --seed S               the first seed of --explore; replays a run named in a report\n"
         "  --list                 print the case table as JSON and exit\n"
         "  --validate             validate spec and cases and exit\n"
         "  --describe-adapter     print the adapter as resolved (command, missing files) and exit\n"
         "  --quiet                no progress lines on stderr\n"
         "  --stop-at-first-failure  once a run's result is unexpected, make no further runs (SKIP);\n"
         "                         for a search for one failure, not for a verdict\n"
         "  --stop-at-first-deviation  end each case at its first deviation: the same status and\n"
         "                         message, no later deviations (the mutation gate's runs)\n"
         "  --merge REPORT         merge reports of one adapter (shards, parts) into --report\n"
         "  --validate-report R    check reports against reports/schema/report.schema.json\n"
         "  --print-case-schema    print the JSON schema of case files\n"
         "  --help                 this text, then GoogleTest's options\n"
         "\n"
         "Progress on stderr: \"[ADAPTER] plan N runs\" once, then one line per run:\n"
         "\"[ADAPTER] STATUS[ (expected)| (unexpected)] CASE (MS ms)[: MESSAGE]\".\n"
         "Exit status: 0 every result as expected, 1 some result unexpected, 2 bad usage or input,\n"
         "3 internal error, 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM (no report written).\n";
}

namespace {

Slice parse_slice(const std::string& flag, const std::string& text) {
  static const std::regex grammar(R"(^(\d{1,4})/(\d{1,4})$)");
  std::smatch match;
  if (!std::regex_match(text, match, grammar)) throw UsageError(flag + " wants I/N, e.g. 1/2; got '" + text + "'");
  Slice slice{std::stoi(match[1]), std::stoi(match[2])};
  if (slice.count < 1 || slice.index < 1 || slice.index > slice.count)
    throw UsageError(flag + " " + text + ": need 1 <= I <= N");
  return slice;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == ',') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

}  // namespace

RunnerOptions parse_runner_options(const std::vector<std::string>& args) {
  RunnerOptions options;
  bool have_spec = false, have_cases = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError(flag + " needs a value");
      return args[++i];
    };
    if (flag == "--root") options.root = value();
    else if (flag == "--spec") options.spec = value(), have_spec = true;
    else if (flag == "--cases") options.cases = value(), have_cases = true;
    else if (flag == "--adapter-dir") options.adapter_dir = value();
    else if (flag == "--build-dir") options.build_dir = value();
    else if (flag == "--report") options.report = value();
    else if (flag == "--expectations") options.expectations = value();
    else if (flag == "--timeout-scale") {
      const std::string text = value();
      try {
        std::size_t used = 0;
        options.timeout_scale = std::stod(text, &used);
        if (used != text.size()) throw std::invalid_argument(text);
      } catch (const std::exception&) {
        throw UsageError("--timeout-scale wants a number, got '" + text + "'");
      }
      if (!(options.timeout_scale >= 0.1 && options.timeout_scale <= 100))
        throw UsageError("--timeout-scale must be between 0.1 and 100");
    } else if (flag == "--filter") {
      for (auto& glob : split_commas(value())) options.filters.push_back(glob);
    } else if (flag == "--shard") options.shard = parse_slice(flag, value());
    else if (flag == "--part") options.part = parse_slice(flag, value());
    else if (flag == "--jobs") {
      const std::string text = value();
      if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(text) < 1)
        throw UsageError("--jobs wants a number of concurrent cases from 1 to 9999, got '" + text + "'");
      options.jobs = std::stoi(text);
    } else if (flag == "--mutant") options.mutant = value();
    else if (flag == "--explore") {
      const std::string text = value();
      if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(text) < 1 || std::stoi(text) > 1000)
        throw UsageError("--explore wants a number of runs from 1 to 1000, got '" + text + "'");
      options.explore = std::stoi(text);
    } else if (flag == "--seed") {
      const std::string text = value();
      if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
        throw UsageError("--seed wants a non-negative integer of at most 19 digits, got '" + text + "'");
      options.seed = std::stoull(text);
    }
    else if (flag == "--list") options.list = true;
    else if (flag == "--describe-adapter") options.describe_adapter = true;
    else if (flag == "--validate") options.validate_only = true;
    else if (flag == "--quiet") options.quiet = true;
    else if (flag == "--stop-at-first-failure") options.stop_at_first_failure = true;
    else if (flag == "--stop-at-first-deviation") options.stop_at_first_deviation = true;
    else if (flag == "--print-case-schema") options.print_case_schema = true;
    else if (flag == "--check-inputs") options.check_inputs = true;
    else if (flag == "--check-adapter") options.adapters_to_check.emplace_back(value());
    else if (flag == "--merge") options.merge_inputs.emplace_back(value());
    else if (flag == "--validate-report") options.reports_to_validate.emplace_back(value());
    else if (flag == "--merge-wall-ms") {
      const std::string text = value();
      try {
        options.merge_wall_ms = std::stod(text);
      } catch (const std::exception&) {
        throw UsageError("--merge-wall-ms wants a number, got '" + text + "'");
      }
    }
    else throw UsageError("unknown option " + flag);
  }
  if (!have_spec) options.spec = options.root / "spec" / "clauses.json";
  if (!have_cases) options.cases = options.root / "cases";
  const bool runs = !options.list && !options.describe_adapter && !options.validate_only && !options.print_case_schema &&
                    !options.check_inputs && options.merge_inputs.empty() &&
                    options.reports_to_validate.empty();
  if (options.describe_adapter && options.adapter_dir.empty()) throw UsageError("--describe-adapter needs --adapter-dir");
  if (!options.merge_inputs.empty() && options.report.empty()) throw UsageError("--merge needs --report");
  if (!options.adapters_to_check.empty() && !options.check_inputs)
    throw UsageError("--check-adapter needs --check-inputs");
  if (runs && options.adapter_dir.empty()) throw UsageError("--adapter-dir is required");
  if (runs && options.report.empty()) throw UsageError("--report is required");
  if (options.build_dir.empty()) options.build_dir = options.root / "build";
  return options;
}

bool in_shard(const std::string& case_id, const Slice& shard) {
  std::uint32_t hash = 2166136261u;  // FNV-1a: stable across platforms and runs
  for (unsigned char c : case_id) hash = (hash ^ c) * 16777619u;
  return static_cast<int>(hash % static_cast<std::uint32_t>(shard.count)) == shard.index - 1;
}

bool matches_any_glob(const std::string& case_id, const std::vector<std::string>& globs) {
  if (globs.empty()) return true;
  for (const auto& glob : globs)
    if (::fnmatch(glob.c_str(), case_id.c_str(), 0) == 0) return true;
  return false;
}

}  // namespace ea::harness
