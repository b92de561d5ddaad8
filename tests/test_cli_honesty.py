"""The command line says what is true: a filter that selects nothing is a
mistake (exit 2, with the spelling of case ids, no report replaced);
--list-cases needs no build; a no-op build check does not start CMake."""

import sys
import tempfile
import time
import unittest
from pathlib import Path

import report_fixtures  # noqa: F401  (puts the package on sys.path)
from harness_support import BUILD_DIR, run_conformance, runner_missing_reason


class CommandLineTest(unittest.TestCase):

    def test_a_filter_that_matches_nothing_is_bad_usage_and_touches_no_report(self):
        scratch = Path(tempfile.mkdtemp(prefix="endaccept-cli-"))
        old = scratch / "asio.json"
        old.write_text("previous report")
        for spelling in ("disposed.*", "no-such-family/*"):
            with self.subTest(filter=spelling):
                run = run_conformance("--adapter", "asio", "--filter", spelling, "--report-dir", scratch)
                self.assertEqual(run.code, 2, run.describe())
                self.assertIn("matches no case", run.stderr)
                self.assertIn("family/name", run.stderr)
                self.assertNotIn("Traceback", run.stderr)
        self.assertEqual(old.read_text(), "previous report")
        self.assertEqual(sorted(p.name for p in scratch.iterdir()), ["asio.json"])

    def test_list_cases_needs_no_build(self):
        missing = Path(tempfile.mkdtemp(prefix="endaccept-nobuild-")) / "build"
        run = run_conformance("--list-cases", "--build-dir", missing)
        self.assertEqual(run.code, 0, run.describe())
        self.assertIn("EA-END-TWICE", run.stdout)
        self.assertFalse(missing.exists(), "listing must not configure a build")

    @unittest.skipIf(runner_missing_reason(), runner_missing_reason())
    def test_an_unchanged_tree_is_known_built_without_cmake(self):
        from conformance.run import build
        build.ensure_built(BUILD_DIR, quiet=True)  # leaves the stamp of what it built
        calls = []
        original = build._run
        build._run = lambda *args, **kwargs: calls.append(args)
        try:
            build.ensure_built(BUILD_DIR, quiet=True)
        finally:
            build._run = original
        self.assertEqual(calls, [], "CMake was started although nothing changed")


if __name__ == "__main__":
    unittest.main()
