"""The clause catalog (spec/clauses.json) and the case tables (cases/*.json),
read as plain data for the views that explain results: the HTML report and
docs/CONTRACT.md. The C++ judge validates both before any run; here they are
only read, so a view never disagrees with what was judged."""

from dataclasses import dataclass
from pathlib import Path

from conformance.files import read_json
from conformance.paths import CASES, SPEC


CASE_SCHEMA = CASES / "case.schema.json"


@dataclass
class Catalog:
    revision: str
    source_title: str
    levels: dict  # level -> what it means
    clauses: list  # clause dicts, in catalog order
    cases: list  # case dicts, in file order then row order; each with "file"

    def __post_init__(self):
        # Views look cases and clauses up once per row: by id, not by scan.
        self._clauses = {clause["id"]: clause for clause in self.clauses}
        self._cases = {case["id"]: case for case in self.cases}

    def clause(self, clause_id: str) -> dict:
        """The clause, or a stand-in naming only its id (a report may come
        from another spec revision)."""
        return self._clauses.get(clause_id) or {"id": clause_id, "level": "", "title": "", "statement": "",
                                                "section": ""}

    def case(self, case_id: str):
        return self._cases.get(case_id)

    def cases_of(self, clause_id: str) -> list:
        """Cases whose first (primary) clause is `clause_id`: each case is
        shown once, under the clause it was written for."""
        return [c for c in self.cases if c["clauses"][0] == clause_id]

    def also_checked_by(self, clause_id: str) -> list:
        """Cases that check `clause_id` as a secondary clause."""
        return [c for c in self.cases if clause_id in c["clauses"][1:]]


def load_catalog(spec_file: Path = SPEC / "clauses.json", cases_dir: Path = CASES) -> Catalog:
    spec = read_json(spec_file)
    cases = []
    for table in sorted(cases_dir.glob("*.json")):
        if table == cases_dir / CASE_SCHEMA.name:
            continue
        for case in read_json(table).get("cases", []):
            cases.append(dict(case, file=f"cases/{table.name}"))
    return Catalog(revision=spec.get("spec_revision", ""), source_title=spec.get("source", {}).get("title", ""),
                   levels=spec.get("levels", {}), clauses=spec.get("clauses", []), cases=cases)


def step_ops() -> list:
    """Every step op the case schema allows (the vocabulary a renderer must cover)."""
    return read_json(CASE_SCHEMA)["definitions"]["step"]["properties"]["op"]["enum"]
