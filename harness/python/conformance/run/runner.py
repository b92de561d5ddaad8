"""Runs the C++ judge: one runner per adapter, all adapters at once, each
runner with a pool of its own, together bounded by --jobs concurrent
cases or sized from the last run's workload; writes each adapter's report."""

import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from conformance.files import InputError, InternalError, read_json, runner_input_error, write_json_atomically
from conformance.paths import CASES, ROOT, SPEC, runner_path
from conformance.run import console as progress
from conformance.run import stopping
from conformance.run.merge import merge_reports


@dataclass
class RunOptions:
    build_dir: Path
    report_dir: Path
    timeout_scale: float = 1.0
    filters: list = field(default_factory=list)
    shard: str = ""
    jobs: int = 0  # cases running at once: one runner's pool; for run_adapters, all runners' (0: learned)
    repeat: int = 1
    mutant: str = ""
    explore: int = 0  # runs of each race case (the runner's --explore)
    seed: str = ""  # the first seed (--seed): replays an exploration
    report_name: str = ""  # default: <adapter>.json
    stop_at_first_failure: bool = False  # a search for one failure (the gate's second round), not a verdict
    first_deviation_only: bool = False  # each case ends at its first deviation: the verdict only (the gate)
    quiet: bool = False
    cases_dir: Path = CASES


# Cases mostly wait (holds, deadlines, process start), so a run keeps many
# more cases going than there are cores: this many per core by default.
SLOTS_PER_CORE = 8


def default_slots() -> int:
    return SLOTS_PER_CORE * (os.cpu_count() or 1)


# A workload that mostly waits (--repeat of a 6 s hold, the gate's TIMEOUT
# kills) gets more slots than the default, sized from what the last run of
# each adapter learned (workload_slots), up to this many per core.
MOST_SLOTS_PER_CORE = 64
# Cases are not packed perfectly (a long hold keeps its slot while the short
# cases beside it come and go), so a workload gets this many times the slots
# that perfect packing would need.
PACKING = 2


@dataclass
class Workload:
    """What one runner will do, as its last run measured it: `runs` case
    runs (each repetition counted), each holding a slot `held_ms` on average
    and costing `cpu_ms` of CPU (the runner's and its adapter's), the
    longest holding one `longest_ms`."""
    runs: int
    held_ms: float
    cpu_ms: float
    longest_ms: float


def learned_workload(build_dir: Path, adapter_name: str, runs: int, mutant: str = ""):
    """The Workload of `runs` case runs of this adapter (or mutant) from the
    runner's duration history (build/case-durations/): each case's least
    recorded duration; None before its first run."""
    name = f"{adapter_name}.{mutant}.json" if mutant else f"{adapter_name}.json"
    try:
        history = read_json(Path(build_dir) / "case-durations" / name)
    except (InputError, OSError):
        return None
    # The history is a cache the runner writes: anything unexpected in it
    # means "nothing learned", never a failed run.
    if not isinstance(history, dict):
        return None
    # The least each case ever took, not the last: a contended run's times
    # would size the next run for more slots, hence more contention
    # (scheduler.hpp, DurationHistory). A history by an older runner has
    # only the last.
    recorded = history.get("least_ms", history.get("last_ms"))
    if not isinstance(recorded, dict):
        return None
    durations = [ms for ms in recorded.values() if isinstance(ms, (int, float)) and ms >= 0]
    cpu_ms = history.get("cpu_ms_per_run")
    if not durations or not isinstance(cpu_ms, (int, float)) or cpu_ms < 0:
        return None
    return Workload(runs=runs, held_ms=sum(durations) / len(durations), cpu_ms=cpu_ms, longest_ms=max(durations))


