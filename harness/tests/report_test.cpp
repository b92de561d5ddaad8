#include "report.hpp"

#include "input_error.hpp"
#include "verdict.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace ea::harness {
namespace {

CaseRun run_with(Status status) {
  CaseRun run;
  run.status = status;
  return run;
}

struct Fixture {
  Catalog catalog;
  std::vector<ConformanceCase> cases;
  Expectations expectations;

  Json report_for(const std::vector<std::vector<Status>>& statuses) {
    ReportInput input;
    input.catalog = &catalog;
    input.adapter = {{"name", "fake"}, {"version", "1"}, {"implementation", "fake"}, {"capabilities", Json::array()}};
    input.expectations = &expectations;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      CaseRecord record;
      record.conformance_case = &cases[i];
      for (Status s : statuses[i]) record.runs.push_back(run_with(s));
      input.records.push_back(record);
    }
    return build_report(input);
  }
};

Fixture fixture() {
  Fixture f;
  f.catalog.revision = "test";
  for (auto [id, level] : {std::pair{"a/must", Level::must}, std::pair{"b/info", Level::info}, std::pair{"c/known", Level::must}}) {
    ConformanceCase c;
    c.id = id;
    c.level = level;
    c.clause_ids = {"EA-X"};
    f.cases.push_back(c);
  }
  f.expectations["c/known"] = {"FAIL", "documented deviation", "https://example.invalid/evidence", "", "platform", ""};
  return f;
}

TEST(Report, RepeatsThatDisagreeAreFlaky) {
  EXPECT_EQ(aggregate_status({Status::pass, Status::pass}), "PASS");
  EXPECT_EQ(aggregate_status({Status::pass, Status::timeout}), "FLAKY");
}

TEST(Verdict, ASkipWithAnExpectationOfFailIsUnexpected) {
  const Expectation fail{"FAIL", "documented deviation", "", ""};
  EXPECT_TRUE(judge("SKIP", &fail, Level::must).unexpected);
  EXPECT_FALSE(judge("SKIP", nullptr, Level::must).unexpected) << "a missing capability is not a failure";
}

TEST(Verdict, FlakyAdmitsPassAndFailButNotACrash) {
  const Expectation flaky{"FLAKY", "races", "", ""};
  EXPECT_FALSE(judge("PASS", &flaky, Level::must).unexpected);
  EXPECT_FALSE(judge("FAIL", &flaky, Level::must).unexpected);
  EXPECT_FALSE(judge("FLAKY", &flaky, Level::must).unexpected);
  EXPECT_TRUE(judge("CRASH", &flaky, Level::must).unexpected);
}

TEST(Verdict, InfoIsNeverUnexpected) { EXPECT_FALSE(judge("CRASH", nullptr, Level::info).unexpected); }

TEST(Merge, PartsConcatenateAndAreSummarizedAgain) {
  auto f = fixture();
  Json first = f.report_for({{Status::fail}, {Status::pass}, {Status::fail}});
  Json second = first;
  Json first_results = Json::array({first["results"][0]});
  Json second_results = Json::array({first["results"][2], first["results"][1]});
  first["results"] = first_results;
  second["results"] = second_results;
  const Json merged = merge_reports({second, first}, {"b.json", "a.json"});
  ASSERT_EQ(merged["results"].size(), 3u);
  EXPECT_EQ(merged["results"][0]["case_id"], "a/must");
  EXPECT_EQ(merged["summary"]["total"], 3);
  EXPECT_EQ(merged["summary"]["unexpected"], 1);
  EXPECT_EQ(merged["summary"]["by_status"]["FAIL"], 2);
  EXPECT_THROW(merge_reports({first, first}, {"a.json", "a-again.json"}), InputError);
}

TEST(Report, AFailureWithoutExpectationIsUnexpected) {
  auto f = fixture();
  const Json report = f.report_for({{Status::fail}, {Status::pass}, {Status::fail}});
  EXPECT_TRUE(report["results"][0]["unexpected"].get<bool>());
  EXPECT_FALSE(report["results"][2]["unexpected"].get<bool>()) << "the expectation covers it";
  EXPECT_EQ(report["summary"]["unexpected"], 1);
  EXPECT_FALSE(report_is_clean(report));
}

TEST(Report, AnUnexpectedPassIsReportedToo) {
  auto f = fixture();
  const Json report = f.report_for({{Status::pass}, {Status::pass}, {Status::pass}});
  EXPECT_TRUE(report["results"][2]["unexpected"].get<bool>());
  EXPECT_EQ(report["results"][2]["expected_status"], "FAIL");
}

TEST(Report, InfoCasesNeverFailARun) {
  auto f = fixture();
  const Json report = f.report_for({{Status::pass}, {Status::fail}, {Status::fail}});
  EXPECT_FALSE(report["results"][1]["unexpected"].get<bool>());
  EXPECT_TRUE(report_is_clean(report));
}

TEST(Report, SkipIsCountedApartFromPass) {
  auto f = fixture();
  const Json report = f.report_for({{Status::skip}, {Status::pass}, {Status::fail}});
  EXPECT_EQ(report["summary"]["by_status"]["SKIP"], 1);
  EXPECT_EQ(report["summary"]["by_status"]["PASS"], 1);
  EXPECT_EQ(report["results"][0]["pass_count"], 0);
}

TEST(Report, FlakyCarriesPassCounts) {
  auto f = fixture();
  const Json report = f.report_for({{Status::pass, Status::fail, Status::pass}, {Status::pass}, {Status::fail}});
  EXPECT_EQ(report["results"][0]["status"], "FLAKY");
  EXPECT_EQ(report["results"][0]["runs"], 3);
  EXPECT_EQ(report["results"][0]["pass_count"], 2);
  EXPECT_TRUE(report["results"][0]["unexpected"].get<bool>());
}

TEST(Report, IsWrittenAtomically) {
  const auto dir = std::filesystem::temp_directory_path() / ("ea-report-" + std::to_string(::getpid()));
  const auto file = dir / "fake.json";
  write_json_file_atomically(file, {{"a", 1}});
  write_json_file_atomically(file, {{"a", 2}});
  EXPECT_EQ(read_json_file(file)["a"], 2);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1u) << "no temporary file is left behind";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ea::harness
