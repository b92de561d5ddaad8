"""reports/repro/<case-id>.cs: for every case where a real implementation has
a recorded deviation (adapters/<name>/expectations.json), a standalone C#
program that performs the case's steps with plain System.Net.Sockets on
loopback, prints what it observed beside what the contract says, and exits
1 when the runtime deviates, 0 when it conforms (2 when it could not run).

Each step's C# is the template its op declares beside its execution
(harness/src/steps/*_steps.cpp, "x-csharp" in cases/case.schema.json); what
all steps share is reproducer_prelude.cs. C# 6, so Mono's mcs compiles each
file alone and the .NET SDK builds it too:

    mcs -langversion:6 -out:r.exe reports/repro/end-twice/sequential.cs && mono r.exe
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from conformance.files import InputError, read_json, write_text_atomically
from conformance.model.catalog import load_catalog
from conformance.model.vocabulary import PASS, vocabulary
from conformance.paths import ADAPTERS, CASES, REPORTS, relative
from conformance.views.step_words import step_words

REPRO = REPORTS / "repro"
PRELUDE = Path(__file__).with_name("reproducer_prelude.cs")
# The implementations whose findings get reproducers: the C# runtimes.
RUNTIMES = ("dotnet", "mono")


@lru_cache(maxsize=1)
def _declarations() -> dict:
    schema = json.loads((CASES / "case.schema.json").read_text(encoding="utf-8"))
    return {name[len("step_"):]: d for name, d in schema["definitions"].items() if name.startswith("step_")}


def recorded_deviations(runtime: str) -> dict:
    """{case id: expected status} of the runtime's expectations that are not PASS."""
    path = ADAPTERS / runtime / "expectations.json"
    entries = read_json(path).get("expectations", {}) if path.exists() else {}
    return {case_id: entry["status"] for case_id, entry in entries.items() if entry.get("status") != PASS}


def reproduced_case_ids() -> list:
    ids = set()
    for runtime in RUNTIMES:
        ids |= set(recorded_deviations(runtime))
    return sorted(ids)


def repro_path(case_id: str) -> Path:
    return REPRO / f"{case_id}.cs"


def namespace_of(case_id: str) -> str:
    return "Reproduce." + "_".join(part.replace("-", "_") for part in re.split(r"[/]", case_id))


