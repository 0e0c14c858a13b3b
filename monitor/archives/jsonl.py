"""JSON Lines exports: one article per line, as written by news crawlers such as news-please.

A record's fields (all optional): ``url``, ``title``, ``date_publish`` (or ``published_at``,
``date``), ``language``, ``date_download``, and the article itself as ``html`` (read as an
HTML page, so embeds are found in its markup) or as ``maintext`` / ``text`` (read as plain
text). Metadata given in the record wins over what the page says of itself.

A line that is not a JSON object, or is longer than
:data:`~monitor.archives.files.MAX_DOCUMENT_BYTES` (read through, never held), is skipped and
the file reads on; at the end, an :class:`ArchiveError` names the bad lines (so the file is
recorded as failed while every good record is kept). A gzipped file cut short yields what
was read, then fails.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from contextlib import nullcontext
from typing import BinaryIO

from ..models import HTML, PLAIN, Document
from ..timestamps import normalise_time
from .errors import ArchiveError, skipped
from .files import MAX_DOCUMENT_BYTES, cannot_read, open_binary
from .registry import Source, reader

_PUBLISHED = ("date_publish", "published_at", "date_published", "date")
_BODY_AS_TEXT = ("maintext", "text", "content")


@reader(".jsonl", ".ndjson")
def read_jsonl(path: str, data: Source = None) -> Iterator[Document]:
    """The records of a JSON Lines file."""
    yield from _records(path, data, compressed=False)


@reader(".jsonl.gz", ".ndjson.gz")
def read_jsonl_gz(path: str, data: Source = None) -> Iterator[Document]:
    """The records of a gzipped JSON Lines file, decompressed as they are read."""
    yield from _records(path, data, compressed=True)


def _records(path: str, data: Source, *, compressed: bool) -> Iterator[Document]:
    bad: list[str] = []
    read = number = 0
    try:
        with (
            open_binary(path, data) as stored,
            gzip.GzipFile(fileobj=stored) if compressed else nullcontext(stored) as handle,
        ):
            for number, line in enumerate(_lines(handle), start=1):
                if line is None:
                    bad.append(f"line {number}: {_TOO_LONG}")
                    continue
                if not line.strip():
                    continue
                try:
                    record = json.loads(line.decode("utf-8-sig", "replace"))
                except ValueError as error:
                    bad.append(f"line {number}: not JSON ({error.msg})")
                    continue
                if not isinstance(record, dict):
                    bad.append(f"line {number}: not a JSON object")
                    continue
                read += 1
                yield _document(path, number, record)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ArchiveError(
            f"truncated or corrupt gzip stream after {read} records (line {number + 1}): {error}",
            path,
        ) from None
    except OSError as error:
        raise ArchiveError(cannot_read(error, path), path) from error
    if bad:
        raise ArchiveError(skipped(bad, "record"), path)


_TOO_LONG = f"longer than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB, skipped unread"
_SKIP_CHUNK = 1 << 20


def _lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """Each line of ``handle``, or ``None`` for a line longer than a document may be: it is
    read through in chunks and dropped, so that a line of gigabytes (a few kilobytes of
    gzip can hold one) never sits in memory."""
    while True:
        line = handle.readline(MAX_DOCUMENT_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_DOCUMENT_BYTES or line.endswith(b"\n"):
            yield line
            continue
        del line
        while True:
            chunk = handle.readline(_SKIP_CHUNK)
            if not chunk or chunk.endswith(b"\n"):
                break
        yield None


def _document(path: str, number: int, record: dict[str, object]) -> Document:
    html = _text(record.get("html"))
    body = html or next(filter(None, (_text(record.get(k)) for k in _BODY_AS_TEXT)), "")
    published = next(filter(None, (_text(record.get(k)) for k in _PUBLISHED)), None)
    return Document(
        source_path=path,
        text=body,
        media_type=HTML if html else PLAIN,
        locator=f"line={number}",
        url=_text(record.get("url")),
        fetched_at=normalise_time(_text(record.get("date_download"))),
        title=_text(record.get("title")),
        published_at=normalise_time(published),
        lang=_text(record.get("language")),
    )


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
