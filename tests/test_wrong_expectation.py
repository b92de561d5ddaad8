"""The suite can say no: a case that expects the wrong outcome makes a run
against the reference implementation exit 1 and name the case, so a passing
run means the cases were checked, not merely executed."""

import json
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness_support import BUILD_DIR, ROOT, RUNNER, SPEC

ASIO = BUILD_DIR / "adapters" / "asio" / "endaccept-adapter-asio"


@unittest.skipUnless(RUNNER.exists() and ASIO.exists(), "the runner and the asio adapter are not built")
class WrongExpectation(unittest.TestCase):
    def run_with_cases(self, mutate):
        with tempfile.TemporaryDirectory() as scratch:
            cases = Path(scratch) / "cases"
            cases.mkdir()
            shutil.copyfile(ROOT / "cases" / "case.schema.json", cases / "case.schema.json")
            table = json.loads((ROOT / "cases" / "arg-foreign.json").read_text())
            mutate(table)
            (cases / "arg-foreign.json").write_text(json.dumps(table))
            report = Path(scratch) / "asio.json"
            completed = subprocess.run(
                [str(RUNNER), "--root", str(ROOT), "--spec", str(SPEC), "--cases", str(cases),
                 "--adapter-dir", str(ROOT / "adapters" / "asio"), "--build-dir", str(BUILD_DIR),
                 "--report", str(report), "--filter", "arg-foreign/caller-made", "--gtest_brief=1"],
                capture_output=True, text=True, timeout=120)
            return completed, json.loads(report.read_text()) if report.exists() else None

    def test_expecting_argument_null_where_argument_is_thrown_fails_the_run_and_names_the_case(self):
        def expect_argument_null(table):
            case = next(c for c in table["cases"] if c["id"] == "arg-foreign/caller-made")
            case["steps"][-1]["expect"] = "ArgumentNull"

        completed, report = self.run_with_cases(expect_argument_null)
        self.assertEqual(completed.returncode, 1, completed.stderr)
        self.assertIn("arg-foreign/caller-made", completed.stderr + completed.stdout)
        result = report["results"][0]
        self.assertEqual((result["status"], result["unexpected"]), ("FAIL", True))
        self.assertIn("expected ArgumentNull, observed Argument", result["message"])

    def test_the_unmodified_case_passes(self):
        completed, report = self.run_with_cases(lambda table: None)
        self.assertEqual(completed.returncode, 0, completed.stderr)
        self.assertEqual(report["results"][0]["status"], "PASS")


if __name__ == "__main__":
    unittest.main()
