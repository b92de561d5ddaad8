"""The history view: versions ordered by adapter.json's `version` (never by
name), the version where a behavior changed, and `since`."""

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "harness" / "python"))

from conformance.files import InputError  # noqa: E402
from conformance.views import history  # noqa: E402


def adapters_dir(versions: dict) -> Path:
    """A scratch adapters/ with one adapter.json per name -> version (None: no version)."""
    root = Path(tempfile.mkdtemp(prefix="history-"))
    for name, version in versions.items():
        (root / name).mkdir()
        definition = {"name": name, "implementation": "impl", "command": ["x"]}
        if version is not None:
            definition["version"] = version
        (root / name / "adapter.json").write_text(json.dumps(definition))
    return root


def report(name: str, statuses: dict) -> dict:
    results = []
    for case_id, (status, observed) in statuses.items():
        steps = [{"ok": True, "observed": "Returned", "expected": "Returned"}]
        if status != "PASS":
            steps.append({"ok": False, "observed": observed, "expected": "Argument"})
        results.append({"case_id": case_id, "status": status, "steps": steps})
    return {"adapter": {"name": name, "implementation": f"Impl {name}"}, "results": results}


class VersionOrder(unittest.TestCase):
    def test_versions_are_ordered_as_numbers_from_adapter_json(self):
        directory = adapters_dir({"b-new": "10", "a-old": "9", "c-mid": "9.1", "z-first": "3.1"})
        (lineage,) = history.lineages(["b-new", "a-old", "c-mid", "z-first"], directory)
        self.assertEqual(lineage.versions, ("3.1", "9", "9.1", "10"))
        self.assertEqual(lineage.adapters, ("z-first", "a-old", "c-mid", "b-new"))

    def test_one_version_or_none_makes_no_history(self):
        directory = adapters_dir({"one": "1", "unversioned": None})
        self.assertEqual(history.lineages(["one", "unversioned"], directory), [])

    def test_a_version_that_is_not_dotted_numbers_is_bad_input_naming_the_file(self):
        directory = adapters_dir({"x": "8.0-preview", "y": "9"})
        with self.assertRaises(InputError) as raised:
            history.lineages(["x", "y"], directory)
        self.assertIn(str(directory / "x" / "adapter.json") + ": /version:", str(raised.exception))


class Changes(unittest.TestCase):
    def setUp(self):
        self.directory = adapters_dir({"v1": "1", "v2": "2", "v3": "3"})
        self.reports = {
            "v1": report("v1", {"c/same": ("FAIL", "Socket"), "c/changed": ("PASS", ""), "c/fixed": ("FAIL", "Socket")}),
            "v2": report("v2", {"c/same": ("FAIL", "Socket"), "c/changed": ("FAIL", "Socket"), "c/fixed": ("FAIL", "Socket")}),
            "v3": report("v3", {"c/same": ("FAIL", "Socket"), "c/changed": ("FAIL", "SocketError(125)"),
                                "c/fixed": ("PASS", "")}),
        }
        (self.lineage,) = history.lineages(self.reports, self.directory)

    def test_a_change_is_marked_at_the_version_that_differs_from_the_one_before(self):
        rows = history.cells(self.lineage, self.reports)
        self.assertEqual(history.changes(rows["c/same"]), [])
        self.assertEqual(history.changes(rows["c/changed"]), [1, 2])  # PASS -> FAIL, then another outcome
        self.assertEqual(history.changes(rows["c/fixed"]), [2])

    def test_since_is_the_first_version_of_the_unbroken_run_of_deviations(self):
        since = history.since_by_adapter(self.lineage, self.reports)
        self.assertEqual(since["v3"], {"c/same": "1", "c/changed": "2"})
        self.assertEqual(since["v1"], {"c/same": "1", "c/fixed": "1"})

    def test_the_markdown_names_the_change_and_its_explanation(self):
        expectations = {"v2": {"c/changed": {"reason": "the ownership check went away", "evidence": "https://x.invalid/1"},
                               "c/fixed": {"reason": "was wrong"}},
                        "v3": {"c/changed": {"reason": "close now aborts"}}}
        text = "\n".join(history.markdown(self.lineage, self.reports, expectations))
        self.assertIn("| `c/changed` | PASS | **FAIL: Socket** | **FAIL: SocketError(125)** | 2, 3 |", text)
        self.assertIn("- `c/changed` at 2 (v2): PASS \u2192 FAIL. the ownership check went away <https://x.invalid/1>", text)
        self.assertIn("- `c/fixed` at 3 (v3): FAIL \u2192 PASS. No longer: was wrong", text)
        self.assertNotIn("`c/same` at", text)


class HistoryInTheHtmlReport(unittest.TestCase):
    def test_index_html_marks_the_version_where_a_case_changed_and_links_the_explanation(self):
        sys.path.insert(0, str(ROOT / "tests"))
        from report_fixtures import make_report, make_result
        from conformance.model.catalog import load_catalog
        from conformance.views.html import html_report
        catalog = load_catalog()
        case_id = catalog.cases[0]["id"]
        failing = make_result(case_id, "FAIL", expected="FAIL", reason="the ownership check went away")
        failing["expectation"]["evidence"] = "https://example.invalid/commit/abc"
        reports = {"dotnet3.1": make_report("dotnet3.1", [make_result(case_id)]),
                   "dotnet8": make_report("dotnet8", [failing])}
        page = html_report(reports, catalog)
        start = page.index('<section class="history"')
        section = page[start:page.index("</section>", start)]
        self.assertIn("versions 3.1, 8", section)
        self.assertEqual(section.count('class="cell changed"'), 1)
        self.assertIn("changed here: the ownership check went away", section)
        self.assertIn('<a href="https://example.invalid/commit/abc" rel="noreferrer">evidence</a>', section)

    def test_no_history_section_without_two_versions(self):
        sys.path.insert(0, str(ROOT / "tests"))
        from report_fixtures import make_report, make_result
        from conformance.model.catalog import load_catalog
        from conformance.views.html import html_report
        catalog = load_catalog()
        case_id = catalog.cases[0]["id"]
        page = html_report({"mono": make_report("mono", [make_result(case_id)])}, catalog)
        self.assertNotIn('<section class="history"', page)


class HistoryCommand(unittest.TestCase):
    def run_history(self, report_dir) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "run_conformance.py"), "--history", "--report-dir",
                               str(report_dir)], capture_output=True, text=True, cwd=ROOT, timeout=120)

    def test_the_committed_snapshot_shows_the_dotnet_versions_in_order(self):
        run = self.run_history(ROOT / "reports" / "snapshot")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("### dotnet: versions 3.1, 8, 9, 10", run.stdout)
        self.assertIn("What explains each change:", run.stdout)

    def test_reports_of_one_version_each_are_bad_input(self):
        run = self.run_history(tempfile.mkdtemp(prefix="history-empty-"))
        self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
        self.assertIn("no reports of two versions of one implementation", run.stderr)


if __name__ == "__main__":
    unittest.main()
