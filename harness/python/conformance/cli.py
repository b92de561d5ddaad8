"""Command line of run_conformance.py: the options, their dispatch, and the
commands that work on reports and docs (--docs, --compare, --render, --merge)."""

import argparse
import os
import signal
import sys
import traceback
from pathlib import Path

from conformance.files import (EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_UNEXPECTED, InputError, InternalError,
    read_json, write_json_atomically)
from conformance.model.catalog import load_catalog
from conformance.model.report import load_report
from conformance.paths import CASES, DEFAULT_BUILD, DEFAULT_REPORT_DIR, SPEC, relative, runner_path
from conformance.run import adapters as adapter_registry
from conformance.run import stopping
from conformance.run.build import ensure_built, run_self_test
from conformance.run.console import print_summary
from conformance.run.merge import merge_reports
from conformance.run.mutants import REFERENCE, kill_matrix
from conformance.run.report_set import ReportSet, check_report_dir
from conformance.run.runner import MOST_SLOTS_PER_CORE, SLOTS_PER_CORE, check_inputs, run_adapters, RunOptions
from conformance.views import history, write_derived_outputs
from conformance.views.compare import run_compare
from conformance.views.contract_docs import write_contract_docs
from conformance.views.findings import refresh_snapshot, write_findings
from conformance.views.reproducer import write_reproducers
from conformance.views.generated import write_generated


EXIT_CODES_HELP = """exit status:
  0  every result as expected (expectations applied)
  1  some result unexpected (a FAIL/TIMEOUT/CRASH/ERROR not in expectations.json, or an unexpected PASS)
  2  bad usage or bad input (case file, expectations, adapter name), with file and JSON pointer
  3  internal error of the suite (build failed, runner crashed)
  129, 130, 143  stopped by SIGHUP, SIGINT, SIGTERM: every child ended, no report touched
"""


def _shard(text: str) -> str:
    parts = text.split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[0]) <= int(parts[1]):
        raise argparse.ArgumentTypeError(f"wants I/N with 1 <= I <= N, e.g. 1/2; got '{text}'")
    return text


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"wants a positive integer, got '{text}'")
    return int(text)


# Beyond this, --repeat is a typing mistake (a day of runs), not a flakiness hunt.
MAX_REPEAT = 1000


