"""The ``monitor`` command's entry point (``python -m monitor`` too): the command line of
:mod:`monitor.cli`, started fast."""

from __future__ import annotations

import sys


def main() -> None:
    _import_sqlite_utils_without_pandas()
    from .cli import main as run

    run()


def _import_sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils without letting it import pandas.

    sqlite-utils imports pandas, when it is installed, only to name the SQL type of pandas
    timestamps in a table created from them. The monitor creates its tables from Python
    types and never hands sqlite-utils a pandas value, and importing pandas is a third of a
    second of every command's start that most commands (an ingest among them) never use.
    The commands that use pandas (the listings, the demo) import it themselves, later, as
    usual.
    """
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # an import of it now fails
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]
