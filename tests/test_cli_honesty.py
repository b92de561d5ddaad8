"""The command line says what is true: a filter that selects nothing is a
mistake (exit 2, with the spelling of case ids, no report replaced);
--list-cases, --list-adapters and --docs need no build; a no-op build check
does not start CMake, and a build shows its steps; no input gets a
traceback; the runner's --help is its own and exits 0; the runner's plan is
what GoogleTest runs, sharded or filtered; the progress total is known from
the first line; a known deviation reads FAIL (expected)."""

import io
import json
import os
import re
import stat
import sys
import tempfile
import unittest
from contextlib import redirect_stderr
from unittest import mock
from pathlib import Path

import report_fixtures  # noqa: F401  (puts the package on sys.path)
from harness_support import (BUILD_DIR, ROOT, RUNNER, SPEC, TIMEOUT_SCALE, run_command, run_conformance,
                             runner_missing_reason)

# The driver's counter: "[i/N] adapter STATUS[ (expected)| (unexpected)] case (ms)".
COUNTER_LINE = re.compile(r"^\[(?P<done>\d+)/(?P<total>\d+)\] (?P<adapter>\S+) (?P<status>[A-Z]+)"
                          r"(?: \((?P<verdict>expected|unexpected)\))? (?P<case>\S+) \(\d+ ms\)")


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


    def test_list_adapters_and_docs_need_no_build(self):
        missing = Path(tempfile.mkdtemp(prefix="endaccept-nobuild-")) / "build"
        contract = ROOT / "docs" / "CONTRACT.md"
        before = contract.read_bytes()
        for option in ("--list-adapters", "--docs"):
            with self.subTest(option=option):
                run = run_conformance(option, "--build-dir", missing)
                self.assertEqual(run.code, 0, run.describe())
                self.assertFalse(missing.exists(), f"{option} must not configure a build")
        self.assertIn("not built", run_conformance("--list-adapters", "--build-dir", missing).stdout)
        self.assertEqual(contract.read_bytes(), before, "--docs rewrote a current docs/CONTRACT.md differently")

    def test_no_input_gets_a_traceback(self):
        scratch = Path(tempfile.mkdtemp(prefix="endaccept-hostile-cli-"))
        (scratch / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
        (scratch / "list.json").write_text("[1, 2, 3]")
        (scratch / "a-directory.json").mkdir()
        (scratch / "not-utf8").mkdir()
        (scratch / "not-utf8" / "adapter.json").write_bytes(b'{"name": "\xff"}')
        (scratch / "nameless").mkdir()
        (scratch / "nameless" / "adapter.json").write_text('{"command": ["x"]}')
        (scratch / "a-file").write_text("")
        inputs = [
            ("--compare", scratch / "missing.json", scratch / "list.json", "--no-build"),
            ("--compare", scratch / "binary.json", scratch / "a-directory.json", "--no-build"),
            ("--render", scratch / "a-directory.json", "--no-build"),
            ("--merge", scratch / "binary.json", "--no-build"),
            ("--adapter-dir", scratch / "not-utf8", "--list-adapters"),
            ("--adapter-dir", scratch / "nameless", "--list-adapters"),
            ("--adapter-dir", scratch / "a-file", "--list-adapters"),
            ("--adapter", ",,,", "--list-adapters"),
            ("--adapter", str(scratch / "binary.json"), "--list-adapters"),
            ("--filter", "[", "--list-adapters"),
            ("--jobs", "0"),
            ("--timeout-scale", "nan"),
            ("--shard", "3/2"),
            ("--seed", "-1"),
            ("--no-such-option",),
        ]
        for arguments in inputs:
            with self.subTest(arguments=[str(a) for a in arguments]):
                run = run_conformance(*arguments, "--build-dir", scratch / "no-build")
                self.assertNotIn("Traceback", run.stderr, run.describe())
                self.assertIn(run.code, (0, 2, 3), run.describe())
                if run.code:
                    self.assertRegex(run.stderr, r"(error|usage).*\S", run.describe())

    def test_a_build_shows_its_steps_and_all_of_its_output_when_it_fails(self):
        from conformance.files import InternalError
        from conformance.run import build
        tools = Path(tempfile.mkdtemp(prefix="endaccept-fake-cmake-"))
        fake = tools / "cmake"
        fake.write_text("#!/bin/sh\n"
                        "echo '-- The CXX compiler identification is GNU'\n"
                        "echo '[ 50%] Building CXX object harness/CMakeFiles/endaccept_harness.dir/src/verdict.cpp.o'\n"
                        "echo '[100%] Linking CXX executable endaccept-conformance'\n"
                        "echo 'compiler says: the reason' >&2\n"
                        "exit \"${FAKE_CMAKE_EXIT:-0}\"\n")
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
        path = f"{tools}{os.pathsep}{os.environ['PATH']}"
        with mock.patch.dict(os.environ, {"PATH": path, "TERM": "dumb"}):
            shown = io.StringIO()
            with redirect_stderr(shown):
                build._run(["cmake", "--build", "x"], "build", quiet=False)
            self.assertIn("[ 50%] compiling harness/src/verdict.cpp", shown.getvalue())
            self.assertIn("[100%] Linking CXX executable endaccept-conformance", shown.getvalue())
            self.assertNotIn("the reason", shown.getvalue(), "a build that works shows steps, not the tools' talk")
            shown = io.StringIO()
            with redirect_stderr(shown):
                build._run(["cmake", "-S", "x"], "configure", quiet=False)
            self.assertIn("The CXX compiler identification is GNU", shown.getvalue())
            with mock.patch.dict(os.environ, {"FAKE_CMAKE_EXIT": "1"}):
                shown = io.StringIO()
                with redirect_stderr(shown), self.assertRaises(InternalError):
                    build._run(["cmake", "--build", "x"], "build", quiet=False)
            self.assertIn("compiler says: the reason", shown.getvalue())


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class RunnerTest(unittest.TestCase):

    def test_help_lists_the_runners_options_then_googletests_and_exits_0(self):
        run = run_command([RUNNER, "--help"])
        self.assertEqual(run.code, 0, run.describe())
        self.assertNotIn("unknown option", run.stdout + run.stderr)
        for option in ("--adapter-dir", "--report", "--timeout-scale", "--describe-adapter"):
            self.assertIn(option, run.stdout)
        self.assertIn("--gtest_filter", run.stdout)
        self.assertIn("--gtest_filter=", run.stdout)
        self.assertLess(run.stdout.index("--adapter-dir"), run.stdout.index("--gtest_filter="))

    def test_the_plan_is_what_googletest_runs_sharded_filtered_and_repeated(self):
        scratch = Path(tempfile.mkdtemp(prefix="endaccept-gtest-plan-"))
        variants = [
            ({"GTEST_TOTAL_SHARDS": "3", "GTEST_SHARD_INDEX": "1"}, []),
            ({}, ["--gtest_filter=disposed.*:end_twice.*"]),
            ({"GTEST_TOTAL_SHARDS": "2", "GTEST_SHARD_INDEX": "0"}, ["--gtest_filter=disposed.*", "--gtest_repeat=2"]),
        ]
        for number, (env, flags) in enumerate(variants):
            with self.subTest(env=env, flags=flags):
                report = scratch / f"{number}.json"
                run = run_command([RUNNER, "--root", ROOT, "--spec", SPEC, "--adapter-dir", ROOT / "adapters" / "asio",
                                   "--build-dir", BUILD_DIR, "--report", report, "--timeout-scale", TIMEOUT_SCALE,
                                   "--jobs", "8", "--gtest_brief=1", *flags], report, env=env)
                self.assertIn(run.code, (0, 1), run.describe())
                plans = [int(m[1]) for m in re.finditer(r"^\[asio\] plan (\d+) runs$", run.stderr, re.M)]
                ran = re.search(r"^\[==========\] (\d+) tests? from", run.stdout, re.M)
                self.assertEqual(len(plans), 1, run.describe())
                repeats = 2 if "--gtest_repeat=2" in flags else 1
                self.assertIsNotNone(ran, run.stdout[-2000:])
                self.assertEqual(plans[0], int(ran[1]) * repeats, "the plan is not what GoogleTest ran")
                self.assertEqual(len(run.progress), plans[0], "a progress line per planned run")
                self.assertEqual(sum(r["runs"] for r in run.report["results"]), plans[0])
                self.assertLess(plans[0], 56 * repeats, "sharding or the filter was not applied")

    def test_the_total_is_known_from_the_first_line_across_adapters_and_repeats(self):
        scratch = Path(tempfile.mkdtemp(prefix="endaccept-total-"))
        run = run_conformance("--adapter", "asio,posix", "--jobs", "16", "--repeat", "2", "--filter", "disposed/*",
                              "--filter", "end-twice/*", "--report-dir", scratch, "--no-build",
                              "--timeout-scale", "2", env={"NO_COLOR": "1"})
        self.assertEqual(run.code, 0, run.describe())
        counters = [COUNTER_LINE.match(line) for line in run.stderr.splitlines()]
        counters = [m for m in counters if m]
        cases = len({r["case_id"] for r in json.loads((scratch / "asio.json").read_text())["results"]})
        expected_total = 2 * cases * 2
        self.assertEqual(len(counters), expected_total, run.describe())
        self.assertEqual({int(m["total"]) for m in counters}, {expected_total}, "the total changed during the run")
        self.assertEqual([int(m["done"]) for m in counters], list(range(1, expected_total + 1)))
        self.assertEqual({m["adapter"] for m in counters}, {"asio", "posix"})

    def test_a_known_deviation_reads_fail_expected_and_the_run_passes(self):
        scratch = Path(tempfile.mkdtemp(prefix="endaccept-expected-"))
        adapter = scratch / "asio-no-end-once"
        adapter.mkdir()
        definition = json.loads((ROOT / "adapters" / "asio" / "adapter.json").read_text())
        definition.update(name="asio-no-end-once", env={"EA_MUTANT": "no-end-once"})
        (adapter / "adapter.json").write_text(json.dumps(definition))
        run = run_conformance("--adapter-dir", adapter, "--filter", "end-twice/*", "--report-dir", scratch / "first",
                              "--no-build", "--timeout-scale", "2", env={"NO_COLOR": "1"})
        failed = {r["case_id"]: r["status"] for r in json.loads((scratch / "first" / "asio-no-end-once.json")
                                                                .read_text())["results"] if r["status"] != "PASS"}
        self.assertEqual(run.code, 1, run.describe())
        self.assertIn("FAIL", failed.values(), "the mutant is expected to fail some end-twice case")
        for case_id, status in failed.items():
            self.assertIn(f"{status} (unexpected) {case_id}", run.stderr)
        (adapter / "expectations.json").write_text(json.dumps({"adapter": "asio-no-end-once", "expectations": {
            case_id: {"status": status, "reason": "the mutant forgets that a result was ended",
                      "classification": "likely-bug"}
            for case_id, status in failed.items()}}))
        run = run_conformance("--adapter-dir", adapter, "--filter", "end-twice/*", "--report-dir", scratch / "second",
                              "--no-build", "--timeout-scale", "2", env={"NO_COLOR": "1"})
        self.assertEqual(run.code, 0, run.describe())
        shown = {m["case"]: m for m in map(COUNTER_LINE.match, run.stderr.splitlines()) if m}
        for case_id, status in failed.items():
            self.assertEqual((shown[case_id]["status"], shown[case_id]["verdict"]), (status, "expected"))
        self.assertNotIn("(unexpected)", run.stderr)


if __name__ == "__main__":
    unittest.main()
