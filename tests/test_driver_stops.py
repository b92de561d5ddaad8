"""run_conformance.py stopped from outside (issue 9): SIGINT to its process
group (Ctrl-C in a terminal), SIGTERM or SIGHUP to the driver alone. The
driver passes the signal on to every runner (each in a process group of its
own), and through them to the adapters and their grandchildren; it exits
130, 143 or 129, no process of the run is left, and the report directory
holds exactly what it held before.

The report set itself: files staged inside --report-dir and moved in
together, or not at all."""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

from harness_support import (BUILD_DIR, NEVER_HANGS_S, ROOT, RUN_CONFORMANCE, accept_case,
                             private_fixture, processes_running, runner_missing_reason, wait_until, write_cases_dir)

sys.path.insert(0, str(ROOT / "harness" / "python"))
from conformance.run import build, stopping  # noqa: E402
from conformance.run.report_set import ReportSet  # noqa: E402

# The second case blocks in EndAccept forever, after starting a setsid grandchild.
FIXTURE = "setsid-grandchild-then-hang"
CASES = [accept_case("fixture/a-first"), accept_case("fixture/b-hostile", listener="H"),
         accept_case("fixture/c-last")]
OLD_SET = {f"{FIXTURE}.json": "the previous report\n", "summary.md": "the previous summary\n",
           "index.html": "<p>the previous page</p>\n"}


def directory_contents(directory: Path) -> dict:
    return {str(p.relative_to(directory)): p.read_text() if p.is_file() else None
            for p in sorted(directory.rglob("*"))}


