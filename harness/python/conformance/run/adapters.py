"""Adapters: the in-tree ones under adapters/<name>/, and any other directory
holding an adapter.json (--adapter-dir, or --adapter PATH/adapter.json).

The runner is the one reader of adapter.json that matters: it expands
{build}, {root} and {adapter_dir}, resolves relative paths against the
file's directory and says what is missing (`--describe-adapter`). Here only
the plain fields are read (name, description, mutant_env), so that adapters
can be listed and chosen by name before anything is built."""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from conformance.files import InputError, InternalError, read_json, runner_input_error
from conformance.model.vocabulary import ADAPTER_NAME
from conformance.paths import ADAPTERS, CASES, ROOT, SPEC, runner_path
from conformance.run import stopping


NOT_BUILT = "the suite is not built yet (`python3 run_conformance.py` builds it)"


@dataclass
class Adapter:
    name: str
    directory: Path  # absolute: the directory holding adapter.json
    description: str
    mutant_env: str = ""
    in_tree: bool = True
    _described: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def definition(self) -> Path:
        return self.directory / "adapter.json"

    def describe(self, build_dir: Path) -> dict:
        """The adapter as the runner resolves it; None when there is no runner to ask."""
        key = str(build_dir)
        if key not in self._described:
            runner = runner_path(build_dir)
            if not runner.exists():
                return None
            answer = stopping.run(
                [str(runner), "--root", str(ROOT), "--spec", str(SPEC / "clauses.json"), "--cases", str(CASES),
                 "--build-dir", str(Path(build_dir).resolve()), "--adapter-dir", str(self.directory),
                 "--describe-adapter"], capture_output=True, text=True, cwd=ROOT)
            if answer.returncode == 2:
                raise runner_input_error(answer.stderr, f"{self.definition}: rejected")
            if answer.returncode != 0:
                raise InternalError(f"{runner} --describe-adapter failed (exit status {answer.returncode}): "
                                    f"{answer.stderr.strip()[-2000:]}")
            self._described[key] = json.loads(answer.stdout)
        return self._described[key]

    def missing(self, build_dir: Path) -> list:
        """What stops this adapter from running here, in words; empty when it can run."""
        described = self.describe(build_dir)
        return [NOT_BUILT] if described is None else list(described["missing"])


def load(location: Path, in_tree: bool = False) -> Adapter:
    """The adapter in `location`: a directory holding adapter.json, or the file itself."""
    location = Path(location).expanduser().absolute()
    definition = location if location.name == "adapter.json" or location.is_file() else location / "adapter.json"
    if not definition.is_file():
        raise InputError(f"{definition}: no such file (an adapter is a directory holding adapter.json, or that file)")
    data = read_json(definition)
    where = str(definition)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise InputError(f"{where}: /name: missing or not a string")
    if not ADAPTER_NAME.fullmatch(data["name"]):
        raise InputError(f"{where}: /name: '{data['name']}' is not an adapter name "
                         f"(pattern {ADAPTER_NAME.pattern} of spec/vocabulary.json)")
    if in_tree and data["name"] != definition.parent.name:
        raise InputError(f"{where}: /name: '{data['name']}' must equal the directory name '{definition.parent.name}'")
    return Adapter(name=data["name"], directory=definition.parent, description=str(data.get("description", "")),
                   mutant_env=str(data.get("mutant_env", "")), in_tree=in_tree)


def discover() -> dict:
    """The in-tree adapters, by name."""
    return {adapter.name: adapter
            for adapter in (load(definition, in_tree=True) for definition in sorted(ADAPTERS.glob("*/adapter.json")))}


def _looks_like_path(text: str) -> bool:
    return text.endswith(".json") or os.sep in text or text.startswith(".")


def choose(registry: dict, names: str = None, directories: list = ()) -> list:
    """The adapters asked for: `names` (comma separated; an entry that is a
    path names an adapter.json or its directory) and `directories`, in that
    order; every in-tree adapter when nothing is asked for."""
    if not names and not directories:
        return list(registry.values())
    chosen = []
    for entry in [n.strip() for n in (names or "").split(",") if n.strip()]:
        if _looks_like_path(entry):
            chosen.append(load(Path(entry)))
        elif entry in registry:
            chosen.append(registry[entry])
        else:
            raise InputError(f"unknown adapter '{entry}' (known: {', '.join(sorted(registry))}; "
                             "an adapter elsewhere is given by its directory, --adapter-dir PATH)")
    chosen += [load(Path(directory)) for directory in directories]
    unique, seen = [], {}
    for adapter in chosen:
        other = seen.get(adapter.name)
        if other is None:
            seen[adapter.name] = adapter
            unique.append(adapter)
        elif other.directory.resolve() != adapter.directory.resolve():
            # Reports are named after the adapter: two of one name would overwrite each other.
            raise InputError(f"two adapters are named '{adapter.name}': {other.definition} and {adapter.definition}")
    return unique
