"""Progress of a run: a live counter on a terminal, plain lines otherwise.
Honours NO_COLOR."""

import os
import re
import sys
import threading

_PLAN = re.compile(r"^\[(?P<adapter>[^\]]+)\] plan (?P<count>\d+) cases")
_CASE = re.compile(r"^\[(?P<adapter>[^\]]+)\] (?P<status>PASS|FAIL|TIMEOUT|CRASH|ERROR|SKIP) (?P<case>\S+) \((?P<ms>\d+) ms\)(?P<rest>.*)")
_COLORS = {"PASS": "32", "FAIL": "31", "TIMEOUT": "35", "CRASH": "31;1", "ERROR": "33", "SKIP": "36"}


def color(status: str, text: str, stream=sys.stderr) -> str:
    if os.environ.get("NO_COLOR") or not stream.isatty():
        return text
    return f"\033[{_COLORS.get(status, '0')}m{text}\033[0m"


class Tracker:
    def __init__(self, adapter: str, enabled: bool = True, stream=sys.stderr):
        self.adapter = adapter
        self.enabled = enabled
        self.stream = stream
        self.total = 0
        self.done = 0
        self.live = enabled and stream.isatty()
        self.lock = threading.Lock()

    def feed(self, line: str) -> None:
        with self.lock:
            plan = _PLAN.match(line)
            if plan:
                self.total += int(plan["count"])
                return
            case = _CASE.match(line)
            if not case or not self.enabled:
                return
            self.done += 1
            counter = f"[{self.adapter} {self.done}/{self.total}]"
            status = case["status"]
            if self.live:
                # Only what needs attention stays on screen; passes just move the counter.
                self.stream.write("\r\033[K")
                if status != "PASS":
                    self.stream.write(f"{counter} {color(status, status, self.stream)} {case['case']}{case['rest']}\n")
                self.stream.write(f"{counter} {case['case']}")
            else:
                self.stream.write(f"{counter} {status} {case['case']} ({case['ms']} ms){case['rest']}\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.live and self.done:
            self.stream.write("\r\033[K")
            self.stream.flush()
