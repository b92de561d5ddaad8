"""--compare OLD.json NEW.json: what changed between two reports.

Two uses, one rule:
  * the same adapter at two times (a regression check in CI): OLD is the
    baseline, NEW the candidate;
  * two adapters of the same run (a diff of implementations): OLD is the
    reference implementation, NEW the one being examined.
Exit status 1 when NEW has an unexpected result that OLD does not have (a
case unexpected in NEW and absent or not unexpected in OLD); else 0, also
when statuses changed in ways both reports expect. Each report's
`unexpected` is judged against its own adapter's expectations, so across
adapters the rule reads "NEW falls short of its expectations where OLD did
not". Unreadable or invalid files: exit status 2 with the file and pointer.
"""

import os
from dataclasses import dataclass, field

from conformance.files import EXIT_OK, EXIT_UNEXPECTED
from conformance.model.report import load_report
from conformance.model.vocabulary import PASS
from conformance.paths import DEFAULT_BUILD
from conformance.run.console import color


@dataclass
class Change:
    case_id: str
    title: str
    old: dict = None  # the result in OLD, None when the case is new
    new: dict = None  # the result in NEW, None when the case was removed

    @property
    def newly_unexpected(self) -> bool:
        return self.new is not None and self.new["unexpected"] and not (self.old and self.old["unexpected"])

    @property
    def is_regression(self) -> bool:
        if self.old is None or self.new is None:
            return self.newly_unexpected
        return (self.old["status"] == PASS and self.new["status"] != PASS) or self.newly_unexpected

    @property
    def is_improvement(self) -> bool:
        if self.old is None or self.new is None or self.is_regression:
            return False
        return (self.old["status"] != PASS and self.new["status"] == PASS) or \
               (self.old["unexpected"] and not self.new["unexpected"])


@dataclass
class Comparison:
    old: dict
    new: dict
    regressions: list = field(default_factory=list)
    improvements: list = field(default_factory=list)
    other_changes: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def newly_unexpected(self) -> list:
        return [c for c in self.regressions + self.added if c.newly_unexpected]

    @property
    def exit_status(self) -> int:
        return EXIT_UNEXPECTED if self.newly_unexpected else EXIT_OK


def compare_reports(old: dict, new: dict) -> Comparison:
    comparison = Comparison(old=old, new=new)
    old_results = {r["case_id"]: r for r in old["results"]}
    new_results = {r["case_id"]: r for r in new["results"]}
    for case_id in sorted(old_results.keys() | new_results.keys()):
        before, after = old_results.get(case_id), new_results.get(case_id)
        change = Change(case_id, (after or before)["title"], before, after)
        if before is None:
            comparison.added.append(change)
        elif after is None:
            comparison.removed.append(change)
        elif change.is_regression:
            comparison.regressions.append(change)
        elif change.is_improvement:
            comparison.improvements.append(change)
        elif before["status"] != after["status"] or before["unexpected"] != after["unexpected"]:
            comparison.other_changes.append(change)
        else:
            comparison.unchanged += 1
    return comparison


def run_compare(old_path, new_path, stream, build_dir=DEFAULT_BUILD) -> int:
    comparison = compare_reports(load_report(old_path, build_dir), load_report(new_path, build_dir))
    try:
        print_comparison(comparison, stream)
    except BrokenPipeError:
        # `--compare ... | head`: the reader has seen enough; the verdict
        # stands. Point the stream at /dev/null so the interpreter's final
        # flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    return comparison.exit_status


def print_comparison(comparison: Comparison, stream) -> None:
    old, new = comparison.old, comparison.new
    if old["adapter"]["name"] == new["adapter"]["name"]:
        print(f"comparing two runs of {new['adapter']['name']}: OLD {_identity(old)}  ->  NEW {_identity(new)}",
              file=stream)
    else:
        print(f"comparing implementations: OLD {old['adapter']['name']} {_identity(old)}  vs  "
              f"NEW {new['adapter']['name']} {_identity(new)}", file=stream)
    if old["spec"]["revision"] != new["spec"]["revision"]:
        print(f"note: spec revisions differ ({old['spec']['revision']} -> {new['spec']['revision']}); "
              "cases may have changed meaning", file=stream)
    width = max([len(c.case_id) for c in _all_changes(comparison)] + [10])
    sections = (("Regressions", comparison.regressions), ("Other changes", comparison.other_changes),
                ("Improvements", comparison.improvements), ("Only in NEW", comparison.added),
                ("Only in OLD", comparison.removed))
    for heading, changes in sections:
        if not changes:
            continue
        print(f"\n{heading} ({len(changes)}):", file=stream)
        for change in changes:
            print(f"  {change.case_id:{width}}  {_transition(change, stream)}", file=stream)
            detail = (change.new or change.old)["message"] if (change.new or change.old)["status"] != PASS else ""
            if detail:
                print(f"  {'':{width}}  {detail}", file=stream)
    print("", file=stream)
    print(_verdict_line(comparison), file=stream)


def _all_changes(comparison):
    return (comparison.regressions + comparison.other_changes + comparison.improvements + comparison.added
            + comparison.removed)


def _identity(report) -> str:
    return f"({report['adapter'].get('implementation', '?')}, {report['run']['started_at']})"


def _describe(result, stream) -> str:
    text = color(result["status"], result["status"], stream)
    if result["unexpected"]:
        text += f" (unexpected, expected {result['expected_status']})"
    elif result["status"] != PASS and result["status"] == result["expected_status"]:
        text += " (expected)"
    return text


def _transition(change: Change, stream) -> str:
    if change.old is None:
        text = f"new case: {_describe(change.new, stream)}"
    elif change.new is None:
        text = f"was {_describe(change.old, stream)}, no longer run"
    else:
        text = f"{_describe(change.old, stream)} -> {_describe(change.new, stream)}"
    if change.newly_unexpected:
        text += "  [NEWLY UNEXPECTED]"
    return text


def _verdict_line(comparison: Comparison) -> str:
    changed = len(_all_changes(comparison))
    if not changed:
        return f"no change: {comparison.unchanged} case(s) with the same status in both reports"
    counts = (f"{changed} change(s): {len(comparison.regressions)} regression(s), "
              f"{len(comparison.improvements)} improvement(s), {len(comparison.other_changes)} other, "
              f"{len(comparison.added)} only in NEW, {len(comparison.removed)} only in OLD; "
              f"{comparison.unchanged} unchanged")
    newly = comparison.newly_unexpected
    if newly:
        return counts + f"\n{len(newly)} newly unexpected result(s) in NEW: exit status 1"
    return counts + "\nno newly unexpected result in NEW: exit status 0"
