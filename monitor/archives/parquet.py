"""Parquet datasets of articles (``.parquet``), one article a row: what Common Crawl
derivatives and Hugging Face datasets of news publish. Needs the ``parquet`` extra
(pyarrow).

Which column holds what is recognised by name (see :mod:`monitor.archives.columns`). Only
those columns are read, a batch of rows at a time, so that memory stays flat however long
the file; a document's ``locator`` is ``"row=N"`` (from 1). A row whose article is larger
than :data:`~monitor.archives.files.MAX_DOCUMENT_BYTES` is skipped and reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..models import Document
from .columns import ColumnsError, choose, row_document
from .errors import ArchiveError, skipped
from .files import MAX_DOCUMENT_BYTES, cannot_read, open_binary
from .registry import Source, reader

BATCH_ROWS = 256
"""Rows read at a time."""


@reader(".parquet", columns=True)
def read_parquet(
    path: str, data: Source = None, columns: Mapping[str, str] | None = None
) -> Iterator[Document]:
    """The articles of a Parquet file, one a row."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ArchiveError(
            "reading Parquet needs pyarrow: install the monitor's parquet extra "
            "(pip install '.[parquet]' in its folder)",
            path,
        ) from None
    try:
        handle = open_binary(path, data)
    except OSError as error:
        raise ArchiveError(cannot_read(error, path), path) from error
    too_large: list[int] = []
    number = 0
    with handle:
        try:
            if handle.seek(0, 2) == 0:
                return  # an empty file holds nothing
            handle.seek(0)
            table = pyarrow.parquet.ParquetFile(handle)
            chosen = choose(table.schema_arrow.names, columns)
            wanted = sorted(set(chosen.values()))
            for batch in table.iter_batches(batch_size=BATCH_ROWS, columns=wanted):
                for row in batch.to_pylist():
                    number += 1
                    values = {field: row[column] for field, column in chosen.items()}
                    if _size(values) > MAX_DOCUMENT_BYTES:
                        too_large.append(number)
                        continue
                    document = row_document(path, number, values)
                    if document is not None:
                        yield document
        except ColumnsError as error:
            raise ArchiveError(str(error), path) from None
        except (pyarrow.ArrowException, OSError, ValueError) as error:
            raise ArchiveError(
                f"not a Parquet file, or cut off or corrupt, after {number} rows: {error}", path
            ) from None
    if too_large:
        limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
        raise ArchiveError(
            skipped([f"row {n}: larger than {limit} MiB" for n in too_large], "row"), path
        )


def _size(values: Mapping[str, object]) -> int:
    return sum(len(value) for value in values.values() if isinstance(value, str | bytes))
