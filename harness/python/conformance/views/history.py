"""The history of an implementation: every case across the versions that ran
(adapters naming one `implementation` in adapter.json, each with its
`version`), with the status and observed outcome per version, the version
at which each behavior changed, and the expectation that explains it.

The order of versions comes from adapter.json alone (`version`, dotted
numbers); nothing here or elsewhere parses adapter names."""

from dataclasses import dataclass
from pathlib import Path

from conformance.files import InputError, read_json
from conformance.model.vocabulary import PASS
from conformance.paths import ADAPTERS
from conformance.views.markdown import literal


@dataclass(frozen=True)
class Lineage:
    implementation: str
    adapters: tuple   # adapter names, oldest version first
    versions: tuple   # their adapter.json versions, in the same order


@dataclass(frozen=True)
class Cell:
    status: str
    observed: str     # the failing step's observed outcome ("" when the case passed)


def version_key(version: str, where: str = "adapter.json") -> tuple:
    """"3.1" -> (3, 1): the one reading of a version string."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        raise InputError(f"{where}: /version: '{version}' is not dotted numbers (e.g. 3.1 or 10)") from None


def adapter_identity(name: str, adapters_dir: Path = ADAPTERS) -> dict:
    """The `implementation` and `version` of an in-tree adapter (empty when it names none)."""
    path = adapters_dir / name / "adapter.json"
    if not path.exists():
        return {}
    data = read_json(path)
    return {key: str(data[key]) for key in ("implementation", "version") if key in data}


def lineages(names, adapters_dir: Path = ADAPTERS) -> list:
    """The implementations of which at least two versions are among `names`."""
    by_implementation = {}
    for name in names:
        identity = adapter_identity(name, adapters_dir)
        if "implementation" in identity and "version" in identity:
            where = str(adapters_dir / name / "adapter.json")
            by_implementation.setdefault(identity["implementation"], []).append(
                (version_key(identity["version"], where), name, identity["version"]))
    found = []
    for implementation, members in sorted(by_implementation.items()):
        if len(members) < 2:
            continue
        members.sort()
        found.append(Lineage(implementation, tuple(m[1] for m in members), tuple(m[2] for m in members)))
    return found


def failing_step(result: dict) -> dict:
    for step in result.get("steps", []):
        if not step.get("ok", True):
            return step
    return {}


def cell(result: dict) -> Cell:
    """The status and the observed outcome alone: an exception's message (after
    the outcome, in quotes) and a case's message (which names e.g. the scaled
    deadline) would mark changes that are none."""
    if result is None:
        return None
    if result["status"] == PASS:
        return Cell(PASS, "")
    return Cell(result["status"], failing_step(result).get("observed", "").split(' "')[0])


def cells(lineage: Lineage, reports: dict) -> dict:
    """case id -> [Cell or None per version]."""
    by_case = {}
    for position, name in enumerate(lineage.adapters):
        for result in reports[name]["results"]:
            row = by_case.setdefault(result["case_id"], [None] * len(lineage.adapters))
            row[position] = cell(result)
    return by_case


def changes(row: list) -> list:
    """Positions where the behavior differs from the version before (both ran)."""
    return [i for i in range(1, len(row)) if row[i] and row[i - 1] and row[i] != row[i - 1]]


def since(row: list, position: int) -> int:
    """The first position of the unbroken run of deviations that ends at `position`."""
    first = position
    while first > 0 and row[first - 1] is not None and row[first - 1].status != PASS:
        first -= 1
    return first


def since_by_adapter(lineage: Lineage, reports: dict) -> dict:
    """adapter name -> {case id: the version since which it deviates}."""
    found = {name: {} for name in lineage.adapters}
    for case_id, row in cells(lineage, reports).items():
        for position, name in enumerate(lineage.adapters):
            if row[position] is not None and row[position].status != PASS:
                found[name][case_id] = lineage.versions[since(row, position)]
    return found


def evidence_link(evidence: str) -> str:
    """Evidence as Markdown: a URL as a link, anything else as text."""
    return f"<{evidence}>" if evidence.startswith("http") else literal(evidence)


def explanation(lineage: Lineage, position: int, expectations: dict, case_id: str) -> tuple:
    """Why the behavior changed at `position`, as (reason, evidence): the
    expectation of the version that deviates (the later one; the earlier one,
    marked "No longer", when the deviation ended there)."""
    entry = expectations.get(lineage.adapters[position], {}).get(case_id)
    if entry is not None:
        return entry.get("reason", ""), entry.get("evidence", "")
    entry = expectations.get(lineage.adapters[position - 1], {}).get(case_id)
    if entry is not None:
        return "No longer: " + entry.get("reason", ""), entry.get("evidence", "")
    return "no expectation recorded", ""


def markdown(lineage: Lineage, reports: dict, expectations: dict) -> list:
    """The history of one lineage as Markdown lines; `expectations`: adapter name -> its expectations."""
    rows = cells(lineage, reports)
    header = " | ".join(f"{name} ({literal(reports[name]['adapter'].get('implementation', '?'))})"
                        for name in lineage.adapters)
    lines = [f"### {lineage.implementation}: versions {', '.join(lineage.versions)}", "",
             "Each cell: the status, and the observed outcome of the first failing step. "
             "**Bold**: the behavior changed at this version.", "",
             f"| case | {header} | changed at |", "|---|" + "---|" * len(lineage.adapters) + "---|"]
    always_pass, explained = [], []
    for case_id in sorted(rows):
        row = rows[case_id]
        if all(c is not None and c.status == PASS for c in row):
            always_pass.append(case_id)
            continue
        changed = changes(row)
        shown = []
        for position, c in enumerate(row):
            text = "\u2014" if c is None else c.status + (f": {literal(c.observed)}" if c.observed else "")
            shown.append(f"**{text}**" if position in changed else text)
        at = ", ".join(lineage.versions[p] for p in changed) or "\u2014"
        lines.append(f"| `{case_id}` | " + " | ".join(shown) + f" | {at} |")
        for position in changed:
            before, after = row[position - 1], row[position]
            reason, evidence = explanation(lineage, position, expectations, case_id)
            explained.append(f"- `{case_id}` at {lineage.versions[position]} ({lineage.adapters[position]}): "
                             f"{before.status} \u2192 {after.status}. {literal(reason)}"
                             + (f" {evidence_link(evidence)}" if evidence else ""))
    lines.append("")
    if explained:
        lines += ["What explains each change:", ""] + explained + [""]
    lines += [f"{len(always_pass)} cases pass on every version.", ""]
    return lines
