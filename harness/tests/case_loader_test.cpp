#include "case_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "input_error.hpp"
#include "steps/step_table.hpp"

namespace ea::harness {
namespace {

const std::filesystem::path kSource = ENDACCEPT_SOURCE_DIR;

Catalog catalog() { return Catalog::load(kSource / "spec" / "clauses.json"); }

Json minimal_case() {
  return Json::parse(R"({
    "id": "arg-null/example",
    "clauses": ["EA-ARG-NULL"],
    "level": "MUST",
    "title": "An example case for the loader's tests",
    "explanation": "A null result on an idle listener is rejected at once.",
    "steps": [
      {"op": "listen", "socket": "L"},
      {"op": "end_accept", "socket": "L", "result": null, "expect": "ArgumentNull"}
    ]})");
}

Json table_of(const Json& one_case) { return {{"cases", Json::array({one_case})}}; }

// Runs the loader on `table` and returns the InputError it raised.
InputError rejection(const Json& table) {
  try {
    check_case_table(table, "example.json", catalog());
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "the table was accepted";
  return InputError("", "", "");
}

TEST(CaseLoader, TheShippedCasesAreValidAndCoverEveryClause) {
  const auto clauses = catalog();
  const auto cases = load_cases(kSource / "cases", clauses);
  EXPECT_GE(cases.size(), 38u);
  for (const auto& [id, clause] : clauses.clauses) {
    const bool covered = std::any_of(cases.begin(), cases.end(), [&](const ConformanceCase& c) {
      return std::find(c.clause_ids.begin(), c.clause_ids.end(), id) != c.clause_ids.end();
    });
    EXPECT_TRUE(covered) << id << " has no case";
  }
  EXPECT_TRUE(std::is_sorted(cases.begin(), cases.end(), [](auto& a, auto& b) { return a.id < b.id; }));
}

// Tools and CI scripts refer to these ids; renaming one breaks them.
TEST(CaseLoader, EveryCaseIdThatToolsReferToExists) {
  const auto cases = load_cases(kSource / "cases", catalog());
  for (const char* id :
       {"arg-null/idle-listener", "arg-null/pending-accept", "arg-foreign/other-listener", "arg-foreign/other-operation",
        "arg-foreign/caller-made", "arg-foreign/not-consumed", "disposed/after-completion", "disposed/while-pending",
        "disposed/while-end-blocked", "disposed/null-argument", "disposed/begin-after-close", "end-twice/sequential",
        "end-twice/concurrent", "end-twice/callback-then-caller", "socket-error/descriptor-exhaustion",
        "socket-error/recovers", "blocks/until-connect", "blocks/already-pending", "blocks/multiple-outstanding",
        "returns-socket/new-and-connected", "returns-socket/data-both-ways", "returns-socket/ipv6",
        "listener-continues/second-accept", "callback-thread/after-begin-returns",
        "callback-thread/connection-already-queued", "callback-once/exactly-once", "async-state/listener",
        "async-state/arbitrary-object", "end-in-callback/canonical-pattern", "iasyncresult/is-completed",
        "iasyncresult/wait-handle", "iasyncresult/completed-synchronously", "platform/supported",
        "trace/accept-traced", "no-leak/closed-before-end", "no-leak/accept-cycles"}) {
    const bool present =
        std::any_of(cases.begin(), cases.end(), [&](const ConformanceCase& c) { return c.id == id; });
    EXPECT_TRUE(present) << id;
  }
}

TEST(CaseLoader, AcceptsAMinimalCase) {
  const auto cases = check_case_table(table_of(minimal_case()), "example.json", catalog());
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].id, "arg-null/example");
  EXPECT_EQ(cases[0].level, Level::must);
}

TEST(CaseLoader, UnknownStepOpIsNamedByPointer) {
  Json c = minimal_case();
  c["steps"][1]["op"] = "end_acept";
  const auto error = rejection(table_of(c));
  EXPECT_EQ(error.file(), "example.json");
  EXPECT_EQ(error.pointer(), "/cases/0/steps/1/op");
}

TEST(CaseLoader, MisspelledStepFieldIsRejected) {
  Json c = minimal_case();
  c["steps"][1]["expected"] = "ArgumentNull";
  EXPECT_EQ(rejection(table_of(c)).pointer().rfind("/cases/0/steps/1", 0), 0u);
}

TEST(CaseLoader, UnknownClauseIsRejected) {
  Json c = minimal_case();
  c["clauses"] = {"EA-NOT-A-CLAUSE"};
  const auto error = rejection(table_of(c));
  EXPECT_EQ(error.pointer(), "/cases/0/clauses/0");
  EXPECT_NE(error.reason().find("EA-NOT-A-CLAUSE"), std::string::npos);
}

