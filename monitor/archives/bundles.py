"""ZIP and tar bundles (``.zip``, ``.tar``, ``.tar.gz``, ``.tgz``): every member the monitor
can read, read as if it were a file, without unpacking anything to disk.

A member is read by the reader of its own suffix (``page.html``, ``crawl.warc.gz``,
``articles.jsonl``...; members of other kinds, such as images and stylesheets, are passed
over), streamed from the bundle. A bundle inside a bundle is read too, one level deep: it
is opened in memory, so it may be at most :data:`~monitor.archives.files.MAX_DOCUMENT_BYTES`;
deeper bundles are passed over. Each document's ``source_path`` is the bundle, and its
``locator`` names the member (``"pages/a.html"``), followed by the member's own locator
where it has one (``"crawl.warc.gz offset=1234"``); a nested bundle's members are named
through it (``"inner.zip/pages/a.html"``).

A member that cannot be read (damaged, cut off, too large) is recorded and skipped: the
others are read, and the bundle then fails with one line naming the members skipped, as
a JSON Lines file does for its bad lines. A bundle that cannot be opened, or that ends
early (a tar cut off), fails after the documents read before.
"""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import BinaryIO

from ..models import Document
from .errors import ArchiveError
from .errors import skipped as skipped_parts
from .files import MAX_DOCUMENT_BYTES, cannot_read, open_binary
from .registry import Source, reader, reader_for, suffix_of

BUNDLE_SUFFIXES = frozenset({".zip", ".tar", ".tar.gz", ".tgz"})
# Files read by seeking in them: held in memory (at most MAX_DOCUMENT_BYTES) when a tar's
# stream cannot seek.
_NEED_SEEKING = frozenset({".wacz", ".parquet"})
_READ_SIZE = 1 << 16
# What reading a damaged member raises, besides an ArchiveError from its own reader.
_MEMBER_ERRORS = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, OSError, ValueError)

Member = tuple[str, Callable[[], BinaryIO]]
"""A bundle's member: its name, and how to open it for reading."""


@reader(".zip")
def read_zip(path: str, data: Source = None) -> Iterator[Document]:
    """The documents of every readable member of a ZIP file."""
    yield from read_bundle(path, data, zip_members)


@reader(".tar", ".tar.gz", ".tgz")
def read_tar(path: str, data: Source = None) -> Iterator[Document]:
    """The documents of every readable member of a tar file (gzipped or not), streamed."""
    yield from read_bundle(path, data, tar_members)


def zip_members(handle: BinaryIO) -> Iterator[Member]:
    """A ZIP file's members, in the order it lists them (folders left out)."""
    bundle = zipfile.ZipFile(handle)
    for info in bundle.infolist():
        if not info.is_dir():
            yield info.filename, lambda info=info: bundle.open(info)


def tar_members(handle: BinaryIO) -> Iterator[Member]:
    """A tar file's regular members, read as a stream (gzip undone as it is read): each
    can be opened only until the next is asked for.

    :raises tarfile.ReadError: when a member is cut short (a tar read as a stream gives
        what there is without a word)
    """
    with tarfile.open(fileobj=handle, mode="r|*") as bundle:
        for info in bundle:
            if not info.isfile():
                continue
            member = _Member(bundle.extractfile(info))
            yield info.name, lambda member=member: member
            try:
                while member.read(_READ_SIZE):  # what its reader left, if any
                    pass
            except tarfile.StreamError:
                pass  # the stream ended inside it
            if member.given < info.size:
                raise tarfile.ReadError(
                    f"the file ends inside {info.name} (of {info.size:,} bytes)"
                )


