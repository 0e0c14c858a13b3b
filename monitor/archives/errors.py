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


SHOWN_SKIPPED = 3
"""How many of the parts of a file that were skipped its error names (it counts them all)."""


def skipped(bad: list[str], noun: str) -> str:
    """The error of a file some of whose parts (records, rows, members) were skipped, each
    of ``bad`` saying which and why: ``"2 bad rows skipped: row 3: ...; row 9: ..."``.

    :param noun: what a part is called, in the singular
    """
    shown = "; ".join(bad[:SHOWN_SKIPPED])
    more = f" and {len(bad) - SHOWN_SKIPPED} more" if len(bad) > SHOWN_SKIPPED else ""
    return f"{len(bad)} bad {noun}{'' if len(bad) == 1 else 's'} skipped: {shown}{more}"
