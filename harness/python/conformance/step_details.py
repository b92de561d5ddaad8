"""The steps of a result as plain text: what a failure message in JUnit (or a
log) shows below its one-line summary."""

from .step_words import note_of, step_words


def steps_as_text(result: dict) -> str:
    """One line per step that ran; the step that went wrong also gets its
    expected and observed values, which is where a reader looks first."""
    lines = []
    for record in result.get("steps", []):
        mark = "ok  " if record["ok"] else "FAIL"
        lines.append(f"[{mark}] step {record['index']}: {step_words(record['step'])} ({record['elapsed_ms']:.1f} ms)")
        if not record["ok"]:
            lines.append(f"       expected: {record['expected']}")
            lines.append(f"       observed: {record['observed']}")
            if note_of(record["step"]):
                lines.append(f"       note: {note_of(record['step'])}")
    if not lines:
        lines.append("(no step ran)")
    descriptors = result.get("descriptors") or {}
    if descriptors.get("start") is not None or descriptors.get("end") is not None:
        start, end = (descriptors.get(k) for k in ("start", "end"))
        lines.append(f"open descriptors: {'?' if start is None else start} at start, "
                     f"{'not measured (the case stopped early)' if end is None else end} at end")
    if result.get("adapter_exit"):
        lines.append(f"adapter process: {result['adapter_exit']}")
    return "\n".join(lines)