def _repetitions(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_REPEAT:
        raise argparse.ArgumentTypeError(f"at most {MAX_REPEAT} repetitions, got {value}")
    return value


def _seed(text: str) -> str:
    if not text.isdigit() or len(text) > 19:
        raise argparse.ArgumentTypeError(f"wants a non-negative integer of at most 19 digits, got '{text}'")
    return text


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"wants a number, got '{text}'") from None
    if not 0.1 <= value <= 100:
        raise argparse.ArgumentTypeError("must be between 0.1 and 100")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run_conformance.py",
        description="Conformance suite for Socket.BeginAccept / Socket.EndAccept(IAsyncResult). "
                    "Builds what is needed, runs every available adapter against every case, writes reports.",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--adapter", metavar="NAME[,NAME]",
                        help="adapters to run, by name or as PATH/adapter.json (default: every available in-tree one)")
    parser.add_argument("--adapter-dir", metavar="PATH", type=Path, action="append", default=[],
                        help="run the adapter whose adapter.json is in PATH, e.g. in your own repository; "
                             "repeatable, combinable with --adapter")
    parser.add_argument("--filter", metavar="GLOB", action="append", default=[],
                        help="run only case ids matching GLOB (e.g. 'disposed/*'); repeatable")
    parser.add_argument("--report-dir", metavar="DIR", type=Path, default=DEFAULT_REPORT_DIR,
                        help=f"where reports go (default: {relative(DEFAULT_REPORT_DIR)})")
    parser.add_argument("--timeout-scale", metavar="F", type=_scale, default=1.0,
                        help="multiply every hold period and deadline by F (slow or loaded machines)")
    parser.add_argument("--jobs", metavar="N", type=_positive_int, default=None,
                        help="cases run concurrently across all adapters (or mutants), each in its own adapter "
                             "process; each adapter's runner gets a share in proportion to its last run's held time "
                             f"(default: {SLOTS_PER_CORE} per core split between the adapters, since cases mostly "
                             "wait, never fewer than the cores each; more, up to "
                             f"{MOST_SLOTS_PER_CORE} per core in all, when the last run's held time and CPU per case "
                             "say the bound would be what the run waits for, e.g. --repeat; --mutants: each mutant "
                             "as many as its last run says keep it from being what the gate waits for)")
    parser.add_argument("--shard", metavar="I/N", type=_shard, help="run only shard I of N (split by case id)")
    parser.add_argument("--repeat", metavar="N", type=_repetitions, default=1,
                        help="run each case N times; differing results make it FLAKY")
    parser.add_argument("--explore", metavar="N", type=_positive_int, default=0,
                        help="run each race case (\"race\": true) up to N times with seeded pauses between the "
                             "harness's steps and before the adapter's calls, until one run fails; the report "
                             "records the seed")
    parser.add_argument("--seed", metavar="S", type=_seed,
                        help="the first seed of --explore (default: a fresh one); with a seed from a report, "
                             "replays that run")
    parser.add_argument("--build-dir", metavar="DIR", type=Path, default=DEFAULT_BUILD, help=argparse.SUPPRESS)
    # The suite's own tests point a run at case tables of their own.
    parser.add_argument("--cases-dir", metavar="DIR", type=Path, default=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--no-build", action="store_true", help="use the existing build as it is")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--list-adapters", action="store_true", help="list adapters and whether they can run here")
    group.add_argument("--list-cases", action="store_true", help="list cases grouped by clause, with titles")
    group.add_argument("--self-test", action="store_true", help="build and run the suite's own tests (CTest + Python)")
    group.add_argument("--mutants", action="store_true",
                       help="mutation gate: run every mutant of the asio reference; exit 1 if any survives")
    group.add_argument("--findings", action="store_true",
                       help="snapshot the latest dotnet/mono reports and regenerate reports/FINDINGS.md")
    group.add_argument("--generate", action="store_true",
                       help="regenerate cases/case.schema.json, cases/STEPS.md, spec/VOCABULARY.md and the vocabulary "
                            "of the report schema from the step declarations and spec/vocabulary.json")
    group.add_argument("--merge", metavar="REPORT", nargs="+", type=Path,
                       help="merge reports of one adapter (e.g. from --shard runs) into REPORT-DIR/<adapter>.json")
    add_report_options(group)  # --docs, --compare, --render
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with usage on bad use
    if args.self_test:  # its unittest runs in this process: Ctrl-C stops it as usual
        return _main(args)
    stopping.install()
    try:
        return _main(args)
    finally:
        # What a runner that died (or was killed by the stop watchdog) left
        # behind became the driver's; nothing of the run outlives it.
        stopping.end_orphans()


