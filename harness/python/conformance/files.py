"""The suite's files and failures: JSON read and written atomically (a reader
never sees half a file), and the errors, with their exit statuses, that bad
input and the suite's own failures raise."""

import json
import os
import stat
import tempfile
from pathlib import Path


EXIT_OK = 0  # every result as expected
EXIT_UNEXPECTED = 1  # at least one unexpected result (or a surviving mutant)
EXIT_INPUT = 2  # bad usage or bad input files
EXIT_INTERNAL = 3  # the suite itself failed


class InputError(Exception):
    """Bad input (a file, an option); reported in one line, exit status 2."""


class InternalError(Exception):
    """The suite failed (build broken, runner crashed); exit status 3."""


def read_json(path: Path):
    """A JSON file the judge has validated (or is about to: the checks of
    content, e.g. repeated member names, are the judge's reader's). Only
    what keeps this reader from hanging is checked here: a FIFO or device is
    refused without waiting for a writer."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read: {error.strerror}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
            raise InputError(f"{path}: /: {kind}, not a regular file")
        with os.fdopen(descriptor, encoding="utf-8") as handle:
            descriptor = None
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: /: malformed JSON at line {error.lineno} column {error.colno}: {error.msg}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: /: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read: {error.strerror}") from None
    finally:
        if descriptor is not None:
            os.close(descriptor)


def runner_input_error(stderr: str, fallback: str) -> InputError:
    """The judge's own message for its exit status 2: its "error:" line (the
    usage it prints after a usage error is not the news)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    chosen = errors[0] if errors else (lines[-1] if lines else "")
    return InputError(chosen.removeprefix("error: ") or fallback)


def write_text_atomically(path: Path, text: str) -> None:
    """Readers never see a half-written file: write a sibling, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a report, or docs/CONTRACT.md,
        # should get the mode any other new file gets (0644 under umask 022).
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _umask() -> int:
    """The process's umask, read without changing it (os.umask can only set
    it, which would race with threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def write_json_atomically(path: Path, value) -> None:
    write_text_atomically(path, json.dumps(value, indent=2, ensure_ascii=False) + "\n")
