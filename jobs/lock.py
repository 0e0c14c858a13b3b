"""One writer per database: a lock that the operating system releases when the process ends,
however it ends, so a crashed daemon never leaves it stuck."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from monitor.timestamps import now_utc


class AlreadyRunning(RuntimeError):
    """Another process holds the database's writer lock."""


class WriterLock:
    """An exclusive ``flock`` on ``DB.lock`` beside the database, held while the jobs run.

    The file says which process holds it (pid and start time), for the message a second
    process prints; the lock itself is the ``flock``, which dies with its process.
    """

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.db_path = Path(db_path)
        self.path = self.db_path.with_name(self.db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """:raises AlreadyRunning: naming the process that holds the lock."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyRunning(
                f"another monitor jobs process ({holder}) is already writing to {self.db_path}; "
                "stop it first, or point this one at another database"
            ) from None
        os.ftruncate(fd, 0)
        started = now_utc()
        os.pwrite(fd, f"pid {os.getpid()}, started {started}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
