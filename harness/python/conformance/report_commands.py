"""The command-line options that work on reports and documentation rather
than running adapters: --docs, --compare and --render. Kept out of cli.py so
the main command line changes by two calls only."""

import sys
from pathlib import Path

from .compare import run_compare
from .contract_docs import write_contract_docs
from .derived_outputs import write_derived_outputs
from .errors import EXIT_OK, EXIT_UNEXPECTED, InputError
from .paths import relative
from .report_files import load_report
from .summary import print_summary


def add_report_options(group) -> None:
    """Adds the options to `group`, the mutually exclusive group of actions."""
    group.add_argument("--docs", action="store_true",
                       help="regenerate docs/CONTRACT.md from spec/clauses.json, cases/*.json and "
                            "reports/snapshot/*.json (if any)")
    group.add_argument("--compare", metavar=("OLD", "NEW"), nargs=2, type=Path,
                       help="show the cases whose status changed between two reports (two runs of one adapter, "
                            "or two adapters); exit status 1 when NEW has an unexpected result OLD has not")
    group.add_argument("--render", metavar="REPORT", nargs="+", type=Path,
                       help="write the JUnit XML, summary.md and index.html of existing reports into REPORT-DIR "
                            "(e.g. combine adapters run by separate CI jobs); exit status as for a run")


def run_report_command(args):
    """Runs the option given, returning its exit status; None when none was given."""
    if args.docs:
        path = write_contract_docs()
        print(f"wrote {relative(path)}")
        return EXIT_OK
    if args.compare:
        return run_compare(args.compare[0], args.compare[1], sys.stdout)
    if args.render:
        return _render(args.render, args.report_dir)
    return None


def _render(paths, report_dir: Path) -> int:
    reports = {}
    for path in paths:
        report = load_report(path)
        name = report["adapter"]["name"]
        if name in reports:
            raise InputError(f"{path}: /adapter/name: a second report of adapter '{name}' "
                             "(merge parts of one adapter with --merge first)")
        reports[name] = report
    written = write_derived_outputs(reports, report_dir)
    print_summary(reports, {}, sys.stdout)
    print(f"wrote {', '.join(relative(p) for p in written)}")
    return EXIT_UNEXPECTED if any(r["summary"]["unexpected"] for r in reports.values()) else EXIT_OK
