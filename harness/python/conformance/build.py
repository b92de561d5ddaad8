"""Configures and builds the project with CMake, incrementally."""

import os
import subprocess
import sys
from pathlib import Path

from .errors import InternalError
from .paths import ROOT


def ensure_built(build_dir: Path, quiet: bool = False, extra_configure=()) -> None:
    jobs = str(os.cpu_count() or 2)
    if not (build_dir / "CMakeCache.txt").exists():
        _run(["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=RelWithDebInfo", *extra_configure],
             "configure", quiet)
    _run(["cmake", "--build", str(build_dir), "--parallel", jobs], "build", quiet)


def _run(command, what, quiet):
    try:
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:
        raise InternalError(f"cannot {what}: cmake is not installed (see README.md, set-up)") from None
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-6000:] + completed.stderr[-6000:])
        raise InternalError(f"{what} failed: {' '.join(command)}")
    if not quiet and completed.stdout.count("Building") > 0:
        print(f"built ({what}: {completed.stdout.count('Building')} file(s) compiled)", file=sys.stderr)
