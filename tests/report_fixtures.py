"""Synthetic reports for the tests of the report views (JUnit, Markdown, HTML,
--compare, docs): built here, field for field as harness/src/report.cpp and
merge.py write them, so the tests need neither a build nor a run.

Also makes the package importable: the tests are discovered with tests/ as
the top-level directory, so <repo>/harness/python is not on sys.path yet."""

import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "harness" / "python") not in sys.path:
    sys.path.insert(0, str(ROOT / "harness" / "python"))

from conformance.model.vocabulary import STATUSES  # noqa: E402  (after the sys.path line above)

# One plain accept; a result that fails stops at step 3 like the real judge.
ACCEPT_STEPS = [
    {"op": "listen", "socket": "L"},
    {"op": "begin_accept", "socket": "L", "result": "r1"},
    {"op": "connect", "client": "c1", "to": "L"},
    {"op": "end_accept", "socket": "L", "result": "r1", "as": "a1", "expect": "Socket"},
]


def step_records(status: str) -> list:
    """The step records of a run with `status`: all ok on PASS, none on SKIP,
    otherwise the last step is the one that went wrong."""
    if status == "SKIP":
        return []
    records = []
    for index, step in enumerate(ACCEPT_STEPS):
        failed = status != "PASS" and index == len(ACCEPT_STEPS) - 1
        expected = "Returned" if step["op"] != "end_accept" else "Socket"
        records.append({"index": index, "op": step["op"], "step": copy.deepcopy(step), "expected": expected,
                        "observed": "InvalidOperation \"<boom> & | *bold*\"" if failed else expected,
                        "elapsed_ms": 1.25 * (index + 1), "ok": not failed})
    return records


def make_result(case_id, status="PASS", expected=None, level="MUST", clauses=("EA-BLOCKS",), reason=None,
                message=None, stderr_tail=None, runs=1):
    """A result as report.cpp writes it; `expected` (a status) adds an
    expectations.json entry with `reason`. `unexpected` follows report.cpp:
    INFO never, a SKIP nobody expected never."""
    expected_status = expected or "PASS"
    unexpected = status != expected_status
    if level == "INFO" or (status == "SKIP" and expected is None):
        unexpected = False
    if message is None:
        message = {"PASS": "", "SKIP": "the adapter lacks the capability ipv6"}.get(
            status, "step 3: expected Socket, observed InvalidOperation")
    by_status = {status: runs} if status != "FLAKY" else {"PASS": runs - 1, "FAIL": 1}
    result = {
        "case_id": case_id, "clause_ids": list(clauses), "level": level,
        "title": f"Synthetic case {case_id} | with *markdown* <chars>", "file": "./cases/synthetic.json",
        "status": status, "expected_status": expected_status, "unexpected": unexpected,
        "duration_ms": 12.5, "message": message, "runs": runs, "pass_count": by_status.get("PASS", 0),
        "by_status": by_status, "steps": step_records(status),
        "descriptors": {"start": 12, "end": 12 if status == "PASS" else None},
        "adapter_exit": "exit status 0",
    }
    if stderr_tail is not None:
        result["stderr_tail"] = stderr_tail
    if expected is not None:
        result["expectation"] = {"status": expected, "reason": reason or "known deviation, see the issue",
                                 "evidence": "https://example.invalid/issue/1", "observed": "seen on 1.0"}
    return result


def make_report(adapter="fake", results=(), implementation="Fake 1.0", started_at="2026-11-27T10:00:00.000Z"):
    """A whole report around `results`, summary included, as merge.py leaves it."""
    results = sorted(copy.deepcopy(list(results)), key=lambda r: r["case_id"])
    by_status = {status: 0 for status in STATUSES}
    for result in results:
        by_status[result["status"]] += 1
    unexpected = [r["case_id"] for r in results if r["unexpected"]]
    return {
        "schema_version": "1.1",
        "suite": {"name": "endaccept-conformance", "version": "0.1.0"},
        "spec": {"revision": "2026-11-27.1", "clauses": 16},
        "adapter": {"name": adapter, "version": "1.0.0", "implementation": implementation,
                    "capabilities": ["tracing"], "platform": {"os": "linux", "supported": True},
                    "reported_name": adapter, "command": [f"/opt/{adapter}/adapter"],
                    "runtime": {"free": "extra fields are allowed in the adapter block"}},
        "run": {"started_at": started_at, "finished_at": started_at.replace("10:00:00", "10:00:05"),
                "duration_ms": 5000.0,
                "host": {"hostname": "ci", "os": "Linux", "kernel": "6.1", "machine": "x86_64", "cpus": 2},
                "options": {"timeout_scale": 1.0, "filters": [], "shard": "1/1", "part": "1/2", "mutant": "",
                            "repeat": 1, "gtest_filter": "*",
                            "timing": {"scale": 1.0, "hold_ms": 100, "within_ms": 5000, "reply_grace_ms": 5000,
                                       "case_limit_ms": 60000, "exit_grace_ms": 5000},
                            "parts": ["1/2", "2/2"], "jobs": 2}},
        "summary": {"total": len(results), "by_status": by_status, "unexpected": len(unexpected),
                    "unexpected_cases": unexpected},
        "results": results,
    }


def mixed_results():
    """One of every kind a view must show: pass, unexpected FAIL/CRASH/TIMEOUT,
    an unexpected PASS, expected deviations, an INFO observation, skips, FLAKY."""
    return [
        make_result("alpha/passes"),
        make_result("alpha/fails", "FAIL"),
        make_result("alpha/crashes", "CRASH", message="adapter closed its stdout at step 3",
                    stderr_tail="Unhandled exception\x1b[31m red \x00 nul\n   at Accept()"),
        make_result("beta/times-out", "TIMEOUT", clauses=("EA-DISPOSED", "EA-BLOCKS")),
        make_result("beta/fails-as-expected", "FAIL", expected="FAIL", reason="runtime returns the socket twice"),
        make_result("beta/passes-unexpectedly", "PASS", expected="FAIL", reason="was broken in 1.0"),
        make_result("gamma/observed", "FAIL", level="INFO", clauses=("EA-TRACE",)),
        make_result("gamma/skipped", "SKIP"),
        make_result("gamma/skipped-as-expected", "SKIP", expected="SKIP", reason="no IPv6 on CI"),
        make_result("gamma/flaky", "FLAKY", runs=3),
    ]
