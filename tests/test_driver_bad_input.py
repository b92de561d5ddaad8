"""Inputs found bad only late, before issue 9: now every one of them is
refused by run_conformance.py before any adapter starts — exit status 2, one
error line naming the file and the JSON pointer, no adapter process started
and the report directory exactly as it was.

The case tables, expectations and adapter.json files are checked by the
judge's one reader and validator (endaccept-conformance --check-inputs),
called once for every adapter of the run; the report directory and the
reports given to --merge and --render by the driver before it writes."""

import json
import os
import sys
import tempfile
import unittest
from pathlib import Path

from harness_support import (BUILD_DIR, HOSTILE, accept_case, run_conformance, runner_missing_reason,
                             write_cases_dir)
from report_fixtures import make_report, make_result

GOOD = accept_case("fixture/a-first")
STARTED = "started"  # the file a spy adapter touches when it is started


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class DriverRefusesBadInputBeforeAnythingRuns(unittest.TestCase):

    def setUp(self):
        self.scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-driver-input-")))
        self.report_dir = self.scratch / "reports"
        self.report_dir.mkdir()
        (self.report_dir / "spy-a.json").write_text("the previous report\n")
        (self.report_dir / "summary.md").write_text("the previous summary\n")

    def spy_adapter(self, name, expectations=None, definition_text=None):
        """The well-behaved fixture behind a shell line that leaves a file when the adapter starts."""
        directory = self.scratch / name
        directory.mkdir(exist_ok=True)
        program = HOSTILE / "well-behaved" / "adapter.py"
        definition = {"name": name, "description": "Harness test fixture: well-behaved, and says it started",
                      "command": ["sh", "-c", f"touch {directory / STARTED}; exec python3 -B {program}"],
                      "requires": {"files": [], "programs": ["python3", "sh"]}, "env": {}}
        (directory / "adapter.json").write_text(definition_text or json.dumps(definition))
        if expectations is not None:
            (directory / "expectations.json").write_text(expectations)
        return directory

    def run_driver(self, *args, cases=None, adapters=None):
        cases_dir = self.scratch / "cases"
        if not cases_dir.exists():
            write_cases_dir(cases_dir, cases if cases is not None else {"table.json": [GOOD]})
        adapter_args = []
        for directory in adapters if adapters is not None else [self.spy_adapter("spy-a")]:
            adapter_args += ["--adapter-dir", directory]
        return run_conformance("--no-build", "--build-dir", BUILD_DIR, "--cases-dir", cases_dir,
                               "--timeout-scale", "0.5", *adapter_args, *args)

    def assert_refused(self, run, *needles, report_dir=None):
        report_dir = report_dir or self.report_dir
        self.assertEqual(run.code, 2, run.describe())
        # Ours ("error: ...") or argparse's ("run_conformance.py: error: ...").
        errors = [line for line in run.stderr.splitlines() if line.startswith(("error: ", "run_conformance.py: error: "))]
        self.assertTrue(errors, run.describe())
        for needle in needles:
            self.assertIn(str(needle), errors[0], run.describe())
        self.assertNotIn("Traceback", run.stderr)
        self.assertEqual([p.name for p in self.scratch.glob(f"*/{STARTED}")], [], "no adapter was started")
        if report_dir.exists():
            self.assertEqual(sorted(p.name for p in report_dir.iterdir()), ["spy-a.json", "summary.md"])
            self.assertEqual((report_dir / "spy-a.json").read_text(), "the previous report\n")

    def write_table(self, text_or_bytes):
        cases_dir = write_cases_dir(self.scratch / "cases", {})
        path = cases_dir / "table.json"
        if isinstance(text_or_bytes, bytes):
            path.write_bytes(text_or_bytes)
        else:
            path.write_text(text_or_bytes)
        return path

    # --- the control ---------------------------------------------------------------

    def test_good_input_runs_and_replaces_the_report(self):
        run = self.run_driver("--report-dir", self.report_dir)
        self.assertEqual(run.code, 0, run.describe())
        self.assertTrue((self.scratch / "spy-a" / STARTED).exists(), "the spy says when it starts")
        self.assertNotEqual((self.report_dir / "spy-a.json").read_text(), "the previous report\n")
        self.assertEqual([p.name for p in self.report_dir.glob(".incoming-*")], [], "nothing staged is left")

    def test_jobs_is_capped_at_the_number_of_case_runs(self):
        run = self.run_driver("--report-dir", self.report_dir, "--jobs", "500", "--repeat", "2")
        self.assertEqual(run.code, 0, run.describe())
        report = json.loads((self.report_dir / "spy-a.json").read_text())
        self.assertEqual(report["run"]["options"]["jobs"], 2, "one case, two runs: two slots")

    # --- case tables -----------------------------------------------------------------

    def test_a_byte_order_mark_is_refused(self):
        path = self.write_table(b"\xef\xbb\xbf" + json.dumps({"cases": [GOOD]}).encode())
        self.assert_refused(self.run_driver("--report-dir", self.report_dir), f"{path}: /: ", "byte order mark")

    def test_a_repeated_member_name_is_refused_with_its_pointer(self):
        # Once the last "level" won silently: a MUST case became INFO.
        text = json.dumps({"cases": [GOOD]}).replace('"level": "MUST"', '"level": "MUST", "level": "INFO"')
        path = self.write_table(text)
        self.assert_refused(self.run_driver("--report-dir", self.report_dir),
                            f"{path}: /cases/0/level: ", "appears twice")

    def test_text_after_the_json_value_is_refused(self):
        path = self.write_table(json.dumps({"cases": [GOOD]}) + "\n{}\n")
        self.assert_refused(self.run_driver("--report-dir", self.report_dir), f"{path}: /: ",
                            "text after the JSON value")

    def test_a_fifo_is_refused_without_waiting_for_a_writer(self):
        cases_dir = write_cases_dir(self.scratch / "cases", {"table.json": [GOOD]})
        os.mkfifo(cases_dir / "pipe.json")
        self.assert_refused(self.run_driver("--report-dir", self.report_dir), f"{cases_dir / 'pipe.json'}: /: ",
                            "FIFO")

    def test_an_absurdly_large_file_is_refused_unread(self):
        path = self.write_table("")
        os.truncate(path, 1 << 36)  # 64 GiB, sparse
        self.assert_refused(self.run_driver("--report-dir", self.report_dir), f"{path}: /: ", "larger than")

    def test_an_over_long_string_is_refused_before_the_schema_sees_it(self):
        long_title = dict(GOOD, title="x" * 200_000)
        path = self.write_table(json.dumps({"cases": [long_title]}))
        self.assert_refused(self.run_driver("--report-dir", self.report_dir), f"{path}: /cases/0/title: ",
                            "longer than")

    def test_a_long_string_under_the_bound_meets_the_schema_not_a_stack_overflow(self):
        # 60 000 characters through the schema's pattern: once a SIGSEGV of the regex engine.
        long_data = accept_case("fixture/a-first")
        long_data["steps"].insert(4, {"op": "exchange", "socket": "a1", "client": "c1", "data": "y" * 60_000})
        path = self.write_table(json.dumps({"cases": [long_data]}))
        self.assert_refused(self.run_driver("--report-dir", self.report_dir), f"{path}: /cases/0/steps/4")

    def test_nesting_beyond_the_bound_is_refused(self):
        path = self.write_table('{"cases": ' + "[" * 100 + "]" * 100 + "}")
        self.assert_refused(self.run_driver("--report-dir", self.report_dir), f"{path}: /: ", "nest deeper")

    # --- expectations and adapter.json of a later adapter ------------------------------

    def test_bad_expectations_of_the_second_adapter_stop_the_first_from_starting(self):
        first = self.spy_adapter("spy-a")
        second = self.spy_adapter("spy-b", expectations=json.dumps(
            {"expectations": {"fixture/no-such": {"status": "FAIL", "reason": "r"}}}))
        self.assert_refused(self.run_driver("--report-dir", self.report_dir, adapters=[first, second]),
                            f"{second / 'expectations.json'}: /expectations/fixture~1no-such: unknown case id")

    def test_a_repeated_name_in_the_second_adapters_expectations_is_refused(self):
        first = self.spy_adapter("spy-a")
        entry = '{"status": "FAIL", "reason": "r"}'
        second = self.spy_adapter("spy-b", expectations='{"expectations": {"fixture/a-first": %s, '
                                                         '"fixture/a-first": %s}}' % (entry, entry))
        self.assert_refused(self.run_driver("--report-dir", self.report_dir, adapters=[first, second]),
                            f"{second / 'expectations.json'}: /expectations/fixture~1a-first: ", "appears twice")

    def test_a_bad_adapter_json_of_the_second_adapter_stops_the_first_from_starting(self):
        first = self.spy_adapter("spy-a")
        second = self.spy_adapter("spy-b", definition_text='{"name": "spy-b", "command": ["sh"], "command": []}')
        self.assert_refused(self.run_driver("--report-dir", self.report_dir, adapters=[first, second]),
                            f"{second / 'adapter.json'}: /command: ", "appears twice")

    # --- the report directory ---------------------------------------------------------

    def test_a_report_dir_under_a_regular_file_is_refused(self):
        blocker = self.scratch / "a-file"
        blocker.write_text("")
        self.assert_refused(self.run_driver("--report-dir", blocker / "reports"),
                            f"--report-dir {blocker / 'reports'}", "not a directory")

    def test_a_report_dir_inside_proc_or_sys_is_refused(self):
        for place in ("/proc/self/reports", "/sys/kernel/reports"):
            with self.subTest(place=place):
                self.assert_refused(self.run_driver("--report-dir", place), f"--report-dir {place}", "inside /")

    # --- options ------------------------------------------------------------------------

    def test_an_absurd_repeat_count_is_refused(self):
        self.assert_refused(self.run_driver("--report-dir", self.report_dir, "--repeat", "100000000"),
                            "--repeat", "at most 1000")

    def test_the_runners_own_option_error_is_the_message_not_its_usage_line(self):
        self.assert_refused(self.run_driver("--report-dir", self.report_dir, "--jobs", "123456"),
                            "--jobs wants a number of concurrent cases from 1 to 9999")


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class ReportsCannotEscapeTheirDirectory(unittest.TestCase):
    """A report given back to --merge, --render or --compare whose adapter
    name is a path is refused by the report schema (patterns.adapter_name)."""

    def setUp(self):
        self.scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-escape-")))
        self.report_dir = self.scratch / "deep" / "reports"
        self.report_dir.mkdir(parents=True)
        (self.report_dir / "keep.txt").write_text("untouched\n")

    def path_named_report(self, name):
        path = self.scratch / "part.json"
        path.write_text(json.dumps(make_report(name, [make_result("fixture/a-first")])))
        return path

    def assert_nothing_escaped(self, run, path):
        self.assertEqual(run.code, 2, run.describe())
        self.assertIn(f"{path}: /adapter/name", run.stderr, run.describe())
        self.assertEqual(sorted(p.name for p in self.report_dir.iterdir()), ["keep.txt"])
        self.assertEqual(sorted(p.name for p in self.scratch.iterdir()), ["deep", "part.json"])
        self.assertEqual(sorted(p.name for p in (self.scratch / "deep").iterdir()), ["reports"])

    def test_merge_refuses_a_report_whose_adapter_name_is_a_path(self):
        for name in ("../../escaped", "/tmp/escaped", "a/b"):
            with self.subTest(name=name):
                path = self.path_named_report(name)
                run = run_conformance("--no-build", "--build-dir", BUILD_DIR, "--merge", path,
                                      "--report-dir", self.report_dir)
                self.assert_nothing_escaped(run, path)

    def test_render_refuses_a_report_whose_adapter_name_is_a_path(self):
        path = self.path_named_report("../../escaped")
        run = run_conformance("--no-build", "--build-dir", BUILD_DIR, "--render", path,
                              "--report-dir", self.report_dir)
        self.assert_nothing_escaped(run, path)

    def test_compare_refuses_a_report_whose_adapter_name_is_a_path(self):
        path = self.path_named_report("../escaped")
        good = self.scratch / "deep" / "good.json"
        good.write_text(json.dumps(make_report("fake", [make_result("fixture/a-first")])))
        run = run_conformance("--no-build", "--build-dir", BUILD_DIR, "--compare", good, path)
        self.assertEqual(run.code, 2, run.describe())
        self.assertIn(f"{path}: /adapter/name", run.stderr, run.describe())


if __name__ == "__main__":
    unittest.main()
