"""An adapter can live anywhere: given with --adapter-dir (or as
PATH/adapter.json) from a directory outside the suite, it runs with --jobs
and --repeat and gets the same report as from inside the checkout; one that
cannot start is one clear error up front (exit 2, no report), also when the
runner is called by hand."""

import json
import shutil
import tempfile
import unittest
from pathlib import Path

import report_fixtures  # noqa: F401  (puts the package on sys.path)
from harness_support import BUILD_DIR, HOSTILE, RUNNER, run_command, run_conformance, runner_missing_reason

# A few families the fake adapter answers in full: enough to show parallel
# parts and repeats, short enough for a loaded two-core machine.
FILTERS = ["--filter", "blocks/*", "--filter", "arg-null/*", "--filter", "returns-socket/new-and-connected"]


def copy_fixture_outside(directory_name="my-adapter", adapter_json=None) -> Path:
    """The well-behaved fake copied into a fresh temporary directory, under a
    directory name that is not its adapter name; adapter.json uses paths
    relative to itself."""
    outside = Path(tempfile.mkdtemp(prefix="endaccept-outside-"))
    shutil.copy(HOSTILE / "fake_adapter.py", outside / "fake_adapter.py")
    target = outside / directory_name
    target.mkdir()
    shutil.copy(HOSTILE / "well-behaved" / "adapter.py", target / "adapter.py")
    definition = adapter_json or {
        "name": "well-behaved",
        "description": "the well-behaved fake, out of tree",
        "command": ["python3", "-B", "./adapter.py"],
        "requires": {"files": ["adapter.py"], "programs": ["python3"]},
        "env": {"FIXTURE_HOME": "{adapter_dir}"},
    }
    (target / "adapter.json").write_text(json.dumps(definition))
    return target


def comparable(report: dict) -> dict:
    """What must not depend on where the adapter lives: every verdict, run by run."""
    return {
        "adapter": report["adapter"]["name"],
        "summary": report["summary"],
        "results": {r["case_id"]: (r["status"], r["expected_status"], r["unexpected"],
                                   r["runs"], r["pass_count"]) for r in report["results"]},
    }


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class AdaptersFromAnywhereTest(unittest.TestCase):

    def run_suite(self, *args):
        report_dir = Path(tempfile.mkdtemp(prefix="endaccept-anywhere-")) / "reports"
        run = run_conformance(*args, *FILTERS, "--jobs", "2", "--repeat", "2", "--timeout-scale", "2",
                              "--build-dir", BUILD_DIR, "--no-build", "--report-dir", report_dir)
        return run, report_dir

    def test_an_adapter_outside_the_suite_gets_the_same_report_as_inside(self):
        outside = copy_fixture_outside()
        inside_run, inside_dir = self.run_suite("--adapter-dir", HOSTILE / "well-behaved")
        outside_run, outside_dir = self.run_suite("--adapter-dir", outside)
        self.assertEqual(inside_run.code, outside_run.code, outside_run.describe())
        self.assertNotIn("Traceback", outside_run.stderr)
        inside = json.loads((inside_dir / "well-behaved.json").read_text())
        there = json.loads((outside_dir / "well-behaved.json").read_text())
        self.assertEqual(comparable(inside), comparable(there))
        self.assertEqual(there["run"]["options"]["jobs"], 2)
        self.assertTrue(all(r["runs"] == 2 for r in there["results"]), "--repeat 2 ran each case twice")
        for name in ("well-behaved.junit.xml", "summary.md", "index.html"):
            self.assertTrue((outside_dir / name).exists(), name)
        self.assertIn(str(outside), json.dumps(there["adapter"]["command"]),
                      "./adapter.py resolves next to adapter.json, not in the caller's directory")

    def test_the_adapter_json_itself_can_be_named_and_its_expectations_apply(self):
        outside = copy_fixture_outside(directory_name="elsewhere")
        (outside / "expectations.json").write_text(json.dumps({"adapter": "well-behaved", "expectations": {
            "blocks/until-connect": {"status": "FAIL", "reason": "to see that the file next to adapter.json is read",
                                     "classification": "likely-bug"}}}))
        run, report_dir = self.run_suite("--adapter", outside / "adapter.json")
        self.assertEqual(run.code, 1, run.describe())  # the case passes: an unexpected PASS
        report = json.loads((report_dir / "well-behaved.json").read_text())
        result = next(r for r in report["results"] if r["case_id"] == "blocks/until-connect")
        self.assertEqual((result["status"], result["expected_status"], result["unexpected"]), ("PASS", "FAIL", True))

    def test_a_missing_binary_is_one_error_and_no_report(self):
        outside = copy_fixture_outside(adapter_json={
            "name": "not-built", "command": ["./build/not-built-adapter"], "requires": {"files": [], "programs": []}})
        report_dir = outside.parent / "reports"
        run = run_conformance("--adapter-dir", outside, "--build-dir", BUILD_DIR, "--no-build",
                              "--report-dir", report_dir)
        self.assertEqual(run.code, 2, run.describe())
        self.assertIn("cannot run here", run.stderr)
        self.assertIn(str(outside / "build" / "not-built-adapter") + " does not exist", run.stderr)
        self.assertNotIn("CRASH", run.stdout + run.stderr)
        self.assertNotIn("Traceback", run.stderr)
        self.assertFalse(report_dir.exists(), "no report is written")

    def test_the_runner_by_hand_checks_the_command_before_any_case(self):
        outside = copy_fixture_outside(adapter_json={"name": "not-built", "command": ["bin/adapter"]})
        report = outside.parent / "by-hand.json"
        run = run_command([RUNNER, "--adapter-dir", outside, "--report", report], report)
        self.assertEqual(run.code, 2, run.describe())
        self.assertIn("adapter.json: /command/0: adapter 'not-built' cannot run here", run.stderr)
        self.assertNotIn("CRASH", run.stderr)
        self.assertFalse(report.exists())

    def test_listing_shows_where_an_outside_adapter_is_and_whether_it_can_run(self):
        outside = copy_fixture_outside()
        run = run_conformance("--list-adapters", "--adapter-dir", outside, "--build-dir", BUILD_DIR)
        self.assertEqual(run.code, 0, run.describe())
        self.assertIn("well-behaved available", " ".join(run.stdout.split()))
        self.assertIn(str(outside / "adapter.json"), run.stdout)

    def test_listing_says_how_to_get_a_missing_required_file(self):
        outside = copy_fixture_outside(adapter_json={
            "name": "needs-packs", "command": ["bin/adapter"],
            "requires": {"files": ["bin/adapter"], "hint": "configure once with -DFETCH=on"}})
        run = run_conformance("--list-adapters", "--adapter-dir", outside, "--build-dir", BUILD_DIR)
        self.assertEqual(run.code, 0, run.describe())
        listed = " ".join(run.stdout.split())
        self.assertIn(f"needs-packs unavailable: {outside / 'bin' / 'adapter'} has not been built "
                      "(configure once with -DFETCH=on)", listed)

    def test_two_adapters_of_one_name_are_refused(self):
        first, second = copy_fixture_outside(), copy_fixture_outside()
        run = run_conformance("--adapter-dir", first, "--adapter-dir", second, "--build-dir", BUILD_DIR, "--no-build")
        self.assertEqual(run.code, 2, run.describe())
        self.assertIn("two adapters are named 'well-behaved'", run.stderr)


if __name__ == "__main__":
    unittest.main()
