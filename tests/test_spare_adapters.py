"""Adapters started ahead of their cases (harness/src/spare_adapters.hpp):
isolation must be unchanged. Each process serves one case at most, the
runner starts no more processes than the runs need (the probe's and one per
case), and a spare nobody took does not outlive the run.

The fixture tests/fixtures/hostile/start-log logs each process start and
each hello with its pid beside its own copy."""

import collections
import tempfile
import unittest
from pathlib import Path

from harness_support import (NEVER_HANGS_S, accept_case, private_fixture, processes_running, run_runner,
                             runner_missing_reason, wait_until, write_cases_dir)

CASES = [accept_case(f"fixture/case-{n}") for n in range(8)]


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class SpareAdapterTest(unittest.TestCase):

    def run_logged(self, *extra):
        scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-spares-")))
        adapter_dir = private_fixture(scratch, "start-log")
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": CASES})
        run = run_runner(adapter_dir, cases_dir, scratch / "report.json", *extra)
        self.assertLess(run.elapsed_s, NEVER_HANGS_S, run.describe())
        self.assertEqual(run.code, 0, run.describe())
        self.assertTrue(wait_until(lambda: not processes_running(str(adapter_dir)), 5),
                        f"a spare outlived the run: {processes_running(str(adapter_dir))}")
        events = [line.split() for line in (adapter_dir / "starts.log").read_text().splitlines()]
        return run, events

    def assert_isolated(self, run, events, runs):
        starts = [pid for word, pid in events if word == "start"]
        hellos = collections.Counter(pid for word, pid in events if word == "hello")
        self.assertEqual(len(starts), len(set(starts)))
        self.assertEqual(max(hellos.values()), 1, f"one process said hello twice: {hellos}")
        # The probe's process and one per run; a spare is never started for a run that does not come.
        self.assertEqual(len(starts), runs + 1, events)
        self.assertEqual(sum(hellos.values()), runs + 1, "every process started served a case (or the probe)")
        self.assertEqual(set(run.statuses.values()), {"PASS"}, run.describe())

    def test_each_process_serves_one_case_and_none_is_started_in_vain(self):
        run, events = self.run_logged("--jobs", "3")
        self.assert_isolated(run, events, len(CASES))

    def test_the_longest_case_starts_alone_no_spare_shares_its_start(self):
        # The probe's process, then the first case's, which says hello
        # before any other process exists (scheduler.hpp, HeadStart).
        run, events = self.run_logged("--jobs", "3")
        self.assertEqual([word for word, _ in events[:4]], ["start", "hello", "start", "hello"], events)
        self.assertEqual(events[2][1], events[3][1], events)
        self.assert_isolated(run, events, len(CASES))

    def test_also_one_at_a_time_and_repeated(self):
        run, events = self.run_logged("--jobs", "1", "--gtest_repeat=2")
        self.assert_isolated(run, events, 2 * len(CASES))


if __name__ == "__main__":
    unittest.main()
