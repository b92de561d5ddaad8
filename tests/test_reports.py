"""The published report schema (reports/schema/report.schema.json) describes
the reports exactly: synthetic reports built field for field like
report.cpp/merge.py validate, wrong ones are caught with the right JSON
pointer, the schema keeps in step with the case schema and with
kReportSchemaVersion, and it only uses constructs the stdlib validator
implements. When the runner is built, a real run's report and every view
derived from it are checked too."""

import copy
import json
import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from harness_support import BUILD_DIR, RUNNER, runner_missing_reason
from report_fixtures import ROOT, make_report, make_result, mixed_results

from conformance.run.merge import merge_reports
from conformance.files import InputError
from conformance.model.report import check_report, report_schema

ASIO = BUILD_DIR / "adapters" / "asio" / "endaccept-adapter-asio"


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class SchemaDescribesReportsTest(unittest.TestCase):

    def setUp(self):
        self.schema = report_schema()

    def assert_valid(self, report):
        check_report(report, "report.json", BUILD_DIR)

    def assert_invalid_at(self, report, pointer):
        """The judge's validator names the first violation it finds, at `pointer` or inside it."""
        with self.assertRaises(InputError) as raised:
            check_report(report, "report.json", BUILD_DIR)
        message = str(raised.exception)
        parent, _, member = pointer.rpartition("/")
        # A missing member is reported at the object that lacks it, by name.
        named = message.startswith(f"report.json: {parent or '/'}: ") and f"'{member}'" in message
        self.assertTrue(message.startswith(f"report.json: {pointer}") or named, message)

    def test_synthetic_report_with_every_kind_of_result_is_valid(self):
        self.assert_valid(make_report("fake", mixed_results()))

    def test_report_straight_from_the_judge_is_valid(self):
        # One part, not merged by the driver: no run.options.jobs/parts.
        report = make_report("fake", [make_result("a/b")])
        del report["run"]["options"]["jobs"], report["run"]["options"]["parts"]
        self.assert_valid(report)

    @unittest.skipIf(runner_missing_reason(), runner_missing_reason())
    def test_merged_report_is_valid(self):
        first = make_report("fake", [make_result("a/one"), make_result("a/two", "FAIL")])
        second = make_report("fake", [make_result("b/three", "SKIP")])
        for part in (first, second):
            del part["run"]["options"]["jobs"], part["run"]["options"]["parts"]
        with tempfile.TemporaryDirectory() as scratch:
            sources = []
            for index, part in enumerate((first, second)):
                sources.append(Path(scratch) / f"{index}.json")
                sources[-1].write_text(json.dumps(part), encoding="utf-8")
            merged = merge_reports(BUILD_DIR, sources, wall_ms=12.0)
        merged["run"]["options"]["jobs"] = 2
        self.assert_valid(merged)
        self.assertEqual(merged["summary"]["total"], 3)
        self.assertEqual(merged["run"]["duration_ms"], 12.0)

    def test_failed_probe_adapter_block_is_valid(self):
        report = make_report("fake", [make_result("a/b", "ERROR")])
        report["adapter"] = {"name": "fake", "version": "unknown", "implementation": "unknown", "capabilities": [],
                             "probe_error": "adapter closed its stdout", "command": ["x"], "mutant": "skip-check"}
        self.assert_valid(report)

    def test_extra_fields_are_allowed_in_the_adapter_block_only(self):
        report = make_report("fake", [make_result("a/b")])
        report["adapter"]["anything"] = {"the adapter": "may add"}
        self.assert_valid(report)
        for where, target in (("/surprise", report), ("/run/surprise", report["run"]),
                              ("/results/0/surprise", report["results"][0]),
                              ("/results/0/steps/0/surprise", report["results"][0]["steps"][0]),
                              ("/summary/surprise", report["summary"])):
            broken = copy.deepcopy(report)
            target_copy = _follow(broken, where.rsplit("/", 1)[0])
            target_copy["surprise"] = 1
            self.assert_invalid_at(broken, where)

    def test_mistakes_are_reported_at_their_pointer(self):
        report = make_report("fake", mixed_results())
        cases = [
            (lambda r: r["results"][1].__setitem__("status", "BROKEN"), "/results/1/status"),
            (lambda r: r["results"][0].pop("unexpected"), "/results/0/unexpected"),
            (lambda r: r["summary"]["by_status"].pop("FLAKY"), "/summary/by_status/FLAKY"),
            (lambda r: r["summary"].__setitem__("unexpected", -1), "/summary/unexpected"),
            (lambda r: r.__setitem__("schema_version", "2.0"), "/schema_version"),
            (lambda r: r["results"][0]["steps"][0].__setitem__("op", 7), "/results/0/steps/0/op"),
            (lambda r: r["results"][0].__setitem__("case_id", "No Slash"), "/results/0/case_id"),
            (lambda r: r["run"].__setitem__("started_at", "yesterday"), "/run/started_at"),
            (lambda r: r["results"][0]["descriptors"].__setitem__("end", "12"), "/results/0/descriptors/end"),
            (lambda r: r["adapter"].pop("implementation"), "/adapter/implementation"),
        ]
        for edit, pointer in cases:
            with self.subTest(pointer=pointer):
                broken = copy.deepcopy(report)
                edit(broken)
                self.assert_invalid_at(broken, pointer)

    def test_check_report_names_file_and_pointer(self):
        report = make_report("fake", [make_result("a/b")])
        report["results"][0]["status"] = "MAYBE"
        with self.assertRaises(InputError) as raised:
            check_report(report, "old.json")
        self.assertIn("old.json: /results/0/status:", str(raised.exception))

    def test_every_step_of_every_real_case_fits_the_report_schema(self):
        from conformance.model.catalog import load_catalog
        for case in load_catalog().cases:
            report = make_report("fake", [make_result("a/b")])
            report["results"][0]["steps"] = [
                {"index": i, "op": step["op"], "step": step, "expected": "", "observed": "", "elapsed_ms": 0.0,
                 "ok": True} for i, step in enumerate(case["steps"])]
            with self.subTest(case=case["id"]):
                self.assert_valid(report)


