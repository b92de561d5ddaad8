"""How a result reads to a person: the one classification every view
(JUnit, Markdown, HTML, --compare) shares, so they never disagree."""

UNEXPECTED = "unexpected"  # counts against the run: exit status 1
DEVIATION = "deviation"  # not PASS, but as expected (expectations.json) or an INFO observation
SKIPPED = "skipped"  # not run here (missing capability, or expected SKIP)
PASSED = "passed"

from .vocabulary import FAILING_STATUSES, OBSERVATION_LEVELS, PASS, SKIP


def verdict(result: dict) -> str:
    if result["unexpected"]:
        return UNEXPECTED
    if result["status"] == SKIP:
        return SKIPPED
    if result["status"] == PASS:
        return PASSED
    return DEVIATION


def is_failing(result: dict) -> bool:
    return result["status"] in FAILING_STATUSES


def deviation_reason(result: dict) -> str:
    """Why a non-PASS result does not count against the run."""
    expectation = result.get("expectation")
    if expectation and expectation.get("status") == result["status"]:
        return expectation.get("reason", "")
    if result.get("level") in OBSERVATION_LEVELS:
        return "INFO case: observed and reported, never a failure"
    if expectation:
        return expectation.get("reason", "")
    return ""


def expectation_line(result: dict) -> str:
    """'FAIL, expected PASS' — observed first, as a reader of a failure asks "what happened?"."""
    return f"{result['status']}, expected {result['expected_status']}"


def unexpected_pass_note(result: dict) -> str:
    """Why a PASS counts against the run: its expectation no longer holds."""
    if result["expected_status"] == "FLAKY":
        # A FLAKY status needs runs that disagree; with one run (or runs that
        # all passed) the judge reports PASS, which differs from FLAKY.
        return (f"passed in {result.get('runs', 1)} run(s) although expected FLAKY: run with --repeat to see "
                "whether it is still flaky, or remove the expectation")
    return (f"passed although expected {result['expected_status']}: the expectation is out of date "
            "(remove it from expectations.json)")
