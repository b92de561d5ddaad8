"""Progress of a run (conformance/run/console.py): on a terminal, a counter
rewritten in place where only non-PASS cases stay on screen; elsewhere one
plain line per case; colour only on a terminal and never with NO_COLOR; one
total for the whole invocation, known from the first line; a known
deviation reads FAIL (expected), muted, and an unexpected result stands out."""

import io
import os
import unittest
from unittest import mock

import report_fixtures  # noqa: F401  (puts the package on sys.path)

from conformance.run.console import Tracker, color

ESC = "\033["


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def feed(tracker, *lines):
    runner = tracker.runner()
    for line in lines:
        runner.feed(line + "\n")
    runner.end()
    tracker.finish()


PLAN = "[fake] plan 3 runs"
LINES = ("[fake] PASS a/one (12 ms)",
         "[fake] FAIL (unexpected) a/two (40 ms): step 3: expected Socket, observed Argument",
         "[fake] PASS a/three (7 ms)")


class PlainLinesTest(unittest.TestCase):

    @mock.patch.dict(os.environ, {"TERM": "xterm"}, clear=False)
    def test_not_a_terminal_gets_one_plain_line_per_case(self):
        out = io.StringIO()
        feed(Tracker(stream=out), PLAN, *LINES, "gtest noise that is not a case line")
        self.assertEqual(out.getvalue().splitlines(), [
            "[1/3] fake PASS a/one (12 ms)",
            "[2/3] fake FAIL (unexpected) a/two (40 ms): step 3: expected Socket, observed Argument",
            "[3/3] fake PASS a/three (7 ms)"])
        self.assertNotIn(ESC, out.getvalue())

    @mock.patch.dict(os.environ, {"TERM": "dumb"}, clear=False)
    def test_dumb_terminal_gets_plain_lines(self):
        out = FakeTerminal()
        feed(Tracker(stream=out), PLAN, *LINES)
        self.assertNotIn(ESC, out.getvalue())
        self.assertEqual(len(out.getvalue().splitlines()), 3)

    def test_disabled_tracker_writes_nothing(self):
        out = FakeTerminal()
        feed(Tracker(enabled=False, stream=out), PLAN, *LINES)
        self.assertEqual(out.getvalue(), "")


class LiveCounterTest(unittest.TestCase):

    def setUp(self):
        patcher = mock.patch.dict(os.environ, {"TERM": "xterm"}, clear=False)
        patcher.start()
        self.addCleanup(patcher.stop)
        os.environ.pop("NO_COLOR", None)

    def test_only_non_pass_cases_stay_on_screen(self):
        out = FakeTerminal()
        feed(Tracker(stream=out), PLAN, *LINES)
        kept = out.getvalue().split("\n")[:-1]  # lines finished with a newline
        self.assertEqual(len(kept), 1)
        self.assertIn("[2/3] fake", kept[0])
        self.assertIn(f"{ESC}1;31mFAIL (unexpected){ESC}0m a/two: step 3", kept[0])
        self.assertIn("[3/3] fake a/three", out.getvalue())
        self.assertTrue(out.getvalue().endswith("\r\033[K"), "finish() clears the counter line")

    def test_a_known_deviation_is_muted_and_an_unexpected_result_stands_out(self):
        out = FakeTerminal()
        feed(Tracker(stream=out), "[fake] plan 3 runs", "[fake] FAIL (expected) a/known (5 ms): deviation",
             "[fake] PASS (unexpected) a/fixed (5 ms)", "[fake] FAIL (unexpected) a/new (5 ms): broke")
        kept = out.getvalue().split("\n")[:-1]
        self.assertIn(f"{ESC}2mFAIL (expected){ESC}0m a/known", kept[0])
        self.assertNotIn(f"{ESC}31m", kept[0], "a known deviation is not painted as a failure")
        self.assertIn(f"{ESC}1;32mPASS (unexpected){ESC}0m a/fixed", kept[1], "an unexpected PASS stays on screen")
        self.assertIn(f"{ESC}1;31mFAIL (unexpected){ESC}0m a/new", kept[2])

    def test_no_color_keeps_the_counter_and_the_words_but_drops_colour(self):
        with mock.patch.dict(os.environ, {"NO_COLOR": "1"}):
            out = FakeTerminal()
            feed(Tracker(stream=out), PLAN, "[fake] FAIL (expected) a/known (5 ms)", *LINES[1:])
            self.assertNotIn(ESC + "3", out.getvalue())
            self.assertNotIn(ESC + "2m", out.getvalue())
            self.assertIn("FAIL (expected) a/known", out.getvalue())
            self.assertIn("FAIL (unexpected) a/two", out.getvalue())
            self.assertEqual(color("FAIL", "FAIL", out), "FAIL")
        self.assertEqual(color("FAIL", "FAIL", out), f"{ESC}31mFAIL{ESC}0m")
        with mock.patch.dict(os.environ, {"NO_COLOR": ""}):
            self.assertEqual(color("FAIL", "FAIL", out), f"{ESC}31mFAIL{ESC}0m", "an empty NO_COLOR is unset")
        self.assertEqual(color("FAIL", "FAIL", io.StringIO()), "FAIL", "no colour into a file or pipe")

    def test_counter_line_never_wraps(self):
        out = FakeTerminal()
        long_case = "family/" + "x" * 300
        with mock.patch("shutil.get_terminal_size", return_value=os.terminal_size((60, 20))):
            feed(Tracker(stream=out), "[fake] plan 1 runs", f"[fake] PASS {long_case} (1 ms)")
        counter = out.getvalue().split("\r\033[K")[1]
        self.assertLess(len(counter), 60)


class TotalsTest(unittest.TestCase):

    def test_the_first_line_shown_carries_every_runners_plan(self):
        out = io.StringIO()
        tracker = Tracker(runners=2, stream=out)
        first, second = tracker.runner(), tracker.runner()
        first.feed("[a] plan 2 runs\n")
        first.feed("[a] PASS x/one (1 ms)\n")  # held: b has not planned yet
        self.assertEqual(out.getvalue(), "")
        second.feed("[b] plan 3 runs\n")
        for line in ("[a] PASS x/two (1 ms)", "[b] PASS x/one (1 ms)", "[b] PASS x/two (1 ms)",
                     "[b] PASS x/three (1 ms)"):
            (first if line.startswith("[a]") else second).feed(line + "\n")
        first.end()
        second.end()
        tracker.finish()
        counters = [line.split()[0] for line in out.getvalue().splitlines()]
        self.assertEqual(counters, ["[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]"])

    def test_a_runner_that_ends_without_a_plan_holds_nothing_back(self):
        out = io.StringIO()
        tracker = Tracker(runners=2, stream=out)
        first, failed = tracker.runner(), tracker.runner()
        first.feed("[a] plan 1 runs\n")
        first.feed("[a] PASS x/one (1 ms)\n")
        failed.end()
        self.assertEqual(out.getvalue().splitlines(), ["[1/1] a PASS x/one (1 ms)"])

    def test_done_never_exceeds_the_total_shown(self):
        out = io.StringIO()
        feed(Tracker(stream=out), "[fake] plan 1 runs", *LINES)
        self.assertEqual(out.getvalue().splitlines()[-1], "[3/3] fake PASS a/three (7 ms)")


if __name__ == "__main__":
    unittest.main()
