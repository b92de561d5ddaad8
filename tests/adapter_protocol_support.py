"""Drives one adapter process directly over the line protocol of
spec/adapter-protocol.md, and judges every reply line against that spec.
Standard library only.

Every read has a deadline and the process is always killed at the end: an
adapter that hangs or floods fails its test instead of hanging the suite."""

import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from harness_support import BUILD_DIR, ROOT

ADAPTERS_DIR = ROOT / "adapters"
ERROR_CODES = {"unsupported", "bad_request", "unknown_name", "internal"}
MAX_LINE_BYTES = 1024 * 1024
# Safety nets only, never performance targets: a loaded two-core machine
# may take seconds to start a runtime or answer a request.
REPLY_DEADLINE_S = 30.0
EXIT_DEADLINE_S = 30.0
# How long a line that must get no reply is given to produce one anyway.
SILENCE_S = 0.3


class ProtocolBroken(AssertionError):
    """The adapter broke the framing or reply rules of the spec."""


def in_tree_adapters():
    """name -> parsed adapters/<name>/adapter.json."""
    return {path.parent.name: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(ADAPTERS_DIR.glob("*/adapter.json"))}


def _expand(text):
    return text.replace("{build}", str(BUILD_DIR)).replace("{root}", str(ROOT))


def missing_reason(definition):
    """Why this adapter cannot be started here, or None."""
    requires = definition.get("requires", {})
    for program in requires.get("programs", []):
        if shutil.which(program) is None:
            return f"program '{program}' is not on PATH"
    for pattern in requires.get("files", []):
        if not Path(_expand(pattern)).exists():
            return f"{_expand(pattern)} has not been built"
    return None


def check_reply_shape(reply):
    """The members a reply must and may have, whatever it answers."""
    if not isinstance(reply, dict):
        raise ProtocolBroken(f"reply is not a JSON object: {reply!r}")
    if not isinstance(reply.get("id"), int) or isinstance(reply.get("id"), bool):
        raise ProtocolBroken(f"reply has no integer id: {reply!r}")
    if reply.get("ok") is True:
        if set(reply) != {"id", "ok", "result"} or not isinstance(reply["result"], dict):
            raise ProtocolBroken(f"a successful reply is exactly id, ok and a result object: {reply!r}")
    elif reply.get("ok") is False:
        error = reply.get("error")
        if set(reply) != {"id", "ok", "error"} or not isinstance(error, dict):
            raise ProtocolBroken(f"a failed reply is exactly id, ok and an error object: {reply!r}")
        if error.get("code") not in ERROR_CODES or not isinstance(error.get("message"), str):
            raise ProtocolBroken(f"error needs a code of {sorted(ERROR_CODES)} and a string message: {reply!r}")
    else:
        raise ProtocolBroken(f"reply has no boolean ok: {reply!r}")


def _reject_duplicate_members(pairs):
    names = [name for name, _ in pairs]
    if len(names) != len(set(names)):
        raise ProtocolBroken(f"reply repeats a member name: {names}")
    return dict(pairs)


def parse_reply_line(raw):
    if len(raw) > MAX_LINE_BYTES:
        raise ProtocolBroken(f"reply line of {len(raw)} bytes is over the 1 MiB limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ProtocolBroken(f"reply line is not UTF-8: {e}") from None
    try:
        reply = json.loads(text, object_pairs_hook=_reject_duplicate_members)
    except ValueError as e:
        raise ProtocolBroken(f"reply line is not JSON ({e}): {text[:200]!r}") from None
    check_reply_shape(reply)
    return reply


class AdapterProcess:
    """One adapter process; `with` guarantees it is killed."""

    def __init__(self, definition):
        command = [_expand(part) for part in definition["command"]]
        # As the harness does: a clean environment plus what adapter.json asks for.
        environment = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
        environment.update(definition.get("env", {}))
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=self._stderr, env=environment, cwd=ROOT)
        self._lines = queue.Queue()
        threading.Thread(target=self._read_stdout, daemon=True).start()

    def _read_stdout(self):
        # Raw lines, so that a reply that breaks framing is still seen as it is.
        for raw in iter(self._process.stdout.readline, b""):
            self._lines.put(raw)
        self._lines.put(None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def kill(self):
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def stderr_tail(self):
        self._stderr.seek(0)
        return self._stderr.read()[-3000:].decode("utf-8", "replace")

    def write(self, data: bytes):
        self._process.stdin.write(data)
        self._process.stdin.flush()

    def send(self, request):
        """A request object (or raw text/bytes) as one line."""
        if isinstance(request, dict):
            request = json.dumps(request, ensure_ascii=False)
        if isinstance(request, str):
            request = request.encode("utf-8")
        self.write(request + b"\n")

    def next_line(self, deadline_s=REPLY_DEADLINE_S):
        """The next raw stdout line, or None at end of stdout."""
        try:
            raw = self._lines.get(timeout=deadline_s)
        except queue.Empty:
            raise ProtocolBroken(f"no reply line within {deadline_s} s\n--- stderr\n{self.stderr_tail()}") from None
        if raw is None:
            return None
        if not raw.endswith(b"\n"):
            raise ProtocolBroken(f"reply line not terminated by a newline: {raw[:200]!r}")
        return raw[:-1]

    def reply(self, deadline_s=REPLY_DEADLINE_S):
        raw = self.next_line(deadline_s)
        if raw is None:
            raise ProtocolBroken(f"stdout closed; exit status {self._process.poll()}\n--- stderr\n"
                                 f"{self.stderr_tail()}")
        return parse_reply_line(raw)

    def expect_silence(self, seconds=SILENCE_S):
        """No reply line arrives within `seconds` (a line that gets no reply)."""
        try:
            raw = self._lines.get(timeout=seconds)
        except queue.Empty:
            return
        raise ProtocolBroken(f"unexpected reply line: {raw[:200]!r}")

    def close_stdin_and_wait(self, deadline_s=EXIT_DEADLINE_S):
        """Exit status after stdin is closed, or None if still running at the deadline."""
        self._process.stdin.close()
        try:
            return self._process.wait(timeout=deadline_s)
        except subprocess.TimeoutExpired:
            return None

    def remaining_stdout(self):
        lines = []
        while True:
            raw = self._lines.get(timeout=REPLY_DEADLINE_S)
            if raw is None:
                return lines
            lines.append(raw)
