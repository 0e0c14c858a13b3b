"""WARC web archives (``.warc``, ``.warc.gz``): the HTML pages a crawler fetched.

Only ``response`` records with a 2xx HTTP status and an HTML ``Content-Type``
(``text/html``, ``application/xhtml+xml``) become documents; requests, revisits (which
carry no body), metadata, resource and warcinfo records, redirects, errors and images are
skipped, and so (with a logged warning) are HTML responses whose body is binary, larger
than :data:`~monitor.archives.files.MAX_DOCUMENT_BYTES` or in a content encoding warcio
cannot undo.

Each document's ``locator`` is ``"offset=N"``: ``N`` is the byte offset in the file as
stored where the record starts (for ``.warc.gz``, where the record's gzip member starts),
so ``warcio extract FILE N`` shows the record again. ``url`` is the ``WARC-Target-URI`` and
``fetched_at`` the ``WARC-Date``: the crawl time, not the time the article was published.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator, WARCIterator
from warcio.bufferedreaders import BufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord

from ..models import HTML, Document
from .encoding import NotTextError, charset_of, decode_exact, media_type_of
from .errors import ArchiveError
from .files import MAX_DOCUMENT_BYTES, cannot_read, open_binary
from .registry import Source, reader

logger = logging.getLogger(__name__)

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_READ_SIZE = 1 << 16


class _CheckedIterator(WARCIterator):
    """warcio's WARC record iterator (no ARC guessing: a text file whose first line has
    five words would pass for an ARC record), able to tell whether the file ended early.

    warcio stops without a word at the end of a gzip stream that was cut off; the
    decompressor's ``eof`` flag is the only trace of it, and warcio drops the decompressor
    when it closes, so it is looked at just before.
    """

    gzip_ended_cleanly = True

    def close(self) -> None:
        # An empty file has no gzip member to cut off.
        if self.reader is not None and self.fh.tell() > 0:
            self.gzip_ended_cleanly = not self._inside_gzip_member()
        super().close()

    def cut_off(self) -> bool:
        """Whether the whole file has been read and ends inside a record or gzip member
        (asked after reading a record failed: then the file was cut off, not damaged)."""
        if self.reader is None:
            return False
        if self.reader.decompressor is not None:
            unfinished = self._inside_gzip_member()
        else:
            unfinished = self.reader.rem_length() == 0
        return unfinished and not self.fh.read(1)

    def _inside_gzip_member(self) -> bool:
        decompressor = self.reader.decompressor
        return decompressor is not None and not getattr(decompressor, "eof", True)


class _RecordCutShort(Exception):
    def __init__(self, offset: int, missing: int) -> None:
        super().__init__(offset, missing)
        self.offset = offset
        self.missing = missing


class _NoLength(Exception):
    pass


@reader(".warc", ".warc.gz")
def read_warc(path: str, data: Source = None) -> Iterator[Document]:
    """The HTML pages in a WARC file, one document per 2xx HTML ``response`` record.

    :raises ArchiveError: after the documents before the problem, when the file is cut off
        or corrupt; the message names the byte offset of the record that could not be read.
    """
    try:
        handle = open_binary(path, data)  # a with block would not cover the yields
    except OSError as error:
        raise ArchiveError(cannot_read(error, path), path) from error
    with handle:
        yield from _read_records(path, handle)


def _read_records(path: str, handle: BinaryIO) -> Iterator[Document]:
    records = _CheckedIterator(handle)
    documents = 0
    offset = 0
    while True:
        # Only reading is guarded here; the yield below stays outside the try.
        try:
            found = _next_record(path, records)
        except OSError as error:
            raise ArchiveError(cannot_read(error, path), path) from error
        except Exception as error:
            # warcio fails on damaged records in many ways (even with AttributeError when a
            # header is missing); each means the same to a user: this record is unreadable.
            message = _describe_failure(error, path, records, documents, offset)
            raise ArchiveError(message, path) from None
        if found is None:
            break
        offset, document = found
        if document is not None:
            documents += 1
            yield document
    _check_complete(path, handle, records, documents, offset)


def _next_record(path: str, records: ArchiveIterator) -> tuple[int, Document | None] | None:
    """The offset of the next record and its document, if it is an HTML page; ``None`` at
    the end of the file."""
    record = next(records, None)
    if record is None:
        return None
    declared = record.rec_headers.get_header("Content-Length") or ""
    if record.length is None or not declared.strip().isdigit():
        # Without a valid length the record would run to the end of the file (warcio reads
        # a damaged length as 0 and carries on).
        raise _NoLength()
    page = _page_of(path, record)
    # Asking for the offset reads the rest of the record, so its length can be checked.
    offset = records.get_record_offset()
    missing = record.raw_stream.limit if isinstance(record.raw_stream, LimitReader) else 0
    if missing > 0:
        raise _RecordCutShort(offset, missing)
    if page is None:
        return offset, None
    text, utf8, url = page
    document = Document(
        source_path=path,
        text=text,
        utf8=utf8,
        media_type=HTML,
        locator=f"offset={offset}",
        url=url,
        fetched_at=record.rec_headers.get_header("WARC-Date"),
    )
    return offset, document


def _page_of(path: str, record: ArcWarcRecord) -> tuple[str, bytes | None, str | None] | None:
    """The decoded body (with its UTF-8 bytes, as :func:`decode_exact` gives them) and URL of
    an HTML page record; ``None`` for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    if not (len(status) == 3 and status.startswith("2") and status.isdigit()):
        return None
    content_type = record.http_headers.get_header("Content-Type")
    if media_type_of(content_type) not in HTML_MEDIA_TYPES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    coding = (record.http_headers.get_header("Content-Encoding") or "identity").strip().lower()
    if coding != "identity" and coding not in BufferedReader.get_supported_decompressors():
        # warcio would hand over the compressed bytes as they are (brotli needs the optional
        # "brotli" package): skip rather than store compressed bytes as text.
        logger.warning("%s: skipped %s: unsupported Content-Encoding %r", path, url, coding)
        return None
    body = _read_body(record)
    if body is None:
        logger.warning("%s: skipped %s: larger than %d bytes", path, url, MAX_DOCUMENT_BYTES)
        return None
    try:
        text, utf8 = decode_exact(body, declared=charset_of(content_type), html=True)
    except NotTextError as error:
        # One mislabelled response (an image served as text/html) is no reason to give up
        # on the whole archive.
        logger.warning("%s: skipped %s: %s", path, url, error)
        return None
    return text, utf8, url


