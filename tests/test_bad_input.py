"""Bad input is refused before anything runs: exit status 2, one message that
names the file and the JSON pointer of the mistake, no Python traceback and
no report written.

Case-table mistakes are fed to the runner (endaccept-conformance) directly,
with --cases pointing at a temporary directory (run_conformance.py always
reads the checkout's cases/); command-line mistakes go through both the
runner and run_conformance.py."""

import copy
import json
import sys
import tempfile
import unittest
from pathlib import Path

from report_fixtures import make_report, make_result
from harness_support import (BUILD_DIR, HOSTILE, ROOT, accept_case, run_conformance, run_runner,
                             runner_missing_reason, write_cases_dir)

ADAPTER = HOSTILE / "well-behaved"
# Steps: 0 listen L, 1 begin_accept r1, 2 connect c1, 3 end_accept r1 as a1, 4 expect_connected a1 c1.
GOOD = accept_case("fixture/a-first")


def changed(edit):
    """A copy of the good case with `edit` applied to it."""
    case = copy.deepcopy(GOOD)
    edit(case)
    return case


class RejectionAssertions(unittest.TestCase):

    def scratch(self):
        return Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-bad-input-")))

    def assert_rejected(self, run, *needles):
        """Exit 2, every needle in the one-line error, no traceback, no report."""
        self.assertEqual(run.code, 2, run.describe())
        errors = [line for line in run.stderr.splitlines() if "error:" in line]
        self.assertTrue(errors, "an error line on stderr\n" + run.describe())
        for needle in needles:
            self.assertIn(str(needle), errors[0], run.describe())
        self.assertNotIn("Traceback", run.stderr + run.stdout)
        self.assertNotIn("internal error", run.stderr)
        if run.report_path is not None:
            self.assertFalse(run.report_path.exists(), "no report is written for bad input")


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class CaseTableTest(RejectionAssertions):

    def run_tables(self, tables, *extra):
        scratch = self.scratch()
        cases_dir = write_cases_dir(scratch / "cases", tables)
        return cases_dir, run_runner(ADAPTER, cases_dir, scratch / "reports" / "report.json", *extra)

    def assert_table_rejected(self, cases, pointer, reason=""):
        cases_dir, run = self.run_tables({"table.json": cases})
        self.assert_rejected(run, f"{cases_dir / 'table.json'}: {pointer}: {reason}")
        self.assertNotIn("plan", run.stderr, "no case ran")

    def test_the_unchanged_table_is_accepted_and_writes_a_report(self):
        _, run = self.run_tables({"table.json": [GOOD]})
        self.assertEqual(run.code, 0, run.describe())
        self.assertTrue(run.report_path.exists())

    def test_malformed_json_names_the_file_and_line(self):
        self.assert_table_rejected('{"cases": [{"id": "fixture/a-first",, }]}', "/", "malformed JSON near line 1")

    def test_number_too_large_to_represent_is_input_error_not_internal(self):
        text = json.dumps({"cases": [GOOD]}).replace('"socket": "L"}', '"socket": "L", "backlog": 1e400}', 1)
        self.assert_table_rejected(text, "/", "unusable JSON")

    def test_missing_title_is_a_schema_violation_at_the_case(self):
        self.assert_table_rejected([changed(lambda c: c.pop("title"))], "/cases/0", "Missing required property 'title'")

    def test_unknown_step_op_is_a_schema_violation_at_the_op(self):
        self.assert_table_rejected([changed(lambda c: c["steps"].insert(1, {"op": "teleport", "socket": "L"}))],
                                   "/cases/0/steps/1/op")

    def test_wrong_type_is_a_schema_violation_at_the_field(self):
        self.assert_table_rejected([changed(lambda c: c["steps"][0].update(backlog="16"))], "/cases/0/steps/0/backlog")

    def test_case_id_not_matching_the_pattern_is_rejected(self):
        self.assert_table_rejected([changed(lambda c: c.update(id="Fixture/A_First"))], "/cases/0/id")

    def test_extra_property_is_rejected(self):
        self.assert_table_rejected([changed(lambda c: c.update(colour="blue"))], "/cases/0", "")
        self.assert_table_rejected([changed(lambda c: c["steps"][1].update(colour="blue"))], "/cases/0/steps/1")

    def test_duplicate_case_id_across_two_files_names_the_second_and_the_first(self):
        cases_dir, run = self.run_tables({"a.json": [GOOD], "b.json": [GOOD]})
        self.assert_rejected(run, f"{cases_dir / 'b.json'}: /cases/0/id: duplicate case id fixture/a-first",
                             f"{cases_dir / 'a.json'} /cases/0")

    def test_unknown_clause_id_is_rejected(self):
        self.assert_table_rejected([changed(lambda c: c.update(clauses=["EA-NO-SUCH-CLAUSE"]))], "/cases/0/clauses/0",
                                   "unknown clause id EA-NO-SUCH-CLAUSE")

    def test_undefined_socket_is_rejected(self):
        self.assert_table_rejected([changed(lambda c: c["steps"][3].update(socket="M"))], "/cases/0/steps/3/socket",
                                   "refers to socket 'M'")

    def test_undefined_result_is_rejected(self):
        self.assert_table_rejected([changed(lambda c: c["steps"][3].update(result="r9"))], "/cases/0/steps/3/result",
                                   "refers to result 'r9'")

    def test_undefined_task_is_rejected(self):
        step = {"op": "await", "task": "t9", "expect": "Socket"}
        self.assert_table_rejected([changed(lambda c: c["steps"].append(step))], "/cases/0/steps/5/task",
                                   "refers to task 't9'")

    def test_undefined_client_is_rejected(self):
        self.assert_table_rejected([changed(lambda c: c["steps"][4].update(client="c9"))], "/cases/0/steps/4/client",
                                   "refers to client 'c9'")

    def test_hold_not_shorter_than_deadline_is_rejected(self):
        def with_callback_check(within_ms):
            def edit(case):
                case["steps"][1]["callback"] = "record"
                check = {"op": "expect_callback", "result": "r1", "within_ms": within_ms, "hold_ms": 500}
                case["steps"].insert(3, check)
            return changed(edit)

        _, run = self.run_tables({"table.json": [with_callback_check(600)]}, "--validate")
        self.assertEqual(run.code, 0, "a hold shorter than the deadline is fine\n" + run.describe())
        self.assert_table_rejected([with_callback_check(500)], "/cases/0/steps/3/hold_ms",
                                   "a hold period must be shorter than the step's deadline")

    def test_negative_hold_is_rejected(self):
        step = {"op": "expect_wait_handle", "result": "r1", "signalled": False, "hold_ms": -5}
        self.assert_table_rejected([changed(lambda c: c["steps"].insert(2, step))], "/cases/0/steps/2/hold_ms")

    def test_end_accept_with_both_expect_and_in_background_is_rejected(self):
        self.assert_table_rejected([changed(lambda c: c["steps"][3].update(in_background="t1"))],
                                   "/cases/0/steps/3/expect", "end_accept needs exactly one of expect")


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class ExpectationsFileTest(RejectionAssertions):

    def run_expectations(self, document):
        scratch = self.scratch()
        cases_dir = write_cases_dir(scratch / "cases", {"table.json": [GOOD]})
        expectations = scratch / "expectations.json"
        expectations.write_text(document if isinstance(document, str) else json.dumps(document))
        return expectations, run_runner(ADAPTER, cases_dir, scratch / "report.json", "--expectations", expectations)

    def test_unknown_case_id_is_rejected_with_an_escaped_pointer(self):
        path, run = self.run_expectations({"expectations": {"fixture/nope": {"status": "FAIL", "reason": "r"}}})
        self.assert_rejected(run, f"{path}: /expectations/fixture~1nope: unknown case id fixture/nope")

    def test_expectation_without_reason_is_rejected(self):
        path, run = self.run_expectations({"expectations": {"fixture/a-first": {"status": "FAIL"}}})
        self.assert_rejected(run, f"{path}: /expectations/fixture~1a-first/reason:")

    def test_expectation_without_a_known_classification_is_rejected(self):
        for entry in ({"status": "FAIL", "reason": "r"}, {"status": "FAIL", "reason": "r", "classification": "bug"}):
            with self.subTest(entry=entry):
                path, run = self.run_expectations({"expectations": {"fixture/a-first": entry}})
                self.assert_rejected(run, f"{path}: /expectations/fixture~1a-first/classification: must be one of "
                                          "likely-bug, documented-change, platform")

    def test_malformed_expectations_json_is_rejected(self):
        path, run = self.run_expectations('{"expectations": {')
        self.assert_rejected(run, f"{path}: /: malformed JSON")


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class RunnerCommandLineTest(RejectionAssertions):

    def run_with(self, *flags):
        scratch = self.scratch()
        cases_dir = write_cases_dir(scratch / "cases", {"table.json": [GOOD]})
        return run_runner(ADAPTER, cases_dir, scratch / "report.json", *flags)

    def test_shard_index_above_count_is_rejected(self):
        self.assert_rejected(self.run_with("--shard", "3/2"), "--shard 3/2")

    def test_negative_timeout_scale_is_rejected(self):
        self.assert_rejected(self.run_with("--timeout-scale", "-1"), "--timeout-scale")


