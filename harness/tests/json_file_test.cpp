// The suite's one reader of its own input files: what it refuses, and that
// the pointer it names is the place of the mistake.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "input_error.hpp"
#include "json_file.hpp"
#include "schema_validator.hpp"

namespace ea::harness {
namespace {

// "pointer: reason" of the refusal, or "" when the text is accepted.
std::string refusal_of(const std::string& text) {
  try {
    parse_json_text(text, "t.json");
  } catch (const InputError& e) {
    return e.pointer() + ": " + e.reason();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(JsonReader, AcceptsPlainJson) {
  EXPECT_EQ(refusal_of(R"({"cases": [{"id": "a/b", "steps": [1, 2]}]})"), "");
}

TEST(JsonReader, RefusesAByteOrderMark) {
  EXPECT_TRUE(contains(refusal_of("\xEF\xBB\xBF{}"), "byte order mark"));
}

TEST(JsonReader, NamesTheRepeatedMemberWhereverItIs) {
  EXPECT_EQ(refusal_of(R"({"level": "MUST", "level": "INFO"})"),
            R"(/level: the member name "level" appears twice in one object)");
  EXPECT_EQ(refusal_of(R"({"cases": [{"id": 1}, [0, {"a": 1}], {"x": {"s/t": 1, "s/t": 2}}]})").substr(0, 15),
            "/cases/2/x/s~1t");
  // Equal names in different objects are no repetition.
  EXPECT_EQ(refusal_of(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}, "a": 4}])"), "");
}

TEST(JsonReader, RefusesTextAfterTheValueButCallsATruncatedFileMalformed) {
  EXPECT_TRUE(contains(refusal_of("{} {}"), "text after the JSON value"));
  EXPECT_TRUE(contains(refusal_of(R"({"cases": [)"), "malformed JSON"));
}

TEST(JsonReader, BoundsNestingAndStringsBeforeAnythingDeeperSeesThem) {
  EXPECT_TRUE(contains(refusal_of(std::string(100'000, '[') + std::string(100'000, ']')), "nest deeper than 64"));
  EXPECT_EQ(refusal_of(R"({"a": [")" + std::string(kMaxInputStringBytes + 1, 'x') + R"("]})"),
            "/a/0: a string longer than 65536 bytes");
  EXPECT_EQ(refusal_of(R"({"a": ")" + std::string(kMaxInputStringBytes, 'x') + R"("})"), "");
}

TEST(JsonReader, RefusesAFifoWithoutWaitingForAWriter) {
  const auto fifo = std::filesystem::temp_directory_path() / ("endaccept-fifo-" + std::to_string(::getpid()));
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string reason;
  try {
    read_json_file(fifo);
  } catch (const InputError& e) {
    reason = e.reason();
  }
  std::filesystem::remove(fifo);
  EXPECT_TRUE(contains(reason, "FIFO")) << reason;
}

TEST(SchemaValidator, MatchesAPatternOverTheLongestStringTheReaderLetsThrough) {
  // std::regex recurses per character: this overflowed an 8 MiB stack.
  const SchemaValidator validator(Json::parse(R"({"type": "string", "pattern": "^[a-z]*(/[a-z]+)*$"})"), "s");
  EXPECT_NO_THROW(validator.validate(Json(std::string(kMaxInputStringBytes, 'a')), "t.json"));
  EXPECT_THROW(validator.validate(Json(std::string(kMaxInputStringBytes - 1, 'a') + "A"), "t.json"), InputError);
}

}  // namespace
}  // namespace ea::harness
