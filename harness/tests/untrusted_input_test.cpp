// Candidate bytes at the harness's edges: the reply decoder refuses what
// could crash or fool it, and every text helper keeps its output valid UTF-8.
#include <gtest/gtest.h>

#include <string>

#include "adapter_session.hpp"
#include "protocol_violation.hpp"
#include "untrusted_text.hpp"

namespace ea::harness {
namespace {

std::string violation_of(const std::string& line) {
  try {
    decode_reply_line(line, "end_accept");
  } catch (const ProtocolViolation& e) {
    return e.what();
  }
  return "";
}

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(ReplyDecoder, RefusesDeepNestingWithoutParsingIt) {
  EXPECT_NE(violation_of(nested(100'000)).find("deeper than 64"), std::string::npos);
  EXPECT_NE(violation_of(std::string(100'000, '{')).find("deeper than 64"), std::string::npos);
}

TEST(ReplyDecoder, AcceptsNestingUpToTheLimit) {
  EXPECT_EQ(violation_of(nested(64)), "");
  EXPECT_NE(violation_of(nested(65)), "");
}

TEST(ReplyDecoder, BracketsInsideStringsDoNotCount) {
  EXPECT_EQ(violation_of(R"({"id": 1, "text": ")" + std::string(1000, '[') + R"(\"]]"})"), "");
}

TEST(ReplyDecoder, RefusesInvalidUtf8AndNamesTheByte) {
  EXPECT_NE(violation_of("{\"m\": \"caf\xe9\"}").find("not valid UTF-8 (byte 0xe9 at offset 10)"), std::string::npos);
  EXPECT_NE(violation_of("{\"m\": \"\xed\xa0\x80\"}").find("not valid UTF-8"), std::string::npos);  // a surrogate
  EXPECT_NE(violation_of("{\"m\": \"\xc0\xaf\"}").find("not valid UTF-8"), std::string::npos);      // overlong
  EXPECT_EQ(violation_of("{\"m\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}"), "");
}

TEST(ReplyDecoder, RefusesRawNulButNotAnEscapedOne) {
  EXPECT_NE(violation_of(std::string("{\"m\": \"a\0b\"}", 13)).find("NUL byte at offset 8"), std::string::npos);
  EXPECT_EQ(violation_of(R"({"data": "a\u0000b"})"), "");
}

TEST(ReplyDecoder, RefusesRepeatedMemberNames) {
  EXPECT_NE(violation_of(R"({"id": 1, "id": 2})").find("repeats the member name \"id\""), std::string::npos);
  EXPECT_NE(violation_of(R"({"a": {"k": 1, "k": 2}})").find("repeats"), std::string::npos);
  EXPECT_EQ(violation_of(R"({"a": {"k": 1}, "b": {"k": 2}, "k": 3})"), "");
}

TEST(ReplyDecoder, NumbersBeyondADoubleAreNotJson) {
  EXPECT_NE(violation_of(R"({"id": 1e400})").find("not JSON"), std::string::npos);
}

TEST(ReplyFields, IntegersAreRangeCheckedNotWrapped) {
  const Json reply = Json::parse(R"({"port": 65537, "zero": 0, "big": 18446744073709551615, "calls": -1, "ok": 8080})");
  EXPECT_THROW(reply_port(reply, "port"), ProtocolViolation);
  EXPECT_THROW(reply_port(reply, "zero"), ProtocolViolation);
  EXPECT_THROW(reply_int(reply, "big"), ProtocolViolation);
  EXPECT_THROW(reply_count(reply, "calls"), ProtocolViolation);
  EXPECT_EQ(reply_port(reply, "ok"), 8080);
}

TEST(UntrustedText, CutsOnlyAtCharacterBoundaries) {
  const std::string euros = "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac";  // three 3-byte characters
  EXPECT_EQ(utf8_prefix(euros, 4), "\xe2\x82\xac");
  EXPECT_EQ(utf8_prefix(euros, 6), "\xe2\x82\xac\xe2\x82\xac");
  EXPECT_EQ(utf8_suffix(euros, 5), "\xe2\x82\xac");
  EXPECT_EQ(utf8_suffix(euros, 9), euros);
}

TEST(UntrustedText, EscapesWhatIsNotText) {
  EXPECT_EQ(escaped_text(std::string("a\0b\xff\n", 5)), "a\\x00b\\xff\n");
  EXPECT_EQ(one_line("one\ntwo\r\x1b[2J"), "one\\x0atwo\\x0d\\x1b[2J");
  const std::string cut = one_line(std::string(3000, 'x'), 100);
  EXPECT_EQ(cut.size(), 103u);
  EXPECT_FALSE(first_invalid_utf8(one_line(std::string(300, '\xe9'), 100)).has_value());
}

}  // namespace
}  // namespace ea::harness
