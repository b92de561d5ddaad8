"""The suite's words, read from spec/vocabulary.json: statuses and what each
means, outcome kinds, levels, timing defaults and name patterns. Nothing in
the Python driver spells them again."""

import json
import re
from functools import lru_cache

from conformance.paths import SPEC


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return json.loads((SPEC / "vocabulary.json").read_text(encoding="utf-8"))


def _statuses():
    return vocabulary()["statuses"]


STATUSES = tuple(s["name"] for s in _statuses())
FAILING_STATUSES = frozenset(s["name"] for s in _statuses() if s["failing"])
KILLING_STATUSES = frozenset(s["name"] for s in _statuses() if s["kills_mutant"])
STATUS_COLORS = {s["name"]: s["color"] for s in _statuses()}
PASS, SKIP, FLAKY = "PASS", "SKIP", "FLAKY"
assert {PASS, SKIP, FLAKY} <= set(STATUSES), "spec/vocabulary.json lost PASS, SKIP or FLAKY"
# Statuses one run can have (FLAKY only describes several).
RUN_STATUSES = tuple(s["name"] for s in _statuses() if not s.get("over_repeats"))
LEVELS = tuple(level["name"] for level in vocabulary()["levels"])
# Levels that never fail a run or kill a mutant: observations.
OBSERVATION_LEVELS = frozenset(level["name"] for level in vocabulary()["levels"] if level["rank"] == 0)
TIMING_DEFAULTS = {name: entry["default"] for name, entry in vocabulary()["timing"].items()}
ADAPTER_NAME = re.compile(vocabulary()["patterns"]["adapter_name"])
MUTANT_FAMILIES = tuple(family["name"] for family in vocabulary()["mutant_families"])


def outcome_words(outcome: str) -> str:
    """An expected outcome ("Socket", "SocketError(10024)") as a phrase."""
    match = re.fullmatch(r"([A-Za-z]+)(?:\((\d+)\))?", outcome or "")
    kinds = {kind["kind"]: kind for kind in vocabulary()["outcomes"]}
    if not match or match[1] not in kinds:
        return str(outcome)
    kind = kinds[match[1]]
    if not kind.get("takes_code"):
        return kind["words"]
    if match[2] is None:
        return f"{kind['words']} (any Windows Sockets code)"
    name = vocabulary()["windows_sockets"]["names"].get(match[2])
    return f"{kind['words']} with ErrorCode {match[2]}" + (f" ({name})" if name else "")
