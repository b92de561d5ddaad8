"""<report-dir>/<adapter>.junit.xml: one report as JUnit XML, for CI systems
that show test results (GitHub, GitLab, Jenkins).

Mapping (one <testcase> per case; classname = the case's first clause id):
  unexpected result (incl. an unexpected PASS) -> <failure>, so the CI count
                                                  agrees with exit status 1
  SKIP (not unexpected)                        -> <skipped> with the reason
  expected deviation / INFO observation        -> <skipped> "expected deviation: ..." with the
                                                  reason (the xfail convention: a CI test view
                                                  must not show a known deviation as a pass)
  PASS                                         -> passing
File paths are relative to the suite's checkout (cases/<family>.json), so
that CI views link them into the repository.
"""

import re
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

from conformance.files import write_text_atomically
from conformance.model.report import (DEVIATION, SKIPPED, UNEXPECTED, also_deviates, deviation_reason,
    expectation_line, unexpected_pass_note, verdict)
from conformance.model.vocabulary import PASS
from conformance.paths import ROOT
from conformance.views.step_words import steps_as_text


# XML 1.0 cannot carry most control characters at all, not even escaped, and
# adapter stderr (ANSI colours, binary garbage from a crash) often has them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def junit_path(report_dir: Path, adapter: str) -> Path:
    return report_dir / f"{adapter}.junit.xml"


def junit_xml(report: dict) -> str:
    adapter = report["adapter"]
    results = report["results"]
    verdicts = [verdict(r) for r in results]
    suite = ET.Element("testsuite", {
        "name": adapter["name"],
        "tests": str(len(results)),
        "failures": str(verdicts.count(UNEXPECTED)),
        "errors": "0",
        "skipped": str(verdicts.count(SKIPPED) + verdicts.count(DEVIATION)),
        "time": _seconds(report["run"]["duration_ms"]),
        "timestamp": report["run"]["started_at"],
        "hostname": _xml_text(report["run"]["host"].get("hostname", "")),
    })
    properties = ET.SubElement(suite, "properties")
    for name, value in (("implementation", adapter.get("implementation", "")),
                        ("adapter_version", adapter.get("version", "")),
                        ("spec_revision", report["spec"]["revision"]),
                        ("schema_version", report["schema_version"])):
        ET.SubElement(properties, "property", {"name": name, "value": _xml_text(value)})
    for result, kind in zip(results, verdicts):
        suite.append(_testcase(result, kind))
    root = ET.Element("testsuites", {key: suite.get(key) for key in ("tests", "failures", "errors", "skipped", "time")})
    root.set("name", report["suite"]["name"])
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(report: dict, report_dir: Path) -> Path:
    path = junit_path(report_dir, report["adapter"]["name"])
    write_text_atomically(path, junit_xml(report))
    return path


def _testcase(result: dict, kind: str) -> ET.Element:
    case = ET.Element("testcase", {
        "classname": result["clause_ids"][0] if result["clause_ids"] else "unclassified",
        "name": result["case_id"],
        "time": _seconds(result["duration_ms"]),
        "file": repository_path(result["file"]),
    })
    if kind == UNEXPECTED:
        summary = expectation_line(result) + (f": {result['message']}" if result["message"] else "")
        if result["status"] == PASS:
            summary += f" ({unexpected_pass_note(result)})"
        if also_deviates(result):
            summary += f"; {also_deviates(result)}"
        failure = ET.SubElement(case, "failure", {"message": _xml_text(summary), "type": result["status"]})
        failure.text = _xml_text(f"{result['case_id']} [{result['level']}] {result['title']}\n{summary}\n\n"
                                 f"{steps_as_text(result)}")
    elif kind == SKIPPED:
        ET.SubElement(case, "skipped", {"message": _xml_text(result["message"] or "skipped")})
    elif kind == DEVIATION:
        note = f"expected deviation: {expectation_line(result)}"
        reason = deviation_reason(result)
        if reason:
            note += f" ({reason})"
        if result["message"]:
            note += f"\nobserved: {result['message']}"
        if also_deviates(result):
            note += f"\n{also_deviates(result)}"
        ET.SubElement(case, "skipped", {"message": _xml_text(note.splitlines()[0]), "type": "xfail"})
        ET.SubElement(case, "system-out").text = _xml_text(note)
    if result.get("stderr_tail"):
        ET.SubElement(case, "system-err").text = _xml_text(result["stderr_tail"])
    return case


def repository_path(file: str) -> str:
    """A case file as seen from the suite's checkout: the runner records where
    it read the file (absolute), which says nothing on another machine."""
    path = PurePosixPath(file)
    if path.is_absolute():
        try:
            return str(path.relative_to(ROOT))
        except ValueError:
            parts = path.parts
            if "cases" in parts:  # a report from another checkout
                last = len(parts) - 1 - parts[::-1].index("cases")
                return str(PurePosixPath(*parts[last:]))
            return str(path)
    return file.removeprefix("./")


def _seconds(milliseconds) -> str:
    return f"{float(milliseconds) / 1000.0:.3f}"
