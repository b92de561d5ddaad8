"""Building the project with CMake, incrementally, and --self-test: every
test the project has (CTest: the GoogleTest suites of the harness and the
adapters; the Python tests under tests/)."""

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from conformance.files import EXIT_OK, EXIT_UNEXPECTED, InputError, InternalError
from conformance.paths import INSTALLED, ROOT, relative
from conformance.run import stopping


# What a build reads: a change to any of these (by time, size or presence)
# makes the next invocation run CMake; otherwise CMake is not even started.
_BUILD_INPUTS = ("CMakeLists.txt", "CMakePresets.json", "adapters", "harness", "spec", "tests", "examples")
_BUILD_OUTPUT_DIRS = ("/bin/", "/obj/", "/__pycache__/")
_STAMP = "endaccept-inputs.stamp"
# Held while CMake runs: a second invocation that would build the same
# directory waits for the first instead of compiling over its object files.
_LOCK = "endaccept-build.lock"
# A bound on that wait, far beyond a first build on two loaded cores.
BUILD_LOCK_WAIT_S = 3600.0


def _inputs_fingerprint() -> str:
    digest = hashlib.sha256()
    for top in _BUILD_INPUTS:
        base = ROOT / top
        if not base.exists():
            continue
        for path in sorted(base.rglob("*")) if base.is_dir() else [base]:
            text = str(path)
            if any(part in text for part in _BUILD_OUTPUT_DIRS) or not path.is_file():
                continue
            info = path.stat()
            digest.update(f"{path.relative_to(ROOT)}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return digest.hexdigest()


def ensure_built(build_dir: Path, quiet: bool = False, extra_configure=()) -> None:
    if INSTALLED:
        return  # an installed suite is built; its runner is under the prefix
    fingerprint = _inputs_fingerprint()
    if _is_built(build_dir, fingerprint):
        return
    with _build_lock(build_dir, quiet):
        if _is_built(build_dir, fingerprint):  # built by the invocation we waited for
            return
        jobs = str(os.cpu_count() or 2)
        if not (build_dir / "CMakeCache.txt").exists():
            _say(f"configuring {relative(build_dir)} (the first build takes a few minutes on 2 cores)", quiet)
            _run(["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
                  *extra_configure], "configure", quiet)
        _say(f"building {relative(build_dir)}", quiet)
        _run(["cmake", "--build", str(build_dir), "--parallel", jobs], "build", quiet)
        # The fingerprint of what was built; a change during the build shows next time.
        (build_dir / _STAMP).write_text(fingerprint)


def _is_built(build_dir: Path, fingerprint: str) -> bool:
    stamp = build_dir / _STAMP
    return stamp.exists() and stamp.read_text() == fingerprint and (build_dir / "CMakeCache.txt").exists()


@contextmanager
def _build_lock(build_dir: Path, quiet: bool):
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / _LOCK, "a") as lock:
        deadline = time.monotonic() + BUILD_LOCK_WAIT_S
        told = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and not quiet:
                    print(f"waiting for another invocation's build of {build_dir}", file=sys.stderr)
                    told = True
                stopping.raise_if_stopped()
                if time.monotonic() > deadline:
                    raise InternalError(f"{build_dir / _LOCK}: another build has held it for "
                                        f"{BUILD_LOCK_WAIT_S:.0f} s") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# What CMake's generators print per step: "[ 45%] Building CXX object ..."
# (Makefiles) or "[12/80] Building CXX object ..." (Ninja).
_STEP = re.compile(r"^(?P<counter>\[\s*(\d+%|\d+/\d+)\]) (?P<what>(Building|Linking|Generating) .*)$")
_OBJECT = re.compile(r"^(?P<verb>Building) \S+ object (?P<object>\S+?)(\.o|\.obj)?$")
_KEPT_LINES = 400  # of the tool's output, shown when it fails


def _say(text: str, quiet: bool) -> None:
    if not quiet:
        print(text, file=sys.stderr, flush=True)


def _step_words(what: str) -> str:
    """"Building CXX object harness/CMakeFiles/endaccept_harness.dir/src/x.cpp.o" as "compiling harness/src/x.cpp"."""
    match = _OBJECT.match(what)
    if not match:
        return what
    return "compiling " + re.sub(r"CMakeFiles/[^/]+\.dir/", "", match["object"])


