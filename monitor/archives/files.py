"""Single-document files: saved HTML pages, plain text and Markdown, each also gzipped."""

from __future__ import annotations

import errno
import io
import os
import stat
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from ..models import HTML, MARKDOWN, PLAIN, Document
from .encoding import NotTextError, decode_exact
from .errors import ArchiveError
from .registry import Source, reader
from .remote import is_remote, open_remote

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""The largest document read into memory (after decompression): a bigger file is an
:class:`ArchiveError`, a bigger WARC record is skipped. No article is that big, and a few
kilobytes of gzip can expand to gigabytes."""

_GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer around deflate data
_GZIP_MAGIC = b"\x1f\x8b"


@reader(".html", ".htm", ".xhtml")
def read_html(path: str, data: Source = None) -> Iterator[Document]:
    """One HTML document: the whole file, decoded by its ``<meta>`` charset, else UTF-8."""
    yield from _read_document(path, read_whole(path, data), HTML)


@reader(".html.gz", ".htm.gz", ".xhtml.gz")
def read_html_gz(path: str, data: Source = None) -> Iterator[Document]:
    """One gzipped HTML document."""
    yield from _read_document(path, read_gzip(path, data), HTML)


@reader(".txt")
def read_text(path: str, data: Source = None) -> Iterator[Document]:
    """One plain-text document (UTF-8 unless a byte order mark says otherwise)."""
    yield from _read_document(path, read_whole(path, data), PLAIN)


@reader(".txt.gz")
def read_text_gz(path: str, data: Source = None) -> Iterator[Document]:
    """One gzipped plain-text document."""
    yield from _read_document(path, read_gzip(path, data), PLAIN)


@reader(".md", ".markdown")
def read_markdown(path: str, data: Source = None) -> Iterator[Document]:
    """One Markdown document (UTF-8 unless a byte order mark says otherwise)."""
    yield from _read_document(path, read_whole(path, data), MARKDOWN)


@reader(".md.gz", ".markdown.gz")
def read_markdown_gz(path: str, data: Source = None) -> Iterator[Document]:
    """One gzipped Markdown document."""
    yield from _read_document(path, read_gzip(path, data), MARKDOWN)


def _read_document(path: str, data: bytes, media_type: str) -> Iterator[Document]:
    if not data:
        return
    try:
        text, utf8 = decode_exact(data, html=media_type == HTML)
    except NotTextError as error:
        raise ArchiveError(str(error), path) from None
    yield Document(source_path=path, text=text, media_type=media_type, utf8=utf8)


def open_binary(path: str, data: Source = None) -> BinaryIO:
    """The archive file at ``path`` opened for reading, or ``data`` (its bytes, already read,
    or a stream of them) as a file.

    :raises OSError: when the file cannot be opened, or is not a regular file
    """
    if data is None:
        return open_regular(path)
    return io.BytesIO(data) if isinstance(data, bytes) else data


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """A regular file opened for reading in binary (or a remote one, streamed: see
    :mod:`monitor.archives.remote`).

    Opened without blocking, then checked: a FIFO named ``page.html`` would block an
    ordinary ``open`` until something writes to it (for ever, in a watched folder), and a
    device or socket is no archive either.

    :raises NotRegularFile: (an ``OSError``) when ``path`` is a FIFO, device, socket or folder
    :raises OSError: when the file cannot be opened
    """
    if is_remote(path):
        return open_remote(str(path))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def cannot_read(error: OSError, path: str | os.PathLike[str] | None = None) -> str:
    """What to record for a file that could not be opened or read: one line, in words."""
    if error.errno == errno.ELOOP:
        return "cannot read file: a loop of symbolic links"
    if error.errno == errno.ENOENT and path is not None and os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"cannot read file: a broken symbolic link (to {target!r}, which does not exist)"
    return f"cannot read file: {error.strerror or error}"


class NotRegularFile(OSError):
    """A path that names a FIFO, a device, a socket or a folder where a file was expected."""

    def __init__(self, path: str | os.PathLike[str], mode: int) -> None:
        kind = file_kind(mode)
        super().__init__(errno.EINVAL, f"not a regular file but {kind}", os.fspath(path))


def file_kind(mode: int) -> str:
    """What ``mode`` (an ``st_mode``) says a path is, in words: ``a FIFO``, ``a socket``..."""
    for test, kind in (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return kind
    return "of an unknown kind"


def read_whole(path: str, data: Source = None) -> bytes:
    """A single-document file's bytes (from ``data`` when given), at most
    :data:`MAX_DOCUMENT_BYTES`.

    :raises ArchiveError: when it is bigger, or cannot be read
    """
    if isinstance(data, bytes):
        _check_size(path, len(data))
        return data
    if data is not None:
        # A stream (a bundle's member): read one byte past the limit to know it is passed.
        read = data.read(MAX_DOCUMENT_BYTES + 1)
        _check_size(path, len(read))
        return read
    try:
        with open_regular(path) as handle:
            if is_remote(path):
                # Streamed: read one byte past the limit to know it is passed.
                data = handle.read(MAX_DOCUMENT_BYTES + 1)
                _check_size(path, len(data))
                return data
            # Check the size first: read(limit) would allocate the whole limit up front.
            _check_size(path, os.fstat(handle.fileno()).st_size)
            return handle.read()
    except OSError as error:
        raise ArchiveError(cannot_read(error, path), path) from error


def read_gzip(path: str, data: Source = None) -> bytes:
    """A gzipped single-document file's bytes, decompressed, at most
    :data:`MAX_DOCUMENT_BYTES` of them.

    :raises ArchiveError: when they are more, or the file is not gzip, is cut off or corrupt
    """
    compressed = read_whole(path, data)
    if compressed and not compressed.startswith(_GZIP_MAGIC):
        raise ArchiveError("not gzip data, though the file name ends in .gz", path)
    parts: list[bytes] = []
    size = 0
    # zlib directly rather than the gzip module: as fast, and it lets the output be capped.
    while compressed:
        inflater = zlib.decompressobj(_GZIP_WBITS)
        try:
            part = inflater.decompress(compressed, MAX_DOCUMENT_BYTES + 1 - size)
        except zlib.error as error:
            raise ArchiveError(f"corrupt gzip stream: {error}", path) from None
        size += len(part)
        _check_size(path, size)
        parts.append(part)
        if not inflater.eof:
            raise ArchiveError(
                "truncated gzip stream: the file ends before the compressed data does", path
            )
        compressed = inflater.unused_data
        # gzip(1) ignores zero padding after the last member (tape blocks); so do we.
        if not compressed.strip(b"\x00"):
            break
    return b"".join(parts)


def _check_size(path: str, size: int) -> None:
    if size > MAX_DOCUMENT_BYTES:
        raise ArchiveError(
            f"document too large: more than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB", path
        )
