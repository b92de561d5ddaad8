"""What a run prints: progress (a live counter on a terminal, plain lines
otherwise; honours NO_COLOR and TERM=dumb) and the per-adapter summary at
the end."""

import os
import re
import shutil
import sys
import threading

from conformance.model.vocabulary import PASS, RUN_STATUSES, STATUS_COLORS, STATUSES


# The runner's progress protocol (endaccept-conformance --help): a plan of
# the runs GoogleTest will report, then one line per run as it ends, with the
# judge's verdict when the status alone would mislead.
_PLAN = re.compile(r"^\[(?P<adapter>[^\]]+)\] plan (?P<count>\d+) runs$")
_CASE = re.compile(r"^\[(?P<adapter>[^\]]+)\] (?P<status>" + "|".join(RUN_STATUSES) + r")"
                   r"(?: \((?P<verdict>expected|unexpected)\))? (?P<case>\S+) \((?P<ms>\d+) ms\)(?P<rest>.*)")
EXPECTED, UNEXPECTED = "expected", "unexpected"
# A known deviation is shown, faint: it is not news. An unexpected result is
# bold in its status colour: it is what fails the run.
_MUTED = "2"
_STANDOUT = "1;"


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def _style(codes: str, text: str, stream) -> str:
    if os.environ.get("NO_COLOR") or not _is_terminal(stream):
        return text
    return f"\033[{codes}m{text}\033[0m"


def color(status: str, text: str, stream=None) -> str:
    stream = stream if stream is not None else sys.stderr  # looked up now: tests and callers may replace it
    return _style(STATUS_COLORS.get(status, "0"), text, stream)


def verdict_text(status: str, verdict: str, stream) -> str:
    """"FAIL (expected)" muted, "PASS (unexpected)" standing out, else the status in its colour."""
    if verdict == EXPECTED:
        return _style(_MUTED, f"{status} (expected)", stream)
    if verdict == UNEXPECTED:
        return _style(_STANDOUT + STATUS_COLORS.get(status, "0"), f"{status} (unexpected)", stream)
    return _style(STATUS_COLORS.get(status, "0"), status, stream)


class Tracker:
    """Turns the runners' stderr lines into progress, one counter for the
    whole invocation (every adapter, every repetition).

    The total is the sum of every runner's plan, so a case line is held back
    until each of the `runners` has announced its plan (or ended without
    one): the first counter shown carries the final total, and it never
    changes. Runners announce their plan before their first case starts.
    """

    def __init__(self, runners: int = 1, enabled: bool = True, stream=None):
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.unplanned = max(1, runners)
        self.total = 0
        self.done = 0
        self.held = []
        # Rewriting a line in place needs a terminal that understands \r and
        # erase-line; anything else (CI logs, files, TERM=dumb) gets plain lines.
        self.live = enabled and _is_terminal(self.stream)
        self.lock = threading.Lock()

    def runner(self) -> "RunnerFeed":
        """The feed of one runner's stderr."""
        return RunnerFeed(self)

    def _plan(self, count: int) -> None:
        self.total += count
        self.unplanned -= 1
        if self.unplanned == 0:
            held, self.held = self.held, []
            for case in held:
                self._show(case)

    def _case(self, case) -> None:
        if self.unplanned:
            self.held.append(case)
        else:
            self._show(case)

    def _show(self, case) -> None:
        if not self.enabled:
            return
        self.done += 1
        # A runner that runs more than it planned (--gtest_repeat=-1) must not show done > total.
        counter = f"[{self.done}/{max(self.total, self.done)}]"
        status, verdict, adapter = case["status"], case["verdict"], case["adapter"]
        if self.live:
            # Only what needs attention stays on screen; passes just move the counter.
            self.stream.write("\r\033[K")
            if status != PASS or verdict:
                self.stream.write(f"{counter} {adapter} {verdict_text(status, verdict, self.stream)} "
                                  f"{case['case']}{case['rest']}\n")
            self.stream.write(self._fit(f"{counter} {adapter} {case['case']}"))
        else:
            self.stream.write(f"{counter} {adapter} {verdict_text(status, verdict, self.stream)} {case['case']} "
                              f"({case['ms']} ms){case['rest']}\n")
        self.stream.flush()

    def finish(self) -> None:
        with self.lock:
            self.unplanned = 0
            held, self.held = self.held, []
            for case in held:
                self._show(case)
            if self.live and self.done:
                self.stream.write("\r\033[K")
                self.stream.flush()

    @staticmethod
    def _fit(text: str) -> str:
        """The counter line cut to the terminal's width: a line that wraps
        cannot be erased by \\r and erase-line, and would pile up on screen."""
        width = shutil.get_terminal_size(fallback=(80, 24)).columns
        return text if len(text) < width else text[:max(width - 2, 1)] + "\u2026"


def finished_case(line: str):
    """(status, case id) of a runner's line saying a case has ended, else None."""
    case = _CASE.match(line.rstrip("\n"))
    return (case["status"], case["case"]) if case else None


class RunnerFeed:
    """One runner's lines into the shared Tracker; `end()` when the runner
    has exited (a runner that failed before its plan must not hold the others back)."""

    def __init__(self, tracker: Tracker):
        self.tracker = tracker
        self.planned = False

    def feed(self, line: str) -> None:
        tracker = self.tracker
        with tracker.lock:
            plan = _PLAN.match(line.rstrip("\n"))
            if plan and not self.planned:
                self.planned = True
                tracker._plan(int(plan["count"]))
                return
            case = _CASE.match(line.rstrip("\n"))
            if case:
                tracker._case(case.groupdict())

    def end(self) -> None:
        with self.tracker.lock:
            if not self.planned:
                self.planned = True
                self.tracker._plan(0)


def print_summary(reports: dict, skipped: dict, stream) -> None:
    """`reports`: adapter name -> report; `skipped`: adapter name -> reason."""
    for name, report in reports.items():
        adapter = report["adapter"]
        counts = report["summary"]["by_status"]
        shown = ", ".join(f"{counts[status]} {status}" for status in STATUSES if counts.get(status))
        print(f"{name} ({adapter.get('implementation', '?')}): {shown}; "
              f"{report['summary']['unexpected']} unexpected; {report['run']['duration_ms'] / 1000:.1f} s", file=stream)
        for result in report["results"]:
            if result["unexpected"]:
                print(f"  {verdict_text(result['status'], UNEXPECTED, stream)} {result['case_id']} "
                      f"(expected {result['expected_status']}): {result['message']}", file=stream)
    for name, reason in skipped.items():
        print(f"{name}: not run: {reason}", file=stream)