def _run(command, what, quiet):
    """Runs CMake, showing its steps as they happen (configure: its own
    lines; build: one line per compile or link, rewritten in place on a
    terminal); all of its output when it fails."""
    live = not quiet and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    kept = []
    try:
        process = stopping.spawn(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 errors="replace")
    except FileNotFoundError:
        raise InternalError(f"cannot {what}: cmake is not installed (see README.md, set-up)") from None
    steps = 0
    with process.stdout:
        for line in process.stdout:
            line = line.rstrip("\n")
            kept = (kept + [line])[-_KEPT_LINES:]
            step = _STEP.match(line)
            if step:
                text = f"  {step['counter']} {_step_words(step['what'])}"
            elif what == "configure" and line.startswith("-- "):
                text = "  " + line[3:]
            else:
                continue
            steps += 1
            if quiet:
                continue
            if live:
                width = shutil.get_terminal_size(fallback=(80, 24)).columns
                sys.stderr.write("\r\033[K" + text[:max(width - 1, 1)])
            else:
                sys.stderr.write(text + "\n")
            sys.stderr.flush()
    code = process.wait()
    stopping.ended(process)
    stopping.raise_if_stopped()
    if live and steps:
        sys.stderr.write("\r\033[K")
    if code != 0:
        sys.stderr.write("\n".join(kept) + "\n")
        raise InternalError(f"{what} failed: {' '.join(command)}")
    _say(f"{what}: done ({steps} step(s))", quiet)


# Python test modules run side by side: they mostly wait on adapters and
# runners, so more of them than cores keep the machine busy without
# starving the timing they check (all of it one-sided or generous).
SELF_TEST_MODULES_PER_CORE = 2
_SELF_TEST_DURATIONS = "self-test-durations.json"
_RAN = re.compile(r"^Ran (\d+) tests? in", re.M)


def run_self_test(build_dir: Path) -> int:
    if INSTALLED:
        raise InputError("--self-test: an installed suite has no sources to test; run it in a checkout of the suite")
    ensure_built(build_dir)
    jobs = str(os.cpu_count() or 2)
    print("== CTest", file=sys.stderr)
    ctest = stopping.run(["ctest", "--test-dir", str(build_dir), "--output-on-failure", "--parallel", jobs], cwd=ROOT)
    print("== Python tests", file=sys.stderr)
    ran, failed = _python_tests(build_dir)
    ok = ctest.returncode == 0 and not failed
    print(f"self-test: CTest {'passed' if ctest.returncode == 0 else 'FAILED'}, "
          f"Python {ran} test(s) {'passed' if not failed else 'FAILED in ' + ', '.join(failed)}", file=sys.stderr)
    return EXIT_OK if ok else EXIT_UNEXPECTED


def _python_tests(build_dir: Path):
    """Runs every tests/test_*.py module in a process of its own, the
    longest (by the last self-test) first; returns the tests run and the
    modules that failed."""
    history_file = build_dir / _SELF_TEST_DURATIONS
    try:
        history = json.loads(history_file.read_text())
    except (OSError, ValueError):
        history = {}
    modules = sorted((path.stem for path in (ROOT / "tests").glob("test_*.py")),
                     key=lambda name: (-history.get(name, 0.0), name))
    environment = dict(os.environ, ENDACCEPT_BUILD_DIR=str(build_dir))
    lock = threading.Lock()
    ran, failed, durations = 0, [], {}

    def run(module):
        nonlocal ran
        started = time.monotonic()
        completed = stopping.run([sys.executable, "-m", "unittest", module], cwd=ROOT / "tests", env=environment,
                                 capture_output=True, text=True, errors="replace")
        seconds = time.monotonic() - started
        counted = _RAN.search(completed.stderr)
        with lock:
            durations[module] = seconds
            ran += int(counted.group(1)) if counted else 0
            verdict = "ok" if completed.returncode == 0 else "FAILED"
            print(f"  {module}: {counted.group(1) if counted else '?'} test(s) {verdict} ({seconds:.0f} s)",
                  file=sys.stderr, flush=True)
            if completed.returncode != 0:
                failed.append(module)
                sys.stderr.write(completed.stdout + completed.stderr)

    workers = SELF_TEST_MODULES_PER_CORE * (os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, modules))
    history_file.write_text(json.dumps(durations, indent=1, sort_keys=True))
    return ran, sorted(failed)
