"""Exit statuses of run_conformance.py and the errors that lead to them."""

EXIT_OK = 0  # every result as expected
EXIT_UNEXPECTED = 1  # at least one unexpected result (or a surviving mutant)
EXIT_INPUT = 2  # bad usage or bad input files
EXIT_INTERNAL = 3  # the suite itself failed


class InputError(Exception):
    """Bad input (a file, an option); reported in one line, exit status 2."""


class InternalError(Exception):
    """The suite failed (build broken, runner crashed); exit status 3."""
