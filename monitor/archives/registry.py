"""Which function reads which kind of archive file, chosen by file-name suffix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from ..models import Document

Source = bytes | BinaryIO | None
"""Where a reader reads an archive file from, besides its path: its bytes (the caller has
read them already), a stream of them (a member of a bundle), or ``None`` (the file)."""

Reader = Callable[[str, Source], Iterator[Document]]
"""Yields the documents of the archive file at the given path, streamed; from ``Source``
when it is given, else from the file."""

_READERS: dict[str, Reader] = {}
# The readers that take a mapping of columns (datasets of articles, one a row) as a third
# argument: see monitor.archives.columns.
_TAKE_COLUMNS: set[Reader] = set()
# Longest suffix first, so that ".html.gz" wins over a plain ".gz" reader if one is added.
_SUFFIXES_BY_LENGTH: tuple[str, ...] = ()


def reader(*suffixes: str, columns: bool = False) -> Callable[[Reader], Reader]:
    """Register the decorated function as the reader of files ending in ``suffixes``.

    :param suffixes: file-name endings with their leading dot, such as ``".warc.gz"``;
        matched case-insensitively.
    :param columns: the reader takes a third argument, the columns a user named (see
        :func:`monitor.archives.columns.parse_columns`), ``None`` when none.
    :raises ValueError: when a suffix has no leading dot or already has a reader.
    """

    keys = [suffix.lower() for suffix in suffixes]
    for suffix, key in zip(suffixes, keys, strict=True):
        if not key.startswith("."):
            raise ValueError(f"suffix {suffix!r} must start with a dot")
        if key in _READERS:
            raise ValueError(f"suffix {suffix!r} already has a reader")

    def register(function: Reader) -> Reader:
        global _SUFFIXES_BY_LENGTH
        _READERS.update(dict.fromkeys(keys, function))
        if columns:
            _TAKE_COLUMNS.add(function)
        _SUFFIXES_BY_LENGTH = tuple(sorted(_READERS, key=len, reverse=True))
        return function

    return register


def suffix_of(name: str) -> str | None:
    """The registered suffix that ``name`` ends with (lower case), or ``None``."""
    lowered = name.lower()
    for suffix in _SUFFIXES_BY_LENGTH:
        if lowered.endswith(suffix):
            return suffix
    return None


def reader_for(name: str) -> Reader | None:
    """The reader registered for the suffix of ``name``, or ``None``."""
    suffix = suffix_of(name)
    return None if suffix is None else _READERS[suffix]


def registered_suffixes() -> tuple[str, ...]:
    """Every registered suffix, sorted."""
    return tuple(sorted(_READERS))


def takes_columns(function: Reader) -> bool:
    """Whether a reader takes the columns a user named (it reads datasets of articles)."""
    return function in _TAKE_COLUMNS
