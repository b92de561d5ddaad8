"""--mutants: the suite's power to detect errors. Every implementation whose
adapter.json names a `mutant_env` (the asio reference and the posix
implementation) carries mutants, each breaking one behavior; a mutant no case
fails against has survived, and the suite is too weak there. Mutants are
labelled `<implementation>:<mutant>`.

EA_GATE_MUTANTS (comma-separated labels or bare names) restricts a run to
some mutants, e.g. to measure how often racy ones are killed; such a run
reports kills only, not idle clauses. EA_GATE_ESCALATE sets the explored runs
of the second round (0: none)."""

import json
import os
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conformance.files import EXIT_OK, EXIT_UNEXPECTED, InternalError, read_json, write_json_atomically
from conformance.model.catalog import load_catalog
from conformance.model.vocabulary import KILLING_STATUSES, MUTANT_FAMILIES, OBSERVATION_LEVELS
from conformance.paths import SPEC
from conformance.run import adapters as adapter_registry
from conformance.run import stopping
from conformance.run.console import finished_case
from conformance.run.runner import learned_workload, run_adapter, RunOptions, runners_at_once, slot_shares


REFERENCE = "asio"


def list_mutants(build_dir: Path, implementation: str = REFERENCE) -> dict:
    """mutant name -> its family, as the implementation's --list-mutants prints them."""
    binary = build_dir / "adapters" / implementation / f"endaccept-adapter-{implementation}"
    listing = stopping.run([str(binary), "--list-mutants"], capture_output=True, text=True)
    if listing.returncode != 0:
        raise InternalError(f"{binary} --list-mutants failed: {listing.stderr.strip()}")
    mutants = {}
    for number, line in enumerate(listing.stdout.splitlines(), 1):
        name, _, family = line.strip().partition("\t")
        if family not in MUTANT_FAMILIES:
            raise InternalError(f"{binary} --list-mutants, line {number}: mutant {name!r} has family {family!r}, "
                                f"not one of mutant_families in spec/vocabulary.json")
        mutants[name] = family
    return mutants


def mutant_carriers(reference) -> list:
    """The reference first, then every other adapter with a mutant_env, by name."""
    others = [a for name, a in sorted(adapter_registry.discover().items()) if a.mutant_env and name != reference.name]
    return [reference] + others


def _selected(label: str, mutant: str, wanted: list) -> bool:
    return not wanted or label in wanted or mutant in wanted


# Race cases are explored in the gate: a racy mutant is caught in a bounded
# number of seeded runs rather than by luck. --explore overrides it.
GATE_EXPLORE = 5

# A mutant that every case survives in the first round gets a second one:
# its race cases alone, explored this many times each (a race case's runs
# stop at its first failure, and run in chunks side by side; the mutant's
# whole second round stops at its first kill). Narrow-window
# races are caught by repetition, and only the few survivors pay for it; a
# mutant known-survivors.json lists as a survivor (no case can kill it, and
# the first round would report it killed) does not.
GATE_ESCALATE = 100


def escalation() -> int:
    """Explored runs of the second round; EA_GATE_ESCALATE=0 skips it (e.g. under ThreadSanitizer, where it would take long)."""
    text = os.environ.get("EA_GATE_ESCALATE", "")
    if not text:
        return GATE_ESCALATE
    if not text.isdigit():
        raise InternalError(f"EA_GATE_ESCALATE must be a whole number of runs, not {text!r}")
    return int(text)

# Cases one mutant's runner keeps going at once, at most.
GATE_RUNNER_JOBS = 32


