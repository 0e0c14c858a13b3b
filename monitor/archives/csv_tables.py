"""CSV datasets of articles (``.csv``, ``.csv.gz``), one article a row, with a header row:
Media Cloud exports and many published datasets of news.

Which column holds what is recognised by name (see :mod:`monitor.archives.columns`). Rows
are read one at a time (gzip undone as they are read), so that memory stays flat however
long the file; a document's ``locator`` is ``"row=N"``, N counting the rows after the
header from 1. The file is UTF-8 (a byte-order mark is dropped; a byte that is not UTF-8
becomes U+FFFD). A row that cannot be read (a field larger than
:data:`~monitor.archives.files.MAX_DOCUMENT_BYTES`, a NUL byte) is skipped and reported.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator, Mapping
from contextlib import nullcontext

from ..models import Document
from .columns import ColumnsError, choose, row_document
from .errors import ArchiveError, skipped
from .files import MAX_DOCUMENT_BYTES, cannot_read, open_binary
from .registry import Source, reader

# A field may hold a whole page; the csv module's limit is 128 KiB by default.
csv.field_size_limit(MAX_DOCUMENT_BYTES)


@reader(".csv", columns=True)
def read_csv(
    path: str, data: Source = None, columns: Mapping[str, str] | None = None
) -> Iterator[Document]:
    """The articles of a CSV file, one a row."""
    yield from _rows(path, data, columns, compressed=False)


@reader(".csv.gz", columns=True)
def read_csv_gz(
    path: str, data: Source = None, columns: Mapping[str, str] | None = None
) -> Iterator[Document]:
    """The articles of a gzipped CSV file, decompressed as they are read."""
    yield from _rows(path, data, columns, compressed=True)


def _rows(
    path: str, data: Source, columns: Mapping[str, str] | None, *, compressed: bool
) -> Iterator[Document]:
    bad: list[str] = []
    number = 0
    try:
        with (
            open_binary(path, data) as stored,
            gzip.GzipFile(fileobj=stored) if compressed else nullcontext(stored) as binary,
        ):
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
            rows = csv.reader(text)
            header = next(rows, None)
            if header is None:
                return  # an empty file holds nothing
            chosen = choose(header, columns)
            where = {field: header.index(column) for field, column in chosen.items()}
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    break
                except csv.Error as error:
                    number += 1
                    bad.append(f"row {number}: {error}")
                    continue
                number += 1
                values = {f: row[i] if i < len(row) else None for f, i in where.items()}
                document = row_document(path, number, values)
                if document is not None:
                    yield document
    except ColumnsError as error:
        raise ArchiveError(str(error), path) from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ArchiveError(
            f"truncated or corrupt gzip stream after {number} rows: {error}", path
        ) from None
    except OSError as error:
        raise ArchiveError(cannot_read(error, path), path) from error
    if bad:
        raise ArchiveError(skipped(bad, "row"), path)
