"""Hostile adapters: whatever an adapter does (crash, hang, garbage, a huge or
dripping line, a broken promise, a leak), the runner gives that case the
exact status it deserves, runs the remaining cases of the same run, and
finishes in bounded time.

Each fixture in tests/fixtures/hostile/ is the well-behaved fake
(fake_adapter.py) with one behavior overridden. Fixtures that can misbehave
in one case only do so in the case that uses listener "H"; the case table
puts that case second of three, so the first and third show that the run
carries on."""

import tempfile
import unittest
from pathlib import Path

from harness_support import (NEVER_HANGS_S, accept_case, no_leak_case, private_fixture, processes_running,
                             runner_missing_reason, run_runner, tracing_case, write_cases_dir,
                             completion_probe_case)

FIRST, HOSTILE_CASE, LAST = "fixture/a-first", "fixture/b-hostile", "fixture/c-last"


def three_cases(second):
    """Three cases in run order (sorted by id); the second uses listener H."""
    return [accept_case(FIRST), second, accept_case(LAST)]


PLAIN = three_cases(accept_case(HOSTILE_CASE, listener="H"))


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class HostileAdapterTest(unittest.TestCase):

    def run_fixture(self, fixture, cases=PLAIN):
        """Runs `cases` against tests/fixtures/hostile/<fixture>; checks what every
        run must show whatever the adapter did."""
        scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-hostile-")))
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": cases})
        adapter_dir = private_fixture(scratch, fixture)
        run = run_runner(adapter_dir, cases_dir, scratch / "report.json")
        self.assertLess(run.elapsed_s, NEVER_HANGS_S, "the runner must never hang\n" + run.describe())
        self.assertIn(run.code, (0, 1), "the runner itself must not fail\n" + run.describe())
        self.assertIsNotNone(run.report, "a run writes its report\n" + run.describe())
        ids = [case["id"] for case in cases]
        self.assertEqual(sorted(run.statuses), ids, "every case of the run is reported\n" + run.describe())
        self.assertEqual([line["case"] for line in run.progress], ids,
                         "one progress line per case, in order\n" + run.describe())
        for line in run.progress:
            self.assertEqual(line["status"], run.statuses[line["case"]])
        self.assertEqual(processes_running(str(adapter_dir)), [],
                         "no adapter process outlives the run")
        return run

    def assert_statuses(self, run, expected):
        self.assertEqual(run.statuses, expected, run.describe())
        # No expectations.json: anything but PASS is unexpected, except a SKIP
        # for a missing capability.
        unexpected = any(status not in ("PASS", "SKIP") for status in expected.values())
        self.assertEqual(run.code, 1 if unexpected else 0,
                         "exit status 1 when a result is unexpected\n" + run.describe())

    def message(self, run, case_id):
        return run.results[case_id]["message"]

    # --- the control -------------------------------------------------------------

    def test_well_behaved_fake_passes_every_fixture_case(self):
        cases = [accept_case(FIRST), no_leak_case("fixture/b-no-leak", listener="H"), accept_case(LAST)]
        run = self.run_fixture("well-behaved", cases)
        self.assert_statuses(run, {FIRST: "PASS", "fixture/b-no-leak": "PASS", LAST: "PASS"})
        self.assertEqual(run.report["adapter"]["reported_name"], "fake")

    # --- crashes ---------------------------------------------------------------------

    def test_segfault_in_end_accept_is_crash_naming_sigsegv(self):
        run = self.run_fixture("segfault-in-end-accept")
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "CRASH", LAST: "PASS"})
        self.assertIn("SIGSEGV", self.message(run, HOSTILE_CASE))
        self.assertIn("step 3", self.message(run, HOSTILE_CASE), "the end_accept step is named")
        self.assertIn("signal 11 (SIGSEGV)", run.results[HOSTILE_CASE]["adapter_exit"])

    def test_exit_with_status_0_at_once_is_crash_in_every_case(self):
        run = self.run_fixture("exit-at-once")
        self.assert_statuses(run, {FIRST: "CRASH", HOSTILE_CASE: "CRASH", LAST: "CRASH"})
        for case_id in run.statuses:
            self.assertIn("at hello", self.message(run, case_id))
            self.assertIn("exit status 0", self.message(run, case_id))
        self.assertIn("probe_error", run.report["adapter"])

    def test_nonzero_exit_after_stdin_closed_is_crash(self):
        run = self.run_fixture("exit-nonzero-after-stdin-closed")
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "CRASH", LAST: "PASS"})
        self.assertIn("exit status 3 after the case's steps", self.message(run, HOSTILE_CASE))
        self.assertTrue(all(step["ok"] for step in run.results[HOSTILE_CASE]["steps"]), "every step itself passed")

    # --- hangs -----------------------------------------------------------------------

    def test_hang_in_end_accept_is_timeout_and_the_adapter_is_killed(self):
        run = self.run_fixture("hang-in-end-accept")
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "TIMEOUT", LAST: "PASS"})
        self.assertIn("step 3: EndAccept did not return", self.message(run, HOSTILE_CASE))
        self.assertIn("SIGKILL), sent by the harness", run.results[HOSTILE_CASE]["adapter_exit"])

    def test_adapter_that_never_answers_hello_is_timeout_in_every_case(self):
        run = self.run_fixture("silent-hello")
        self.assert_statuses(run, {FIRST: "TIMEOUT", HOSTILE_CASE: "TIMEOUT", LAST: "TIMEOUT"})
        for case_id in run.statuses:
            self.assertTrue(self.message(run, case_id).startswith("hello: "), self.message(run, case_id))
        self.assertIn("probe_error", run.report["adapter"])

    def test_reply_dripped_one_byte_per_second_is_timeout_not_a_hang(self):
        run = self.run_fixture("drip-feed")
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "TIMEOUT", LAST: "PASS"})
        self.assertIn("step 3", self.message(run, HOSTILE_CASE))

    # --- protocol violations ---------------------------------------------------------

    def test_non_json_reply_is_error(self):
        run = self.run_fixture("non-json-reply")
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "ERROR", LAST: "PASS"})
        self.assertIn("step 3: protocol violation: reply to end_accept is not JSON", self.message(run, HOSTILE_CASE))

    def test_reply_with_wrong_id_is_error(self):
        run = self.run_fixture("wrong-reply-id")
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "ERROR", LAST: "PASS"})
        self.assertIn("reply id 1004 answers request 4 (end_accept)", self.message(run, HOSTILE_CASE))

    def test_ten_mib_reply_line_is_error(self):
        run = self.run_fixture("huge-reply-line")
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "ERROR", LAST: "PASS"})
        self.assertIn("reply line longer than 1 MiB", self.message(run, HOSTILE_CASE))

    def test_refusing_a_declared_capability_is_error(self):
        cases = three_cases(tracing_case(HOSTILE_CASE, listener="H"))
        run = self.run_fixture("refuse-claimed-capability", cases)
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "ERROR", LAST: "PASS"})
        self.assertIn("adapter refused set_tracing (unsupported)", self.message(run, HOSTILE_CASE))

    def test_capability_not_declared_is_skip_not_error(self):
        cases = three_cases(tracing_case(HOSTILE_CASE, listener="H"))
        run = self.run_fixture("well-behaved", cases)
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "SKIP", LAST: "PASS"})
        self.assertIn("does not declare the capability 'tracing'", self.message(run, HOSTILE_CASE))

    # --- the completion probe ----------------------------------------------------------

    def test_a_probe_that_contradicts_itself_is_error(self):
        run = self.run_fixture("probe-lies", three_cases(completion_probe_case(HOSTILE_CASE, listener="H")))
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "ERROR", LAST: "PASS"})
        self.assertIn("end_returned_after_release is true, yet no thread was held", self.message(run, HOSTILE_CASE))

    def test_a_probe_left_out_of_the_reply_is_error(self):
        run = self.run_fixture("probe-lies", three_cases(completion_probe_case(HOSTILE_CASE, listener="M")))
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "ERROR", LAST: "PASS"})
        self.assertIn("reply field probe missing", self.message(run, HOSTILE_CASE))

    def test_a_truthful_probe_passes(self):
        run = self.run_fixture("well-behaved", three_cases(completion_probe_case(HOSTILE_CASE, listener="H")))
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "PASS", LAST: "PASS"})

    # --- resource leaks --------------------------------------------------------------

    def test_descriptor_leaked_per_accept_fails_the_no_leak_case(self):
        cases = three_cases(no_leak_case(HOSTILE_CASE, listener="H"))
        run = self.run_fixture("leak-per-accept", cases)
        self.assert_statuses(run, {FIRST: "PASS", HOSTILE_CASE: "FAIL", LAST: "PASS"})
        self.assertIn("1 descriptor(s) leaked", self.message(run, HOSTILE_CASE))


if __name__ == "__main__":
    unittest.main()
