"""A judge no candidate can take down (issue 9): replies that are nested too
deep, not UTF-8, hold NUL bytes or integers that would wrap; a stderr tail
cut inside a character; grandchildren that keep the pipes, leave the process
group or flood stderr after the adapter exited; a hello that tries to set the
report's harness-owned fields; a listener bound to every interface while the
adapter says 127.0.0.1; and stop signals to the runner itself.

Each run checks the exact status and message of the hostile case (the second
of three, on listener "H"), that the cases around it still ran, that the
report is complete, valid UTF-8 JSON, and that no process of the fixture is
left afterwards."""

import json
import os
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from harness_support import (NEVER_HANGS_S, ROOT, accept_case, private_fixture, processes_running, run_runner,
                             runner_missing_reason, wait_until, write_cases_dir, RUNNER, SPEC, BUILD_DIR, TIMEOUT_SCALE)

FIRST, HOSTILE_CASE, LAST = "fixture/a-first", "fixture/b-hostile", "fixture/c-last"
CASES = [accept_case(FIRST), accept_case(HOSTILE_CASE, listener="H"), accept_case(LAST)]
IDS = [case["id"] for case in CASES]


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class HostileJudgeTest(unittest.TestCase):

    def scratch(self):
        return Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-judge-")))

    def run_fixture(self, fixture):
        scratch = self.scratch()
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": CASES})
        report_path = scratch / "report.json"
        adapter_dir = private_fixture(scratch, fixture)
        run = run_runner(adapter_dir, cases_dir, report_path)
        self.assertLess(run.elapsed_s, NEVER_HANGS_S, "the runner must never hang\n" + run.describe())
        self.assertIn(run.code, (0, 1), "the runner itself must not fail\n" + run.describe())
        # Strict UTF-8 and strict JSON: a report that is not both is no report.
        raw = report_path.read_bytes()
        raw.decode("utf-8")
        json.loads(raw, parse_constant=lambda constant: self.fail(f"{constant} in the report"))
        self.assertEqual(sorted(run.statuses), IDS, "every case of the run is reported\n" + run.describe())
        self.assertEqual([line["case"] for line in run.progress], IDS,
                         "one progress line per case, in order\n" + run.describe())
        self.assertTrue(wait_until(lambda: not processes_running(str(adapter_dir)), 5),
                        f"no process of the fixture outlives the run: {processes_running(str(adapter_dir))}")
        run.adapter_dir = adapter_dir
        return run

    def assert_hostile_case(self, run, status, message_part):
        self.assertEqual(run.statuses, {FIRST: "PASS", HOSTILE_CASE: status, LAST: "PASS"}, run.describe())
        self.assertEqual(run.code, 1, "a non-PASS result is unexpected: exit status 1\n" + run.describe())
        self.assertIn(message_part, run.results[HOSTILE_CASE]["message"])

    # --- replies ----------------------------------------------------------------------

    def test_reply_nested_100000_deep_is_error_not_a_crash_of_the_runner(self):
        run = self.run_fixture("deep-nesting-reply")
        self.assert_hostile_case(run, "ERROR", "step 3: protocol violation: reply to end_accept nests arrays and "
                                               "objects deeper than 64")

    def test_reply_that_is_not_utf8_is_error_and_the_report_stays_utf8(self):
        run = self.run_fixture("invalid-utf8-reply")
        self.assert_hostile_case(run, "ERROR", "reply to end_accept is not valid UTF-8 (byte 0xe9 at offset")

    def test_raw_nul_in_a_reply_is_error_and_stored_escaped(self):
        run = self.run_fixture("nul-byte-reply")
        self.assert_hostile_case(run, "ERROR", "reply to end_accept holds a NUL byte at offset")
        tail = run.results[HOSTILE_CASE]["stderr_tail"]
        self.assertIn("before the reply: \\x00 NUL on stderr", tail)
        self.assertNotIn("\0", tail)

    def test_stderr_tail_starting_inside_a_character_is_cut_at_a_boundary(self):
        run = self.run_fixture("split-utf8-stderr")
        self.assert_hostile_case(run, "CRASH", "exit status 3")
        tail = run.results[HOSTILE_CASE]["stderr_tail"]
        self.assertTrue(tail.endswith("\u20ac\u20acab\n"), tail[-20:])
        self.assertEqual(set(tail[:-3]), {"\u20ac"}, "only whole characters, no replacement mark")
        self.assertLessEqual(len(tail.encode("utf-8")), 4096)

    def test_port_beyond_65535_is_error_not_wrapped(self):
        run = self.run_fixture("port-out-of-range")
        self.assert_hostile_case(run, "ERROR", "step 0: protocol violation: reply field port is")
        self.assertIn("outside 1 to 65535", run.results[HOSTILE_CASE]["message"])

    def test_error_code_beyond_int32_is_error_not_wrapped(self):
        run = self.run_fixture("error-code-wrap")
        self.assert_hostile_case(run, "ERROR", f"SocketError code {10024 + 2 ** 32} is out of range")

    def test_hello_cannot_set_the_fields_the_harness_owns(self):
        run = self.run_fixture("hello-spoofing")
        self.assertEqual(run.statuses, {FIRST: "PASS", HOSTILE_CASE: "PASS", LAST: "PASS"}, run.describe())
        adapter = run.report["adapter"]
        self.assertEqual(adapter["name"], "hello-spoofing")
        self.assertEqual(adapter["reported_name"], "../../escaped")
        self.assertEqual(adapter["command"][-1], str(run.adapter_dir / "adapter.py"))
        self.assertEqual(adapter["capabilities"], [])
        self.assertEqual(adapter["platform"], {"os": "linux", "supported": True})
        self.assertEqual(adapter["runtime"], {"note": "an extra field, copied"})
        for owned in ("mutant", "probe_error"):
            self.assertNotIn(owned, adapter)

    # --- processes --------------------------------------------------------------------

    def test_grandchild_holding_the_pipes_is_killed_and_the_case_is_error(self):
        run = self.run_fixture("grandchild-inherits-pipes")
        self.assert_hostile_case(run, "ERROR", "the adapter left 1 process(es) running after it ended")
        self.assertIn("grandchild sleep", run.results[HOSTILE_CASE]["message"])

    def test_setsid_grandchild_is_found_and_killed(self):
        run = self.run_fixture("setsid-grandchild")
        self.assert_hostile_case(run, "ERROR", "the adapter left 1 process(es) running after it ended")

    def test_stderr_flood_after_exit_does_not_hang_the_runner(self):
        run = self.run_fixture("stderr-flood-after-exit")
        self.assert_hostile_case(run, "ERROR", "the adapter left 1 process(es) running after it ended")
        self.assertIn("flood-stderr", run.results[HOSTILE_CASE]["message"])

    # --- loopback ---------------------------------------------------------------------

    def test_listener_on_every_interface_reported_as_loopback_fails(self):
        run = self.run_fixture("wildcard-listener")
        self.assert_hostile_case(run, "FAIL", "step 0: the adapter reported a listener on 127.0.0.1:")
        self.assertIn("but its socket listens on 0.0.0.0:", run.results[HOSTILE_CASE]["message"])
        self.assertIn("(a wildcard address)", run.results[HOSTILE_CASE]["message"])

    # --- stop signals to the runner ---------------------------------------------------

    def stop_runner_during_hostile_case(self, fixture, signal_number):
        """Starts the runner, waits until the hostile case's adapter is blocked
        in EndAccept, sends `signal_number` to the runner and returns its exit
        status, stderr and the report path."""
        scratch = self.scratch()
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": CASES})
        report_path = scratch / "report.json"
        adapter_dir = private_fixture(scratch, fixture)
        command = [RUNNER, "--root", ROOT, "--spec", SPEC, "--cases", cases_dir, "--adapter-dir", adapter_dir,
                   "--build-dir", BUILD_DIR, "--report", report_path, "--timeout-scale", "4", "--gtest_brief=1"]
        stderr_path = scratch / "stderr.txt"
        with open(stderr_path, "wb") as stderr:
            runner = subprocess.Popen([str(c) for c in command], stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            first_done = wait_until(lambda: f"PASS {FIRST}" in stderr_path.read_text(errors="replace"))
            self.assertTrue(first_done, stderr_path.read_text(errors="replace"))
            # The hostile case's adapter is up; give it time to block in EndAccept.
            self.assertTrue(wait_until(lambda: processes_running(str(adapter_dir))))
            time.sleep(2)
            runner.send_signal(signal_number)
            code = runner.wait(timeout=NEVER_HANGS_S)
        finally:
            if runner.poll() is None:
                runner.kill()
                runner.wait()
        return code, stderr_path.read_text(errors="replace"), report_path, adapter_dir

    def assert_stopped_cleanly(self, fixture, signal_number, expected_code):
        code, stderr, report_path, adapter_dir = self.stop_runner_during_hostile_case(fixture, signal_number)
        self.assertEqual(code, expected_code, stderr[-2000:])
        self.assertFalse(report_path.exists(), "a stopped run writes no report")
        self.assertEqual([p for p in report_path.parent.iterdir() if p.name.startswith("report.json")], [],
                         "not even a temporary one")
        self.assertTrue(wait_until(lambda: not processes_running(str(adapter_dir)), 5),
                        f"no process of the run is left: {processes_running(str(adapter_dir))}")
        self.assertIn("no report written", stderr)

    def test_sigterm_to_the_runner_kills_the_adapter_and_writes_no_report(self):
        self.assert_stopped_cleanly("hang-in-end-accept", signal.SIGTERM, 143)

    def test_sigint_to_the_runner_also_kills_a_setsid_grandchild(self):
        self.assert_stopped_cleanly("setsid-grandchild-then-hang", signal.SIGINT, 130)

    def test_sighup_to_the_runner_exits_129(self):
        self.assert_stopped_cleanly("hang-in-end-accept", signal.SIGHUP, 129)


if __name__ == "__main__":
    unittest.main()
