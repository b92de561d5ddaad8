"""Reading a report written by an earlier run (--compare, --render), checked
against the published schema so that a wrong file is named with the place
that is wrong, instead of failing somewhere deep in a view."""

from pathlib import Path

from .errors import InputError
from .jsonio import read_json
from .paths import REPORTS
from .schema_validator import validate

REPORT_SCHEMA = REPORTS / "schema" / "report.schema.json"


def report_schema() -> dict:
    return read_json(REPORT_SCHEMA)


def check_report(report, where: str) -> None:
    """Raises InputError naming `where` and the JSON pointer of the first violation."""
    errors = validate(report, report_schema())
    if errors:
        pointer, message = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(f"{where}: {pointer}: {message}{more}; not a report of schema "
                         f"{report_schema()['version']} ({REPORT_SCHEMA.relative_to(REPORTS.parent)})")


def load_report(path: Path) -> dict:
    report = read_json(path)
    check_report(report, str(path))
    return report
