"""reports/FINDINGS.md: where the real implementations depart from the
documented contract. Generated from the committed snapshot of their latest
runs (reports/snapshot/) and their expectations, never written by hand.

The real implementations are the in-tree adapters whose adapter.json names
an `implementation`. Deviations are grouped by the classification of their
expectation (spec/vocabulary.json, in its order: likely bugs first), each
written so that it can be reported upstream as it stands; then the history
of each implementation that ran at several versions.

`--findings` also writes, into each expectation of a versioned adapter, the
`since` that the history shows (the first version of the unbroken run of
deviating versions); the staleness test covers it like the Markdown."""

import json
import shutil
from pathlib import Path

from conformance.files import InputError, read_json, write_text_atomically
from conformance.model.vocabulary import PASS, SKIP, outcome_words, vocabulary
from conformance.paths import ADAPTERS, REPORTS, SNAPSHOT
from conformance.views import history
from conformance.model.report import also_deviates
from conformance.views.markdown import literal
from conformance.views.reproducer import repro_path


FINDINGS = REPORTS / "FINDINGS.md"
UNCLASSIFIED = "no expectation recorded"


def real_implementations(adapters_dir: Path = ADAPTERS) -> list:
    """In-tree adapters that name an `implementation`, oldest version first within one."""
    names = sorted(path.parent.name for path in adapters_dir.glob("*/adapter.json")
                   if "implementation" in read_json(path))
    ordered = [name for lineage in history.lineages(names, adapters_dir) for name in lineage.adapters]
    return ordered + [name for name in names if name not in ordered]


def refresh_snapshot(report_dir: Path) -> list:
    """Copies the latest reports of the real implementations into the snapshot."""
    names = real_implementations()
    copied = []
    for name in names:
        source = report_dir / f"{name}.json"
        if source.exists():
            SNAPSHOT.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, SNAPSHOT / f"{name}.json")
            copied.append(name)
    if not copied:
        raise InputError(f"{report_dir}: no report of {', '.join(names)} to take findings from; "
                         f"run python3 run_conformance.py --adapter {','.join(names)} first")
    return copied


def snapshot_reports() -> dict:
    reports = {}
    for name in real_implementations():
        path = SNAPSHOT / f"{name}.json"
        if path.exists():
            reports[name] = read_json(path)
    return reports


def _reproducer_link(case_id: str) -> str:
    path = repro_path(case_id)
    return f"[{case_id.split('/')[-1]}.cs]({path.relative_to(REPORTS).as_posix()})" if path.exists() else ""


def _expectations(name: str) -> dict:
    path = ADAPTERS / name / "expectations.json"
    return read_json(path).get("expectations", {}) if path.exists() else {}


def _classification_order() -> list:
    return [c["name"] for c in vocabulary()["classifications"]]


def _runtime(report: dict) -> str:
    return report["adapter"].get("implementation", "?")


def _deviations(reports: dict) -> dict:
    """(classification, implementation, case id, reason) -> [(adapter, result, expectation)], in adapter order."""
    grouped = {}
    for name, report in reports.items():
        expectations = _expectations(name)
        for result in report["results"]:
            if result["status"] in (PASS, SKIP):  # a SKIP says nothing about the implementation
                continue
            entry = expectations.get(result["case_id"], {})
            implementation = history.adapter_identity(name).get("implementation", name)
            key = (entry.get("classification", UNCLASSIFIED), implementation, result["case_id"], entry.get("reason", ""))
            grouped.setdefault(key, []).append((name, result, entry))
    return grouped


