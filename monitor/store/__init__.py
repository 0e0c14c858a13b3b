"""The SQLite store: opening (and migrating) the database, and writing what was found."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from .migrations import migrations
from .writes import (
    Added,
    ArchiveFileRecord,
    record_archive_file,
    save_coverage,
    save_coverage_rows,
    save_extraction,
    save_extractions,
    save_rows,
)

__all__ = [
    "Added",
    "ArchiveFileRecord",
    "immediate",
    "open_db",
    "open_readonly",
    "record_archive_file",
    "save_coverage",
    "save_coverage_rows",
    "save_extraction",
    "save_extractions",
    "save_rows",
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
    try:
        _configure(db.conn)
        _migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: Database) -> None:
    """WAL mode and the pending migrations, safe when several processes open a new database
    at once: the migrations run in one transaction that holds the write lock from its start
    (a deferred one would read, then fail to upgrade to a writer, at once, whatever the
    busy timeout), and re-check what is pending once they hold it. Switching to WAL needs
    the database to itself for a moment: retried while another process has it."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.enable_wal()
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    if migrations.pending(db):
        with immediate(db):
            migrations.apply(db)


def open_readonly(path: str | os.PathLike[str]) -> Database:
    """Open an existing monitor database for reading only; it works while an ingest writes.

    :raises FileNotFoundError: when there is no database at ``path``.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no monitor database at {path}")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not os.access(path.resolve().parent, os.W_OK):
        # On a read-only mount SQLite cannot create the shared-memory file a reader of a
        # WAL database needs; nothing can write there either, so the file is read as an
        # unchanging one (a writable folder keeps the usual reading alongside a writer).
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
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
