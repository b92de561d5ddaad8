"""Progress of a run (conformance/progress.py): on a terminal, a counter
rewritten in place where only non-PASS cases stay on screen; elsewhere one
plain line per case; colour only on a terminal and never with NO_COLOR."""

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
    for line in lines:
        tracker.feed(line + "\n")
    tracker.finish()


PLAN = "[fake] plan 3 cases"
LINES = ("[fake] PASS a/one (12 ms)", "[fake] FAIL a/two (40 ms): step 3: expected Socket, observed Argument",
         "[fake] PASS a/three (7 ms)")


class PlainLinesTest(unittest.TestCase):

    @mock.patch.dict(os.environ, {"TERM": "xterm"}, clear=False)
    def test_not_a_terminal_gets_one_plain_line_per_case(self):
        out = io.StringIO()
        feed(Tracker("fake", stream=out), PLAN, *LINES, "gtest noise that is not a case line")
        self.assertEqual(out.getvalue().splitlines(), [
            "[fake 1/3] PASS a/one (12 ms)",
            "[fake 2/3] FAIL a/two (40 ms): step 3: expected Socket, observed Argument",
            "[fake 3/3] PASS a/three (7 ms)"])
        self.assertNotIn(ESC, out.getvalue())

    @mock.patch.dict(os.environ, {"TERM": "dumb"}, clear=False)
    def test_dumb_terminal_gets_plain_lines(self):
        out = FakeTerminal()
        feed(Tracker("fake", stream=out), PLAN, *LINES)
        self.assertNotIn(ESC, out.getvalue())
        self.assertEqual(len(out.getvalue().splitlines()), 3)

    def test_disabled_tracker_writes_nothing(self):
        out = FakeTerminal()
        feed(Tracker("fake", enabled=False, stream=out), PLAN, *LINES)
        self.assertEqual(out.getvalue(), "")


class LiveCounterTest(unittest.TestCase):

    def setUp(self):
        patcher = mock.patch.dict(os.environ, {"TERM": "xterm"}, clear=False)
        patcher.start()
        self.addCleanup(patcher.stop)
        os.environ.pop("NO_COLOR", None)

    def test_only_non_pass_cases_stay_on_screen(self):
        out = FakeTerminal()
        feed(Tracker("fake", stream=out), PLAN, *LINES)
        kept = out.getvalue().split("\n")[:-1]  # lines finished with a newline
        self.assertEqual(len(kept), 1)
        self.assertIn("[fake 2/3]", kept[0])
        self.assertIn(f"{ESC}31mFAIL{ESC}0m a/two: step 3", kept[0])
        self.assertIn("[fake 3/3] a/three", out.getvalue())
        self.assertTrue(out.getvalue().endswith("\r\033[K"), "finish() clears the counter line")

    def test_no_color_keeps_the_counter_but_drops_colour(self):
        with mock.patch.dict(os.environ, {"NO_COLOR": "1"}):
            out = FakeTerminal()
            feed(Tracker("fake", stream=out), PLAN, *LINES)
            self.assertNotIn(f"{ESC}31m", out.getvalue())
            self.assertIn("FAIL a/two", out.getvalue())
            self.assertEqual(color("FAIL", "FAIL", out), "FAIL")
        self.assertEqual(color("FAIL", "FAIL", out), f"{ESC}31mFAIL{ESC}0m")
        with mock.patch.dict(os.environ, {"NO_COLOR": ""}):
            self.assertEqual(color("FAIL", "FAIL", out), f"{ESC}31mFAIL{ESC}0m", "an empty NO_COLOR is unset")
        self.assertEqual(color("FAIL", "FAIL", io.StringIO()), "FAIL", "no colour into a file or pipe")

    def test_counter_line_never_wraps(self):
        out = FakeTerminal()
        long_case = "family/" + "x" * 300
        with mock.patch("shutil.get_terminal_size", return_value=os.terminal_size((60, 20))):
            feed(Tracker("fake", stream=out), PLAN, f"[fake] PASS {long_case} (1 ms)")
        counter = out.getvalue().split("\r\033[K")[1]
        self.assertLess(len(counter), 60)


class TotalsTest(unittest.TestCase):

    def test_parts_add_up_and_repeats_multiply(self):
        out = io.StringIO()
        tracker = Tracker("fake", stream=out, repeat=2)
        feed(tracker, "[fake] plan 2 cases", "[fake] plan 1 cases", *(LINES * 2))
        self.assertEqual(tracker.total, 6)
        self.assertEqual(out.getvalue().splitlines()[-1], "[fake 6/6] PASS a/three (7 ms)")

    def test_done_never_exceeds_the_total_shown(self):
        out = io.StringIO()
        feed(Tracker("fake", stream=out), "[fake] plan 1 cases", *LINES)
        self.assertEqual(out.getvalue().splitlines()[-1], "[fake 3/3] PASS a/three (7 ms)")


if __name__ == "__main__":
    unittest.main()