def kill_matrix(adapter, build_dir: Path, report_dir: Path, timeout_scale: float, jobs, stream,
                explore: int = 0, seed: str = "") -> int:
    catalog = read_json(SPEC / "clauses.json")
    mutant_dir = report_dir / "mutants"
    wanted = [w.strip() for w in os.environ.get("EA_GATE_MUTANTS", "").split(",") if w.strip()]
    carriers = mutant_carriers(adapter)
    runs = []  # (label, implementation adapter, mutant)
    family_of = {}
    for carrier in carriers:
        for mutant, family in list_mutants(build_dir, carrier.name).items():
            label = f"{carrier.name}:{mutant}"
            if _selected(label, mutant, wanted):
                runs.append((label, carrier, mutant))
                family_of[label] = family
    mutants = [label for label, _, _ in runs]
    # One seed for the whole gate, printed, so a kill found by exploration can be replayed.
    gate_seed = seed or str(random.randrange(10 ** 9))

    # The whole mutant x case matrix at once: every mutant's runner starts
    # together, each with its share of the slots, so the cases that only
    # wait (a mutant killed by TIMEOUT waits out its deadline) overlap. With
    # jobs 1 it is the serial gate: one mutant after the other, one case at a time.
    unkillable = known_survivors(carriers)
    escalate_runs = escalation()
    cases = load_catalog().cases
    race_cases = [case["id"] for case in cases if case.get("race")]
    # Without --jobs, each mutant's runner gets as many cases at once as its
    # last run says keep it from being what the gate waits for
    # (runner.slot_shares); with --jobs, a share of them.
    cores = os.cpu_count() or 1
    workloads = [learned_workload(build_dir, carrier.name, len(cases), mutant) for _, carrier, mutant in runs]
    # --jobs below the number of mutants: that many runners at a time, one case each.
    at_once = runners_at_once(len(runs), jobs or 0)
    shares = slot_shares(workloads, cores, GATE_RUNNER_JOBS, total=jobs or 0)
    jobs_of = {label: share for (label, _, _), share in zip(runs, shares)}
    # A racy mutant's held time is no measure of its next one: which of its
    # race runs hang (each waiting out a 10 s deadline) changes from run to
    # run (posix:wake-before-queue held 60 s in one gate, 182 s in the next,
    # and took 59 s on the 4 cases its last run had asked for).
    racy = racy_mutants(carriers)
    if not jobs:
        jobs_of.update({label: GATE_RUNNER_JOBS for label in jobs_of if label in racy})
    escalated = {}
    # The gate reads each case's status, which is its first deviation's: a
    # case that has deviated ends there (first_deviation_only) instead of
    # waiting out the deadlines of a mutant's later steps.
    def first_round(label, carrier, mutant, watch=None):
        options = RunOptions(build_dir=build_dir, report_dir=mutant_dir / carrier.name,
                             timeout_scale=timeout_scale, jobs=jobs_of[label], mutant=mutant,
                             report_name=f"{mutant}.json", quiet=True, first_deviation_only=True,
                             explore=explore or GATE_EXPLORE, seed=seed or gate_seed)
        return run_adapter(carrier, options, watch=watch)

    def second_round_options(label, carrier, mutant):
        # A search of up to 100 runs per race case, for the few mutants the
        # first round missed, mostly while other first rounds end: wider
        # than a first-round share (with --jobs, the share, which keeps the bound).
        return RunOptions(build_dir=build_dir, report_dir=mutant_dir / carrier.name,
                          timeout_scale=timeout_scale, jobs=jobs_of[label] if jobs else GATE_RUNNER_JOBS,
                          mutant=mutant, report_name=f"{mutant}.escalated.json", quiet=True, filters=race_cases,
                          first_deviation_only=True, explore=escalate_runs, seed=seed or gate_seed,
                          stop_at_first_failure=True)

    def second_round(label, carrier, mutant):
        return run_adapter(carrier, second_round_options(label, carrier, mutant))

    def run(entry):
        # A mutant's second round starts as soon as its own first round
        # has ended, while other mutants' first rounds still run (it
        # used to wait for every first round): the same runs, seeds and
        # verdicts, without the idle tail between the rounds.
        label, carrier, mutant = entry
        searched = bool(race_cases and escalate_runs and label not in unkillable)
        if searched and label in racy and not jobs:
            # A racy mutant's second round starts once its first round's
            # race cases have ended without a kill, beside the rest of that
            # round (which still waits out blocks/long-wait's 6 s hold). Not
            # with --jobs: the two rounds at once would hold twice its share.
            searched_with = second_round_options(label, carrier, mutant)
            early = EarlySecondRound(race_cases, lambda: run_adapter(carrier, searched_with),
                                     searched_with.report_dir / searched_with.report_name)
            first = first_round(label, carrier, mutant, watch=early.watch)
            return label, first, early.outcome(first_killed=bool(_killers(first)))
        first = first_round(label, carrier, mutant)
        second = second_round(label, carrier, mutant) if searched and not _killers(first) else None
        return label, first, second

    reports = {}
    with ThreadPoolExecutor(max_workers=max(1, at_once)) as pool:
        for label, first, second in pool.map(run, runs):
            reports[label] = first
            if second is not None:
                escalated[label] = second

    matrix = {}
    for label, carrier, mutant in runs:
        killers = _killers(reports[label]) or _killers(escalated.get(label))
        matrix[label] = {"implementation": carrier.name, "mutant": mutant, "family": family_of[label],
                         "killed_by": [r["case_id"] for r in killers],
                         "statuses": {r["case_id"]: r["status"] for r in killers},
                         "clauses": sorted({c for r in killers for c in r["clause_ids"]}),
                         "round": 1 if label not in escalated else 2}
    survivors = [m for m in mutants if not matrix[m]["killed_by"]]
    known = known_survivors(carriers)
    # A survivor is a blind spot of the cases; one that is written down with
    # its reason (and the case or harness feature it waits for) is known, and
    # one that is killed again must leave the list, like a stale expectation.
    unexplained = [m for m in survivors if m not in known and m not in racy]
    now_killed = [] if wanted else sorted(m for m in known if m in matrix and matrix[m]["killed_by"])
    by_clause = {c["id"]: sorted(m for m in mutants if c["id"] in matrix[m]["clauses"]) for c in catalog["clauses"]}
    idle_clauses = [] if wanted else [
        c["id"] for c in catalog["clauses"] if c["level"] not in OBSERVATION_LEVELS and not by_clause[c["id"]]]
    sole_killers = {}
    for mutant in mutants:
        if len(matrix[mutant]["killed_by"]) == 1:
            sole_killers.setdefault(matrix[mutant]["killed_by"][0], []).append(mutant)
    implementations = {}
    for carrier in carriers:
        own = [m for m in mutants if matrix[m]["implementation"] == carrier.name]
        lost = [m for m in own if m in survivors]
        implementations[carrier.name] = {"mutants": len(own), "killed": len(own) - len(lost), "survivors": lost}

    families = {}
    for family in MUTANT_FAMILIES:
        members = [m for m in mutants if matrix[m]["family"] == family]
        if members:
            lost = [m for m in members if m in survivors]
            families[family] = {"mutants": len(members), "killed": len(members) - len(lost), "survivors": lost}

    summary = {"reference": REFERENCE, "families": families, "explore": explore or GATE_EXPLORE, "escalate": escalate_runs,
               "escalated": sorted(escalated), "seed": int(gate_seed), "implementations": implementations, "selected_only": wanted,
               "mutants": len(mutants), "killed": len(mutants) - len(survivors),
               "survivors": survivors, "known_survivors": {m: known[m] for m in survivors if m in known},
               "racy": {m: {"killed": bool(matrix[m]["killed_by"]), "why": racy[m]} for m in racy if m in matrix},
               "unexplained_survivors": unexplained, "known_but_killed": now_killed, "matrix": matrix, "mutants_by_clause": by_clause,
               "clauses_killing_nothing": idle_clauses, "sole_killers": sole_killers}
    write_json_atomically(report_dir / "mutants.json", summary)

    width = max(len(m) for m in mutants) if mutants else 10
    print(f"{'mutant':{width}}  killed by", file=stream)
    for mutant in mutants:
        killers = matrix[mutant]["killed_by"]
        shown = ", ".join(f"{case} ({matrix[mutant]['statuses'][case]})" for case in killers[:4])
        more = f" +{len(killers) - 4} more" if len(killers) > 4 else ""
        second = " (second round)" if killers and matrix[mutant]["round"] == 2 else ""
        print(f"{mutant:{width}}  {shown + more + second if killers else 'SURVIVED'}", file=stream)
    print("\nclause                 mutants killed", file=stream)
    for clause in catalog["clauses"]:
        print(f"{clause['id']:22} [{clause['level']:6}] {', '.join(by_clause[clause['id']]) or '-'}", file=stream)
    print("\nfamily           killed  survivors", file=stream)
    for family, figures in families.items():
        print(f"{family:16} {figures['killed']:>3}/{figures['mutants']:<3} {', '.join(figures['survivors']) or '-'}", file=stream)
    print("", file=stream)
    for name, figures in implementations.items():
        if figures["mutants"]:
            print(f"{name}: {figures['killed']} of {figures['mutants']} mutants killed", file=stream)
    print(f"{len(mutants) - len(survivors)} of {len(mutants)} mutants killed", file=stream)
    if survivors:
        print(f"survived: {', '.join(survivors)}", file=stream)
    for mutant in (m for m in mutants if m in racy):
        print(f"racy {mutant}: {'killed' if matrix[mutant]['killed_by'] else 'survived'} this run", file=stream)
    if survivors and not unexplained:
        print(f"every survivor is a known blind spot ({len(survivors)}, see adapters/<implementation>/"
              "known-survivors.json and mutants.md)", file=stream)
    if unexplained:
        print(f"survivors not explained in known-survivors.json: {', '.join(unexplained)}", file=stream)
    if now_killed:
        print(f"killed now, remove from known-survivors.json: {', '.join(now_killed)}", file=stream)
    if idle_clauses:
        print(f"MUST/SHOULD clauses that kill no mutant: {', '.join(idle_clauses)}", file=stream)
    print(f"sole killers: {json.dumps(sole_killers, sort_keys=True)}", file=stream)
    print(f"race cases explored {explore or GATE_EXPLORE} times from seed {gate_seed}, and {escalate_runs} times "
          f"for the {len(escalated)} mutant(s) the first round did not kill "
          f"(replay: --mutants --seed {gate_seed})", file=stream)
    return EXIT_UNEXPECTED if unexplained or now_killed or idle_clauses else EXIT_OK


