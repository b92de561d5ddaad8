"""Shared helpers for the Python tests of the harness: where the build and the
fixtures are, small case tables written into a temporary cases directory,
and one call that runs the C++ runner (endaccept-conformance) and collects
everything it produced. Standard library only."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = Path(os.environ.get("ENDACCEPT_BUILD_DIR", str(ROOT / "build"))).resolve()
RUNNER = BUILD_DIR / "endaccept-conformance"
RUN_CONFORMANCE = ROOT / "run_conformance.py"
SCHEMA = ROOT / "cases" / "case.schema.json"
SPEC = ROOT / "spec" / "clauses.json"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"

# A bound on the harness never hanging, not a performance target: the
# slowest fixture run takes about 15 s on an idle machine.
NEVER_HANGS_S = 60.0
# Small enough to keep runs short, large enough that a Python fixture answers
# its well-behaved requests in time on a loaded two-core machine (every reply
# gets 5000 ms x scale, see reply_grace_ms in spec/vocabulary.json).
TIMEOUT_SCALE = "0.5"

PROGRESS_LINE = re.compile(r"^\[(?P<adapter>[^\]]+)\] (?P<status>PASS|FAIL|TIMEOUT|CRASH|ERROR|SKIP)"
                           r"(?: \((?P<verdict>expected|unexpected)\))? (?P<case>\S+) \((?P<ms>\d+) ms\)(?::\s(?P<message>.*))?$")


def wait_until(predicate, limit_s=NEVER_HANGS_S):
    """Polls `predicate` until it is true; a generous safety bound only."""
    until = time.monotonic() + limit_s
    while time.monotonic() < until:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def runner_missing_reason():
    if not RUNNER.exists():
        return f"{RUNNER} is not built (set ENDACCEPT_BUILD_DIR or build the project)"
    return None


# --- case tables ---------------------------------------------------------------

def accept_case(case_id, listener="L"):
    """One plain accept: BeginAccept, a client connects, EndAccept returns its connection."""
    return {
        "id": case_id,
        "clauses": ["EA-BLOCKS", "EA-RETURNS-SOCKET"],
        "level": "MUST",
        "title": "Fixture case: one accept returns the client's connection",
        "explanation": "BeginAccept is called, a client connects, and EndAccept must return a socket "
                       "connected to that client.",
        "steps": [
            {"op": "listen", "socket": listener},
            {"op": "begin_accept", "socket": listener, "result": "r1"},
            {"op": "connect", "client": "c1", "to": listener},
            {"op": "end_accept", "socket": listener, "result": "r1", "as": "a1", "expect": "Socket"},
            {"op": "expect_connected", "socket": "a1", "client": "c1", "listener": listener},
        ],
    }


def completion_probe_case(case_id, listener="L"):
    """EndAccept on another thread once IsCompleted reads true: the probe's reply is judged."""
    return {
        "id": case_id,
        "clauses": ["EA-IASYNCRESULT"],
        "level": "SHOULD",
        "title": "Fixture case: EndAccept once IsCompleted is true",
        "explanation": "A background EndAccept waits for IsCompleted, a client connects, and the EndAccept "
                       "must return its socket without having waited.",
        "steps": [
            {"op": "listen", "socket": listener},
            {"op": "begin_accept", "socket": listener, "result": "r1"},
            {"op": "end_accept", "socket": listener, "result": "r1", "as": "a1", "in_background": "t1",
             "when_completed": True, "within_ms": 2000},
            {"op": "connect", "client": "c1", "to": listener},
            {"op": "await", "task": "t1", "expect": "Socket"},
        ],
    }


def no_leak_case(case_id, listener="L"):
    """One connection accepted, used and closed with its listener: back at the descriptor baseline."""
    return {
        "id": case_id,
        "clauses": ["EA-NO-LEAK"],
        "level": "SHOULD",
        "title": "Fixture case: accepting and closing leaves no descriptor behind",
        "explanation": "One connection is accepted, used and closed, then its listener is closed; the "
                       "process must be back at its baseline descriptor count.",
        "steps": [
            {"op": "snapshot_descriptors", "as": "baseline"},
            {"op": "listen", "socket": listener},
            {"op": "begin_accept", "socket": listener, "result": "r1"},
            {"op": "connect", "client": "c1", "to": listener},
            {"op": "end_accept", "socket": listener, "result": "r1", "as": "a1", "expect": "Socket"},
            {"op": "exchange", "socket": "a1", "client": "c1"},
            {"op": "close", "socket": "a1"},
            {"op": "close", "socket": listener},
            {"op": "close_client", "client": "c1"},
            {"op": "expect_descriptors", "same_as": "baseline"},
        ],
    }


