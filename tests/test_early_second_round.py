"""A racy mutant's second round starts early (run/mutants.py
EarlySecondRound): once its first round's lines say every race case has
ended without a kill. Whatever the timing, the gate's outcome is the one of
the two rounds one after the other: the second round's report when the
first round did not kill, none (and no report left behind) when it did.

The rounds here are stand-ins: no runner is started."""

import tempfile
import threading
import unittest
from pathlib import Path

import report_fixtures  # noqa: F401  (puts the package on sys.path)

from conformance.run.mutants import EarlySecondRound  # noqa: E402

RACE_CASES = {"race/a", "race/b"}


class SecondRound:
    """Counts its starts; writes the report a real second round would."""

    def __init__(self, report: Path, fails: bool = False):
        self.report = report
        self.fails = fails
        self.starts = 0
        self.started = threading.Event()

    def __call__(self):
        self.starts += 1
        self.started.set()
        if self.fails:
            raise RuntimeError("the second round's runner failed")
        self.report.write_text("{}")
        return {"report": "second"}


class EarlySecondRoundTest(unittest.TestCase):

    def setUp(self):
        self.report = Path(self.enterContext(tempfile.TemporaryDirectory())) / "m.escalated.json"

    def early(self, **kwargs):
        second = SecondRound(self.report, **kwargs)
        return second, EarlySecondRound(RACE_CASES, second, self.report)

    def test_it_starts_once_every_race_case_has_ended_without_a_kill(self):
        second, early = self.early()
        for line in ("[posix] plan 61 runs\n", "[posix] PASS race/a (12 ms)\n",
                     "[posix] FAIL (unexpected) other/case (3 ms): step 2: wrong\n", "garbage\n"):
            early.watch(line)
        self.assertEqual(second.starts, 0, "a race case has not ended yet")
        early.watch("[posix] SKIP race/b (1 ms): the adapter does not declare the capability 'signals'\n")
        self.assertTrue(second.started.wait(30))
        early.watch("[posix] PASS race/b (12 ms)\n")  # a repetition's line starts nothing more
        self.assertEqual(early.outcome(first_killed=False), {"report": "second"})
        self.assertEqual(second.starts, 1)
        self.assertTrue(self.report.exists())

    def test_a_race_case_that_kills_means_no_second_round(self):
        second, early = self.early()
        early.watch("[posix] TIMEOUT (unexpected) race/a (10012 ms): step 4: no reply\n")
        early.watch("[posix] PASS race/b (12 ms)\n")
        self.assertIsNone(early.outcome(first_killed=True))
        self.assertEqual(second.starts, 0)

    def test_a_first_round_that_kills_after_all_drops_the_early_round(self):
        second, early = self.early()
        early.watch("[posix] PASS race/a (12 ms)\n")
        early.watch("[posix] PASS race/b (12 ms)\n")
        self.assertTrue(second.started.wait(30))
        self.assertIsNone(early.outcome(first_killed=True))
        self.assertFalse(self.report.exists(), "the early round's report is removed")

    def test_without_the_lines_it_runs_after_the_first_round_as_before(self):
        second, early = self.early()
        early.watch("[posix] PASS race/a (12 ms)\n")
        self.assertEqual(early.outcome(first_killed=False), {"report": "second"})
        self.assertEqual(second.starts, 1)
        early.watch("[posix] PASS race/b (12 ms)\n")  # too late: outcome() has decided
        self.assertEqual(second.starts, 1)

    def test_without_the_lines_and_killed_nothing_runs(self):
        second, early = self.early()
        self.assertIsNone(early.outcome(first_killed=True))
        self.assertEqual(second.starts, 0)

    def test_a_failure_of_the_early_round_reaches_the_gate(self):
        second, early = self.early(fails=True)
        early.watch("[posix] PASS race/a (12 ms)\n")
        early.watch("[posix] PASS race/b (12 ms)\n")
        with self.assertRaises(RuntimeError):
            early.outcome(first_killed=False)


if __name__ == "__main__":
    unittest.main()
