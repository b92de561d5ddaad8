"""What a run prints: progress (a live counter on a terminal, plain lines
otherwise; honours NO_COLOR and TERM=dumb) and the per-adapter summary at
the end."""

import os
import re
import shutil
import sys
import threading

from conformance.model.vocabulary import PASS, RUN_STATUSES, STATUS_COLORS, STATUSES


_PLAN = re.compile(r"^\[(?P<adapter>[^\]]+)\] plan (?P<count>\d+) cases")
_CASE = re.compile(r"^\[(?P<adapter>[^\]]+)\] (?P<status>" + "|".join(RUN_STATUSES) + r") (?P<case>\S+) \((?P<ms>\d+) ms\)(?P<rest>.*)")


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def color(status: str, text: str, stream=None) -> str:
    stream = stream if stream is not None else sys.stderr  # looked up now: tests and callers may replace it
    if os.environ.get("NO_COLOR") or not _is_terminal(stream):
        return text
    return f"\033[{STATUS_COLORS.get(status, '0')}m{text}\033[0m"


class Tracker:
    """Turns the judge's per-case stderr lines into progress.

    `repeat`: the judge runs every planned case that many times
    (--gtest_repeat) but announces its plan once, so the total is scaled here.
    """

    def __init__(self, adapter: str, enabled: bool = True, stream=None, repeat: int = 1):
        self.adapter = adapter
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.repeat = max(1, repeat)
        self.total = 0
        self.done = 0
        # Rewriting a line in place needs a terminal that understands \r and
        # erase-line; anything else (CI logs, files, TERM=dumb) gets plain lines.
        self.live = enabled and _is_terminal(self.stream)
        self.lock = threading.Lock()

    def feed(self, line: str) -> None:
        with self.lock:
            plan = _PLAN.match(line)
            if plan:
                self.total += int(plan["count"]) * self.repeat
                return
            case = _CASE.match(line)
            if not case or not self.enabled:
                return
            self.done += 1
            # Parts announce their plans independently; never show done > total.
            counter = f"[{self.adapter} {self.done}/{max(self.total, self.done)}]"
            status = case["status"]
            if self.live:
                # Only what needs attention stays on screen; passes just move the counter.
                self.stream.write("\r\033[K")
                if status != PASS:
                    self.stream.write(f"{counter} {color(status, status, self.stream)} {case['case']}{case['rest']}\n")
                self.stream.write(self._fit(f"{counter} {case['case']}"))
            else:
                self.stream.write(f"{counter} {status} {case['case']} ({case['ms']} ms){case['rest']}\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.live and self.done:
            self.stream.write("\r\033[K")
            self.stream.flush()

    @staticmethod
    def _fit(text: str) -> str:
        """The counter line cut to the terminal's width: a line that wraps
        cannot be erased by \\r and erase-line, and would pile up on screen."""
        width = shutil.get_terminal_size(fallback=(80, 24)).columns
        return text if len(text) < width else text[:max(width - 2, 1)] + "\u2026"


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
                print(f"  {color(result['status'], result['status'], stream)} {result['case_id']} "
                      f"(expected {result['expected_status']}): {result['message']}", file=stream)
    for name, reason in skipped.items():
        print(f"{name}: not run: {reason}", file=stream)