def _split(total: int, weights: list) -> list:
    """`total` split in proportion to `weights` (equal parts when they are
    all 0), each part at least 1, by largest remainder, so that the parts
    add up to `total` whenever there are no more parts than it."""
    count = len(weights)
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1] * count, count
    exact = [total * w / whole for w in weights]
    parts = [max(1, int(e)) for e in exact]
    by_remainder = sorted(range(count), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for i in by_remainder[:max(0, total - sum(parts))]:
        parts[i] += 1
    while sum(parts) > max(total, count):  # the parts raised to 1 came from the largest
        parts[parts.index(max(parts))] -= 1
    return parts


def slot_shares(workloads: list, cores: int, most: int, total: int = 0, unknown: int = 4, least: int = 1) -> list:
    """Pools for runners that all run at once, each with its own (one per
    adapter of a run, one per mutant of the gate). With a `total` (--jobs),
    it is split in proportion to the slot time each runner's cases held in
    its last run (equally until every runner has a history). Otherwise each
    runner gets as many as keep its own held time within PACKING times the
    floor of the whole workload (the larger of its CPU spread over the
    cores and its longest case), so that they end about together; at least
    `least` and at most `most` each, and `unknown` each until every runner
    has a history. The runners share no pool: in a shared one (a jobserver
    pipe, as this was until 2026-12-03), a runner that started first keeps
    the slots for as long as it has cases (each worker takes its slot back
    the moment it returns it) while one that started later waits with its
    longest case in hand (one gate took 155 s so, and four adapters in one
    run 11 to 13 s where each alone took 7)."""
    count = len(workloads)
    if not count:
        return []
    known = all(w is not None for w in workloads)
    if total:
        held = [w.runs * w.held_ms for w in workloads] if known else [0] * count
        return [min(most, share) for share in _split(total, held)]
    clamp = lambda jobs: max(1, least, min(most, jobs))  # noqa: E731
    if not known:
        return [clamp(unknown)] * count
    cpu = sum(w.runs * w.cpu_ms for w in workloads)
    floor = max(cpu / max(1, cores), max(w.longest_ms for w in workloads), 1000.0)
    return [clamp(math.ceil(PACKING * w.runs * w.held_ms / floor)) for w in workloads]


def adapter_pools(workloads: list, cores: int, jobs: int = 0) -> list:
    """Each adapter's pool for a run of all of them at once: with --jobs,
    its share of them; otherwise the default slots split between the
    adapters (never fewer than the cores each), or more when its last run
    says its held time needs them, up to MOST_SLOTS_PER_CORE per core in all."""
    count = max(1, len(workloads))
    default = max(cores, default_slots() // count)
    most = max(default, MOST_SLOTS_PER_CORE * cores // count)
    return slot_shares(workloads, cores, most, total=jobs, unknown=default, least=default)


def runners_at_once(count: int, jobs: int = 0) -> int:
    """How many of `count` runners run at a time: all of them, or with
    fewer --jobs than runners, `jobs` (each then keeps one case going)."""
    return count if not jobs else max(1, min(count, jobs))


def run_adapters(adapters: list, options: RunOptions, case_runs: int) -> dict:
    """Runs every adapter at once, one runner each with its own pool
    (adapter_pools: `options.jobs` split between them, or sized from the
    last run's workload when it is 0; `case_runs` case runs each); returns
    name -> written report, in the given order. With fewer --jobs than
    adapters, that many runners run at a time, one case each. The first
    failure is raised once every runner has ended."""
    cores = os.cpu_count() or 1
    workloads = [learned_workload(options.build_dir, adapter.name, case_runs) for adapter in adapters]
    pools = adapter_pools(workloads, cores, options.jobs)
    # More workers than case runs would only be idle threads.
    pools = [max(1, min(pool, case_runs)) for pool in pools]
    # One counter for the invocation: its total is every runner's plan.
    tracker = progress.Tracker(runners=len(adapters), enabled=not options.quiet)
    at_once = threading.BoundedSemaphore(max(1, runners_at_once(len(adapters), options.jobs)))
    results, failures = {}, {}

    def run(adapter, pool):
        try:
            with at_once:
                results[adapter.name] = run_adapter(adapter, replace(options, jobs=pool), tracker)
        except BaseException as error:  # re-raised below, in the caller's thread
            failures[adapter.name] = error

    threads = [threading.Thread(target=run, args=(adapter, pool)) for adapter, pool in zip(adapters, pools)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tracker.finish()
    stopping.raise_if_stopped()
    for adapter in adapters:
        if adapter.name in failures:
            raise failures[adapter.name]
    return {adapter.name: results[adapter.name] for adapter in adapters}


def run_adapter(adapter, options: RunOptions, tracker=None, watch=None) -> dict:
    """Runs every selected case against `adapter` in one runner whose pool
    keeps up to `options.jobs` cases going; with `tracker`, the invocation's
    progress counter; `watch` is called with each line the runner prints
    on stderr (its plan and a line per case as it ends). Returns the
    written report."""
    runner = runner_path(options.build_dir)
    if not runner.exists():
        raise InternalError(f"{runner} is missing: the build did not produce the runner")
    pool = max(1, options.jobs)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"endaccept-{adapter.name}-") as scratch:
        report = Path(scratch) / "run.json"
        command = [str(runner), "--root", str(ROOT), "--spec", str(SPEC / "clauses.json"), "--cases", str(options.cases_dir),
                   "--adapter-dir", str(adapter.directory), "--build-dir", str(options.build_dir),
                   "--report", str(report), "--timeout-scale", str(options.timeout_scale),
                   "--jobs", str(pool), "--gtest_brief=1"]
        for glob in options.filters:
            command += ["--filter", glob]
        if options.shard:
            command += ["--shard", options.shard]
        if options.mutant:
            command += ["--mutant", options.mutant]
        if options.explore:
            command += ["--explore", str(options.explore)]
        if options.seed:
            command += ["--seed", options.seed]
        if options.stop_at_first_failure:
            command += ["--stop-at-first-failure"]
        if options.first_deviation_only:
            command += ["--stop-at-first-deviation"]
        if options.repeat > 1:
            command += [f"--gtest_repeat={options.repeat}"]
        own_tracker = tracker is None
        if own_tracker:
            tracker = progress.Tracker(runners=1, enabled=not options.quiet)
        code, stdout, stderr = _run_runner(command, tracker.runner(), watch)
        if own_tracker:
            tracker.finish()
        stopping.raise_if_stopped()  # the runner ended because the run was stopped
        if code == 2:
            raise runner_input_error(stderr, "the runner rejected its input")
        if code not in (0, 1) or not report.exists():
            sys.stderr.write(stdout[-4000:] + stderr[-4000:])
            raise InternalError(f"the runner failed for adapter {adapter.name} (exit status {code})")
        wall_ms = (time.monotonic() - started) * 1000.0
        # The judge's merge of the one part: results by case id, as for shards.
        merged = merge_reports(options.build_dir, [report], wall_ms=wall_ms)
    name = options.report_name or f"{adapter.name}.json"
    write_json_atomically(options.report_dir / name, merged)
    return merged


def _run_runner(command, feed, watch=None):
    """Runs the runner, relaying its plan and per-case lines to `feed` (and `watch`)."""
    process = stopping.spawn(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ), cwd=ROOT)
    out, err = [], []

    def pump(stream, sink, relay):
        for line in stream:
            sink.append(line)
            if relay:
                feed.feed(line)
                if watch is not None:
                    watch(line)

    threads = [threading.Thread(target=pump, args=(process.stdout, out, False), daemon=True),
               threading.Thread(target=pump, args=(process.stderr, err, True), daemon=True)]
    for thread in threads:
        thread.start()
    code = process.wait()
    stopping.ended(process)
    for thread in threads:
        thread.join()
    process.stdout.close()
    process.stderr.close()
    feed.end()
    return code, "".join(out), "".join(err)


def check_inputs(build_dir: Path, adapters: list, options: RunOptions) -> dict:
    """Everything a run reads, validated by the judge in one call before
    anything runs (the spec, every case table, each adapter's adapter.json
    and expectations.json, and the run's options as the runner parses
    them): InputError naming the file and pointer, else the number of cases
    and of those the filters and shard select."""
    runner = runner_path(build_dir)
    if not runner.exists():
        raise InternalError(f"{runner} is missing: the build did not produce the runner")
    command = [str(runner), "--root", str(ROOT), "--spec", str(SPEC / "clauses.json"),
               "--build-dir", str(Path(build_dir).resolve()), "--check-inputs"]
    for adapter in adapters:
        command += ["--check-adapter", str(adapter.directory)]
    command += ["--cases", str(options.cases_dir), "--timeout-scale", str(options.timeout_scale)]
    if options.jobs:
        command += ["--jobs", str(options.jobs)]
    for glob in options.filters:
        command += ["--filter", glob]
    if options.shard:
        command += ["--shard", options.shard]
    if options.explore:
        command += ["--explore", str(options.explore)]
    if options.seed:
        command += ["--seed", options.seed]
    checked = stopping.run(command, capture_output=True, text=True, cwd=ROOT)
    if checked.returncode == 2:
        raise runner_input_error(checked.stderr, "the runner rejected its input")
    if checked.returncode != 0:
        raise InternalError(f"{runner} --check-inputs failed (exit status {checked.returncode}): "
                            f"{checked.stderr.strip()[-2000:]}")
    return json.loads(checked.stdout)
