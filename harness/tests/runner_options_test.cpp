#include "runner_options.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ea::harness {
namespace {

TEST(RunnerOptions, ParsesSlicesAndScale) {
  const auto options = parse_runner_options(
      {"--adapter-dir", "a", "--report", "r.json", "--shard", "2/3", "--part", "1/2", "--timeout-scale", "2.5"});
  EXPECT_EQ(options.shard.index, 2);
  EXPECT_EQ(options.shard.count, 3);
  EXPECT_EQ(options.part.count, 2);
  EXPECT_DOUBLE_EQ(options.timeout_scale, 2.5);
}

TEST(RunnerOptions, RejectsBadUse) {
  EXPECT_THROW(parse_runner_options({"--adapter-dir", "a", "--report", "r", "--shard", "3/2"}), UsageError);
  EXPECT_THROW(parse_runner_options({"--adapter-dir", "a", "--report", "r", "--timeout-scale", "-1"}), UsageError);
  EXPECT_THROW(parse_runner_options({"--adapter-dir", "a", "--report", "r", "--timeout-scale", "2x"}), UsageError);
  EXPECT_THROW(parse_runner_options({"--report", "r"}), UsageError);
  EXPECT_THROW(parse_runner_options({"--adapter-dir", "a", "--report", "r", "--frobnicate"}), UsageError);
}

TEST(Sharding, EveryCaseLandsInExactlyOneShard) {
  const std::vector<std::string> ids = {"arg-null/idle-listener", "blocks/until-connect", "disposed/while-pending",
                                        "end-twice/concurrent",   "no-leak/accept-cycles", "trace/accept-traced"};
  for (int count = 1; count <= 4; ++count) {
    for (const auto& id : ids) {
      int homes = 0;
      for (int index = 1; index <= count; ++index) homes += in_shard(id, {index, count}) ? 1 : 0;
      EXPECT_EQ(homes, 1) << id << " in " << count << " shards";
    }
  }
}

TEST(Filters, GlobsSelectCaseIds) {
  EXPECT_TRUE(matches_any_glob("disposed/while-pending", {}));
  EXPECT_TRUE(matches_any_glob("disposed/while-pending", {"disposed/*"}));
  EXPECT_FALSE(matches_any_glob("blocks/until-connect", {"disposed/*"}));
  EXPECT_TRUE(matches_any_glob("blocks/until-connect", {"disposed/*", "*/until-*"}));
}

}  // namespace
}  // namespace ea::harness
