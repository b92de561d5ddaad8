#include "endaccept/host/protocol_loop.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "endaccept/host/apm_adapter.hpp"
#include "fake_apm.hpp"

namespace ea::test {
namespace {

using host::Json;

class ProtocolLoop : public ::testing::Test {
 protected:
  // Feeds `input` to the loop; returns each reply line parsed.
  std::vector<Json> run(const std::string& input) {
    std::istringstream in(input);
    std::ostringstream out;
    EXPECT_EQ(host::run_adapter(adapter_, in, out), 0);
    std::vector<Json> replies;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) replies.push_back(Json::parse(line));
    return replies;
  }

  host::ApmAdapter adapter_{fake_implementation(CallbackTiming::worker_thread)};
};

TEST_F(ProtocolLoop, EveryReplyCarriesItsRequestId) {
  const auto replies = run(
      R"({"id":1,"op":"hello","args":{"protocol":1}})"
      "\n"
      R"({"id":2,"op":"listen","args":{"socket":"L","family":"ipv4","backlog":16}})"
      "\n");
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0]["id"], 1);
  EXPECT_EQ(replies[0]["ok"], true);
  EXPECT_EQ(replies[1]["id"], 2);
  EXPECT_EQ(replies[1]["result"]["outcome"]["kind"], "Returned");
}

TEST_F(ProtocolLoop, LastLineWithoutNewlineIsStillARequest) {
  const auto replies = run(R"({"id":9,"op":"hello","args":{"protocol":1}})");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["id"], 9);
}

TEST_F(ProtocolLoop, NonJsonLineIsBadRequestWithIdZero) {
  const auto replies = run("this is not json\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["id"], 0);
  EXPECT_EQ(replies[0]["ok"], false);
  EXPECT_EQ(replies[0]["error"]["code"], "bad_request");
}

TEST_F(ProtocolLoop, CutShortJsonIsAnsweredWithIdZero) {
  // Guessing the id of a line that is not JSON could answer the wrong request.
  const auto replies = run(R"({"id": 5, "op": "hel)" "\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["id"], 0);
  EXPECT_EQ(replies[0]["error"]["code"], "bad_request");
}

TEST_F(ProtocolLoop, OverlongLineIsRejectedAndTheNextLineIsServed) {
  std::string input = R"({"id":3,"op":"hello","args":{"protocol":1,"pad":")";
  input.append(host::max_line_bytes, 'x');
  input += "\"}}\n";
  input += R"({"id":4,"op":"hello","args":{"protocol":1}})" "\n";
  const auto replies = run(input);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0]["id"], 0);
  EXPECT_EQ(replies[0]["error"]["code"], "bad_request");
  EXPECT_EQ(replies[1]["id"], 4);
  EXPECT_EQ(replies[1]["ok"], true);
}

TEST_F(ProtocolLoop, LineOfExactlyTheLimitIsAccepted) {
  std::string input = R"({"id":3,"op":"teleport","args":{"pad":")";
  input.append(host::max_line_bytes - input.size() - 3, 'x');
  input += "\"}}";
  ASSERT_EQ(input.size(), host::max_line_bytes);
  const auto replies = run(input + "\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["id"], 3);
  EXPECT_EQ(replies[0]["error"]["code"], "unsupported");
}

TEST_F(ProtocolLoop, UnknownOperationIsUnsupported) {
  const auto replies = run(R"({"id":7,"op":"teleport","args":{}})" "\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["id"], 7);
  EXPECT_EQ(replies[0]["error"]["code"], "unsupported");
}

TEST_F(ProtocolLoop, NameNeverDefinedIsUnknownName) {
  const auto replies = run(
      R"({"id":1,"op":"hello","args":{"protocol":1}})" "\n"
      R"({"id":2,"op":"close","args":{"socket":"nope"}})" "\n");
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[1]["id"], 2);
  EXPECT_EQ(replies[1]["error"]["code"], "unknown_name");
}

TEST_F(ProtocolLoop, MalformedNameOrArgumentIsBadRequest) {
  const auto replies = run(
      R"({"id":1,"op":"hello","args":{"protocol":1}})" "\n"
      R"({"id":2,"op":"close","args":{"socket":"9lives"}})" "\n"
      R"({"id":3,"op":"listen","args":{"socket":"L","family":4,"backlog":16}})" "\n"
      R"({"id":4,"op":"close","args":[]})" "\n"
      R"({"id":5,"op":"close","args":{"socket":"L","linger":0}})" "\n"
      R"({"id":0,"op":"close","args":{"socket":"L"}})" "\n");
  ASSERT_EQ(replies.size(), 6u);
  for (std::size_t i = 1; i < replies.size(); ++i) {
    EXPECT_EQ(replies[i]["error"]["code"], "bad_request") << replies[i].dump();
  }
  EXPECT_EQ(replies[1]["id"], 2);
  EXPECT_EQ(replies[5]["id"], 0);
}

TEST_F(ProtocolLoop, UnsupportedProtocolVersionIsRefused) {
  const auto replies = run(R"({"id":1,"op":"hello","args":{"protocol":2}})" "\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["error"]["code"], "unsupported");
}

TEST_F(ProtocolLoop, BlankLinesGetNoReply) {
  const auto replies = run("\n   \n" R"({"id":1,"op":"hello","args":{"protocol":1}})" "\n\n");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0]["id"], 1);
}

