"""The one error that reading an archive raises."""

from __future__ import annotations


class ArchiveError(Exception):
    """An archive file, or the rest of one, cannot be read.

    ``str(error)`` says what is wrong in words a user can act on ("truncated gzip stream
    after 3 documents"); ``path`` is the archive file, when known. Documents read before the
    problem have already been yielded when this is raised.
    """

    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def __reduce__(self) -> tuple[type[ArchiveError], tuple[str, str | None]]:
        # Keep ``path`` when the error crosses a process boundary (process pools pickle it).
        return (type(self), (self.reason, self.path))
