"""Where things are in a checkout."""

import os
from pathlib import Path


ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "spec"
CASES = ROOT / "cases"
ADAPTERS = ROOT / "adapters"
REPORTS = ROOT / "reports"
DEFAULT_BUILD = ROOT / "build"
DEFAULT_REPORT_DIR = REPORTS / "latest"
# The committed runs of the real implementations that FINDINGS.md and
# docs/CONTRACT.md are generated from.
SNAPSHOT = REPORTS / "snapshot"
RUNNER_NAME = "endaccept-conformance"


def runner_path(build_dir: Path) -> Path:
    return build_dir / RUNNER_NAME


def relative(path: Path) -> str:
    """A path as a user in the checkout would type it."""
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:
        return str(path)