@unittest.skipIf(runner_missing_reason(), runner_missing_reason())
class DriverStopTest(unittest.TestCase):

    def stop_driver(self, signal_number, to_group):
        scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-driver-stop-")))
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": CASES})
        adapter_dir = private_fixture(scratch, FIXTURE)
        marker = str(adapter_dir)
        report_dir = scratch / "reports"
        report_dir.mkdir()
        for name, text in OLD_SET.items():
            (report_dir / name).write_text(text)
        before = directory_contents(report_dir)
        stderr_path = scratch / "stderr.txt"
        command = [sys.executable, RUN_CONFORMANCE, "--no-build", "--build-dir", BUILD_DIR,
                   "--adapter-dir", adapter_dir, "--cases-dir", cases_dir, "--report-dir", report_dir,
                   "--timeout-scale", "4", "--jobs", "1"]
        with open(stderr_path, "wb") as stderr:
            # A session of its own: the test can signal the driver's group as a terminal would.
            driver = subprocess.Popen([str(c) for c in command], stdout=subprocess.DEVNULL, stderr=stderr,
                                      cwd=ROOT, start_new_session=True)
        try:
            # The hostile case's adapter is up once its grandchild (argv "sleep") is.
            self.assertTrue(wait_until(lambda: any(" sleep" in p for p in processes_running(marker))),
                            stderr_path.read_text(errors="replace"))
            time.sleep(1)  # into EndAccept
            if to_group:
                os.killpg(driver.pid, signal_number)
            else:
                driver.send_signal(signal_number)
            code = driver.wait(timeout=NEVER_HANGS_S)
        finally:
            if driver.poll() is None:
                os.killpg(driver.pid, signal.SIGKILL)
                driver.wait()
        stderr = stderr_path.read_text(errors="replace")
        self.assertTrue(wait_until(lambda: not processes_running(marker), 5),
                        f"no process of the run is left: {processes_running(marker)}\n{stderr[-2000:]}")
        self.assertEqual(directory_contents(report_dir), before, "the old report set, untouched, nothing staged")
        self.assertIn("no report written or replaced", stderr)
        self.assertNotIn("Traceback", stderr)
        return code, stderr

    def test_a_runner_killed_outright_leaves_no_adapter_or_grandchild_behind(self):
        # SIGKILL gives the runner no chance to end its adapter: the driver,
        # their subreaper, ends what is left once it is theirs.
        scratch = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-driver-kill-")))
        cases_dir = write_cases_dir(scratch / "cases", {"fixture.json": CASES})
        adapter_dir = private_fixture(scratch, FIXTURE)
        marker = str(adapter_dir)
        command = [sys.executable, RUN_CONFORMANCE, "--no-build", "--build-dir", BUILD_DIR,
                   "--adapter-dir", adapter_dir, "--cases-dir", cases_dir, "--report-dir", scratch / "reports",
                   "--timeout-scale", "4", "--jobs", "1"]
        driver = subprocess.Popen([str(c) for c in command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  cwd=ROOT, start_new_session=True, text=True)
        try:
            self.assertTrue(wait_until(lambda: any(" sleep" in p for p in processes_running(marker))))
            runners = [p for p in processes_running(marker) if "endaccept-conformance" in p.split(" ", 2)[1]]
            self.assertEqual(len(runners), 1, processes_running(marker))
            os.kill(int(runners[0].split(":")[0]), signal.SIGKILL)
            _, stderr = driver.communicate(timeout=NEVER_HANGS_S)
        finally:
            if driver.poll() is None:
                os.killpg(driver.pid, signal.SIGKILL)
                driver.wait()
        self.assertEqual(driver.returncode, 3, stderr[-2000:])
        self.assertIn(f"the runner failed for adapter {FIXTURE}", stderr)
        self.assertTrue(wait_until(lambda: not processes_running(marker), 5),
                        f"no process of the run is left: {processes_running(marker)}")
        self.assertFalse((scratch / "reports").exists(), "no report, not even the directory")

    def test_sigint_to_the_process_group_stops_everything_and_exits_130(self):
        code, stderr = self.stop_driver(signal.SIGINT, to_group=True)
        self.assertEqual(code, 130, stderr[-2000:])

    def test_sigterm_to_the_driver_alone_reaches_runner_adapter_and_grandchild_and_exits_143(self):
        code, stderr = self.stop_driver(signal.SIGTERM, to_group=False)
        self.assertEqual(code, 143, stderr[-2000:])

    def test_sighup_to_the_driver_exits_129(self):
        code, stderr = self.stop_driver(signal.SIGHUP, to_group=False)
        self.assertEqual(code, 129, stderr[-2000:])


class ReportSetTest(unittest.TestCase):

    def setUp(self):
        self.report_dir = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-set-"))) / "reports"
        self.report_dir.mkdir()
        (self.report_dir / "a.json").write_text("old a")
        (self.report_dir / "other.json").write_text("another command's report")
        (self.report_dir / "mutants").mkdir()
        (self.report_dir / "mutants" / "old.json").write_text("old mutant")

    def test_a_committed_set_replaces_its_files_and_directories_and_leaves_the_others(self):
        with ReportSet(self.report_dir) as reports:
            (reports.staging / "a.json").write_text("new a")
            (reports.staging / "summary.md").write_text("new summary")
            (reports.staging / "mutants").mkdir()
            (reports.staging / "mutants" / "new.json").write_text("new mutant")
            reports.commit()
        self.assertEqual(directory_contents(self.report_dir),
                         {"a.json": "new a", "mutants": None, "mutants/new.json": "new mutant",
                          "other.json": "another command's report", "summary.md": "new summary"})

    def test_a_set_that_is_not_committed_leaves_the_directory_as_it_was(self):
        before = directory_contents(self.report_dir)
        with self.assertRaises(RuntimeError):
            with ReportSet(self.report_dir) as reports:
                (reports.staging / "a.json").write_text("new a")
                raise RuntimeError("the run failed half way")
        self.assertEqual(directory_contents(self.report_dir), before)

    def test_a_stop_signal_before_the_commit_moves_nothing(self):
        before = directory_contents(self.report_dir)
        original = stopping._stopped_by
        try:
            with self.assertRaises(stopping.Stopped):
                with ReportSet(self.report_dir) as reports:
                    (reports.staging / "a.json").write_text("new a")
                    stopping._stopped_by = signal.SIGTERM
                    reports.commit()
        finally:
            stopping._stopped_by = original
        self.assertEqual(directory_contents(self.report_dir), before)

    def test_a_report_dir_created_for_a_set_that_was_not_committed_is_removed_again(self):
        fresh = self.report_dir / "fresh"
        with self.assertRaises(RuntimeError):
            with ReportSet(fresh):
                raise RuntimeError("nothing written")
        self.assertFalse(fresh.exists())


class BuildLockTest(unittest.TestCase):

    def test_a_second_build_waits_for_the_lock_of_the_first(self):
        import fcntl
        build_dir = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="endaccept-lock-")))
        released = threading.Event()
        calls = []

        def fake_run(command, what, quiet):
            calls.append((what, released.is_set()))
            if what == "configure":
                (build_dir / "CMakeCache.txt").write_text("")

        original = build._run
        build._run = fake_run
        try:
            with open(build_dir / build._LOCK, "a") as held:
                fcntl.flock(held, fcntl.LOCK_EX)  # the first invocation, building
                second = threading.Thread(target=build.ensure_built, args=(build_dir, True))
                second.start()
                # The second invocation is waiting; nothing of it may run before the release.
                self.assertTrue(wait_until(lambda: second.is_alive(), 5))
                time.sleep(0.5)
                self.assertEqual(calls, [], "no CMake while another build holds the lock")
                released.set()
                fcntl.flock(held, fcntl.LOCK_UN)
            second.join(NEVER_HANGS_S)
            self.assertFalse(second.is_alive())
        finally:
            build._run = original
        self.assertEqual(calls, [("configure", True), ("build", True)])


if __name__ == "__main__":
    unittest.main()
