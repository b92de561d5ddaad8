"""Combining reports of one adapter produced in parts (--jobs) or on several
machines (--shard + --merge) into one report, as if from a single run. The
judge does it (`endaccept-conformance --merge`), so the summary comes from
the one verdict and is never computed here."""

import subprocess
import tempfile
from pathlib import Path

from conformance.files import InputError, InternalError, read_json
from conformance.paths import runner_path


def merge_reports(build_dir: Path, sources: list, wall_ms: float = None) -> dict:
    if not sources:
        raise InputError("nothing to merge")
    runner = runner_path(build_dir)
    if not runner.exists():
        raise InternalError(f"{runner} is missing: build the suite first (python3 run_conformance.py)")
    with tempfile.TemporaryDirectory(prefix="endaccept-merge-") as scratch:
        merged = Path(scratch) / "merged.json"
        command = [str(runner), "--report", str(merged)]
        for source in sources:
            command += ["--merge", str(source)]
        if wall_ms is not None:
            command += ["--merge-wall-ms", f"{wall_ms:.3f}"]
        completed = subprocess.run(command, capture_output=True, text=True)
        if completed.returncode == 2:
            raise InputError(completed.stderr.strip().splitlines()[-1].removeprefix("error: "))
        if completed.returncode not in (0, 1) or not merged.exists():
            raise InternalError(f"merging failed (exit status {completed.returncode}): {completed.stderr.strip()}")
        return read_json(merged)
