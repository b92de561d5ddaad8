"""The per-adapter summary printed at the end of a run."""

from .progress import color
from .vocabulary import STATUSES


def print_summary(reports: dict, skipped: dict, stream) -> None:
    """`reports`: adapter name -> report; `skipped`: adapter name -> reason."""
    for name, report in reports.items():
        adapter = report["adapter"]
        counts = report["summary"]["by_status"]
        shown = ", ".join(f"{counts[status]} {status}" for status in STATUSES if counts.get(status))
        print(f"{name} ({adapter.get('implementation', '?')}): {shown}; "
              f"{report['summary']['unexpected']} unexpected; {report['run']['duration_ms'] / 1000:.1f} s", file=stream)
        for result in report["results"]:
            if result["unexpected"]:
                print(f"  {color(result['status'], result['status'], stream)} {result['case_id']} "
                      f"(expected {result['expected_status']}): {result['message']}", file=stream)
    for name, reason in skipped.items():
        print(f"{name}: not run: {reason}", file=stream)
