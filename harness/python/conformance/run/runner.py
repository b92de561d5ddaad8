"""Runs the C++ judge for one adapter, split over --jobs processes, and
writes the adapter's report."""

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from conformance.files import InputError, InternalError, write_json_atomically
from conformance.paths import CASES, ROOT, SPEC, runner_path
from conformance.run import console as progress
from conformance.run.merge import merge_reports


@dataclass
class RunOptions:
    build_dir: Path
    report_dir: Path
    timeout_scale: float = 1.0
    filters: list = field(default_factory=list)
    shard: str = ""
    jobs: int = 1
    repeat: int = 1
    mutant: str = ""
    explore: int = 0  # runs of each race case (the runner's --explore)
    seed: str = ""  # the first seed (--seed): replays an exploration
    report_name: str = ""  # default: <adapter>.json
    quiet: bool = False


def run_adapter(adapter, options: RunOptions) -> dict:
    """Runs every selected case against `adapter`; returns the written report."""
    runner = runner_path(options.build_dir)
    if not runner.exists():
        raise InternalError(f"{runner} is missing: the build did not produce the runner")
    jobs = max(1, options.jobs)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"endaccept-{adapter.name}-") as scratch:
        parts = []
        for index in range(1, jobs + 1):
            report = Path(scratch) / f"part-{index}.json"
            command = [str(runner), "--root", str(ROOT), "--spec", str(SPEC / "clauses.json"), "--cases", str(CASES),
                       "--adapter-dir", str(adapter.directory), "--build-dir", str(options.build_dir),
                       "--report", str(report), "--timeout-scale", str(options.timeout_scale),
                       "--part", f"{index}/{jobs}", "--gtest_brief=1"]
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
            if options.repeat > 1:
                command += [f"--gtest_repeat={options.repeat}"]
            parts.append((command, report))
        outcomes = _run_parts(adapter.name, parts, options.quiet, options.repeat)
        for (command, report), (code, stdout, stderr) in zip(parts, outcomes):
            if code == 2:
                raise InputError(_last_line(stderr) or "the runner rejected its input")
            if code not in (0, 1) or not report.exists():
                sys.stderr.write(stdout[-4000:] + stderr[-4000:])
                raise InternalError(f"the runner failed for adapter {adapter.name} (exit status {code})")
        wall_ms = (time.monotonic() - started) * 1000.0
        merged = merge_reports(options.build_dir, [r for _, r in parts], wall_ms=wall_ms)
    merged["run"]["options"]["jobs"] = jobs
    name = options.report_name or f"{adapter.name}.json"
    write_json_atomically(options.report_dir / name, merged)
    return merged


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].removeprefix("error: ") if lines else ""


def _run_parts(adapter_name, parts, quiet, repeat=1):
    """Starts every part at once and relays their per-case lines as progress."""
    tracker = progress.Tracker(adapter_name, enabled=not quiet, repeat=repeat)
    processes = []
    for command, _ in parts:
        environment = dict(os.environ)
        processes.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                          env=environment, cwd=ROOT))
    captured = [[[], []] for _ in processes]

    def pump(stream, sink, relay):
        for line in stream:
            sink.append(line)
            if relay:
                tracker.feed(line)

    threads = []
    for process, (out, err) in zip(processes, captured):
        threads.append(threading.Thread(target=pump, args=(process.stdout, out, False), daemon=True))
        threads.append(threading.Thread(target=pump, args=(process.stderr, err, True), daemon=True))
    for thread in threads:
        thread.start()
    codes = [process.wait() for process in processes]
    for thread in threads:
        thread.join()
    for process in processes:
        process.stdout.close()
        process.stderr.close()
    tracker.finish()
    return [(code, "".join(out), "".join(err)) for code, (out, err) in zip(codes, captured)]