def _literal(value) -> str:
    """A C# literal for a field value of a case step."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)  # a JSON string is a valid C# regular string literal
    if isinstance(value, list):
        return "new string[] { " + ", ".join(_literal(item) for item in value) + " }"
    if isinstance(value, dict) and len(value) == 1:
        (kind, name), = value.items()
        return f"new State({_literal(kind)}, {_literal(name)})"
    raise ValueError(f"no C# literal for {value!r}")


def _names(declaration: dict, step: dict, role: str) -> list:
    names = []
    for field in declaration["x-fields"]:
        value = step.get(field["name"])
        if value is None:
            continue
        if role in field or (role == "uses" and field["type"] == "state" and isinstance(value, dict)):
            if isinstance(value, str):
                names.append(value)
            elif isinstance(value, list):
                names += value
            elif isinstance(value, dict) and "socket" in value:
                names.append(value["socket"])
    return names


def _step_code(index: int, step: dict) -> str:
    declaration = _declarations()[step["op"]]
    fields = {}
    for name, spec in declaration["properties"].items():
        if name in ("op", "note", "then"):
            continue
        if name in step:
            fields[name] = step[name]
        elif "default" in spec:
            fields[name] = spec["default"]
    entries = ", ".join(f"{{ {_literal(name)}, {_literal(value)} }}" for name, value in fields.items())
    stops = declaration["x-after-failure"] == "stop" or step.get("then") == "stop"
    return (f"            Run(new Step {{ Index = {index}, Words = {_literal(step_words(step))},\n"
            f"                Uses = {_literal(_names(declaration, step, 'uses'))}, "
            f"Defines = {_literal(_names(declaration, step, 'defines'))}, StopsCase = {_literal(stops)},\n"
            f"                Fields = {{ {entries} }} }}, Op_{step['op']});")


def _kinds() -> str:
    lines = []
    for outcome in vocabulary()["outcomes"]:
        for type_name in re.sub(r"\s*\(.*?\)", "", outcome["dotnet"]).split(","):
            type_name = type_name.strip()
            if re.fullmatch(r"[A-Za-z]+Exception", type_name):
                lines.append(f'            if (e is {type_name}) return "{outcome["kind"]}";')
    return "\n".join(lines)


def _defaults() -> str:
    v = vocabulary()
    return "\n".join([
        f"        public const int DefaultWithinMs = {v['timing']['within_ms']['default']};",
        f"        public const int DefaultHoldMs = {v['timing']['hold_ms']['default']};",
        f"        public const int WindowsSocketsFirst = {v['windows_sockets']['first']};",
        f"        public const int WindowsSocketsLast = {v['windows_sockets']['last']};"])


def _comment(text: str, width: int = 100) -> list:
    words, lines, line = text.split(), [], "//"
    for word in words:
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "//"
        line += " " + word
    return lines + [line]


def render_reproducer(case: dict) -> str:
    missing = sorted({s["op"] for s in case["steps"] if "x-csharp" not in _declarations()[s["op"]]})
    if missing:
        raise InputError(f"{case['file']}: case {case['id']} cannot be reproduced standalone: "
                         f"op {', '.join(missing)} declares no C# (harness/src/steps/)")
    recorded = {runtime: recorded_deviations(runtime).get(case["id"], PASS) for runtime in RUNTIMES}
    header = [f"// Reproducer of {case['id']} ({case['level']}, {', '.join(case['clauses'])}): {case['title']}",
              "// Generated by `python3 run_conformance.py --repro` from "
              f"{case['file']} and the C# of each step op; do not edit.",
              "// Recorded: " + "; ".join(f"{runtime} {status}" for runtime, status in recorded.items()) + ".",
              "// Exit status: 0 the runtime conforms, 1 it deviates, 2 the reproducer could not run.",
              "//   mcs -langversion:6 -out:repro.exe THIS.cs && mono repro.exe [--timeout-scale N]", "//"]
    header += _comment(case["explanation"])
    prelude = PRELUDE.read_text(encoding="utf-8")
    prelude = (prelude.replace("@@NAMESPACE@@", namespace_of(case["id"]))
               .replace("@@KINDS@@", _kinds()).replace("@@DEFAULTS@@", _defaults()))
    ops = []
    for step in case["steps"]:
        if step["op"] not in ops:
            ops.append(step["op"])
    body = [f"namespace {namespace_of(case['id'])}", "{", "    public static partial class Reproducer", "    {",
            f"        public const string CaseId = {_literal(case['id'])};",
            f"        public const string Level = {_literal(case['level'])};",
            f"        public const string Title = {_literal(case['title'])};", "",
            "        private static void Steps()", "        {"]
    body += [_step_code(index, step) for index, step in enumerate(case["steps"])]
    body += ["        }"]
    for op in ops:
        template = _declarations()[op]["x-csharp"]
        body += ["", f"        private static void Op_{op}(Step s)", "        {"]
        body += [("            " + line) if line else "" for line in template.splitlines()]
        body += ["        }"]
    body += ["    }", "}", ""]
    return "\n".join(header) + "\n" + prelude + "\n" + "\n".join(body)


def expected_files() -> dict:
    catalog = load_catalog()
    files = {}
    for case_id in reproduced_case_ids():
        case = catalog.case(case_id)
        if case is None:
            raise InputError(f"an expectation names case {case_id}, which no file in cases/ defines")
        files[repro_path(case_id)] = render_reproducer(case)
    return files


def stale() -> list:
    """Reproducers that are missing, out of date, or of a case with no recorded deviation."""
    files = expected_files()
    wrong = [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    extra = [path for path in REPRO.rglob("*.cs") if path not in files] if REPRO.exists() else []
    return wrong + extra


def write_reproducers() -> list:
    files = expected_files()
    written = []
    for path, text in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(path, text)
            written.append(relative(path))
    if REPRO.exists():
        for path in REPRO.rglob("*.cs"):
            if path not in files:
                path.unlink()
                written.append(f"{relative(path)} (removed)")
    return written
