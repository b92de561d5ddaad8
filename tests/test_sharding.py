"""Parallel and sharded runs give the same results as one serial run: against
the asio reference adapter, `--jobs 2` and `--shard 1/2` + `--shard 2/2` +
`--merge` produce the same set of (case id, status) as `--jobs 1`, and the two
shards split the cases disjointly and completely.

The reference passes every case, so a second class repeats the comparison
with a mutant of it that crashes in some cases, driving the runner's --part
(what --jobs uses) and --shard directly: a crashing case in one part or shard
must not change the others' results.

Runs never build (--no-build) and write reports into temporary directories."""

import tempfile
import unittest
from pathlib import Path

from harness_support import BUILD_DIR, NEVER_HANGS_S, ROOT, run_conformance, run_runner, runner_missing_reason

ASIO = BUILD_DIR / "adapters" / "asio" / "endaccept-adapter-asio"
# Holds only get longer with the scale and a correct implementation cannot
# fail them; deadlines get more generous. A loaded machine then cannot make
# one run differ from another.
SCALE = "2"


def skip_reason():
    if runner_missing_reason():
        return runner_missing_reason()
    if not ASIO.exists():
        return f"the asio reference adapter is not built ({ASIO})"
    return None


@unittest.skipIf(skip_reason(), skip_reason())
class ShardingTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.scratch_dir = tempfile.TemporaryDirectory(prefix="endaccept-sharding-")
        scratch = Path(cls.scratch_dir.name)
        cls.runs = {}
        for name, flags in (("serial", ["--jobs", "1"]),
                            ("jobs2", ["--jobs", "2"]),
                            ("shard1", ["--jobs", "1", "--shard", "1/2"]),
                            ("shard2", ["--jobs", "1", "--shard", "2/2"])):
            cls.runs[name] = cls.drive(scratch / name, "--adapter", "asio", "--timeout-scale", SCALE, *flags)
        cls.runs["merged"] = cls.drive(scratch / "merged", "--merge", scratch / "shard1" / "asio.json",
                                       scratch / "shard2" / "asio.json")

    @classmethod
    def tearDownClass(cls):
        cls.scratch_dir.cleanup()

    @staticmethod
    def drive(report_dir, *args):
        return run_conformance("--no-build", "--build-dir", BUILD_DIR, "--report-dir", report_dir, *args,
                               report_path=report_dir / "asio.json")

    def results(self, name):
        run = self.runs[name]
        self.assertIn(run.code, (0, 1), run.describe())
        self.assertLess(run.elapsed_s, NEVER_HANGS_S * 5, run.describe())
        self.assertIsNotNone(run.report, f"{name} wrote no report\n" + run.describe())
        return {(r["case_id"], r["status"]) for r in run.report["results"]}

    def case_ids(self, name):
        return {case_id for case_id, _ in self.results(name)}

    def test_serial_run_covers_cases(self):
        self.assertGreater(len(self.results("serial")), 2)

    def test_two_jobs_give_the_same_results_as_one(self):
        self.assertEqual(self.results("jobs2"), self.results("serial"))
        self.assertEqual(self.runs["jobs2"].report["run"]["options"]["jobs"], 2)
        # One runner whose pool runs two cases at a time, not two processes of half the cases.
        self.assertEqual(len(self.runs["jobs2"].report["run"]["options"]["parts"]), 1)

    def test_shards_are_disjoint_and_complete(self):
        first, second = self.case_ids("shard1"), self.case_ids("shard2")
        self.assertTrue(first and second, "each shard gets some cases")
        self.assertEqual(first & second, set(), "no case runs in both shards")
        self.assertEqual(first | second, self.case_ids("serial"), "every case runs in one shard")

    def test_merged_shards_give_the_same_results_as_one_run(self):
        self.assertEqual(self.results("merged"), self.results("serial"))
        merged, serial = self.runs["merged"].report["summary"], self.runs["serial"].report["summary"]
        self.assertEqual(merged["total"], serial["total"])
        self.assertEqual(merged["by_status"], serial["by_status"])
        self.assertEqual(merged["unexpected_cases"], serial["unexpected_cases"])
        self.assertEqual(self.runs["merged"].code, self.runs["serial"].code)


@unittest.skipIf(skip_reason(), skip_reason())
class ShardingWithCrashesTest(unittest.TestCase):
    MUTANT = "crash-on-foreign"  # adapters/asio/src/mutant.cpp: SIGSEGV on a foreign result

    @classmethod
    def setUpClass(cls):
        cls.scratch_dir = tempfile.TemporaryDirectory(prefix="endaccept-sharding-crashes-")
        scratch = Path(cls.scratch_dir.name)
        cls.runs = {}
        for name, flags in (("serial", []),
                            ("part1", ["--part", "1/2"]), ("part2", ["--part", "2/2"]),
                            ("shard1", ["--shard", "1/2"]), ("shard2", ["--shard", "2/2"])):
            cls.runs[name] = run_runner(ROOT / "adapters" / "asio", ROOT / "cases", scratch / f"{name}.json",
                                        "--mutant", cls.MUTANT, *flags, scale=SCALE)
        for name, first, second in (("parts", "part1", "part2"), ("shards", "shard1", "shard2")):
            cls.runs[name] = run_conformance("--merge", scratch / f"{first}.json", scratch / f"{second}.json",
                                             "--report-dir", scratch / name, report_path=scratch / name / "asio.json")

    @classmethod
    def tearDownClass(cls):
        cls.scratch_dir.cleanup()

    def results(self, name):
        run = self.runs[name]
        self.assertIn(run.code, (0, 1), run.describe())
        self.assertIsNotNone(run.report, f"{name} wrote no report\n" + run.describe())
        return {(r["case_id"], r["status"]) for r in run.report["results"]}

    def test_the_mutant_crashes_in_some_cases_only(self):
        statuses = {status for _, status in self.results("serial")}
        self.assertIn("CRASH", statuses, f"mutant {self.MUTANT} no longer crashes: pick another one")
        self.assertIn("PASS", statuses)

    def test_merged_parts_give_the_same_results_as_one_run(self):
        self.assertEqual(self.results("parts"), self.results("serial"))

    def test_merged_shards_give_the_same_results_as_one_run(self):
        self.assertEqual(self.results("shards"), self.results("serial"))

    def test_parts_and_shards_are_disjoint_and_complete(self):
        every = {case_id for case_id, _ in self.results("serial")}
        for first, second in (("part1", "part2"), ("shard1", "shard2")):
            one = {case_id for case_id, _ in self.results(first)}
            two = {case_id for case_id, _ in self.results(second)}
            self.assertEqual(one & two, set(), f"{first} and {second} overlap")
            self.assertEqual(one | two, every, f"{first} and {second} miss cases")


if __name__ == "__main__":
    unittest.main()
