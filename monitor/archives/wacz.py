"""WACZ web archives (``.wacz``): what Webrecorder's tools (ArchiveWeb.page, Browsertrix,
``wacz create``) write. A WACZ is a ZIP holding WARC files under ``archive/`` with an index
of the pages captured (``pages/pages.jsonl``, and ``pages/extraPages.jsonl``).

The WARCs are streamed out of the ZIP (never extracted to disk) and read as WARC files are
(see :mod:`monitor.archives.warc`); each document's ``locator`` names the WARC inside and
the record's offset in it (``"archive/data.warc.gz offset=1234"``). The page index gives a
page its title, where its ``title`` is known (a WARC records none), and its capture time
where the record has none. A WARC that cannot be read is recorded and the others are read,
as the members of any bundle (see :mod:`monitor.archives.bundles`).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import replace

from ..models import Document
from .bundles import read_bundle, zip_members
from .errors import ArchiveError
from .files import cannot_read, open_binary
from .registry import Source, reader

_PAGE_LISTS = ("pages/pages.jsonl", "pages/extraPages.jsonl")
MAX_PAGE_LIST_BYTES = 64 * 1024 * 1024
"""The most of a page list read: its titles are a convenience, not worth unbounded memory."""


@reader(".wacz")
def read_wacz(path: str, data: Source = None) -> Iterator[Document]:
    """The HTML pages of the WARCs in a WACZ file, with the titles its page index gives."""
    pages = _page_index(path, data)
    if data is not None and not isinstance(data, bytes):
        data.seek(0)

    def described(document: Document) -> Document:
        page = pages.get(document.url or "")
        if page is None:
            return document
        title, captured = page
        return replace(
            document,
            title=document.title or title,
            fetched_at=document.fetched_at or captured,
        )

    yield from read_bundle(
        path,
        data,
        zip_members,
        wanted=lambda name: name.startswith("archive/"),
        described=described,
    )


def _page_index(path: str, data: Source) -> dict[str, tuple[str | None, str | None]]:
    """Each page's title and capture time, by URL, from the WACZ's page lists (none where
    the file has none or cannot be opened: reading the WARCs says why)."""
    pages: dict[str, tuple[str | None, str | None]] = {}
    try:
        handle = open_binary(path, data)
    except OSError as error:
        raise ArchiveError(cannot_read(error, path), path) from error
    try:
        bundle = zipfile.ZipFile(handle)
        names = set(bundle.namelist())
        for listed in _PAGE_LISTS:
            if listed not in names:
                continue
            with bundle.open(listed) as lines:
                for line in lines.read(MAX_PAGE_LIST_BYTES).splitlines():
                    page = _page(line)
                    if page is not None:
                        pages.setdefault(page[0], page[1:])
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return pages
    finally:
        if data is None or isinstance(data, bytes):
            handle.close()
    return pages


def _page(line: bytes) -> tuple[str, str | None, str | None] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        return None
    title, captured = entry.get("title"), entry.get("ts")
    return (
        entry["url"],
        title.strip() or None if isinstance(title, str) else None,
        captured if isinstance(captured, str) else None,
    )
