"""How the ``monitor`` command ends: its exit statuses, and one line for each error of the
machine it runs on (a read-only folder, a full disk, a file that is not a database), in
place of a traceback.

Errors that are not the environment's (bugs) keep their traceback: they are for a
maintainer to read.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

OK = 0
"""Everything asked for was done."""
UNREADABLE_INPUT = 1
"""Some input could not be read; the rest is stored, each failure printed and recorded."""
USAGE = 2
"""The command line was wrong (an option, a date, a path that names nothing)."""
CANNOT_WRITE = 3
"""The database or an output file could not be opened or written."""
INTERRUPTED = 130
"""Stopped by Ctrl-C (SIGINT); what was committed before is kept."""

ENVIRONMENT_ERRORS = (sqlite3.Error, OSError)


def describe(error: sqlite3.Error | OSError, db_path: Path | None = None) -> str:
    """One line saying what went wrong with the database or a file, and what to do."""
    if isinstance(error, sqlite3.Error):
        return _describe_database(error, db_path)
    return _describe_os_error(error)


def _describe_database(error: sqlite3.Error, db_path: Path | None) -> str:
    where = f"the database {db_path}" if db_path is not None else "the database"
    reason = str(error)
    if "file is not a database" in reason:
        return f"{where} is not a SQLite database (or is damaged or encrypted)"
    if "database or disk is full" in reason:
        return f"cannot write {where}: the disk is full (free some space, then run it again)"
    if "readonly" in reason or "read-only" in reason:
        return (
            f"cannot write {where}: it is read-only here "
            "(read commands work on it; writing needs a writable copy)"
        )
    if "unable to open database file" in reason:
        return f"cannot open {where}: {_folder_problem(db_path)}"
    if "locked" in reason or "busy" in reason:
        return f"{where} stayed locked by another process; try again when it is done"
    if "disk I/O error" in reason:
        return f"cannot write {where}: disk I/O error"
    return f"{where}: {reason}"


def _folder_problem(db_path: Path | None) -> str:
    if db_path is None:
        return "unable to open the database file"
    folder = db_path.absolute().parent
    if not folder.is_dir():
        return f"its folder {folder} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is not writable (SQLite writes its journal beside it)"
    return "unable to open the database file"


def _describe_os_error(error: OSError) -> str:
    name = f" {error.filename}" if error.filename is not None else ""
    if error.errno == errno.ENOSPC:
        return f"cannot write{name}: the disk is full"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"cannot write{name}: permission denied"
    if error.errno == errno.EROFS:
        return f"cannot write{name}: the file system is read-only"
    return f"cannot write{name}: {error.strerror or error}"
