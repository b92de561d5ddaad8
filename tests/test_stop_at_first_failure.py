"""--stop-at-first-failure (the gate's second round: a search for one kill):
once a run's result is unexpected, the runs not yet started are not made,
and they say so as SKIP; what ran before keeps its status. An expected
failure (an INFO case) does not stop the run."""

import tempfile
import unittest
from pathlib import Path

from harness_support import (accept_case, private_fixture, run_runner, runner_missing_reason, tracing_case,
                             write_cases_dir)

FIRST, HOSTILE_CASE, LAST, LATER = "fixture/a-first", "fixture/b-hostile", "fixture/c-last", "fixture/d-later"


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class StopAtFirstFailureTest(unittest.TestCase):

    def run_serially(self, fixture, cases, *extra):
        scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-stop-first-")))
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": cases})
        return run_runner(private_fixture(scratch, fixture), cases_dir, scratch / "report.json", "--jobs", "1", *extra)

    def test_the_runs_after_an_unexpected_result_are_skipped_saying_why(self):
        cases = [accept_case(FIRST), accept_case(HOSTILE_CASE, listener="H"), accept_case(LAST), accept_case(LATER)]
        run = self.run_serially("segfault-in-end-accept", cases, "--stop-at-first-failure")
        self.assertEqual(run.statuses, {FIRST: "PASS", HOSTILE_CASE: "CRASH", LAST: "SKIP", LATER: "SKIP"},
                         run.describe())
        self.assertEqual(run.code, 1, run.describe())
        for case in (LAST, LATER):
            self.assertIn("not run: --stop-at-first-failure", run.results[case]["message"])

    def test_a_search_leaves_the_duration_history_as_it_was(self):
        # The history sizes the next verdict run; a search that stops early
        # and explores is no measure of it.
        scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-stop-first-")))
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": [accept_case(FIRST), accept_case(LAST)]})
        adapter_dir = private_fixture(scratch, "segfault-in-end-accept")
        build_dir = scratch / "build"
        history = build_dir / "case-durations" / f"{adapter_dir.name}.json"
        run = run_runner(adapter_dir, cases_dir, scratch / "verdict.json", "--build-dir", build_dir)
        self.assertEqual(run.code, 0, run.describe())
        recorded = history.read_text()
        run = run_runner(adapter_dir, cases_dir, scratch / "search.json", "--build-dir", build_dir,
                         "--stop-at-first-failure")
        self.assertEqual(run.code, 0, run.describe())
        self.assertEqual(history.read_text(), recorded)

    def test_without_the_flag_every_case_runs(self):
        cases = [accept_case(FIRST), accept_case(HOSTILE_CASE, listener="H"), accept_case(LAST)]
        run = self.run_serially("segfault-in-end-accept", cases)
        self.assertEqual(run.statuses, {FIRST: "PASS", HOSTILE_CASE: "CRASH", LAST: "PASS"}, run.describe())

    def test_an_expected_failure_does_not_stop_the_run(self):
        info = tracing_case(HOSTILE_CASE, listener="H")
        info["level"] = "INFO"
        info["clauses"] = ["EA-TRACE"]
        cases = [accept_case(FIRST), info, accept_case(LAST)]
        run = self.run_serially("refuse-claimed-capability", cases, "--stop-at-first-failure")
        self.assertEqual(run.statuses[HOSTILE_CASE], "ERROR", run.describe())
        self.assertEqual(run.statuses[LAST], "PASS", "an INFO case's failure is not unexpected\n" + run.describe())


if __name__ == "__main__":
    unittest.main()