def tracing_case(case_id, listener="L"):
    """Needs the tracing capability and switches tracing on before an accept."""
    return {
        "id": case_id,
        "clauses": ["EA-RETURNS-SOCKET"],
        "level": "MUST",
        "requires": ["tracing"],
        "title": "Fixture case: an accept with the implementation's tracing switched on",
        "explanation": "Tracing is switched on before an accept; an adapter that declared the capability "
                       "must honour it.",
        "steps": [
            {"op": "listen", "socket": listener},
            {"op": "set_tracing", "enabled": True},
            {"op": "begin_accept", "socket": listener, "result": "r1"},
            {"op": "connect", "client": "c1", "to": listener},
            {"op": "end_accept", "socket": listener, "result": "r1", "as": "a1", "expect": "Socket"},
        ],
    }


def write_cases_dir(directory, tables):
    """A cases directory: the real schema (symlinked, never copied) and `tables`,
    file name -> document (a list of cases becomes {"cases": [...]}; a str is
    written as it is, for malformed JSON)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "case.schema.json").symlink_to(SCHEMA)
    for name, document in tables.items():
        if isinstance(document, list):
            document = {"cases": document}
        text = document if isinstance(document, str) else json.dumps(document, indent=1)
        (directory / name).write_text(text, encoding="utf-8")
    return directory


# --- running -----------------------------------------------------------------------

class Run:
    """What one runner invocation produced."""

    def __init__(self, command, code, stdout, stderr, elapsed_s, report_path):
        self.command = command
        self.code = code
        self.stdout = stdout
        self.stderr = stderr
        self.elapsed_s = elapsed_s
        self.report_path = Path(report_path) if report_path else None
        self.report = None
        if self.report_path and self.report_path.exists():
            self.report = json.loads(self.report_path.read_text(encoding="utf-8"))

    @property
    def results(self):
        """case id -> result object of the report."""
        return {r["case_id"]: r for r in self.report["results"]} if self.report else {}

    @property
    def statuses(self):
        return {case_id: r["status"] for case_id, r in self.results.items()}

    @property
    def progress(self):
        """The per-case progress lines on stderr, parsed, in order."""
        lines = (PROGRESS_LINE.match(line) for line in self.stderr.splitlines())
        return [m.groupdict() for m in lines if m]

    def describe(self):
        return (f"command: {' '.join(map(str, self.command))}\nexit status {self.code} after {self.elapsed_s:.1f} s\n"
                f"--- stderr (last 3000 chars)\n{self.stderr[-3000:]}")


def run_command(command, report_path=None, env=None, cwd=None, limit_s=NEVER_HANGS_S * 2):
    """Runs `command`; a run that outlives `limit_s` is killed and reported as
    exit status None (the caller's time bound then fails with the output)."""
    environment = dict(os.environ)
    environment.update(env or {})
    started = time.monotonic()
    process = subprocess.Popen([str(c) for c in command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=environment, cwd=cwd or ROOT)
    try:
        stdout, stderr = process.communicate(timeout=limit_s)
        code = process.returncode
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        code = None
    return Run(command, code, stdout, stderr, time.monotonic() - started, report_path)


def run_runner(adapter_dir, cases_dir, report_path, *extra, env=None, scale=TIMEOUT_SCALE):
    command = [RUNNER, "--root", ROOT, "--spec", SPEC, "--cases", cases_dir, "--adapter-dir", adapter_dir,
               "--build-dir", BUILD_DIR, "--report", report_path, "--timeout-scale", scale,
               "--gtest_brief=1", *extra]
    return run_command(command, report_path, env=env)


def run_conformance(*args, env=None, report_path=None):
    return run_command([sys.executable, RUN_CONFORMANCE, *args], report_path, env=env)


def private_fixture(scratch, fixture):
    """A copy of hostile fixture `fixture` under `scratch`, so that the
    processes of one test's run can be told from those of a test module
    running beside it with the same fixture (their command lines carry the
    copy's path)."""
    copies = Path(scratch) / "hostile"
    copies.mkdir(parents=True, exist_ok=True)
    shutil.copy(HOSTILE / "fake_adapter.py", copies / "fake_adapter.py")
    return Path(shutil.copytree(HOSTILE / fixture, copies / fixture))


def processes_running(needle):
    """Command lines of live processes whose command line contains `needle`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            status = (entry / "status").read_text().splitlines()
            state = next((line for line in status if line.startswith("State:")), "")
        except OSError:
            continue
        if needle in cmdline and "zombie" not in state:
            found.append(f"{entry.name}: {cmdline.strip()}")
    return found
