"""Stopping a run from outside: SIGINT, SIGTERM and SIGHUP to
run_conformance.py (or to its process group). Every child the driver starts
(runners, and through them their adapters; CMake and its compilers) runs in
a process group of its own, started here; a stop signal is passed on to
each of those groups, the driver waits for them to end, writes no report
and exits 128 + the signal (129, 130, 143).

The handler only records the signal and passes it on: the code that is
running then sees its children end, and `raise_if_stopped` turns that into
`Stopped` at the next point where the run would start something new or
commit its reports."""

import ctypes
import os
import signal
import subprocess
import threading
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGTERM)
# A child's grace between the passed-on signal and SIGKILL to its group: the
# runner ends its adapters (each in a group of its own, under the runner as
# subreaper) within its exit grace; this is a bound on a runner that does not.
KILL_AFTER_S = 30.0

_children = []  # live Popen objects, each the leader of its own process group
_stopped_by = None  # the first stop signal received


class Stopped(Exception):
    def __init__(self, signum: int):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


def install() -> None:
    """From the main thread, before the first child is started."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _on_stop_signal)
    _become_child_subreaper()


_PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def _become_child_subreaper() -> None:
    """Orphans of the run (an adapter whose runner was killed) become the
    driver's children instead of init's, so end_orphans can find them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (AttributeError, OSError):
        pass  # not Linux: children's own groups are all there is


def end_orphans() -> list:
    """Kills and reaps every process that became the driver's child without
    being started by it (see _become_child_subreaper); returns their pids.
    Bounded: a few passes over /proc, for orphans that start orphans."""
    ended_pids = []
    own = {process.pid for process in _children}
    for _ in range(5):
        orphans = [pid for pid in _children_of(os.getpid()) if pid not in own]
        if not orphans:
            break
        for pid in orphans:
            for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
                try:
                    kill()
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            ended_pids.append(pid)
    return ended_pids


def _children_of(parent: int) -> list:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:  # fields after "pid (comm)": state, ppid, ...
            found.append(int(entry))
    return found


def stopped_by():
    return _stopped_by


def raise_if_stopped() -> None:
    if _stopped_by is not None:
        raise Stopped(_stopped_by)


def _on_stop_signal(signum, _frame) -> None:
    global _stopped_by
    first = _stopped_by is None
    if first:
        _stopped_by = signum
        watchdog = threading.Timer(KILL_AFTER_S, _kill_every_group)
        watchdog.daemon = True
        watchdog.start()
    # Set before the children are read: a child started concurrently either
    # is in the list or sees the flag (spawn), so none is missed.
    for process in list(_children):
        _signal_group(process, signum)


def _signal_group(process, signum) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass  # already ended (and reaped)


def _kill_every_group() -> None:
    for process in list(_children):
        if process.poll() is None:
            _signal_group(process, signal.SIGKILL)


def spawn(command, **popen_arguments) -> subprocess.Popen:
    """subprocess.Popen in a process group of its own that a stop signal reaches."""
    raise_if_stopped()
    process = subprocess.Popen(command, process_group=0, **popen_arguments)
    _children.append(process)
    if _stopped_by is not None:
        _signal_group(process, _stopped_by)
    return process


def ended(process) -> None:
    """After `process` has been waited for."""
    try:
        _children.remove(process)
    except ValueError:
        pass


def run(command, **arguments) -> subprocess.CompletedProcess:
    """subprocess.run through spawn; raises Stopped when a stop signal ended it."""
    capture = arguments.pop("capture_output", False)
    if capture:
        arguments.setdefault("stdout", subprocess.PIPE)
        arguments.setdefault("stderr", subprocess.PIPE)
    process = spawn(command, **arguments)
    try:
        stdout, stderr = process.communicate()
    finally:
        if process.poll() is None:
            _signal_group(process, signal.SIGKILL)
            process.wait()
        ended(process)
    raise_if_stopped()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@contextmanager
def signals_blocked():
    """No stop signal is handled in this thread inside the block (they wait
    until it ends): for the few renames that replace a report set."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
