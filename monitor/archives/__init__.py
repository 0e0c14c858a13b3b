"""Archive files in, :class:`~monitor.models.Document` objects out, one at a time.

    >>> from monitor.archives import expand_paths, iter_documents
    >>> for path in expand_paths(["archive/**/*.warc.gz"]):
    ...     for document in iter_documents(path):
    ...         print(document.url, len(document.text))
    https://www.example.net/news/2024/11/20/moscow-warns 1762
    https://news.example.com/world/2024/11/21/week-in-review 1683

Each kind of file has a reader registered for its suffix with :func:`reader`; a new format
is one decorated generator function in its own module, imported below.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

from ..models import Document

# Imported for their readers, which register themselves by suffix.
from . import bundles, csv_tables, files, jsonl, mhtml, parquet, wacz, warc  # noqa: F401
from .errors import ArchiveError
from .files import open_binary
from .paths import expand_paths, paths_from
from .registry import reader, reader_for, registered_suffixes, takes_columns

SUPPORTED_SUFFIXES: tuple[str, ...] = registered_suffixes()
"""The file-name suffixes that have a reader (lower case; matched case-insensitively)."""

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ArchiveError",
    "expand_paths",
    "iter_documents",
    "open_binary",
    "paths_from",
    "reader",
]


def iter_documents(
    path: str | os.PathLike[str],
    *,
    data: bytes | None = None,
    columns: Mapping[str, str] | None = None,
) -> Iterator[Document]:
    """The documents in one archive file, read one at a time.

    A saved page or text file is one document; a WARC file holds one per HTML page.
    Documents are streamed: only the current one is held in memory. An empty file
    yields nothing.

    :param path: the archive file; its suffix (``.html``, ``.warc.gz``, ...; see
        :data:`SUPPORTED_SUFFIXES`) says how to read it. ``Document.source_path`` is
        ``str(path)``.
    :param data: the file's contents, when the caller has read them already (to hash them,
        say): they are read from there rather than from the file again.
    :param columns: for datasets of articles (Parquet, CSV), the column of each field where
        their names are not the usual ones (see :mod:`monitor.archives.columns`).
    :raises ArchiveError: when the file cannot be read, is not what its suffix says, is cut
        off or corrupt, or has an unsupported suffix; documents read before the problem
        are yielded first.
    """
    source = os.fsdecode(path)
    read = reader_for(os.path.basename(source))
    if read is None:
        raise ArchiveError(
            f"unsupported file type: {os.path.basename(source)!r} does not end in one of "
            + ", ".join(registered_suffixes()),
            source,
        )
    if takes_columns(read):
        yield from read(source, data, columns)
    else:
        yield from read(source, data)
