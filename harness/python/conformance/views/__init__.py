"""Everything written next to the JSON reports after a run, --merge or
--render: JUnit XML per adapter, summary.md and index.html. One entry point,
so the command line has one call to make and the views never drift apart."""

from pathlib import Path

from conformance.views.html import write_html_report
from conformance.views.junit import write_junit
from conformance.views.summary_md import write_markdown_summary


def write_derived_outputs(reports: dict, report_dir: Path, not_run: dict = None) -> list:
    """`reports`: adapter name -> report (column order of the HTML matrix);
    `not_run`: adapter name -> why it did not run. Returns the paths written."""
    written = [write_junit(report, report_dir) for report in reports.values()]
    written.append(write_markdown_summary(reports, report_dir, not_run))
    written.append(write_html_report(reports, report_dir, not_run))
    return written