def _finding(implementation: str, case_id: str, members: list, reports: dict) -> list:
    first_name, first_result, first_entry = members[0]
    step = history.failing_step(first_result)
    documented = step.get("expected") or PASS
    observed = sorted({history.cell(result).observed for _, result, _ in members})
    passing = [name for name in reports if name not in {m[0] for m in members}
               and history.adapter_identity(name).get("implementation", name) == implementation
               and any(r["case_id"] == case_id and r["status"] == PASS for r in reports[name]["results"])]
    where = ", ".join(f"`{name}` ({literal(_runtime(reports[name]))}, {result['status']})"
                      for name, result, _ in members)
    lines = [f"### {literal(implementation)}: `{case_id}`: {literal(first_result.get('title', ''))}", "",
             f"- **Level**: {first_result['level']} ({', '.join(first_result.get('clause_ids', []))})",
             f"- **Deviates on**: {where}"]
    since = sorted({entry["since"] for _, _, entry in members if entry.get("since")}, key=history.version_key)
    if since:
        lines.append(f"- **Since**: version {since[0]} of the versions that ran")
    if passing:
        lines.append(f"- **Passes on**: {', '.join(f'`{name}`' for name in passing)}")
    words = outcome_words(documented)
    lines += [f"- **Documented**: {literal(words)}" + (f" (`{literal(documented)}`)" if words != documented else ""),
              f"- **Observed**: {'; '.join(f'`{literal(o)}`' if o else '(see the report)' for o in observed)}",
              f"- **Why**: {literal(first_entry.get('reason', UNCLASSIFIED))}"]
    evidence = sorted({entry.get("evidence", "") for _, _, entry in members} - {""})
    if evidence:
        lines.append(f"- **Evidence**: {', '.join(history.evidence_link(e) for e in evidence)}")
    later = sorted({also_deviates(result) for _, result, _ in members} - {""})
    if later:
        lines.append(f"- **Also**: {'; '.join(literal(text) for text in later)}")
    reproducer = _reproducer_link(case_id)
    lines += [f"- **Reproduce**: `python3 run_conformance.py --adapter {first_name} --filter '{case_id}'`"
              + (f"; standalone: {reproducer}" if reproducer else ""), ""]
    return lines


def render_findings() -> str:
    reports = snapshot_reports()
    lines = ["# Findings: real implementations against the documented contract", "",
             "Generated by `python3 run_conformance.py --findings` from the runs snapshotted in",
             "[`reports/snapshot/`](snapshot) and the expectations in `adapters/<name>/expectations.json`.",
             "Do not edit by hand; a test fails when this file is stale.", "",
             "Each finding links its reproducer where one exists: a standalone C# program in [`reports/repro/`](repro)",
             "(plain `System.Net.Sockets` on loopback, no harness) that prints what it observes beside what the contract",
             "says and exits 1 while the runtime deviates; `mcs -langversion:6 -out:r.exe FILE.cs && mono r.exe`,",
             "or build it with the .NET SDK. \"Also\" lists what went wrong after the first failure.", ""]
    if not reports:
        return "\n".join(lines + ["No snapshot yet.", ""])
    lines += ["## The runs", "", "| adapter | runtime | run | cases | statuses |", "|---|---|---|---|---|"]
    for name, report in reports.items():
        counts = ", ".join(f"{n} {s}" for s, n in report["summary"]["by_status"].items() if n)
        lines.append(f"| `{name}` | {literal(_runtime(report))} | {report['run']['started_at'][:10]} on "
                     f"{literal(report['run']['host'].get('os', '?'))} | {report['summary']['total']} | {counts} |")
    lines.append("")
    grouped = _deviations(reports)
    meanings = {c["name"]: c["meaning"] for c in vocabulary()["classifications"]}
    for classification in _classification_order() + [UNCLASSIFIED]:
        keys = sorted(key for key in grouped if key[0] == classification)
        if not keys:
            continue
        lines += [f"## {classification}: {len(keys)} finding(s)", ""]
        if classification in meanings:
            lines += [f"{literal(meanings[classification])}.", ""]
        for key in keys:
            lines += _finding(key[1], key[2], grouped[key], reports)
    lineages = history.lineages(reports)
    if lineages:
        lines += ["## History", ""]
        for lineage in lineages:
            lines += history.markdown(lineage, reports, {name: _expectations(name) for name in lineage.adapters})
    agreed = _all_pass(reports)
    lines += ["## Cases every implementation passes", "",
              f"{len(agreed)} cases pass on " + ", ".join(reports) + ":", ""]
    lines += [f"- `{case}`" for case in agreed]
    lines.append("")
    return "\n".join(lines)


def _all_pass(reports: dict) -> list:
    sets = [{r["case_id"] for r in report["results"] if r["status"] == PASS} for report in reports.values()]
    return sorted(set.intersection(*sets)) if sets else []


def expectations_with_since(reports: dict) -> dict:
    """Path -> the text of each versioned adapter's expectations.json with `since` from the history."""
    texts = {}
    for lineage in history.lineages(reports):
        for name, found in history.since_by_adapter(lineage, reports).items():
            path = ADAPTERS / name / "expectations.json"
            if not path.exists():
                continue
            document = read_json(path)
            for case_id, entry in document.get("expectations", {}).items():
                if case_id in found:
                    entry["since"] = found[case_id]
                else:
                    entry.pop("since", None)
            texts[path] = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return texts


def write_findings() -> Path:
    for path, text in expectations_with_since(snapshot_reports()).items():
        if path.read_text(encoding="utf-8") != text:
            write_text_atomically(path, text)
    write_text_atomically(FINDINGS, render_findings())
    return FINDINGS
