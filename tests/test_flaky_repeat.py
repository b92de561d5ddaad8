"""Repeated runs (--gtest_repeat): a case whose runs disagree is FLAKY, the
report counts its runs and passes, and FLAKY is an unexpected result unless
the adapter's expectations allow exactly that.

The fixture tests/fixtures/hostile/flaky-alternating passes in odd-numbered
case processes and fails in even-numbered ones, counting processes in a file
under TMPDIR (which the harness passes through to adapters); each test gives
it a fresh TMPDIR, so four runs are PASS, FAIL, PASS, FAIL."""

import json
import tempfile
import unittest
from pathlib import Path

from harness_support import (HOSTILE, NEVER_HANGS_S, accept_case, runner_missing_reason, run_runner,
                             write_cases_dir)

CASE = "fixture/a-first"


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class FlakyRepeatTest(unittest.TestCase):

    def run_four_times(self, expectations=None):
        scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-flaky-")))
        (scratch / "tmp").mkdir()
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": [accept_case(CASE)]})
        extra = ["--gtest_repeat=4"]
        if expectations is not None:
            path = scratch / "expectations.json"
            path.write_text(json.dumps({"expectations": {CASE: expectations}}))
            extra += ["--expectations", path]
        run = run_runner(HOSTILE / "flaky-alternating", cases_dir, scratch / "report.json", *extra,
                         env={"TMPDIR": str(scratch / "tmp")})
        self.assertLess(run.elapsed_s, NEVER_HANGS_S, run.describe())
        self.assertIsNotNone(run.report, run.describe())
        return run

    def test_alternating_results_over_four_runs_are_flaky_with_two_passes(self):
        run = self.run_four_times()
        self.assertEqual([line["status"] for line in run.progress], ["PASS", "FAIL", "PASS", "FAIL"], run.describe())
        result = run.results[CASE]
        self.assertEqual(result["status"], "FLAKY")
        self.assertEqual(result["runs"], 4)
        self.assertEqual(result["pass_count"], 2)
        self.assertEqual(result["by_status"], {"PASS": 2, "FAIL": 2})
        self.assertIn("expected Socket, observed ArgumentNull", result["message"], "the failing run is the one shown")
        self.assertEqual(run.report["summary"]["by_status"]["FLAKY"], 1)
        self.assertEqual(run.report["run"]["options"]["repeat"], 4)

    def test_flaky_without_an_expectation_is_unexpected(self):
        run = self.run_four_times()
        self.assertTrue(run.results[CASE]["unexpected"])
        self.assertEqual(run.report["summary"]["unexpected_cases"], [CASE])
        self.assertEqual(run.code, 1, run.describe())

    def test_flaky_expected_as_fail_is_still_unexpected(self):
        run = self.run_four_times({"status": "FAIL", "reason": "fails on this platform", "classification": "platform"})
        self.assertEqual(run.results[CASE]["status"], "FLAKY")
        self.assertTrue(run.results[CASE]["unexpected"])
        self.assertEqual(run.code, 1, run.describe())

    def test_flaky_allowed_by_expectations_is_as_expected(self):
        run = self.run_four_times({"status": "FLAKY", "reason": "the fixture alternates on purpose",
                                     "classification": "likely-bug"})
        self.assertEqual(run.results[CASE]["status"], "FLAKY")
        self.assertEqual(run.results[CASE]["expected_status"], "FLAKY")
        self.assertFalse(run.results[CASE]["unexpected"])
        self.assertEqual(run.code, 0, run.describe())


if __name__ == "__main__":
    unittest.main()
