"""Runs the C++ judge: one runner per adapter, all adapters at once, their
case pools bounded together by --jobs concurrent cases; writes each
adapter's report."""

import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
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
    jobs: int = 1  # cases running at once, across every runner of the invocation
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


def workload_slots(workloads: list, cores: int, least: int) -> int:
    """Slots for running `workloads` together: as many as keep the slot
    bound from being what the run waits for (PACKING times the held time
    spread over the run's floor, the larger of its CPU spread over the cores
    and its longest case), at least `least`, at most MOST_SLOTS_PER_CORE per
    core. Without a learned workload for every runner, `least`."""
    if not workloads or any(w is None for w in workloads):
        return least
    held = sum(w.runs * w.held_ms for w in workloads)
    cpu = sum(w.runs * w.cpu_ms for w in workloads)
    floor = max(cpu / max(1, cores), max(w.longest_ms for w in workloads), 1.0)
    wanted = -(-int(PACKING * held) // int(floor))  # ceiling
    return max(least, min(wanted, MOST_SLOTS_PER_CORE * max(1, cores)))


def slot_shares(workloads: list, cores: int, most: int, total: int = 0, unknown: int = 4) -> list:
    """Pools for runners that all run at once without sharing slots (the
    mutation gate). With a `total` (--jobs), it is split in proportion to
    the slot time each runner's cases held in its last run. Otherwise each
    runner gets as many as keep its own held time within PACKING times the
    floor of the whole workload (the larger of its CPU spread over the
    cores and its longest case), so that they end about together. At least 1
    and at most `most` each; `unknown` each (a share of `total`) until every
    runner has a history. A shared pipe would let a runner that started
    first keep its bytes for as long as it has cases (each worker takes its
    byte back as soon as it returns it) while one that started later waits."""
    count = len(workloads)
    if not count:
        return []
    clamp = lambda jobs: max(1, min(most, jobs))  # noqa: E731
    if any(w is None for w in workloads):
        return [clamp(total // count if total else unknown)] * count
    held = [w.runs * w.held_ms for w in workloads]
    if total:
        whole = sum(held)
        return [clamp(round(total * h / whole)) if whole > 0 else clamp(total // count) for h in held]
    cpu = sum(w.runs * w.cpu_ms for w in workloads)
    floor = max(cpu / max(1, cores), max(w.longest_ms for w in workloads), 1000.0)
    return [clamp(math.ceil(PACKING * h / floor)) for h in held]


class SharedSlots:
    """The bound on cases running at once across every runner of one
    invocation, kept like make's jobserver (the runner's --shared-slots):
    each runner holds one slot of its own, so that its longest case starts
    at once however many slots the others hold, and takes a byte from a
    pipe for every case beyond it, putting the byte back when the case has
    ended. Of `count` slots, `runners` (at most `count`; the caller runs no
    more runners at once) are the runners' own; the pipe holds the rest."""

    def __init__(self, count: int, runners: int = 1):
        self.count = max(1, count)
        self.runners = max(1, min(runners, self.count))
        self.bytes = self.count - self.runners
        self.read_fd, self.write_fd = os.pipe()
        os.write(self.write_fd, b"+" * self.bytes)

    def most_jobs(self, wanted: int) -> int:
        """A runner's pool: beyond its own slot, it never keeps more workers
        waiting for a byte than the pipe holds."""
        return max(1, min(wanted, 1 + self.bytes))

    def flag(self) -> list:
        return ["--shared-slots", f"{self.read_fd},{self.write_fd}"]

    def descriptors(self) -> tuple:
        return (self.read_fd, self.write_fd)

    def close(self) -> None:
        os.close(self.read_fd)
        os.close(self.write_fd)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()


def cpu_weight(adapter) -> int:
    """How much CPU one case of this adapter costs relative to a C++ adapter's
    (adapter.json's cpu_weight, default 1): a managed runtime's start costs
    tens of milliseconds of CPU per case, so it gets fewer of the slots."""
    try:
        weight = read_json(Path(adapter.directory) / "adapter.json").get("cpu_weight", 1)
    except (InputError, OSError, AttributeError):
        return 1
    return weight if isinstance(weight, int) and weight >= 1 else 1


def run_adapters(adapters: list, options: RunOptions) -> dict:
    """Runs every adapter at once, one runner each, under one shared bound
    of `options.jobs` concurrent cases; returns name -> written report, in
    the given order. The first failure is raised once every runner has ended."""
    slots = max(1, options.jobs)
    # One counter for the invocation: its total is every runner's plan.
    tracker = progress.Tracker(runners=len(adapters), enabled=not options.quiet)
    with SharedSlots(slots, len(adapters)) as shared:
        results, failures = {}, {}
        # More adapters than slots: some runners wait for others to end.
        runners_at_once = threading.BoundedSemaphore(shared.runners)

        def run(adapter):
            try:
                with runners_at_once:
                    results[adapter.name] = run_adapter(adapter, options, shared, tracker)
            except BaseException as error:  # re-raised below, in the caller's thread
                failures[adapter.name] = error

        threads = [threading.Thread(target=run, args=(adapter,)) for adapter in adapters]
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


def run_adapter(adapter, options: RunOptions, shared: SharedSlots = None, tracker=None) -> dict:
    """Runs every selected case against `adapter` in one runner whose pool
    keeps up to `options.jobs` cases going (fewer for a CPU-heavy adapter);
    with `shared`, the bound is shared with other runners, and with
    `tracker`, the progress counter. Returns the written report."""
    runner = runner_path(options.build_dir)
    if not runner.exists():
        raise InternalError(f"{runner} is missing: the build did not produce the runner")
    jobs = max(1, options.jobs)
    # A heavy adapter alone still gets at least the cores' worth of cases.
    pool = max(min(jobs, os.cpu_count() or 1), jobs // cpu_weight(adapter))
    if shared is not None:
        pool = shared.most_jobs(pool)
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
        if shared is not None:
            command += shared.flag()
        own_tracker = tracker is None
        if own_tracker:
            tracker = progress.Tracker(runners=1, enabled=not options.quiet)
        code, stdout, stderr = _run_runner(command, tracker.runner(),
                                           shared.descriptors() if shared is not None else ())
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
    merged["run"]["options"]["jobs"] = jobs
    name = options.report_name or f"{adapter.name}.json"
    write_json_atomically(options.report_dir / name, merged)
    return merged


def _run_runner(command, feed, pass_fds=()):
    """Runs the runner, relaying its plan and per-case lines to `feed`."""
    process = stopping.spawn(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ), cwd=ROOT, pass_fds=pass_fds)
    out, err = [], []

    def pump(stream, sink, relay):
        for line in stream:
            sink.append(line)
            if relay:
                feed.feed(line)

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
    command += ["--cases", str(options.cases_dir), "--timeout-scale", str(options.timeout_scale),
                "--jobs", str(options.jobs)]
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
