"""Archive files where they live: any address that `fsspec <https://filesystem-spec.readthedocs.io>`_
opens (``https://``, and ``s3://`` with ``s3fs``), read by whichever process reads the file.

A remote file is streamed, never fetched whole: a WARC of a gigabyte is read record by
record, as a local one is. Its identity is its address; its size and its version (the
server's ``Last-Modified``, else its ``ETag``) stand in for a local file's size and
modification time, so that the rerun of an unchanged listing reads nothing.

Needs the ``remote`` extra (``pip install 'reaction-monitor[remote]'``; ``[s3]`` for S3).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from typing import Any, BinaryIO

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# Read ahead in blocks this big: few requests for a big WARC, little memory for a page.
_BLOCK_BYTES = 4 * 1024 * 1024


class RemoteUnavailable(OSError):
    """An address that could not be opened: no ``fsspec`` (or no filesystem for its scheme),
    or the server said no."""


def is_remote(path: object) -> bool:
    """Whether ``path`` is an address (``scheme://...``) rather than a local path."""
    return isinstance(path, str) and bool(_SCHEME.match(path)) and not path.startswith("file:")


def stat_remote(address: str) -> tuple[int, int]:
    """The size of the file at ``address`` and a number that changes when the file does: its
    ``Last-Modified`` time in nanoseconds, else one drawn from its ``ETag`` (0 if neither).

    :raises OSError: when the server cannot be reached or has no such file
    """
    with _as_os_errors():
        filesystem = _filesystem(address)
        # Asked afresh: a listing kept from an earlier run (s3fs keeps them) is out of date.
        filesystem.invalidate_cache(address)
        info = filesystem.info(address)
    size = info.get("size")
    if size is None:
        raise RemoteUnavailable("the server gives no size for it")
    return int(size), _version(info)


def glob_remote(pattern: str) -> list[str]:
    """The addresses that ``pattern`` matches, sorted: ``*`` within a name, ``**`` across
    folders, ``[...]``; through the bucket's listing (``s3://``), or through the links of a
    folder's index page (``https://``, as static file servers and Common Crawl's own
    listings show them). ``?`` is not a wildcard in an address, where it starts the query.

    :raises OSError: when the listing cannot be had
    """
    try:
        with _as_os_errors():
            filesystem = _filesystem(pattern)
            filesystem.invalidate_cache()
            # Escaped, a "?" is taken as itself; fsspec would take it for any one character.
            matches = filesystem.glob(pattern.replace("?", "[?]"))
    except OSError as error:
        raise RemoteUnavailable(f"cannot list {pattern!r}: {error}") from error
    return sorted({filesystem.unstrip_protocol(match) for match in matches})


def has_wildcards(address: str) -> bool:
    """Whether an address is a pattern for :func:`glob_remote`: ``*`` or ``[`` in its path
    (a host may be in brackets: ``http://[::1]/``)."""
    path = address.split("://", 1)[-1].partition("/")[2]
    return "*" in path or "[" in path


def open_remote(address: str) -> BinaryIO:
    """The file at ``address``, opened for streaming reads.

    :raises OSError: when it cannot be opened
    """
    with _as_os_errors():
        opened = _filesystem(address).open(address, "rb", block_size=_BLOCK_BYTES)
    return io.BufferedReader(_Stream(address, opened), buffer_size=1024 * 1024)  # type: ignore[return-value]


@contextmanager
def _as_os_errors() -> Iterator[None]:
    """The HTTP and storage clients' own errors as ``OSError`` s, as a local file's are."""
    try:
        yield
    except FileNotFoundError as error:
        # fsspec's HTTP client says "not found" whatever went wrong: the cause tells.
        raise RemoteUnavailable(_not_found(error.__cause__)) from None
    except OSError:
        raise
    except Exception as error:
        raise RemoteUnavailable(f"{type(error).__name__}: {error}") from error


def _not_found(cause: BaseException | None) -> str:
    if isinstance(cause, OSError) and not isinstance(cause, FileNotFoundError):
        return f"cannot reach the server: {cause}"  # refused, unreachable, TLS
    status = getattr(cause, "status", None)
    if isinstance(status, int) and status != 404:
        return f"the server answered {status} {getattr(cause, 'message', '')}".rstrip()
    return "the server has no such file"


class _Stream(io.RawIOBase):
    """A remote file whose failures mid-read (a connection dropped, a payload cut short)
    are ``OSError`` s, as a local file's are, so that reading it fails as reading a damaged
    file does: recorded, and the documents read before kept."""

    def __init__(self, address: str, opened: Any) -> None:
        self._address = address
        self._opened = opened

    def readable(self) -> bool:
        return True

    # Seeking is a new range request, not a download: the WARC reader asks where it is.
    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._opened.seek(offset, whence)

    def tell(self) -> int:
        return self._opened.tell()

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._opened.read(len(buffer))
        except OSError:
            raise
        except Exception as error:  # the HTTP and storage clients' own errors
            raise RemoteUnavailable(
                f"the connection failed mid-file ({type(error).__name__})"
            ) from error
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._opened.close()
        finally:
            super().close()


def _filesystem(address: str) -> Any:
    try:
        import fsspec
    except ImportError as error:
        raise RemoteUnavailable(
            "reading addresses needs the remote extra: pip install 'reaction-monitor[remote]'"
        ) from error
    protocol = address.split("://", 1)[0].lower()
    try:
        return fsspec.filesystem(protocol)
    except (ImportError, ValueError) as error:
        raise RemoteUnavailable(f"cannot read {protocol}:// addresses: {error}") from error


def _version(info: dict[str, Any]) -> int:
    headers = {str(key).lower(): value for key, value in info.items()}
    modified = headers.get("last-modified") or headers.get("lastmodified")
    if modified is not None:
        try:
            when = modified if hasattr(modified, "timestamp") else parsedate_to_datetime(modified)
            return int(when.timestamp() * 1_000_000_000)
        except (TypeError, ValueError):
            pass
    etag = headers.get("etag")
    if etag:
        return int.from_bytes(hashlib.sha256(str(etag).encode()).digest()[:7], "big")
    return 0