class SchemaStaysInStepTest(unittest.TestCase):

    def test_schema_version_matches_the_judge(self):
        header = (ROOT / "harness" / "src" / "report.hpp").read_text(encoding="utf-8")
        judge = re.search(r'kReportSchemaVersion = "([^"]+)"', header)[1]
        schema = report_schema()
        self.assertEqual(schema["version"], judge)
        accepted = schema["properties"]["schema_version"]["enum"]
        # Reports of earlier minor versions stay valid (reports/README.md, compatibility promise).
        self.assertEqual(accepted[-1], judge)
        self.assertEqual({version.split(".")[0] for version in accepted}, {judge.split(".")[0]})

    def test_reports_and_cases_share_one_dialect(self):
        cases = json.loads((ROOT / "cases" / "case.schema.json").read_text(encoding="utf-8"))
        self.assertEqual(report_schema()["$schema"], cases["$schema"])


@unittest.skipUnless(RUNNER.exists() and ASIO.exists(), "runner or asio adapter not built")
class RealRunTest(unittest.TestCase):
    """A short real run (no build) against the reference adapter: its report
    and every derived view must match the schema and each other."""

    def test_real_report_and_views(self):
        with tempfile.TemporaryDirectory(prefix="endaccept-reports-") as scratch:
            run = subprocess.run([sys.executable, str(ROOT / "run_conformance.py"), "--no-build",
                                  "--build-dir", str(BUILD_DIR), "--adapter", "asio",
                                  "--filter", "arg-null/*", "--filter", "blocks/*", "--jobs", "2",
                                  "--timeout-scale", "2", "--report-dir", scratch],
                                 capture_output=True, text=True, timeout=300, cwd=ROOT)
            self.assertIn(run.returncode, (0, 1), run.stderr[-3000:])
            report = json.loads((Path(scratch) / "asio.json").read_text(encoding="utf-8"))
            check_report(report, "asio.json", BUILD_DIR)
            suite = ET.parse(Path(scratch) / "asio.junit.xml").getroot().find("testsuite")
            self.assertEqual(int(suite.get("tests")), report["summary"]["total"])
            self.assertEqual(int(suite.get("failures")), report["summary"]["unexpected"])
            self.assertTrue((Path(scratch) / "summary.md").read_text(encoding="utf-8").startswith("## "))
            self.assertIn("<table class=\"matrix\">", (Path(scratch) / "index.html").read_text(encoding="utf-8"))


def _follow(document, pointer):
    for part in [p for p in pointer.split("/") if p]:
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


if __name__ == "__main__":
    unittest.main()
