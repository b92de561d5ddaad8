"""Case steps in plain words, one renderer per op of cases/case.schema.json.

    {"op": "end_accept", "socket": "L", "result": "r1", "as": "a1", "expect": "Socket"}
    -> "EndAccept on L with r1 → returns a socket (a1)"

Used by docs/CONTRACT.md and the HTML report, so a reader of either sees the
same sentence for the same step. Names (L, r1, c1, ...) stay as the case
wrote them: they are how the steps refer to each other. A test renders every
step of every case and requires a renderer for every op in the schema.
"""

import re

# The judge's defaults (cases/README.md, "Outcomes and time"); shown only
# when a step sets its own value, as the defaults apply everywhere else.
DEFAULT_HOLD_MS = 100
DEFAULT_WITHIN_MS = 5000

_EXCEPTIONS = {
    "ArgumentNull": "ArgumentNullException",
    "Argument": "ArgumentException",
    "ObjectDisposed": "ObjectDisposedException",
    "InvalidOperation": "InvalidOperationException",
    "NotSupported": "NotSupportedException",
}
_WINSOCK_NAMES = {10004: "WSAEINTR", 10009: "WSAEBADF", 10013: "WSAEACCES", 10022: "WSAEINVAL",
                  10024: "WSAEMFILE", 10035: "WSAEWOULDBLOCK", 10038: "WSAENOTSOCK", 10053: "WSAECONNABORTED",
                  10054: "WSAECONNRESET", 10055: "WSAENOBUFS", 10057: "WSAENOTCONN", 10058: "WSAESHUTDOWN"}


def outcome_words(outcome: str) -> str:
    """An outcome of the case vocabulary ("Socket", "SocketError(10024)") as a phrase."""
    if outcome == "Returned":
        return "returns"
    if outcome == "Socket":
        return "returns a socket"
    if outcome in _EXCEPTIONS:
        return f"throws {_EXCEPTIONS[outcome]}"
    if outcome == "SocketError":
        return "throws SocketException (any Windows Sockets code)"
    code = re.fullmatch(r"SocketError\((\d+)\)", outcome or "")
    if code:
        number = int(code[1])
        name = _WINSOCK_NAMES.get(number)
        return f"throws SocketException with ErrorCode {number}" + (f" ({name})" if name else "")
    return str(outcome)


def state_words(state) -> str:
    """An AsyncState description: null, {"socket": "L"} or {"object": "token-1"}."""
    if state is None:
        return "null"
    if "socket" in state:
        return f"the socket {state['socket']}"
    if "object" in state:
        return f"the object {state['object']}"
    return str(state)


def _quoted(data: str) -> str:
    shown = data if len(data) <= 40 else data[:37] + "..."
    return f"\u201c{shown}\u201d ({_bytes(len(data))})"


def _bytes(count: int) -> str:
    return "1 byte" if count == 1 else f"{count} bytes"


def _within(step) -> str:
    return f" within {step['within_ms']} ms" if "within_ms" in step else ""


def _hold(step) -> str:
    return f"{step.get('hold_ms', DEFAULT_HOLD_MS)} ms"


def _listen(step):
    family = " (IPv6, ::1)" if step.get("family") == "ipv6" else ""
    backlog = f", backlog {step['backlog']}" if "backlog" in step else ""
    return f"{step['socket']} listens on loopback{family}{backlog}"


def _begin_accept(step):
    extras = []
    if "state" in step:
        extras.append(f"AsyncState {state_words(step['state'])}")
    callback = step.get("callback")
    if callback == "none":
        extras.append("no callback")
    elif callback == "record":
        extras.append("a callback that records its calls")
    elif callback == "end_in_callback":
        pattern = "the documented callback (EndAccept inside it"
        if "accept_as" in step:
            pattern += f" \u2192 {step['accept_as']}"
        if "receive" in step:
            pattern += f", then start receiving {_bytes(step['receive'])}"
        extras.append(pattern + ")")
    text = f"BeginAccept on {step['socket']}"
    if extras:
        text += " with " + " and ".join(extras)
    if "expect" in step and step["expect"] != "Returned":
        return f"{text} \u2192 {outcome_words(step['expect'])}"
    return f"{text} \u2192 {step['result']}"


def _end_accept(step):
    result = "a null result" if step.get("result") is None else step["result"]
    text = f"EndAccept on {step['socket']} with {result}"
    keep = f" (stored as {step['as']})" if "as" in step else ""
    if "in_background" in step:
        return f"{text}, on another thread as task {step['in_background']}{keep}"
    outcome = outcome_words(step["expect"])
    if step["expect"] == "Socket" and "as" in step:
        outcome += f" ({step['as']})"
    return f"{text} \u2192 {outcome}{_within(step)}"


def _make_foreign_result(step):
    if step["kind"] == "other-operation":
        where = f" (BeginConnect to {step['target']})" if "target" in step else ""
        return f"Make {step['result']}: the IAsyncResult of a different asynchronous operation{where}"
    return f"Make {step['result']}: an IAsyncResult the caller implemented itself"


