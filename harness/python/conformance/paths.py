"""Where things are: in a checkout, or under an install prefix
(`cmake --install`, see cmake/package.cmake), where the same files keep the
same places relative to run_conformance.py and installed-layout.json says
where the runner is."""

import json
import os
from pathlib import Path


ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "spec"
CASES = ROOT / "cases"
ADAPTERS = ROOT / "adapters"
REPORTS = ROOT / "reports"
# The committed runs of the real implementations that FINDINGS.md and
# docs/CONTRACT.md are generated from.
SNAPSHOT = REPORTS / "snapshot"
RUNNER_NAME = "endaccept-conformance"

_LAYOUT = ROOT / "installed-layout.json"
# Installed, nothing is built and nothing is written under the prefix: the
# runner is the installed one, and the work directory (case durations) and
# reports default to places of the user's.
INSTALLED_RUNNER = (ROOT / json.loads(_LAYOUT.read_text())["runner"]).resolve() if _LAYOUT.is_file() else None
INSTALLED = INSTALLED_RUNNER is not None
if INSTALLED:
    DEFAULT_BUILD = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "endaccept-conformance"
    DEFAULT_REPORT_DIR = Path("endaccept-reports")
else:
    DEFAULT_BUILD = ROOT / "build"
    DEFAULT_REPORT_DIR = REPORTS / "latest"


def runner_path(build_dir: Path) -> Path:
    return INSTALLED_RUNNER if INSTALLED else build_dir / RUNNER_NAME


def relative(path: Path) -> str:
    """A path as a user in the checkout would type it."""
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:
        return str(path)
