"""Adapters are found from adapters/<name>/adapter.json (spec/adapter-protocol.md)."""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from conformance.files import InputError, read_json
from conformance.paths import ADAPTERS, ROOT


@dataclass
class Adapter:
    name: str
    directory: Path
    description: str
    required_files: list = field(default_factory=list)
    required_programs: list = field(default_factory=list)
    mutant_env: str = ""

    def missing(self, build_dir: Path, check_files: bool = True) -> list:
        """What stops this adapter from running here, in words; empty when it can run."""
        reasons = [f"program '{p}' is not on PATH" for p in self.required_programs if shutil.which(p) is None]
        if check_files:
            for pattern in self.required_files:
                path = Path(pattern.replace("{build}", str(build_dir)).replace("{root}", str(ROOT)))
                if not path.exists():
                    reasons.append(f"{path} has not been built")
        return reasons


def discover() -> dict:
    adapters = {}
    for definition in sorted(ADAPTERS.glob("*/adapter.json")):
        data = read_json(definition)
        where = str(definition)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            raise InputError(f"{where}: /name: missing or not a string")
        if data["name"] != definition.parent.name:
            raise InputError(f"{where}: /name: '{data['name']}' must equal the directory name '{definition.parent.name}'")
        requires = data.get("requires", {})
        if not isinstance(requires, dict):
            raise InputError(f"{where}: /requires: must be an object")
        adapters[data["name"]] = Adapter(
            name=data["name"],
            directory=definition.parent,
            description=data.get("description", ""),
            required_files=list(requires.get("files", [])),
            required_programs=list(requires.get("programs", [])),
            mutant_env=data.get("mutant_env", ""),
        )
    return adapters


def select(adapters: dict, names: str):
    """Adapters named on the command line (comma separated), in that order."""
    chosen = []
    for name in [n.strip() for n in names.split(",") if n.strip()]:
        if name not in adapters:
            raise InputError(f"unknown adapter '{name}' (known: {', '.join(sorted(adapters))})")
        chosen.append(adapters[name])
    return chosen
