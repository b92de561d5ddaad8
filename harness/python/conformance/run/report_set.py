"""The report directory (--report-dir) and the set of files one command
writes into it (a run: <adapter>.json, .junit.xml, summary.md, index.html;
--mutants: mutants.json and mutants/; --merge, --render).

The directory is checked before anything runs. The new files are written
into a staging directory inside it (same file system, so a rename moves
them) and moved into place together at the end, with the stop signals
blocked, only when the command got that far: the directory then holds the
files of the previous command, or every file of the new one, never some of
each. Files of other commands (another adapter's report) stay as they are."""

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

from conformance.files import InputError
from conformance.run import stopping

# Pseudo file systems: what is written there is not a file.
_NOT_FOR_FILES = (Path("/proc"), Path("/sys"))
_STAGING_PREFIX = ".incoming-"


def check_report_dir(report_dir: Path) -> None:
    """InputError unless `report_dir` is, or can be created as, a writable directory."""
    resolved = Path(os.path.realpath(report_dir))
    for top in _NOT_FOR_FILES:
        if resolved == top or top in resolved.parents:
            raise InputError(f"--report-dir {report_dir}: inside {top}, which holds no files")
    existing = resolved
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = "is" if existing == resolved else f"would be created under {existing}, which is"
        raise InputError(f"--report-dir {report_dir}: {what} not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"--report-dir {report_dir}: {existing} is not writable")


class ReportSet:
    """with ReportSet(dir) as reports: write into reports.staging, then reports.commit()."""

    def __init__(self, report_dir: Path):
        self.report_dir = Path(report_dir)
        self.staging = None
        self._created = False

    def __enter__(self):
        check_report_dir(self.report_dir)
        self._created = not self.report_dir.exists()
        self.report_dir.mkdir(parents=True, exist_ok=True)
        _remove_abandoned_staging(self.report_dir)
        self.staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=self.report_dir))
        return self

    def commit(self) -> None:
        """Moves every staged file into the report directory; Stopped (and
        nothing moved) when a stop signal came first."""
        with stopping.signals_blocked():
            stopping.raise_if_stopped()
            for entry in sorted(self.staging.iterdir()):
                target = self.report_dir / entry.name
                if entry.is_dir() and target.is_dir() and not target.is_symlink():
                    _exchange(entry, target)  # the old directory is now at `entry`, removed below
                else:
                    if target.is_dir() and not target.is_symlink():
                        shutil.rmtree(target)
                    os.replace(entry, target)

    def __exit__(self, *_):
        shutil.rmtree(self.staging, ignore_errors=True)
        if self._created:
            try:
                self.report_dir.rmdir()  # only if the command wrote nothing into it
            except OSError:
                pass


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> None:
    """Swaps two directories in one step (renameat2 RENAME_EXCHANGE); where
    the kernel or file system cannot, moves the old one aside first."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
            return
        if ctypes.get_errno() not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))
    except AttributeError:
        pass  # no renameat2 in this C library
    aside = first.with_name(first.name + ".old")
    os.rename(second, aside)
    os.rename(first, second)
    os.rename(aside, first)


def _remove_abandoned_staging(report_dir: Path) -> None:
    """Staging directories of commands that were killed (SIGKILL) before they ended."""
    for entry in report_dir.glob(_STAGING_PREFIX + "*"):
        pid = entry.name[len(_STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(entry, ignore_errors=True)