class _Member(io.BufferedIOBase):
    """A tar member's stream, which its reader may close: it stays open, for the bundle to
    check that all of it was there."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.given = 0  # bytes read from it so far

    def read(self, size: int | None = -1) -> bytes:
        data = self._raw.read(size)
        self.given += len(data)
        return data

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def readline(self, size: int | None = -1) -> bytes:
        line = self._raw.readline(size)
        self.given += len(line)
        return line

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.given

    def close(self) -> None:
        pass  # the bundle reads on


def read_bundle(
    path: str,
    data: Source,
    members: Callable[[BinaryIO], Iterator[Member]],
    *,
    wanted: Callable[[str], bool] | None = None,
    described: Callable[[Document], Document] | None = None,
) -> Iterator[Document]:
    """The documents of a bundle's readable members (see the module's text).

    :param members: the bundle's members, from its opened file
    :param wanted: which members to read, by name (default: any with a reader)
    :param described: what to make of each document before it is yielded (a WACZ adds its
        pages' titles)
    """
    skipped: list[str] = []
    try:
        handle = open_binary(path, data)
    except OSError as error:
        raise ArchiveError(cannot_read(error, path), path) from error
    read = 0
    with handle:
        if _is_empty(handle):
            return  # as any empty archive file: nothing in it
        try:
            for name, opener in members(handle):
                if wanted is not None and not wanted(name):
                    continue
                for document in _member_documents(path, name, opener, skipped, nested=False):
                    read += 1
                    yield described(document) if described is not None else document
        except ArchiveError:
            raise
        except _MEMBER_ERRORS as error:
            raise ArchiveError(_broken(error, read), path) from None
    if skipped:
        raise ArchiveError(skipped_parts(skipped, "member"), path)


def _member_documents(
    path: str, name: str, opener: Callable[[], BinaryIO], skipped: list[str], *, nested: bool
) -> Iterator[Document]:
    """The documents of one member, its failure added to ``skipped``."""
    suffix = suffix_of(os.path.basename(name))
    read_member = reader_for(os.path.basename(name))
    if read_member is None:
        return  # not a kind of file the monitor reads
    if suffix in BUNDLE_SUFFIXES and nested:
        return  # bundles are read one level deep
    try:
        with opener() as stream:
            if suffix in BUNDLE_SUFFIXES:
                inner = _bounded(stream, "a bundle inside a bundle")
                yield from _nested(path, name, inner, skipped)
                return
            if suffix in _NEED_SEEKING and not _seekable(stream):
                # A ZIP-based or Parquet file in a tar, which is read as a stream.
                stream = io.BytesIO(_bounded(stream, "a file that needs seeking inside a tar"))
            for document in read_member(f"{path}/{name}", stream):
                locator = name if document.locator is None else f"{name} {document.locator}"
                yield replace(document, source_path=path, locator=locator)
    except ArchiveError as error:
        skipped.append(f"{name}: {error.reason}")
    except Exception as error:
        # Damaged (a CRC or gzip error, a member cut off) or a reader's own failure on it:
        # this member's, not the bundle's.
        skipped.append(f"{name}: {type(error).__name__}: {error}")


def _bounded(stream: BinaryIO, what: str) -> bytes:
    """A member's bytes, read into memory: at most :data:`MAX_DOCUMENT_BYTES`."""
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ArchiveError(
            f"{what} larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB, not read"
        )
    return data


def _seekable(stream: BinaryIO) -> bool:
    try:
        return stream.seekable()
    except (AttributeError, OSError, ValueError):
        return False


def _nested(path: str, name: str, data: bytes, skipped: list[str]) -> Iterator[Document]:
    """The documents of a bundle held in a bundle, its members named through it."""
    members = zip_members if suffix_of(name) == ".zip" else tar_members
    for inner, opener in members(io.BytesIO(data)):
        yield from _member_documents(path, f"{name}/{inner}", opener, skipped, nested=True)


def _is_empty(handle: BinaryIO) -> bool:
    """Whether the file ``handle`` reads is empty (a stream that cannot seek is not)."""
    try:
        empty = handle.seek(0, os.SEEK_END) == 0
        handle.seek(0)
    except (AttributeError, OSError, ValueError):
        return False
    return empty


def _broken(error: BaseException, read: int) -> str:
    what = "not a ZIP file" if isinstance(error, zipfile.BadZipFile) else "cut off or corrupt"
    documents = "document" if read == 1 else "documents"
    return f"{what} after {read} {documents}: {type(error).__name__}: {error}"