class RunConformanceCommandLineTest(RejectionAssertions):
    """run_conformance.py: argparse and the driver's own checks."""

    def test_shard_index_above_count_is_rejected(self):
        self.assert_rejected(run_conformance("--no-build", "--shard", "3/2"), "--shard", "3/2")

    def test_negative_timeout_scale_is_rejected(self):
        self.assert_rejected(run_conformance("--no-build", "--timeout-scale", "-1"), "--timeout-scale")

    def test_unknown_adapter_is_rejected_before_any_build(self):
        # No cmake on PATH: a build attempt would end in exit status 3.
        build_dir = self.scratch() / "build"
        run = run_conformance("--adapter", "nosuch", "--build-dir", build_dir, env={"PATH": "/nonexistent"})
        self.assert_rejected(run, "unknown adapter 'nosuch'", "asio")
        self.assertFalse(build_dir.exists(), "nothing was configured or built")

    def test_merging_a_malformed_report_names_the_file(self):
        scratch = self.scratch()
        report = scratch / "part.json"
        report.write_text('{"results": [')
        run = run_conformance("--merge", report, "--report-dir", scratch / "merged")
        self.assert_rejected(run, f"{report}: /: malformed JSON")
        self.assertFalse((scratch / "merged").exists())

    def test_merging_a_report_that_is_not_utf8_names_the_file(self):
        scratch = self.scratch()
        report = scratch / "part.json"
        report.write_bytes(b'{"results": "\xff"}')
        run = run_conformance("--merge", report, "--report-dir", scratch / "merged")
        self.assert_rejected(run, f"{report}: /: not UTF-8")

    def test_merging_reports_that_share_a_case_names_the_file_and_pointer(self):
        scratch = self.scratch()
        report = make_report("fake", [make_result("fixture/a-first")])
        first, second = scratch / "one.json", scratch / "two.json"
        for path in (first, second):
            path.write_text(json.dumps(report))
        run = run_conformance("--merge", first, second, "--report-dir", scratch / "merged")
        self.assert_rejected(run, f"{second}: /results: case fixture/a-first is also in {first}")
        self.assertFalse((scratch / "merged").exists())


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class DriverPassesRunnerInputErrorsOnTest(RejectionAssertions):
    """run_conformance.py runs the runner with the checkout's cases/; when the
    runner says exit 2, the driver must turn that into its own exit 2 with the
    runner's message (file and pointer), not a traceback or exit 3. The test
    points the driver's cases directory (RunOptions.cases_dir, the hidden
    --cases-dir) at a bad table in a temporary dir."""

    def test_bad_case_table_under_the_driver_is_input_error_with_file_and_pointer(self):
        sys.path.insert(0, str(ROOT / "harness" / "python"))
        from conformance.run import runner as driver
        from conformance.run.adapters import Adapter
        from conformance.files import InputError

        scratch = self.scratch()
        bad = changed(lambda c: c["steps"][3].update(socket="M"))
        cases_dir = write_cases_dir(scratch / "cases", {"table.json": [bad]})
        options = driver.RunOptions(build_dir=BUILD_DIR, report_dir=scratch / "reports", timeout_scale=0.5, jobs=2,
                                    quiet=True, cases_dir=cases_dir)
        with self.assertRaises(InputError) as raised:
            driver.run_adapter(Adapter(name="well-behaved", directory=ADAPTER, description=""), options)
        self.assertIn(f"{cases_dir / 'table.json'}: /cases/0/steps/3/socket: refers to socket 'M'",
                      str(raised.exception))
        self.assertFalse((scratch / "reports").exists(), "no report is written")


if __name__ == "__main__":
    unittest.main()