TEST(CaseLoader, ReferenceToAnUndefinedNameIsRejected) {
  Json c = minimal_case();
  c["steps"][1]["socket"] = "M";
  const auto error = rejection(table_of(c));
  EXPECT_EQ(error.pointer(), "/cases/0/steps/1/socket");
  EXPECT_NE(error.reason().find("'M'"), std::string::npos);
}

TEST(CaseLoader, ACaseCannotBeStricterThanItsClauses) {
  Json c = minimal_case();
  c["clauses"] = {"EA-TRACE"};
  c["steps"] = Json::parse(R"([{"op": "listen", "socket": "L"}])");
  EXPECT_EQ(rejection(table_of(c)).pointer(), "/cases/0/level");
}

TEST(CaseLoader, HoldMustBeShorterThanDeadline) {
  Json c = minimal_case();
  c["steps"] = Json::parse(R"([
    {"op": "listen", "socket": "L"},
    {"op": "begin_accept", "socket": "L", "result": "r1", "state": {"socket": "L"}, "callback": "record"},
    {"op": "expect_callback", "result": "r1", "calls": 1, "within_ms": 200, "hold_ms": 500}])");
  EXPECT_EQ(rejection(table_of(c)).pointer(), "/cases/0/steps/2/hold_ms");
}

TEST(CaseLoader, EndAcceptNeedsExactlyOneOfExpectAndBackground) {
  Json c = minimal_case();
  c["steps"][1]["in_background"] = "t1";
  EXPECT_EQ(rejection(table_of(c)).pointer(), "/cases/0/steps/1/expect");
}

TEST(CaseLoader, OptionalFeaturesMustBeDeclared) {
  Json c = minimal_case();
  c["steps"][0]["family"] = "ipv6";
  const auto error = rejection(table_of(c));
  EXPECT_EQ(error.pointer(), "/cases/0/steps/0");
  EXPECT_NE(error.reason().find("ipv6"), std::string::npos);
}

TEST(CaseLoader, DuplicateIdsAcrossFilesAreRejected) {
  const auto dir = std::filesystem::temp_directory_path() / ("ea-loader-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* name : {"a.json", "b.json"}) std::ofstream(dir / name) << table_of(minimal_case()).dump();
  try {
    load_cases(dir, catalog());
    ADD_FAILURE() << "duplicate accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.file(), (dir / "b.json").string());
    EXPECT_EQ(error.pointer(), "/cases/0/id");
  }
  std::filesystem::remove_all(dir);
}

// cases/case.schema.json is for editors and readers; the loader uses the
// schema the step declarations generate, and the two must not drift.
TEST(CaseLoader, TheCommittedCaseSchemaIsTheGeneratedOne) {
  EXPECT_EQ(read_json_file(kSource / "cases" / "case.schema.json"), case_schema())
      << "cases/case.schema.json is stale: run python3 run_conformance.py --generate";
}

TEST(CaseLoader, ACallbackExpectationNeedsABeginAcceptWithACallback) {
  Json c = minimal_case();
  c["steps"] = Json::parse(R"([
    {"op": "listen", "socket": "L"},
    {"op": "begin_accept", "socket": "L", "result": "r1"},
    {"op": "expect_callback", "result": "r1"}])");
  const auto error = rejection(table_of(c));
  EXPECT_EQ(error.pointer(), "/cases/0/steps/2/result");
  EXPECT_NE(error.reason().find("no callback"), std::string::npos);
}

TEST(CaseLoader, ASocketErrorCodeMustBeAWindowsSocketsNumber) {
  Json c = minimal_case();
  c["steps"][1]["expect"] = "SocketError(24)";
  const auto error = rejection(table_of(c));
  EXPECT_EQ(error.pointer(), "/cases/0/steps/1/expect");
  EXPECT_NE(error.reason().find("Windows Sockets"), std::string::npos);
}

TEST(CaseLoader, RestoringDescriptorsNeedsAnEarlierLimit) {
  Json c = minimal_case();
  c["steps"] = Json::parse(R"([{"op": "listen", "socket": "L"}, {"op": "restore_descriptors"}])");
  EXPECT_EQ(rejection(table_of(c)).pointer(), "/cases/0/steps/1/op");
}

TEST(CaseLoader, MalformedJsonNamesTheLine) {
  const auto file = std::filesystem::temp_directory_path() / ("ea-malformed-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << "{\n  \"cases\": [\n    {,\n  ]\n}\n";
  try {
    read_json_file(file);
    ADD_FAILURE() << "malformed JSON accepted";
  } catch (const InputError& error) {
    EXPECT_NE(error.reason().find("line 3"), std::string::npos) << error.reason();
  }
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace ea::harness
