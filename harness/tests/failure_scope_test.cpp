// What a case still observes after a failed step, and which deviation is the
// run's status: pure functions, judged without an adapter.
#include "steps/failure_scope.hpp"

#include <gtest/gtest.h>

#include "steps/step_table.hpp"
#include "verdict.hpp"

namespace ea::harness {
namespace {

const StepOp& op(const char* name) { return *find_step_op(name); }

TEST(FailureScope, AStepUsingWhatAFailedStepShouldHaveMadeIsNotRun) {
  FailureScope scope;
  const Json failed = Json::parse(R"({"op": "end_accept", "socket": "L", "result": "r1", "as": "a1", "expect": "Socket"})");
  scope.failed(op("end_accept"), failed);
  const Json dependent = Json::parse(R"({"op": "expect_connected", "socket": "a1", "client": "c1", "listener": "L"})");
  EXPECT_EQ(scope.missing_name(op("expect_connected"), dependent), "a1");
  const Json independent = Json::parse(R"({"op": "close", "socket": "L"})");
  EXPECT_EQ(scope.missing_name(op("close"), independent), std::nullopt);
}

TEST(FailureScope, WhatAnUnrunStepWouldHaveMadeIsMissingToo) {
  FailureScope scope;
  scope.failed(op("begin_accept"), Json::parse(R"({"op": "begin_accept", "socket": "L", "result": "r1"})"));
  const Json end = Json::parse(R"({"op": "end_accept", "socket": "L", "result": "r1", "as": "a1", "expect": "Socket"})");
  ASSERT_EQ(scope.missing_name(op("end_accept"), end), "r1");
  scope.not_run(op("end_accept"), end);
  EXPECT_EQ(scope.missing_name(op("close"), Json::parse(R"({"op": "close", "socket": "a1"})")), "a1");
}

TEST(FailureScope, NamesInListsAndStatesCount) {
  FailureScope scope;
  scope.failed(op("end_accept"),
               Json::parse(R"({"op": "end_accept", "socket": "L", "result": "r1", "in_background": "t2"})"));
  EXPECT_EQ(scope.missing_name(op("await_all"),
                               Json::parse(R"({"op": "await_all", "tasks": ["t1", "t2"], "expect_each_of": ["Socket", "Socket"]})")),
            "t2");
  FailureScope listeners;
  listeners.failed(op("listen"), Json::parse(R"({"op": "listen", "socket": "M"})"));
  EXPECT_EQ(listeners.missing_name(op("begin_accept"),
                                   Json::parse(R"({"op": "begin_accept", "socket": "L", "result": "r", "state": {"socket": "M"}})")),
            "M");
}

TEST(FailureScope, ListenAndThenStopEndTheCase) {
  EXPECT_TRUE(FailureScope::stops_case(op("listen"), Json::parse(R"({"op": "listen", "socket": "L"})")));
  EXPECT_FALSE(FailureScope::stops_case(op("close"), Json::parse(R"({"op": "close", "socket": "L"})")));
  EXPECT_TRUE(FailureScope::stops_case(op("close"), Json::parse(R"({"op": "close", "socket": "L", "then": "stop"})")));
}

TEST(Conclude, TheFirstDeviationIsTheStatusAndTheOthersFollowInOrder) {
  CaseRun run;
  conclude(run, {{3, Status::fail, "step 3: first"}, {5, Status::fail, "step 5: second"}, {7, Status::timeout, "step 7: hung"}});
  EXPECT_EQ(run.status, Status::fail);
  EXPECT_EQ(run.message, "step 3: first");
  ASSERT_EQ(run.later_deviations.size(), 2u);
  EXPECT_EQ(run.later_deviations[0].message, "step 5: second");
  EXPECT_EQ(run.later_deviations[1].status, Status::timeout);
}

TEST(Conclude, NoDeviationLeavesTheRunAsItWas) {
  CaseRun run;
  conclude(run, {});
  EXPECT_EQ(run.status, Status::pass);
  EXPECT_TRUE(run.message.empty());
  EXPECT_TRUE(run.later_deviations.empty());
}

}  // namespace
}  // namespace ea::harness