class EarlySecondRound:
    """A racy mutant's second round, started as soon as the first round's
    lines say that every one of `race_cases` has ended without a killing
    status (`watch` reads them; an INFO case's failure, which is no kill,
    only keeps it from starting early). Its outcome is what the rounds one after the
    other give: none when the first round killed the mutant after all (an
    early round's report, at `report`, is removed), else the second
    round's report (run then, if the race cases' lines never came)."""

    def __init__(self, race_cases, start, report: Path):
        self.waiting = set(race_cases)
        self.start = start
        self.report = report
        self.lock = threading.Lock()
        self.thread = None
        self.killed = False
        self.result = None
        self.error = None

    def watch(self, line: str) -> None:
        ended = finished_case(line)
        if ended is None:
            return
        status, case_id = ended
        with self.lock:
            if self.killed or self.thread is not None or case_id not in self.waiting:
                return
            if status in KILLING_STATUSES:
                self.killed = True
                return
            self.waiting.discard(case_id)
            if not self.waiting:
                self.thread = threading.Thread(target=self._run)
                self.thread.start()

    def _run(self) -> None:
        try:
            self.result = self.start()
        except BaseException as error:  # re-raised by outcome(), in the gate's thread
            self.error = error

    def outcome(self, first_killed: bool):
        with self.lock:
            thread = self.thread
            self.killed = self.killed or thread is None  # no later line starts it now
        if thread is None:
            return None if first_killed else self.start()
        thread.join()
        if self.error is not None:
            raise self.error
        if first_killed:
            self.report.unlink(missing_ok=True)
            return None
        return self.result


def _killers(report) -> list:
    # INFO cases never fail a run, so they cannot count as detecting a mutant either.
    if not report:
        return []
    return [r for r in report["results"] if r["status"] in KILLING_STATUSES and r["level"] not in OBSERVATION_LEVELS]


def _listed(carriers, section: str) -> dict:
    listed = {}
    for carrier in carriers:
        path = Path(carrier.directory) / "known-survivors.json"
        if path.exists():
            for mutant, reason in read_json(path).get(section, {}).items():
                listed[f"{carrier.name}:{mutant}"] = reason
    return listed


def known_survivors(carriers) -> dict:
    """label -> why it survives, from each implementation's known-survivors.json."""
    return _listed(carriers, "survivors")


def racy_mutants(carriers) -> dict:
    """label -> why its fate depends on scheduling; such a mutant fails the gate neither way."""
    return _listed(carriers, "racy")
