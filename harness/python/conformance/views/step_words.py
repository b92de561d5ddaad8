"""Case steps in plain words, from the words template that each step op
declares beside its execution (harness/src/steps/*_steps.cpp) and that the
generated cases/case.schema.json carries as "x-words".

    {"op": "end_accept", "socket": "L", "result": "r1", "as": "a1", "expect": "Socket"}
    -> "EndAccept on L with r1 → returns a socket (a1)"

Used by docs/CONTRACT.md, cases/STEPS.md and the HTML report, so a reader of
any of them sees the same sentence for the same step.

A template is a string, a list of templates (concatenated), or a join:
{"join": SEP, "items": [...], "before": B, "after": A, "otherwise": O}
(the non-empty items joined; B and A around them; O when all are empty).
In a string:
  {field}                 the field's value in words (its default if absent)
  {field=v1:T1|v2:T2|*:T} the template of the first value that matches
  [T]                     T, only when every field T names directly is present
  [T|U]                   T when it can be shown, else U
"""

import json
from functools import lru_cache

from conformance.model.vocabulary import outcome_words
from conformance.paths import CASES


@lru_cache(maxsize=1)
def _declarations() -> dict:
    schema = json.loads((CASES / "case.schema.json").read_text(encoding="utf-8"))
    declared = {}
    for name, definition in schema["definitions"].items():
        if name.startswith("step_") and "x-words" in definition:
            declared[name[len("step_"):]] = definition
    return declared


OPS = frozenset(_declarations())


def state_words(state) -> str:
    """An AsyncState description: null, {"socket": "L"} or {"object": "token-1"}."""
    if state is None:
        return "null"
    if isinstance(state, dict) and "socket" in state:
        return f"the socket {state['socket']}"
    if isinstance(state, dict) and "object" in state:
        return f"the object {state['object']}"
    return str(state)


def _bytes(count: int) -> str:
    return "1 byte" if count == 1 else f"{count} bytes"


def _quoted(data: str) -> str:
    shown = data if len(data) <= 40 else data[:37] + "..."
    return f"\u201c{shown}\u201d ({_bytes(len(data))})"


_BY_TYPE = {
    "name": str,
    "name-or-null": lambda v: "null" if v is None else str(v),
    "names": lambda v: ", ".join(map(str, v)),
    "outcome": outcome_words,
    "outcomes": lambda v: "; ".join(outcome_words(o) for o in v),
    "state": state_words,
    "data": _quoted,
    "byte-count": _bytes,
    "hold": lambda v: f"{v} ms",
    "deadline": lambda v: f"{v} ms",
    "count": str,
    "boolean": lambda v: "true" if v else "false",
    "choice": str,
    "text": str,
}


class _Absent(Exception):
    """A field an optional group needs is not in the step."""


def _literal(value) -> str:
    return json.dumps(value) if not isinstance(value, str) else value


def _closing(text: str, start: int, opening: str, closing: str) -> int:
    depth = 0
    for at in range(start, len(text)):
        if text[at] in "{[":
            depth += 1
        elif text[at] in "}]":
            depth -= 1
            if depth == 0:
                if text[at] != closing:
                    break
                return at
    raise ValueError(f"unbalanced {opening} in words template: {text!r}")


def _split_top(text: str, separator: str) -> list:
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current]


class _Renderer:
    def __init__(self, declaration: dict, step: dict):
        self.step = step
        self.fields = {f["name"]: f for f in declaration.get("x-fields", [])}
        self.defaults = {name: spec["default"] for name, spec in declaration.get("properties", {}).items()
                         if isinstance(spec, dict) and "default" in spec}
        for name, spec in declaration.get("properties", {}).items():
            ref = (spec.get("allOf") or [{}])[0].get("$ref", "") if isinstance(spec, dict) else ""
            if name not in self.defaults and ref in ("#/definitions/hold_ms", "#/definitions/within_ms"):
                self.defaults[name] = _schema_defaults()[ref.rsplit("/", 1)[1]]

    def value(self, name: str, strict: bool):
        if name in self.step:
            return self.step[name]
        if not strict and name in self.defaults:
            return self.defaults[name]
        raise _Absent(name)

    def words_of(self, name: str, strict: bool) -> str:
        value = self.value(name, strict)
        kind = self.fields.get(name, {}).get("type", "text")
        return _BY_TYPE.get(kind, str)(value)

    def render(self, template, strict: bool = False) -> str:
        if isinstance(template, list):
            return "".join(self.render(part, strict) for part in template)
        if isinstance(template, dict):
            items = [self.render(item, strict) for item in template["items"]]
            shown = [item for item in items if item]
            if not shown:
                return template.get("otherwise", "")
            return template.get("before", "") + template["join"].join(shown) + template.get("after", "")
        return self._text(template, strict)

    def _text(self, text: str, strict: bool) -> str:
        out, at = "", 0
        while at < len(text):
            char = text[at]
            if char == "[":
                end = _closing(text, at, "[", "]")
                choices = _split_top(text[at + 1:end], "|")
                out += self._first_shown(choices, strict)
                at = end + 1
            elif char == "{":
                end = _closing(text, at, "{", "}")
                out += self._placeholder(text[at + 1:end], strict)
                at = end + 1
            else:
                out += char
                at += 1
        return out

    def _first_shown(self, choices: list, strict: bool) -> str:
        for index, choice in enumerate(choices):
            last = index == len(choices) - 1
            try:
                return self._text(choice, strict=not last or len(choices) == 1)
            except _Absent:
                if last:
                    return ""
        return ""

    def _placeholder(self, body: str, strict: bool) -> str:
        name, _, alternatives = body.partition("=")
        if not alternatives:
            return self.words_of(name, strict)
        value = _literal(self.value(name, strict))
        for alternative in _split_top(alternatives, "|"):
            expected, _, template = alternative.partition(":")
            if expected in (value, "*"):
                return self._text(template, strict)
        return ""


@lru_cache(maxsize=1)
def _schema_defaults() -> dict:
    schema = json.loads((CASES / "case.schema.json").read_text(encoding="utf-8"))
    return {name: schema["definitions"][name]["default"] for name in ("hold_ms", "within_ms")}


def step_words(step: dict) -> str:
    """The step as a sentence, without its note (see `note_of`)."""
    declaration = _declarations().get(step.get("op"))
    if declaration is None:
        # A newer case vocabulary than this checkout: still say something true.
        fields = ", ".join(f"{k}={v!r}" for k, v in step.items() if k not in ("op", "note"))
        return f"{step.get('op', '?')}({fields})"
    try:
        return _Renderer(declaration, step).render(declaration["x-words"])
    except _Absent as missing:  # a malformed step in a report from elsewhere
        return f"{step.get('op')} (incomplete step: no {missing})"


def note_of(step: dict) -> str:
    return step.get("note", "")


def steps_as_text(result: dict) -> str:
    """One line per step that ran; the step that went wrong also gets its
    expected and observed values, which is where a reader looks first."""
    lines = []
    for record in result.get("steps", []):
        if record.get("ran", True) is False:
            lines.append(f"[skip] step {record['index']}: {step_words(record['step'])} (not run: "
                         f"{record.get('not_run_because', '')})")
            continue
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
