"""<report-dir>/summary.md: the run in GitHub-flavoured Markdown, for a CI job
summary (e.g. `cat reports/latest/summary.md >> "$GITHUB_STEP_SUMMARY"`).

Ordered by what needs a reader's attention: counts per adapter, then the
unexpected results (they fail the run), then expected deviations, then skips.
"""

import re
from pathlib import Path

from conformance.files import write_text_atomically
from conformance.model.report import (DEVIATION, SKIPPED, UNEXPECTED, also_deviates, deviation_reason, unexpected_pass_note,
                                     verdict)
from conformance.model.vocabulary import PASS, STATUSES
from conformance.views.markdown import literal


SUMMARY_NAME = "summary.md"
_MESSAGE_LIMIT = 200  # a table cell, not a log: the full text is in the JSON and HTML reports


def markdown_summary(reports: dict, not_run: dict = None) -> str:
    """`reports`: adapter name -> report; `not_run`: adapter name -> why it could not run."""
    not_run = not_run or {}
    rows = [(name, result) for name, report in reports.items() for result in report["results"]]
    unexpected = [(n, r) for n, r in rows if verdict(r) == UNEXPECTED]
    deviations = [(n, r) for n, r in rows if verdict(r) == DEVIATION]
    skipped = [(n, r) for n, r in rows if verdict(r) == SKIPPED]

    out = ["## EndAccept conformance", ""]
    if not reports:
        out.append("No adapter ran.")
    elif unexpected:
        out.append(f"\u274c **{len(unexpected)} unexpected result{'s' if len(unexpected) != 1 else ''}** "
                   f"({_adapters(reports)}, spec {_revisions(reports)})")
    else:
        out.append(f"\u2705 **Every result as expected** ({_adapters(reports)}, {len(rows)} results, "
                   f"spec {_revisions(reports)})")
    out.append("")
    if reports:
        out += _counts_table(reports)
    for name, reason in not_run.items():
        out.append(f"- **{literal(name)}** was not run: {literal(reason)}")
    if not_run:
        out.append("")

    out += _table(f"Unexpected results ({len(unexpected)})",
                  ["Adapter", "Case", "Title", "Observed", "Expected", "Message"],
                  [[literal(n), f"`{r['case_id']}`", literal(r["title"]), f"**{r['status']}**", r["expected_status"],
                    literal(_message(r))] for n, r in unexpected])
    out += _table(f"Expected deviations ({len(deviations)})",
                  ["Adapter", "Case", "Title", "Status", "Why it is expected"],
                  [[literal(n), f"`{r['case_id']}`", literal(r["title"]), r["status"],
                    literal(deviation_reason(r) + (f" ({also_deviates(r)})" if also_deviates(r) else ""))]
                   for n, r in deviations])
    out += _table(f"Skipped ({len(skipped)})", ["Adapter", "Case", "Title", "Reason"],
                  [[literal(n), f"`{r['case_id']}`", literal(r["title"]), literal(_message(r))] for n, r in skipped])
    return "\n".join(out).rstrip("\n") + "\n"


def write_markdown_summary(reports: dict, report_dir: Path, not_run: dict = None) -> Path:
    path = report_dir / SUMMARY_NAME
    write_text_atomically(path, markdown_summary(reports, not_run))
    return path


def _counts_table(reports: dict) -> list:
    header = "| Adapter | Implementation | " + " | ".join(STATUSES) + " | Unexpected | Time |"
    lines = [header, "|---|---|" + "--:|" * (len(STATUSES) + 2)]
    for name, report in reports.items():
        counts = report["summary"]["by_status"]
        shown = [str(counts.get(s, 0)) if counts.get(s, 0) else "\u00b7" for s in STATUSES]
        unexpected = report["summary"]["unexpected"]
        lines.append(f"| **{literal(name)}** | {literal(report['adapter'].get('implementation', '?'))} | "
                     + " | ".join(shown) + f" | {'**' + str(unexpected) + '**' if unexpected else '0'} "
                     f"| {report['run']['duration_ms'] / 1000:.1f} s |")
    return lines + [""]


def _adapters(reports: dict) -> str:
    return f"{len(reports)} adapter{'s' if len(reports) != 1 else ''}"


def _revisions(reports: dict) -> str:
    return ", ".join(sorted({r["spec"]["revision"] for r in reports.values()}))


def _message(result: dict) -> str:
    text = result["message"] or (unexpected_pass_note(result) if result["status"] == PASS else "")
    if also_deviates(result):
        text += f"; {also_deviates(result)}"
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT - 1] + "\u2026"





def _table(heading: str, columns: list, rows: list) -> list:
    """A titled Markdown table; nothing at all when there are no rows."""
    if not rows:
        return []
    lines = [f"### {heading}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]
