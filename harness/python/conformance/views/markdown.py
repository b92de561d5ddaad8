"""The one Markdown escaper of every generated page (summary.md,
FINDINGS.md, docs/CONTRACT.md, cases/STEPS.md, spec/VOCABULARY.md)."""

import re


_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def literal(text) -> str:
    """Text shown literally on one line, safe in a table cell: whitespace runs
    become one space, and nothing turns into emphasis, code, links, HTML or a
    cell boundary."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)).strip())
