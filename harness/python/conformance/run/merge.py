"""Combining reports of one adapter produced in parts (--jobs) or on several
machines (--shard + --merge) into one report, as if from a single run. The
judge does it (`endaccept-conformance --merge`), so the summary comes from
the one verdict and is never computed here."""

import tempfile
from pathlib import Path

from conformance.files import InputError, InternalError, read_json, runner_input_error
from conformance.paths import ROOT, runner_path
from conformance.run import stopping


def merge_reports(build_dir: Path, sources: list, wall_ms: float = None) -> dict:
    if not sources:
        raise InputError("nothing to merge")
    runner = runner_path(build_dir)
    if not runner.exists():
        raise InternalError(f"{runner} is missing: build the suite first (python3 run_conformance.py)")
    with tempfile.TemporaryDirectory(prefix="endaccept-merge-") as scratch:
        merged = Path(scratch) / "merged.json"
        command = [str(runner), "--root", str(ROOT), "--report", str(merged)]
        for source in sources:
            command += ["--merge", str(source)]
        if wall_ms is not None:
            command += ["--merge-wall-ms", f"{wall_ms:.3f}"]
        completed = stopping.run(command, capture_output=True, text=True)
        if completed.returncode == 2:
            raise runner_input_error(completed.stderr, "the runner refused to merge")
        if completed.returncode not in (0, 1) or not merged.exists():
            raise InternalError(f"merging failed (exit status {completed.returncode}): {completed.stderr.strip()}")
        return read_json(merged)
