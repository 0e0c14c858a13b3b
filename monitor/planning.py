"""Planning an ingest: which archive files need reading, decided here before any is read.

A file unchanged since it was read (size and modification time; for a remote file, size and
version) is skipped, and one that failed before and has not changed since is not read again
(unless asked); a file whose time changed but whose contents hash the same is only noted
again. A path that names no readable file is recorded as unreadable, once.
"""

from __future__ import annotations

import os
import sqlite3
import stat as stat_module
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .archives.files import cannot_read, file_kind
from .archives.remote import is_remote, stat_remote
from .messages import printable
from .reading import FileRead, sha256_of
from .workers import Task

if TYPE_CHECKING:
    from .cluster import ClusterTask

DONE = "done"
FAILED = "failed"

SPLIT_BYTES = 8 * 1024 * 1024
"""With several workers, archive files at least this big (WARC or JSON Lines files of many
documents) are each read by one worker, like small ones, when there are at least as many of
them as workers; when there are fewer, they are read here and their documents are shared
among the workers, so that no worker idles while another reads a whole archive."""


@dataclass(slots=True)
class PlannedFile:
    """One archive file of this run and what is to be done with it."""

    path: Path | str  # a local path, or an address
    key: str  # the resolved path (or the address), as archive_files knows it
    size: int = 0
    mtime_ns: int = 0
    # "read", "skip", "touch" (same hash, new time), "unreadable", "known-failure" (failed
    # before, unchanged since), "recheck" (a second name of a file already planned)
    action: str = "read"
    sha256: str | None = None
    error: str | None = None
    # Where its results come from: one of a task's files, or the parts of a split archive.
    task: Task | ClusterTask | None = None
    index: int = 0
    parts: list[Task | ClusterTask] = field(default_factory=list)
    complete: bool = True  # False while a split archive's parts are still being submitted

    def ready(self) -> bool:
        if self.action != "read":
            return True
        if not self.complete:
            return False
        if self.task is not None:
            return self.task.done()
        return all(part.done() for part in self.parts)

    def read(self) -> FileRead:
        """What reading the file gave, waiting for the workers if they are not done."""
        if self.task is not None:
            return self.task.result()[self.index]
        documents = tuple(document for part in self.parts for document in part.result())
        return FileRead(documents, self.error, self.sha256)


class Planner:
    """Decides what to do with each archive file of a run, from the file and its record.

    :param cursor: a cursor of the database being written
    :param retry_failed: read again the files that failed before, though unchanged since
    """

    def __init__(self, cursor: sqlite3.Cursor, retry_failed: bool = False) -> None:
        self.cursor = cursor
        self.retry_failed = retry_failed
        self.planned: set[str] = set()

    def forget(self, key: str) -> None:
        """Let a file be planned again (a second name of it, once the first is written)."""
        self.planned.discard(key)

    def plan(self, path: Path, key: str | None) -> PlannedFile:
        """What to do with one file: skip it (unchanged, or failed before and unchanged),
        note its new time (touched, same hash), record it as unreadable, or read it."""
        item = PlannedFile(path, key or str(path.absolute()))
        try:
            status = os.stat(item.key)
        except OSError as error:
            return self._unreadable(item, cannot_read(error, item.key))
        if not stat_module.S_ISREG(status.st_mode):
            # Never opened: a FIFO would block the run until something wrote to it.
            kind = file_kind(status.st_mode)
            return self._unreadable(item, f"not a regular file but {kind}: not read")
        item.size, item.mtime_ns = status.st_size, status.st_mtime_ns
        if item.key in self.planned:
            # The same file under two names: decided once the first has been written.
            item.action = "recheck"
            return item
        self.planned.add(item.key)
        known = self._settle(item)
        if known is None:
            return item
        try:
            item.sha256 = sha256_of(item.key)
        except OSError as error:
            return self._unreadable(item, cannot_read(error, item.key))
        if known[2] == item.sha256:
            # Touched but not changed (copied, restored from backup): remember the new time.
            item.action = "touch"
        return item

    def plan_remote(self, address: str) -> PlannedFile:
        """As :meth:`plan`, for an address: its size and version (see
        :mod:`monitor.archives.remote`) stand in for a file's size and time."""
        item = PlannedFile(address, address)
        try:
            item.size, item.mtime_ns = stat_remote(address)
        except OSError as error:  # the clients' own errors come as OSErrors
            return self._unreadable(item, cannot_read(error))
        self.planned.add(item.key)
        self._settle(item)  # never hashed: its version stands for its contents
        return item

    def _settle(self, item: PlannedFile) -> tuple | None:
        """Decide ``item`` by its record where its size and time (or version) do: skipped
        when unchanged since it was read, not read again when unchanged since it failed (unless
        asked). Its record when it was read before and has changed since (its contents may
        then decide); else ``None``."""
        known = self._known(item.key)
        if known is None:
            return None
        size, mtime_ns, _sha256, status, error = known
        unchanged = size == item.size and mtime_ns == item.mtime_ns
        if status == FAILED and unchanged and not self.retry_failed:
            item.action, item.error = "known-failure", error
        elif status == DONE and unchanged:
            item.action = "skip"
        elif status == DONE:
            return known
        return None

    def _known(self, key: str) -> tuple | None:
        return self.cursor.execute(
            "SELECT size, mtime_ns, sha256, status, error FROM archive_files WHERE path = ?",
            [key],
        ).fetchone()

    def _unreadable(self, item: PlannedFile, error: str) -> PlannedFile:
        """A file that cannot be opened: recorded as failed, unless it failed the same way
        before (a broken link left in a watched folder fails no run but the first)."""
        # As stored: the comparison with the stored error below must see the same text.
        item.action, item.error = "unreadable", printable(error)
        known = self._known(item.key)
        failed_alike = known is not None and known[3] == FAILED and known[4] == item.error
        if failed_alike and not self.retry_failed:
            item.action = "known-failure"
        return item


def change_since_planned(item: PlannedFile) -> str | None:
    """Why a file read may be neither its planned version nor a later one: it changed, or
    went, while it was read; ``None`` when it did not."""
    if is_remote(item.key):
        return None  # a published archive file does not change as it is read
    try:
        status = os.stat(item.key)
    except OSError:
        return "the file disappeared while it was being read"
    if (status.st_size, status.st_mtime_ns) != (item.size, item.mtime_ns):
        return "the file changed while it was being read: read again next run"
    return None


class Resolver:
    """Resolved paths (symlinks followed), resolving each folder once rather than each file."""

    def __init__(self) -> None:
        self.folders: dict[str, str] = {}

    def __call__(self, path: Path) -> str | None:
        try:
            if stat_module.S_ISLNK(os.lstat(path).st_mode):
                return str(path.resolve(strict=True))
        except (OSError, RuntimeError):  # a broken link, or a loop (RuntimeError before 3.13)
            return None
        folder, name = os.path.split(os.path.abspath(path))
        real = self.folders.get(folder)
        if real is None:
            real = self.folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)


def count_big(paths: list[Path]) -> int:
    big = 0
    for path in paths:
        try:
            big += os.stat(path).st_size >= SPLIT_BYTES
        except OSError:
            continue
    return big
