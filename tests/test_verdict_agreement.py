"""The runner used alone, as a GoogleTest binary, gives the verdict of its
report: both come from the one verdict function (harness/src/verdict.cpp).
The case that once split them: a SKIP whose expectation is FAIL is
unexpected (the expectation no longer holds), not a GoogleTest skip."""

import json
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from harness_support import ROOT, run_runner, runner_missing_reason

# The fake declares no capability, so this MUST case is a SKIP there.
FAKE = ROOT / "tests" / "fixtures" / "hostile" / "well-behaved"
SKIPPED_CASE = "arg-foreign/caller-made"


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class VerdictAgreementTest(unittest.TestCase):

    def run_with_expectation(self, status):
        scratch = Path(tempfile.mkdtemp(prefix="endaccept-verdict-"))
        expectations = scratch / "expectations.json"
        expectations.write_text(json.dumps({"expectations": {SKIPPED_CASE: {"status": status, "reason": "test", "classification": "platform"}}}))
        xml_path = scratch / "gtest.xml"
        run = run_runner(FAKE, ROOT / "cases", scratch / "report.json", "--filter", SKIPPED_CASE,
                         "--expectations", expectations, f"--gtest_output=xml:{xml_path}")
        report = json.loads((scratch / "report.json").read_text())
        (testcase,) = ET.parse(xml_path).getroot().iter("testcase")
        return run, report["results"][0], testcase

    def test_a_skip_expected_to_fail_is_a_gtest_failure_and_unexpected_in_the_report(self):
        run, result, testcase = self.run_with_expectation("FAIL")
        self.assertEqual(result["status"], "SKIP")
        self.assertTrue(result["unexpected"])
        self.assertIsNotNone(testcase.find("failure"), "GoogleTest must fail what the report calls unexpected")
        self.assertEqual(run.code, 1, run.describe())

    def test_a_skip_expected_to_skip_is_a_gtest_skip_and_as_expected(self):
        run, result, testcase = self.run_with_expectation("SKIP")
        self.assertFalse(result["unexpected"])
        self.assertIsNone(testcase.find("failure"))
        self.assertIsNotNone(testcase.find("skipped"))
        self.assertEqual(run.code, 0, run.describe())


if __name__ == "__main__":
    unittest.main()
