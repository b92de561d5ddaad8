"""--compare OLD NEW: regressions first, exit status 1 only for a result
newly unexpected in NEW, 0 for identical runs and expected changes, 2 with
file and pointer for files that are not reports. Run through
run_conformance.py itself, as CI would."""

import copy
import io
import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from report_fixtures import ROOT, make_report, make_result, mixed_results

from conformance.views.compare import compare_reports, print_comparison


def baseline():
    return make_report("fake", [make_result("a/stays-passing"), make_result("a/will-regress"),
                                make_result("b/known-failure", "FAIL", expected="FAIL"),
                                make_result("b/will-be-fixed", "FAIL"), make_result("c/removed-later")])


class CompareCommandTest(unittest.TestCase):

    def setUp(self):
        self.scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-compare-")))

    def write(self, name, report):
        path = self.scratch / name
        path.write_text(json.dumps(report) if not isinstance(report, str) else report, encoding="utf-8")
        return path

    def compare(self, old, new):
        return subprocess.run([sys.executable, str(ROOT / "run_conformance.py"), "--compare", str(old), str(new)],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)

    def test_identical_runs_exit_0(self):
        old = self.write("old.json", baseline())
        run = self.compare(old, self.write("new.json", baseline()))
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("no change", run.stdout)

    def test_an_introduced_regression_exits_1_and_is_listed_first(self):
        new = baseline()
        regressed = next(r for r in new["results"] if r["case_id"] == "a/will-regress")
        regressed.update(make_result("a/will-regress", "CRASH", message="adapter died at step 2"))
        new = make_report("fake", new["results"])
        run = self.compare(self.write("old.json", baseline()), self.write("new.json", new))
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertLess(run.stdout.index("Regressions (1)"), run.stdout.index("a/will-regress"))
        self.assertIn("PASS -> CRASH (unexpected, expected PASS)  [NEWLY UNEXPECTED]", run.stdout)
        self.assertIn("adapter died at step 2", run.stdout)
        self.assertIn("exit status 1", run.stdout)

    def test_fixes_and_expected_changes_exit_0(self):
        new = [make_result("a/stays-passing"), make_result("a/will-regress"),
               make_result("b/known-failure", "TIMEOUT", expected="TIMEOUT"),  # expectation updated with it
               make_result("b/will-be-fixed"), make_result("c/removed-later")]
        run = self.compare(self.write("old.json", baseline()), self.write("new.json", make_report("fake", new)))
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("Improvements (1)", run.stdout)
        self.assertIn("Other changes (1)", run.stdout)
        self.assertIn("FAIL (expected) -> TIMEOUT (expected)", run.stdout)

    def test_a_new_case_that_fails_unexpectedly_exits_1(self):
        new = baseline()["results"] + [make_result("d/brand-new", "FAIL")]
        run = self.compare(self.write("old.json", baseline()), self.write("new.json", make_report("fake", new)))
        self.assertEqual(run.returncode, 1, run.stdout)
        self.assertIn("Only in NEW (1)", run.stdout)

    def test_removed_and_still_unexpected_cases_do_not_fail(self):
        old = make_report("fake", [make_result("a/one", "FAIL"), make_result("a/two")])
        new = make_report("fake", [make_result("a/one", "FAIL")])  # same unexpected FAIL: not new
        run = self.compare(self.write("old.json", old), self.write("new.json", new))
        self.assertEqual(run.returncode, 0, run.stdout)
        self.assertIn("Only in OLD (1)", run.stdout)

    def test_two_adapters_of_one_run(self):
        reference = make_report("asio", [make_result("a/one"), make_result("a/two")], implementation="Asio ref")
        candidate = make_report("mono", [make_result("a/one"), make_result("a/two", "FAIL", expected="FAIL")],
                                implementation="Mono 6.8")
        run = self.compare(self.write("asio.json", reference), self.write("mono.json", candidate))
        self.assertIn("comparing implementations: OLD asio", run.stdout)
        self.assertEqual(run.returncode, 0, "mono's FAIL is in its expectations\n" + run.stdout)
        candidate = make_report("mono", [make_result("a/one", "FAIL"), make_result("a/two")])
        run = self.compare(self.write("asio.json", reference), self.write("mono.json", candidate))
        self.assertEqual(run.returncode, 1, run.stdout)

    def test_bad_files_exit_2_with_file_and_pointer(self):
        good = self.write("good.json", baseline())
        broken = baseline()
        broken["results"][2]["status"] = "SORT-OF"
        cases = [(self.write("broken.json", broken), "broken.json: /results/2/status:"),
                 (self.write("malformed.json", "{not json"), "malformed.json: /: malformed JSON"),
                 (self.scratch / "missing.json", "missing.json: no such file"),
                 (self.write("other.json", {"cases": []}), "other.json: /: ")]
        for path, needle in cases:
            for old, new in ((path, good), (good, path)):
                with self.subTest(file=path.name, position="OLD" if old == path else "NEW"):
                    run = self.compare(old, new)
                    self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
                    self.assertIn(needle, run.stderr)
                    self.assertNotIn("Traceback", run.stderr)


class ComparisonTest(unittest.TestCase):

    def test_categories(self):
        old = make_report("fake", mixed_results())
        new = copy.deepcopy(old)
        for result in new["results"]:
            if result["case_id"] == "alpha/passes":
                result.update(status="SKIP", message="lost a capability")  # PASS -> SKIP: a regression, not unexpected
        comparison = compare_reports(old, make_report("fake", new["results"]))
        self.assertEqual([c.case_id for c in comparison.regressions], ["alpha/passes"])
        self.assertEqual(comparison.newly_unexpected, [])
        self.assertEqual(comparison.exit_status, 0)
        out = io.StringIO()
        print_comparison(comparison, out)
        self.assertIn("PASS -> SKIP", out.getvalue())

    def test_spec_revision_change_is_noted(self):
        old, new = baseline(), baseline()
        new["spec"]["revision"] = "2027-01-01.1"
        out = io.StringIO()
        print_comparison(compare_reports(old, new), out)
        self.assertIn("spec revisions differ", out.getvalue())


if __name__ == "__main__":
    unittest.main()