def _close(step):
    text = f"Close {step['socket']}"
    if "expect" in step and step["expect"] != "Returned":
        text += f" \u2192 {outcome_words(step['expect'])}"
    return text


def _await(step):
    within = _within(step) or " within the deadline"
    return f"Task {step['task']} finishes{within} and {outcome_words(step['expect'])}"


def _await_all(step):
    outcomes = "; ".join(outcome_words(o) for o in step["expect_each_of"])
    within = _within(step) or " within the deadline"
    return f"Tasks {', '.join(step['tasks'])} all finish{within}, one each: {outcomes}"


def _exchange(step):
    payload = _quoted(step["data"]) if "data" in step else "Bytes"
    return f"{payload} go from client {step['client']} to {step['socket']}, and back{_within(step)}"


def _expect_result(step):
    facts = []
    if "is_completed" in step:
        facts.append(f"IsCompleted = {str(step['is_completed']).lower()}")
    if "completed_synchronously" in step:
        facts.append(f"CompletedSynchronously = {str(step['completed_synchronously']).lower()}")
    if "async_state" in step:
        facts.append(f"AsyncState is {state_words(step['async_state'])}")
    return f"{step['result']} reports " + ", ".join(facts) if facts else f"{step['result']} can be inspected"


def _expect_wait_handle(step):
    if step["signalled"]:
        return f"{step['result']}'s AsyncWaitHandle is signalled{_within(step) or ' within the deadline'}"
    return f"{step['result']}'s AsyncWaitHandle stays unsignalled for {_hold(step)}"


def _expect_callback(step):
    calls = step.get("calls", 1)
    if calls == 0:
        return f"{step['result']}'s callback does not run (watched for {_hold(step)})"
    times = "once" if calls == 1 else "twice" if calls == 2 else f"{calls} times"
    facts = []
    if "on_begin_thread" in step:
        facts.append("on the BeginAccept thread" if step["on_begin_thread"] else "not on the BeginAccept thread")
    if "begin_returned" in step:
        facts.append("after BeginAccept returned" if step["begin_returned"] else "before BeginAccept returned")
    if "same_result" in step:
        facts.append("given the result BeginAccept returned" if step["same_result"]
                     else "given a result other than the one BeginAccept returned")
    if "async_state" in step:
        facts.append(f"seeing AsyncState {state_words(step['async_state'])}")
    if "end_outcome" in step:
        facts.append(f"its EndAccept {outcome_words(step['end_outcome'])}")
    text = f"{step['result']}'s callback runs exactly {times}{_within(step)}"
    return text + (", " + ", ".join(facts) if facts else "")


_RENDERERS = {
    "listen": _listen,
    "begin_accept": _begin_accept,
    "end_accept": _end_accept,
    "make_foreign_result": _make_foreign_result,
    "close": _close,
    "connect": lambda s: f"Client {s['client']} connects to {s['to']}",
    "close_client": lambda s: f"Client {s['client']} closes its connection",
    "send_from_client": lambda s: f"Client {s['client']} sends {_quoted(s['data'])}",
    "expect_blocked": lambda s: f"Task {s['task']} is still blocked after {_hold(s)}",
    "await": _await,
    "await_all": _await_all,
    "expect_connected": lambda s: (f"{s['socket']} is a new socket (not {s['listener']}), connected to client "
                                   f"{s['client']} with mirrored endpoints"),
    "expect_pairing": lambda s: (f"{', '.join(s['sockets'])} are each connected to a different one of clients "
                                 f"{', '.join(s['clients'])} (not {s['listener']})"),
    "exchange": _exchange,
    "expect_received": lambda s: (f"The receive started in the callback on {s['socket']} gets "
                                  f"{_quoted(s['data'])}{_within(s)}"),
    "expect_result": _expect_result,
    "expect_wait_handle": _expect_wait_handle,
    "expect_callback": _expect_callback,
    "snapshot_descriptors": lambda s: f"Count the adapter's open descriptors as {s['as']}",
    "expect_descriptors": lambda s: (f"The adapter's open descriptors are back to {s['same_as']}"
                                     f"{_within(s) or ' within the deadline'}"),
    "limit_descriptors": lambda s: "Lower the adapter's descriptor limit so no new descriptor can be created",
    "restore_descriptors": lambda s: "Restore the adapter's descriptor limit",
    "set_tracing": lambda s: f"Switch the implementation's network tracing {'on' if s['enabled'] else 'off'}",
    "expect_trace": lambda s: f"Some trace line contains \u201c{s['contains']}\u201d{_within(s)}",
}

OPS = frozenset(_RENDERERS)


def step_words(step: dict) -> str:
    """The step as a sentence, without its note (see `note_of`)."""
    render = _RENDERERS.get(step.get("op"))
    if render is None:
        # A newer case vocabulary than this renderer: still say something true.
        fields = ", ".join(f"{k}={v!r}" for k, v in step.items() if k not in ("op", "note"))
        return f"{step.get('op', '?')}({fields})"
    try:
        return render(step)
    except KeyError as missing:  # a malformed step in a report from elsewhere
        return f"{step.get('op')} (incomplete step: no {missing})"


def note_of(step: dict) -> str:
    return step.get("note", "")
