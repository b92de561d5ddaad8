"""--self-test: every test the project has — CTest (GoogleTest suites of the
harness and the adapters) and the Python tests under tests/."""

import os
import subprocess
import sys
import unittest
from pathlib import Path

from .build import ensure_built
from .errors import EXIT_OK, EXIT_UNEXPECTED
from .paths import ROOT


def run_self_test(build_dir: Path) -> int:
    ensure_built(build_dir)
    jobs = str(os.cpu_count() or 2)
    print("== CTest", file=sys.stderr)
    ctest = subprocess.run(["ctest", "--test-dir", str(build_dir), "--output-on-failure", "--parallel", jobs], cwd=ROOT)
    print("== Python tests", file=sys.stderr)
    os.environ["ENDACCEPT_BUILD_DIR"] = str(build_dir)
    suite = unittest.defaultTestLoader.discover(str(ROOT / "tests"), pattern="test_*.py", top_level_dir=str(ROOT / "tests"))
    result = unittest.TextTestRunner(verbosity=1, stream=sys.stderr).run(suite)
    ok = ctest.returncode == 0 and result.wasSuccessful()
    print(f"self-test: CTest {'passed' if ctest.returncode == 0 else 'FAILED'}, "
          f"Python {result.testsRun} test(s) {'passed' if result.wasSuccessful() else 'FAILED'}", file=sys.stderr)
    return EXIT_OK if ok else EXIT_UNEXPECTED
