"""A case goes on after a failed step: the report shows every deviation of
the run, the first stays the case's status and message, a step that uses a
name the failed step did not make is not run, and "then": "stop" (or an op
that stops, like listen) ends the case at its failure. Against the asio
reference, whose behavior is known, with expectations made wrong on purpose."""

import tempfile
import unittest
from pathlib import Path

from report_fixtures import make_report, make_result
from harness_support import BUILD_DIR, ROOT, RUNNER, run_runner, write_cases_dir

ASIO = BUILD_DIR / "adapters" / "asio" / "endaccept-adapter-asio"

from conformance.model.catalog import load_catalog
from conformance.model.report import also_deviates, check_report_file
from conformance.views.html import html_report
from conformance.views.junit import junit_xml
from conformance.views.summary_md import markdown_summary

CASE_ID = "observe/two-deviations"


def two_deviations(first_then=None):
    """Two independent wrong expectations (steps 3 and 5); step 4 uses the
    socket step 3 should have made; step 6 is right."""
    wrong_end = {"op": "end_accept", "socket": "L", "result": "r1", "as": "a1", "expect": "ObjectDisposed"}
    if first_then:
        wrong_end["then"] = first_then
    return {
        "id": CASE_ID, "clauses": ["EA-RETURNS-SOCKET"], "level": "MUST",
        "title": "Two independent deviations in one case",
        "explanation": "The reference returns a socket where this case wrongly expects ObjectDisposed, and "
                       "throws ArgumentNull where it wrongly expects a socket.",
        "steps": [
            {"op": "listen", "socket": "L"},
            {"op": "begin_accept", "socket": "L", "result": "r1"},
            {"op": "connect", "client": "c1", "to": "L"},
            wrong_end,
            {"op": "expect_connected", "socket": "a1", "client": "c1", "listener": "L"},
            {"op": "end_accept", "socket": "L", "result": None, "expect": "Socket"},
            {"op": "close", "socket": "L"},
        ],
    }


@unittest.skipUnless(RUNNER.exists() and ASIO.exists(), "the runner and the asio adapter are not built")
class ObservePastFailureTest(unittest.TestCase):

    def run_case(self, case, *runner_flags):
        scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-observe-")))
        cases = write_cases_dir(scratch / "cases", {"observe.json": [case]})
        run = run_runner(ROOT / "adapters" / "asio", cases, scratch / "asio.json", *runner_flags)
        self.assertEqual(run.code, 1, run.describe())
        check_report_file(scratch / "asio.json", BUILD_DIR)  # the 1.1 fields are in the published schema
        self.options = run.report["run"]["options"]
        return run.results[CASE_ID]

    def test_both_deviations_are_reported_and_the_first_is_the_status(self):
        result = self.run_case(two_deviations())
        self.assertEqual(result["status"], "FAIL")
        self.assertRegex(result["message"], r"^step 3: expected ObjectDisposed, observed Socket")
        later = result["later_deviations"]
        self.assertEqual([(d["step"], d["status"]) for d in later], [(5, "FAIL")], later)
        self.assertRegex(later[0]["message"], r"^step 5: expected Socket, observed ArgumentNull")
        steps = {s["index"]: s for s in result["steps"]}
        self.assertEqual(sorted(steps), list(range(7)), "every step is listed")
        self.assertFalse(steps[3]["ok"])
        self.assertIn("expected ObjectDisposed", steps[3]["failure"])
        self.assertFalse(steps[5]["ok"])
        self.assertTrue(steps[6]["ok"], "the step after the second deviation ran and passed")

    def test_a_step_that_needs_what_the_failed_step_did_not_make_is_not_run(self):
        result = self.run_case(two_deviations())
        dependent = next(s for s in result["steps"] if s["index"] == 4)
        self.assertIs(dependent["ran"], False)
        self.assertFalse(dependent["ok"])
        self.assertIn("a1", dependent["not_run_because"])
        self.assertNotIn(4, [d["step"] for d in result["later_deviations"]], "not run is not a deviation")

    def test_then_stop_ends_the_case_at_its_failure(self):
        result = self.run_case(two_deviations(first_then="stop"))
        self.assertRegex(result["message"], r"^step 3: expected ObjectDisposed")
        self.assertEqual(result["later_deviations"], [])
        self.assertEqual(max(s["index"] for s in result["steps"]), 3)

    def test_stop_at_first_deviation_keeps_the_verdict_and_looks_no_further(self):
        # The mutation gate's runs: only the status counts, and a mutant's
        # later deadlines would each be waited out.
        every = self.run_case(two_deviations())
        self.assertIs(self.options["first_deviation_only"], False)
        first = self.run_case(two_deviations(), "--stop-at-first-deviation")
        self.assertIs(self.options["first_deviation_only"], True)
        self.assertEqual((first["status"], first["message"]), (every["status"], every["message"]))
        self.assertEqual(first["later_deviations"], [])
        self.assertEqual(max(s["index"] for s in first["steps"]), 3, "no step after the first deviation ran")


class LaterDeviationsInViewsTest(unittest.TestCase):
    """Every view says what else deviates; a report of schema 1.0 (no field) reads as none."""

    def setUp(self):
        self.unexpected = make_result("a/two", "FAIL")
        self.unexpected["later_deviations"] = [
            {"step": 5, "status": "FAIL", "message": "step 5: expected Socket, observed ArgumentNull"}]
        self.expected = make_result("a/known", "FAIL", expected="FAIL")
        self.expected["later_deviations"] = [{"step": 7, "status": "TIMEOUT", "message": "step 7: no reply"}]
        self.old = make_result("a/old", "FAIL")
        self.report = make_report("fake", [self.unexpected, self.expected, self.old])

    def test_the_shared_reading(self):
        self.assertEqual(also_deviates(self.unexpected), "also deviates at step 5: expected Socket, observed ArgumentNull")
        self.assertEqual(also_deviates(self.expected), "also deviates at step 7: TIMEOUT: no reply")
        self.assertEqual(also_deviates(self.old), "")

    def test_summary_junit_and_html_show_them(self):
        summary = markdown_summary({"fake": self.report})
        xml = junit_xml(self.report)
        page = html_report({"fake": self.report}, load_catalog())
        for text in (summary, xml, page):
            self.assertIn("deviates at step 5: expected Socket, observed ArgumentNull", text)
            self.assertIn("deviates at step 7: TIMEOUT: no reply", text)


if __name__ == "__main__":
    unittest.main()