TEST_F(ProtocolLoop, ImplementationExceptionIsAnOutcomeNotAFailedReply) {
  const auto replies = run(
      R"({"id":1,"op":"hello","args":{"protocol":1}})" "\n"
      R"({"id":2,"op":"listen","args":{"socket":"L","family":"ipv4","backlog":16}})" "\n"
      R"({"id":3,"op":"close","args":{"socket":"L"}})" "\n"
      R"({"id":4,"op":"begin_accept","args":{"socket":"L","result":"r1","state":null,"callback":"none"}})" "\n");
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[3]["ok"], true);
  EXPECT_EQ(replies[3]["result"]["outcome"]["kind"], "ObjectDisposed");
}

TEST_F(ProtocolLoop, HelloComesFirstAndOnlyOnce) {
  const auto replies = run(
      R"({"id":1,"op":"close","args":{"socket":"L"}})" "\n"
      R"({"id":2,"op":"hello","args":{"protocol":2}})" "\n"
      R"({"id":3,"op":"hello","args":{"protocol":1}})" "\n"
      R"({"id":4,"op":"hello","args":{"protocol":1}})" "\n");
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[0]["error"]["code"], "bad_request");
  EXPECT_EQ(replies[1]["error"]["code"], "unsupported");
  EXPECT_EQ(replies[2]["ok"], true);
  EXPECT_EQ(replies[3]["error"]["code"], "bad_request");
}

TEST_F(ProtocolLoop, IdsMustIncrease) {
  const auto replies = run(
      R"({"id":5,"op":"hello","args":{"protocol":1}})" "\n"
      R"({"id":5,"op":"close","args":{"socket":"L"}})" "\n"
      R"({"id":6,"op":"close","args":{"socket":"L"}})" "\n");
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[1]["id"], 5);
  EXPECT_EQ(replies[1]["error"]["code"], "bad_request");
  EXPECT_EQ(replies[2]["error"]["code"], "unknown_name");
}

TEST_F(ProtocolLoop, RepeatedMemberNamesAndDeepNestingAreInvalidJson) {
  const std::string deep = std::string(63, '[') + std::string(63, ']');
  const auto replies = run(
      R"({"id":1,"op":"hello","args":{"protocol":1}})" "\n"
      R"({"id":2,"id":3,"op":"close","args":{"socket":"L"}})" "\n"
      R"({"id":4,"op":"teleport","args":{"x":)" + deep + "}}\n");
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[1]["id"], 0);
  EXPECT_EQ(replies[1]["error"]["code"], "bad_request");
  EXPECT_EQ(replies[2]["id"], 0);
  EXPECT_EQ(replies[2]["error"]["code"], "bad_request");
}

TEST_F(ProtocolLoop, ReentrantCallbacksTakeTheirArgumentsFromTheTable) {
  const std::string head = R"({"op":"begin_accept","args":{"socket":"L","result":"r1",)";
  const std::vector<std::string> args{
      R"("state":{"socket":"L"},"callback":"begin_again","accept_as":"a1","next_result":"r2")",  // 3: ok
      R"("state":{"socket":"L"},"callback":"begin_again","accept_as":"a1")",                      // 4: no next_result
      R"("state":{"socket":"L"},"callback":"begin_again","next_result":"r2")",                    // 5: no accept_as
      R"("state":null,"callback":"begin_again","accept_as":"a1","next_result":"r2")",             // 6: state
      R"("state":{"socket":"L"},"callback":"record","next_result":"r2")",                         // 7: next_result
      R"("state":{"socket":"L"},"callback":"close_listener")",                                    // 8: ok
      R"("state":{"object":"t"},"callback":"close_listener","accept_as":"a1")",                   // 9: state
      R"("state":{"socket":"L"},"callback":"close_listener","receive":1)",                        // 10: receive
  };
  std::string input = R"({"id":1,"op":"hello","args":{"protocol":1}})" "\n"
                      R"({"id":2,"op":"listen","args":{"socket":"L","family":"ipv4","backlog":16}})" "\n";
  int id = 3;
  for (const auto& fields : args) input += R"({"id":)" + std::to_string(id++) + "," + head.substr(1) + fields + "}}\n";
  input += R"({"id":11,"op":"forget_state","args":{"object":"t"}})" "\n"
           R"({"id":12,"op":"forget_state","args":{"object":"9"}})" "\n"
           R"({"id":13,"op":"forget_state","args":{}})" "\n";
  const auto replies = run(input);
  ASSERT_EQ(replies.size(), 13u);
  for (const int ok : {2, 7}) EXPECT_EQ(replies[ok]["ok"], true) << replies[ok].dump();
  for (const int refused : {3, 4, 5, 6, 8, 9, 11, 12}) {
    EXPECT_EQ(replies[refused]["error"]["code"], "bad_request") << replies[refused].dump();
  }
  EXPECT_EQ(replies[10]["error"]["code"], "unknown_name");
}

}  // namespace
}  // namespace ea::test