def _main(args) -> int:
    try:
        status = _dispatch(args)
        # A stop that came during the last step (its reports were complete) still says so.
        stopping.raise_if_stopped()
        return status
    except stopping.Stopped as stop:
        print(f"{stop}: every process of the run ended; no report written or replaced", file=sys.stderr)
        return stop.exit_status
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    except InternalError as error:
        print(f"internal error: {error}", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:  # the self-test, which keeps Python's own SIGINT handling
        return 128 + signal.SIGINT
    except BrokenPipeError:
        # The reader went away (`| head`): nothing left to say, and Python must
        # not complain again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:  # a file or directory given that cannot be read or written
        print(f"error: {error.filename or ''}: {error.strerror or error}".replace(": : ", ": "), file=sys.stderr)
        return EXIT_INPUT
    except Exception as error:  # the suite's own bug: a sentence; where it is only when asked
        if os.environ.get("ENDACCEPT_TRACEBACK"):
            traceback.print_exc()
        print(f"internal error: {type(error).__name__}: {error} (a bug in the suite; "
              "ENDACCEPT_TRACEBACK=1 shows where)", file=sys.stderr)
        return EXIT_INTERNAL


def _dispatch(args) -> int:
    if args.self_test:
        return run_self_test(args.build_dir)
    report_command_status = run_report_command(args)
    if report_command_status is not None:
        return report_command_status
    registry = adapter_registry.discover()
    # An unknown adapter name is bad usage: say so before building anything.
    chosen = adapter_registry.choose(registry, args.adapter, args.adapter_dir)
    asked_for = bool(args.adapter or args.adapter_dir)
    if args.list_adapters:
        return _list_adapters(chosen, args.build_dir)
    if args.list_cases:
        return _list_cases()
    writes_reports = not (args.generate or args.findings)
    if writes_reports:
        check_report_dir(args.report_dir)  # before anything is built or run
    if args.merge:
        if not args.no_build:
            ensure_built(args.build_dir)
        return _merge(args)
    if not args.no_build:
        ensure_built(args.build_dir)
    if args.generate:
        written = write_generated(args.build_dir)
        print(f"wrote {', '.join(written)}" if written else "every generated file is current")
        return EXIT_OK
    if args.mutants:
        _check_inputs(args, [registry[REFERENCE]])
        with ReportSet(args.report_dir) as report_set:
            status = kill_matrix(registry[REFERENCE], args.build_dir, report_set.staging, args.timeout_scale,
                                 args.jobs, sys.stdout, explore=args.explore, seed=args.seed or "")
            report_set.commit()
        return status
    if args.findings:
        refresh_snapshot(args.report_dir)
        # Both documents are generated from the snapshot; refresh them together.
        reproducers = write_reproducers()
        print(f"wrote {relative(write_findings())} and {relative(write_contract_docs())}"
              + (f"; {', '.join(reproducers)}" if reproducers else ""))
        return EXIT_OK

    selection = _check_inputs(args, chosen)
    skipped = {adapter.name: "; ".join(adapter.missing(args.build_dir)) for adapter in chosen}
    skipped = {name: reason for name, reason in skipped.items() if reason}
    if asked_for and skipped:
        # Asked for and cannot run: one error now, not a CRASH per case and no report replaced.
        raise InputError("; ".join(f"adapter '{name}' cannot run here: {reason}" for name, reason in skipped.items()))
    runnable = [adapter for adapter in chosen if adapter.name not in skipped]
    with ReportSet(args.report_dir) as report_set:
        options = _run_options(args, report_set.staging)
        reports = run_adapters(runnable, options, case_runs=selection["selected"] * args.repeat)
        write_derived_outputs(reports, report_set.staging, skipped)  # JUnit XML, summary.md, index.html
        report_set.commit()
    print_summary(reports, skipped, sys.stdout)
    if reports:
        print(f"reports: {relative(args.report_dir)}/", file=sys.stdout)
    if not reports:
        print("no adapter could run here", file=sys.stderr)
        return EXIT_UNEXPECTED
    return EXIT_UNEXPECTED if any(r["summary"]["unexpected"] for r in reports.values()) else EXIT_OK


def _list_adapters(adapters, build_dir) -> int:
    """Never builds: without a runner to ask, an adapter is unavailable because nothing is built."""
    if not adapters:
        print("no adapters here: give yours with --adapter-dir PATH (the directory holding its adapter.json)")
    for adapter in adapters:
        missing = adapter.missing(build_dir)
        state = "available" if not missing else "unavailable: " + "; ".join(missing)
        where = "" if adapter.in_tree else f" ({adapter.definition})"
        print(f"{adapter.name:8} {state}{where}\n         {adapter.description}")
    return EXIT_OK


def _list_cases() -> int:
    """From the case tables as they are: no build needed (the judge validates them before any run)."""
    catalog = load_catalog()
    for clause in catalog.clauses:
        print(f"{clause['id']} [{clause['level']}] {clause['title']}")
        for case in catalog.cases:
            if clause["id"] in case["clauses"]:
                print(f"    {case['id']:45} [{case['level']}] {case['title']}")
    print(f"{len(catalog.cases)} cases, {len(catalog.clauses)} clauses")
    return EXIT_OK


def _run_options(args, report_dir: Path) -> RunOptions:
    return RunOptions(build_dir=args.build_dir, report_dir=report_dir, timeout_scale=args.timeout_scale,
                      filters=args.filter, shard=args.shard or "", jobs=args.jobs or 0,
                      repeat=args.repeat, explore=args.explore, seed=args.seed or "", cases_dir=args.cases_dir)


def _check_inputs(args, adapters) -> dict:
    """The judge reads and validates every input of the run once, before
    anything runs; a filter that selects nothing is a mistake too."""
    selection = check_inputs(args.build_dir, adapters, _run_options(args, args.report_dir))
    if args.filter and not selection["matching"]:
        example = selection["first_case_id"] or "family/name"
        raise InputError(f"--filter {' '.join(repr(f) for f in args.filter)} matches no case: case ids look like "
                         f"family/name (e.g. '{example}' or '{example.split('/')[0]}/*'); "
                         "GoogleTest names (family.name, '-' as '_') are for the runner's --gtest_filter")
    return selection


def _merge(args) -> int:
    for path in args.merge:
        load_report(path, args.build_dir)  # a readable message for a file that is not a report
    merged = merge_reports(args.build_dir, args.merge)
    name = merged["adapter"]["name"]  # the report schema's adapter name: a plain file name
    with ReportSet(args.report_dir) as report_set:
        write_json_atomically(report_set.staging / f"{name}.json", merged)
        write_derived_outputs({name: merged}, report_set.staging)
        report_set.commit()
    print_summary({name: merged}, {}, sys.stdout)
    return EXIT_UNEXPECTED if merged["summary"]["unexpected"] else EXIT_OK


def add_report_options(group) -> None:
    """Adds the options to `group`, the mutually exclusive group of actions."""
    group.add_argument("--docs", action="store_true",
                       help="regenerate docs/CONTRACT.md from spec/clauses.json, cases/*.json and "
                            "reports/snapshot/*.json (if any)")
    group.add_argument("--history", action="store_true",
                       help="print case x version (status, observed outcome, the version where it changed and why) "
                            "for each implementation whose versions have reports in REPORT-DIR")
    group.add_argument("--repro", action="store_true",
                       help="regenerate reports/repro/<case-id>.cs: a standalone C# program per case with a "
                            "deviation recorded for dotnet or mono (also done by --findings)")
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
    if args.history:
        return _history(args.report_dir)
    if args.repro:
        written = write_reproducers()
        print(f"wrote {', '.join(written)}" if written else "every reproducer is current")
        return EXIT_OK
    if args.compare or args.render:
        # Reports are validated by the judge's own validator: it must be built.
        if not args.no_build:
            ensure_built(args.build_dir)
    if args.compare:
        return run_compare(args.compare[0], args.compare[1], sys.stdout, args.build_dir)
    if args.render:
        check_report_dir(args.report_dir)
        return _render(args.render, args.report_dir, args.build_dir)
    return None


def _history(report_dir: Path) -> int:
    reports = {path.stem: read_json(path) for path in sorted(Path(report_dir).glob("*.json"))
               if path.stem in adapter_registry.discover()}
    found = history.lineages(reports)
    if not found:
        raise InputError(f"{report_dir}: no reports of two versions of one implementation "
                         "(run e.g. python3 run_conformance.py --adapter dotnet3.1,dotnet8,dotnet9,dotnet10 first)")
    for lineage in found:
        # The expectations each run applied, as its report records them.
        applied = {name: {r["case_id"]: r["expectation"] for r in reports[name]["results"] if "expectation" in r}
                   for name in lineage.adapters}
        print("\n".join(history.markdown(lineage, reports, applied)))
    return EXIT_OK


def _render(paths, report_dir: Path, build_dir: Path) -> int:
    reports = {}
    for path in paths:
        report = load_report(path, build_dir)
        name = report["adapter"]["name"]
        if name in reports:
            raise InputError(f"{path}: /adapter/name: a second report of adapter '{name}' "
                             "(merge parts of one adapter with --merge first)")
        reports[name] = report
    with ReportSet(report_dir) as report_set:
        written = [report_dir / path.name for path in write_derived_outputs(reports, report_set.staging)]
        report_set.commit()
    print_summary(reports, {}, sys.stdout)
    print(f"wrote {', '.join(relative(p) for p in written)}")
    return EXIT_UNEXPECTED if any(r["summary"]["unexpected"] for r in reports.values()) else EXIT_OK
