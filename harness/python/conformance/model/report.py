"""Reports of earlier runs: read and validated (--compare, --render, --merge),
and classified for people (the one reading of a result every view shares).

Validation is the judge's: `endaccept-conformance --validate-report`, the
same validator (valijson) and dialect (draft-07) as the case tables, so a
wrong file is named with the place that is wrong instead of failing
somewhere deep in a view."""

import json
import tempfile
from pathlib import Path

from conformance.files import InputError, InternalError, read_json, runner_input_error
from conformance.model.vocabulary import FAILING_STATUSES, FLAKY, OBSERVATION_LEVELS, PASS, SKIP
from conformance.paths import DEFAULT_BUILD, REPORTS, ROOT, relative, runner_path


REPORT_SCHEMA = REPORTS / "schema" / "report.schema.json"


def report_schema() -> dict:
    return read_json(REPORT_SCHEMA)


def check_report_file(path: Path, build_dir: Path = DEFAULT_BUILD) -> None:
    """Raises InputError naming the file and the JSON pointer of the first violation."""
    runner = runner_path(build_dir)
    if not runner.exists():
        raise InternalError(f"{relative(runner)} is missing: reports are validated by the runner; build it first "
                            "(python3 run_conformance.py --list-adapters builds nothing; a plain run builds)")
    if not Path(path).exists():
        raise InputError(f"{path}: no such file")  # no schema to speak of
    from conformance.run import stopping  # the model depends on no runner module otherwise
    checked = stopping.run([str(runner), "--root", str(ROOT), "--validate-report", str(path)],
                           capture_output=True, text=True)
    if checked.returncode == 2:
        message = str(runner_input_error(checked.stderr, f"{path}: not a report"))
        raise InputError(f"{message}; not a report of schema {report_schema()['version']} "
                         f"({REPORT_SCHEMA.relative_to(REPORTS.parent)})")
    if checked.returncode != 0:
        raise InternalError(f"validating {path} failed: {checked.stderr.strip()}")


def check_report(report, where: str, build_dir: Path = DEFAULT_BUILD) -> None:
    """check_report_file for a report in memory; `where` names it in messages."""
    with tempfile.TemporaryDirectory(prefix="endaccept-check-") as scratch:
        path = Path(scratch) / "report.json"
        path.write_text(json.dumps(report), encoding="utf-8")
        try:
            check_report_file(path, build_dir)
        except InputError as error:
            raise InputError(str(error).replace(str(path), where)) from None


def load_report(path: Path, build_dir: Path = DEFAULT_BUILD) -> dict:
    check_report_file(path, build_dir)  # the judge's reader and schema: bytes, repeated names, names that are paths
    return read_json(path)


UNEXPECTED = "unexpected"  # counts against the run: exit status 1
DEVIATION = "deviation"  # not PASS, but as expected (expectations.json) or an INFO observation
SKIPPED = "skipped"  # not run here (missing capability, or expected SKIP)
PASSED = "passed"



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
    if result["expected_status"] == FLAKY:
        # A FLAKY status needs runs that disagree; with one run (or runs that
        # all passed) the judge reports PASS, which differs from FLAKY.
        return (f"passed in {result.get('runs', 1)} run(s) although expected FLAKY: run with --repeat to see "
                "whether it is still flaky, or remove the expectation")
    return (f"passed although expected {result['expected_status']}: the expectation is out of date "
            "(remove it from expectations.json)")


def later_deviations(result: dict) -> list:
    """What else went wrong in the shown run after its first deviation
    (reports of schema 1.0 have none)."""
    return result.get("later_deviations", [])


def also_deviates(result: dict) -> str:
    """'also deviates at step 11: expected ..., observed ...; at step 13: ...', or ''."""
    later = later_deviations(result)
    if not later:
        return ""
    parts = []
    for deviation in later:
        message = deviation["message"]
        where = f"step {deviation['step']}: "
        text = message[len(where):] if message.startswith(where) else message
        status = "" if deviation["status"] == "FAIL" else f"{deviation['status']}: "
        parts.append((f"at step {deviation['step']}: " if deviation["step"] is not None else "") + status + text)
    return "also deviates " + "; ".join(parts)


_RESULT_INDEXES = {}  # id(results list) -> (that list, {case id: result})


def result_of(report: dict, case_id: str):
    """The report's result for `case_id`, or None. Views look one result up
    per row, so the index is built once per results list (a scan per row
    would make a view quadratic in the number of cases)."""
    results = report["results"]
    held = _RESULT_INDEXES.get(id(results))
    if held is None or held[0] is not results or len(held[1]) != len(results):
        held = (results, {r["case_id"]: r for r in results})
        _RESULT_INDEXES[id(results)] = held
    return held[1].get(case_id)
