#!/usr/bin/env python3
"""Conformance suite for Socket.BeginAccept / Socket.EndAccept(IAsyncResult).

    python3 run_conformance.py              # build if needed, run every available adapter
    python3 run_conformance.py --self-test  # the suite's own tests

See README.md; `--help` lists every option and the exit statuses.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "harness" / "python"))

from conformance.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
