"""The SQLite store: opening (and migrating) the database, and writing what was found."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from .migrations import migrations
from .writes import ArchiveFileRecord, record_archive_file, save_extraction, save_extractions

__all__ = [
    "ArchiveFileRecord",
    "immediate",
    "open_db",
    "open_readonly",
    "record_archive_file",
    "save_extraction",
    "save_extractions",
]

BUSY_TIMEOUT_MS = 30_000


def open_db(path: str | os.PathLike[str]) -> Database:
    """Open the monitor database at ``path``, creating and migrating it as needed.

    The database is put in WAL mode, so that readers (reports, notebooks, Datasette) never
    block the writer, with a busy timeout so that two writers wait for each other rather
    than fail, and with foreign keys enforced.

    :param path: the database file; its folder is created if missing.
    """
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    _configure(db.conn)
    db.enable_wal()
    migrations.apply(db)
    return db


def open_readonly(path: str | os.PathLike[str]) -> Database:
    """Open an existing monitor database for reading only; it works while an ingest writes.

    :raises FileNotFoundError: when there is no database at ``path``.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no monitor database at {path}")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    _configure(conn, writable=False)
    return Database(conn)


@contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """A transaction that takes the write lock before its first read (``BEGIN IMMEDIATE``),
    for work that reads and then writes what it read: no other writer can commit in
    between. Nested ``db.atomic()`` blocks inside become savepoints."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    db.execute("COMMIT")


def _configure(conn: sqlite3.Connection, writable: bool = True) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if writable:
        conn.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL loses no committed transaction on a crash of the process,
        # only possibly the last ones on a power failure, and is much faster than FULL.
        conn.execute("PRAGMA synchronous = NORMAL")
