"""--mutants: the suite's power to detect errors. Every mutant of the asio
reference adapter breaks one behavior; a mutant no case fails against has
survived, and the suite is too weak there."""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import EXIT_OK, EXIT_UNEXPECTED, InternalError
from .jsonio import read_json, write_json_atomically
from .runner import RunOptions, run_adapter
from .vocabulary import KILLING_STATUSES, OBSERVATION_LEVELS

REFERENCE = "asio"


def list_mutants(build_dir: Path) -> list:
    binary = build_dir / "adapters" / REFERENCE / f"endaccept-adapter-{REFERENCE}"
    listing = subprocess.run([str(binary), "--list-mutants"], capture_output=True, text=True)
    if listing.returncode != 0:
        raise InternalError(f"{binary} --list-mutants failed: {listing.stderr.strip()}")
    return [line.strip() for line in listing.stdout.splitlines() if line.strip()]


def kill_matrix(adapter, build_dir: Path, report_dir: Path, timeout_scale: float, jobs: int, stream) -> int:
    mutants = list_mutants(build_dir)
    catalog = read_json(Path(__file__).resolve().parents[3] / "spec" / "clauses.json")
    mutant_dir = report_dir / "mutants"

    def run(mutant):
        options = RunOptions(build_dir=build_dir, report_dir=mutant_dir, timeout_scale=timeout_scale, jobs=1,
                             mutant=mutant, report_name=f"{mutant}.json", quiet=True)
        return mutant, run_adapter(adapter, options)

    # Each mutant's run is serial inside; mutants run side by side.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        reports = dict(pool.map(run, mutants))

    matrix = {}
    for mutant in mutants:
        # INFO cases never fail a run, so they cannot count as detecting a mutant either.
        killers = [r for r in reports[mutant]["results"] if r["status"] in KILLING_STATUSES and r["level"] not in OBSERVATION_LEVELS]
        matrix[mutant] = {"killed_by": [r["case_id"] for r in killers],
                          "statuses": {r["case_id"]: r["status"] for r in killers},
                          "clauses": sorted({c for r in killers for c in r["clause_ids"]})}
    survivors = [m for m in mutants if not matrix[m]["killed_by"]]
    by_clause = {c["id"]: sorted(m for m in mutants if c["id"] in matrix[m]["clauses"]) for c in catalog["clauses"]}
    idle_clauses = [c["id"] for c in catalog["clauses"] if c["level"] in ("MUST", "SHOULD") and not by_clause[c["id"]]]
    sole_killers = {}
    for mutant in mutants:
        if len(matrix[mutant]["killed_by"]) == 1:
            sole_killers.setdefault(matrix[mutant]["killed_by"][0], []).append(mutant)

    summary = {"reference": REFERENCE, "mutants": len(mutants), "killed": len(mutants) - len(survivors),
               "survivors": survivors, "matrix": matrix, "mutants_by_clause": by_clause,
               "clauses_killing_nothing": idle_clauses, "sole_killers": sole_killers}
    write_json_atomically(report_dir / "mutants.json", summary)

    width = max(len(m) for m in mutants) if mutants else 10
    print(f"{'mutant':{width}}  killed by", file=stream)
    for mutant in mutants:
        killers = matrix[mutant]["killed_by"]
        shown = ", ".join(f"{case} ({matrix[mutant]['statuses'][case]})" for case in killers[:4])
        more = f" +{len(killers) - 4} more" if len(killers) > 4 else ""
        print(f"{mutant:{width}}  {shown + more if killers else 'SURVIVED'}", file=stream)
    print("\nclause                 mutants killed", file=stream)
    for clause in catalog["clauses"]:
        print(f"{clause['id']:22} [{clause['level']:6}] {', '.join(by_clause[clause['id']]) or '-'}", file=stream)
    print(f"\n{len(mutants) - len(survivors)} of {len(mutants)} mutants killed", file=stream)
    if survivors:
        print(f"survived: {', '.join(survivors)}", file=stream)
    if idle_clauses:
        print(f"MUST/SHOULD clauses that kill no mutant: {', '.join(idle_clauses)}", file=stream)
    print(f"sole killers: {json.dumps(sole_killers, sort_keys=True)}", file=stream)
    return EXIT_UNEXPECTED if survivors or idle_clauses else EXIT_OK