def _read_body(record: ArcWarcRecord) -> bytes | None:
    """The HTTP payload with transfer and content encodings removed; ``None`` if too big."""
    stream = record.content_stream()
    parts: list[bytes] = []
    size = 0
    while part := stream.read(_READ_SIZE):
        size += len(part)
        if size > MAX_DOCUMENT_BYTES:
            return None
        parts.append(part)
    return b"".join(parts)


def _describe_failure(
    error: Exception, path: str, records: _CheckedIterator, documents: int, offset: int
) -> str:
    after = _count(documents)
    if isinstance(error, _RecordCutShort):
        kind = "truncated gzip stream" if path.lower().endswith(".gz") else "truncated WARC"
        return (
            f"{kind} after {after}: the record at offset {error.offset} is cut short "
            f"({error.missing} bytes missing)"
        )
    if isinstance(error, ArchiveLoadFailed) and "non-chunked gzip" in error.msg:
        return (
            f"unsupported WARC after {after}: the whole file is one gzip stream rather than "
            "one gzip member per record; rewrite it with `warcio recompress`"
        )
    # warcio's offset is where the record it failed on starts.
    at = _next_offset(records, offset)
    # warcio quotes the line it could not parse; with its line break it was not cut off.
    whole_bad_line = isinstance(error, ArchiveLoadFailed) and error.msg.endswith("\n")
    if not whole_bad_line and records.cut_off():
        kind = "truncated gzip stream" if path.lower().endswith(".gz") else "truncated WARC"
        return f"{kind} after {after}: the file ends inside the record at offset {at}"
    if isinstance(error, _NoLength):
        return f"corrupt WARC after {after}: the record at offset {at} has no valid Content-Length"
    if isinstance(error, ArchiveLoadFailed):
        return f"corrupt WARC after {after}: at offset {at}: {_short(error.msg)}"
    # Anything else is warcio tripping over a header it could not make sense of (an
    # AttributeError on a missing one, say): what it says is about its code, not the file.
    return f"corrupt WARC after {after}: cannot parse the headers of the record at offset {at}"


def _check_complete(
    path: str, handle: BinaryIO, records: _CheckedIterator, documents: int, offset: int
) -> None:
    """Raise if the file ended early: warcio stops without a word when the headers of the
    last record, or the gzip stream around it, are cut off."""
    size = _size_of(handle)
    # warcio's offset is where the record after the last one read starts (or would start).
    end = _next_offset(records, size)
    if not records.gzip_ended_cleanly:
        # Either a gzip member after the last record read is cut off, or that record's own
        # member lacks its end (then warcio's offset is the end of the file).
        start = end if end < size else offset
        raise ArchiveError(
            f"truncated gzip stream after {_count(documents)}: the file ends inside "
            f"the gzip member that starts at offset {start}",
            path,
        )
    if end < size:
        raise ArchiveError(
            f"truncated WARC after {_count(documents)}: the file ends inside the record "
            f"at offset {end}",
            path,
        )


def _size_of(handle: BinaryIO) -> int:
    """The size of the file ``handle`` reads; for a stream that cannot seek (a member of a
    tar bundle), what it has given so far and what is left."""
    try:
        return handle.seek(0, os.SEEK_END)
    except (AttributeError, OSError, ValueError):
        # tarfile's streamed members fail even to say whether they can seek.
        size = handle.tell()
        while chunk := handle.read(_READ_SIZE):
            size += len(chunk)
        return size


def _next_offset(records: ArchiveIterator, fallback: int) -> int:
    # warcio keeps where the record it is on (or will read next) starts in ``offset``.
    offset = getattr(records, "offset", None)
    return offset if isinstance(offset, int) else fallback


def _short(message: object, limit: int = 120) -> str:
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(documents: int) -> str:
    return f"{documents} document{'' if documents == 1 else 's'}"
