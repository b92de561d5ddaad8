// The explored runs of one race case, made in chunks side by side: the
// result must be what one serial exploration stopping at its first failure
// shows, whichever chunk finishes first.
#include "exploration.hpp"

#include <set>

#include <gtest/gtest.h>

namespace ea::harness {
namespace {

CaseRun run_with(Status status, int index) {
  CaseRun run;
  run.status = status;
  run.explored_runs = index + 1;
  run.message = "run " + std::to_string(index);
  return run;
}

TEST(ExploredCase, TheChunksCoverEveryRunOnceInOrder) {
  for (const auto& [runs, chunks] : {std::pair{100, 7}, {5, 48}, {1, 1}, {2, 2}, {30, 15}}) {
    ExploredCase explored(runs, chunks);
    EXPECT_LE(explored.chunk_count(), runs) << "no empty chunk";
    int next = 0;
    for (int k = 0; k < explored.chunk_count(); ++k) {
      const auto [first, end] = explored.chunk(k);
      EXPECT_EQ(first, next);
      EXPECT_LT(first, end);
      next = end;
    }
    EXPECT_EQ(next, runs);
  }
}

TEST(ExploredCase, NoFailureShowsTheLastRun) {
  ExploredCase explored(6, 3);
  for (int k = 0; k < 3; ++k) {
    const auto [first, end] = explored.chunk(k);
    for (int i = first; i < end; ++i) explored.keep(i, run_with(Status::pass, i));
    const auto whole = explored.chunk_done();
    EXPECT_EQ(whole.has_value(), k == 2) << "a result only once every chunk is done";
    if (whole) {
      EXPECT_EQ(whole->status, Status::pass);
      EXPECT_EQ(whole->explored_runs, 6);
    }
  }
}

TEST(ExploredCase, TheFailureOfLowestIndexWinsWhicheverChunkReportsFirst) {
  ExploredCase explored(9, 3);  // chunks [0,3) [3,6) [6,9)
  explored.keep(7, run_with(Status::timeout, 7));
  EXPECT_FALSE(explored.chunk_done());
  EXPECT_TRUE(explored.still_wanted(6)) << "runs before a failure are still made";
  EXPECT_FALSE(explored.still_wanted(8)) << "runs after it are not";
  explored.keep(4, run_with(Status::fail, 4));
  EXPECT_FALSE(explored.chunk_done());
  EXPECT_FALSE(explored.still_wanted(5));
  for (int i = 0; i < 3; ++i) explored.keep(i, run_with(Status::pass, i));
  const auto whole = explored.chunk_done();
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->status, Status::fail);
  EXPECT_EQ(whole->explored_runs, 5);
  EXPECT_EQ(whole->message, "run 4");
}

}  // namespace
}  // namespace ea::harness
