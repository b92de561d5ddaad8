"""<adapter>.junit.xml parses back and agrees with the JSON report: as many
testcases as results, failures = unexpected results (an unexpected PASS
included, so CI agrees with exit status 1), skips = SKIPs nobody minded and
expected deviations (the xfail convention, with the reason), case files
relative to the repository."""

import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from report_fixtures import make_report, make_result, mixed_results

from conformance.views.junit import junit_xml, write_junit


def parsed(report):
    root = ET.fromstring(junit_xml(report))
    return root, root.find("testsuite"), {c.get("name"): c for c in root.iter("testcase")}


class JUnitTest(unittest.TestCase):

    def setUp(self):
        self.report = make_report("fake", mixed_results())
        self.root, self.suite, self.cases = parsed(self.report)

    def test_counts_match_the_json_report(self):
        summary = self.report["summary"]
        skipped_in_json = sum(1 for r in self.report["results"] if r["status"] != "PASS" and not r["unexpected"])
        for element in (self.root, self.suite):
            self.assertEqual(int(element.get("tests")), summary["total"])
            self.assertEqual(int(element.get("failures")), summary["unexpected"])
            self.assertEqual(int(element.get("skipped")), skipped_in_json)
            self.assertEqual(int(element.get("errors")), 0)
        self.assertEqual(len(self.cases), summary["total"])
        self.assertEqual(sum(1 for c in self.cases.values() if c.find("failure") is not None), summary["unexpected"])
        self.assertEqual(sum(1 for c in self.cases.values() if c.find("skipped") is not None), skipped_in_json)
        self.assertEqual({n for n, c in self.cases.items() if c.find("failure") is not None},
                         set(self.report["summary"]["unexpected_cases"]))

    def test_testcase_identity_and_time(self):
        timed_out = self.cases["beta/times-out"]
        self.assertEqual(timed_out.get("classname"), "EA-DISPOSED", "the first clause")
        self.assertEqual(timed_out.get("time"), "0.013", "12.5 ms in seconds")
        self.assertEqual(timed_out.get("file"), "cases/synthetic.json")
        self.assertEqual(self.suite.get("name"), "fake")
        self.assertEqual(self.suite.get("time"), "5.000")

    def test_failure_says_observed_versus_expected_with_the_steps(self):
        failure = self.cases["alpha/fails"].find("failure")
        self.assertEqual(failure.get("type"), "FAIL")
        self.assertTrue(failure.get("message").startswith("FAIL, expected PASS: step 3: expected Socket"))
        self.assertIn("[FAIL] step 3: EndAccept on L with r1", failure.text)
        self.assertIn("expected: Socket", failure.text)
        self.assertIn('observed: InvalidOperation "<boom> & | *bold*"', failure.text, "text survives XML escaping")
        self.assertIn("[ok  ] step 0: L listens on loopback", failure.text)

    def test_unexpected_pass_is_a_failure(self):
        failure = self.cases["beta/passes-unexpectedly"].find("failure")
        self.assertIsNotNone(failure)
        self.assertIn("PASS, expected FAIL", failure.get("message"))
        self.assertIn("out of date", failure.get("message"))

    def test_pass_against_a_flaky_expectation_says_why_it_counts(self):
        report = make_report("fake", [make_result("a/flaky-once", "PASS", expected="FLAKY")])
        failure = parsed(report)[2]["a/flaky-once"].find("failure")
        self.assertIn("PASS, expected FLAKY", failure.get("message"))
        self.assertIn("--repeat", failure.get("message"))

    def test_skips_carry_their_reason(self):
        skipped = self.cases["gamma/skipped"].find("skipped")
        self.assertEqual(skipped.get("message"), "the adapter lacks the capability ipv6")
        self.assertIsNotNone(self.cases["gamma/skipped-as-expected"].find("skipped"))

    def test_expected_deviations_are_skipped_with_the_reason(self):
        for name, needle in (("beta/fails-as-expected", "runtime returns the socket twice"),
                             ("gamma/observed", "INFO case")):
            case = self.cases[name]
            self.assertIsNone(case.find("failure"))
            skipped = case.find("skipped")
            self.assertIsNotNone(skipped, "a known deviation is not a passing test")
            self.assertEqual(skipped.get("type"), "xfail")
            self.assertIn("expected deviation: FAIL", skipped.get("message"))
            self.assertIn(needle, skipped.get("message"))
            note = case.find("system-out").text
            self.assertIn("expected deviation: FAIL", note)
            self.assertIn(needle, note)

    def test_case_files_are_relative_to_the_repository(self):
        from conformance.paths import ROOT
        from conformance.views.junit import repository_path
        self.assertEqual(repository_path(str(ROOT / "cases" / "disposed.json")), "cases/disposed.json")
        self.assertEqual(repository_path("/home/ci/checkout/cases/disposed.json"), "cases/disposed.json")
        self.assertEqual(repository_path("./cases/disposed.json"), "cases/disposed.json")

    def test_control_characters_from_stderr_do_not_break_the_xml(self):
        stderr = self.cases["alpha/crashes"].find("system-err").text
        self.assertIn("\\x1b[31m red \\x00 nul", stderr)

    def test_all_good_report(self):
        report = make_report("fine", [make_result("a/one"), make_result("a/two")])
        root, suite, cases = parsed(report)
        self.assertEqual((suite.get("tests"), suite.get("failures"), suite.get("skipped")), ("2", "0", "0"))
        self.assertTrue(all(len(c) == 0 for c in cases.values()), "passing testcases have no children")

    def test_written_next_to_the_json_report(self):
        with tempfile.TemporaryDirectory() as scratch:
            path = write_junit(self.report, Path(scratch))
            self.assertEqual(path.name, "fake.junit.xml")
            self.assertEqual(ET.parse(path).getroot().tag, "testsuites")


if __name__ == "__main__":
    unittest.main()
