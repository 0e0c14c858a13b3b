"""MHTML pages (``.mhtml``, ``.mht``, each also gzipped): a page saved by a browser as a
single file (Chrome's and Edge's "Save as... single file", Chromium's
``Page.captureSnapshot``), a MIME ``multipart/related`` message of the page and what it
showed.

The page is the first HTML part (the browser writes the top frame first), decoded from its
quoted-printable or base64 transfer encoding and then as any page (byte-order mark,
``<meta charset>``, else UTF-8). Its ``Content-Location`` is the article's address (the
message's ``Snapshot-Content-Location`` failing that; a ``file:`` address counts as none),
and the message's ``Date`` the time it was saved (``fetched_at``).

Frames saved with the page (embedded posts and players as the browser rendered them) are
parts of their own, which the page's ``<iframe>`` elements point to by ``cid:``. They are
read as part of the page, never as articles: each frame element gets its own address back
(so that a post's frame is known by its address, as in a live page), and the frame's HTML
is set after it, marked as a frame's (see :mod:`monitor.embeds.context`: not the article's
words), one level deep.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from collections.abc import Iterator
from datetime import UTC
from email.message import Message
from email.utils import parsedate_to_datetime

from ..models import HTML, Document
from ..page import FRAME_MARK
from .encoding import NotTextError, decode_exact
from .errors import ArchiveError
from .files import MAX_DOCUMENT_BYTES, read_gzip, read_whole
from .registry import Source, reader

_CID = re.compile(r"cid:([^\"'\s>]+)", re.IGNORECASE)
_BODY = re.compile(r"<body[^>]*>(.*?)(?:</body>|$)", re.IGNORECASE | re.DOTALL)
_FRAME_END = re.compile(r"</iframe\s*>", re.IGNORECASE)


@reader(".mhtml", ".mht")
def read_mhtml(path: str, data: Source = None) -> Iterator[Document]:
    """The page a browser saved as one MHTML file, with the frames it saved set into it."""
    yield from _read_page(path, read_whole(path, data))


@reader(".mhtml.gz", ".mht.gz")
def read_mhtml_gz(path: str, data: Source = None) -> Iterator[Document]:
    """A gzipped MHTML page."""
    yield from _read_page(path, read_gzip(path, data))


def _read_page(path: str, raw: bytes) -> Iterator[Document]:
    if not raw.strip():
        return
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if not message.is_multipart():
        if message.get_content_type() != "text/html":
            raise ArchiveError("not an MHTML page: no HTML part", path)
        parts = [message]
    else:
        parts = [part for part in message.walk() if part.get_content_type() == "text/html"]
    if not parts:
        raise ArchiveError("not an MHTML page: no HTML part", path)
    page, *frames = parts
    text = _html_of(path, page)
    if frames:
        text = _with_frames(path, text, frames)
    yield Document(
        source_path=path,
        text=text,
        media_type=HTML,
        url=_address(page.get("Content-Location"))
        or _address(message.get("Snapshot-Content-Location")),
        fetched_at=_saved_at(message.get("Date")),
    )


def _html_of(path: str, part: Message) -> str:
    body = part.get_payload(decode=True)
    if not isinstance(body, bytes):
        raise ArchiveError("a damaged MHTML part: its body cannot be decoded", path)
    if len(body) > MAX_DOCUMENT_BYTES:
        raise ArchiveError("document too large: an HTML part over 64 MiB", path)
    try:
        text, _ = decode_exact(body, html=True)
    except NotTextError as error:
        raise ArchiveError(str(error), path) from None
    return text


def _with_frames(path: str, page: str, frames: list[Message]) -> str:
    """``page`` with each frame element's ``cid:`` address made the frame's own, and the
    frame's HTML (its body) set after the element."""
    saved: dict[str, tuple[str | None, Message]] = {}
    for frame in frames:
        content_id = (frame.get("Content-ID") or "").strip().strip("<>")
        if content_id:
            saved[content_id.lower()] = ((frame.get("Content-Location") or "").strip(), frame)
    pieces: list[str] = []
    position = 0
    for match in _CID.finditer(page):
        found = saved.get(match.group(1).lower())
        if found is None:
            continue
        address, frame = found
        pieces.append(page[position : match.start()])
        pieces.append(html.escape(address or "about:blank"))
        position = match.end()
        end = _FRAME_END.search(page, position)
        if end is None:
            continue
        pieces.append(page[position : end.end()])
        position = end.end()
        body = _BODY.search(_html_of(path, frame))
        if body is not None:
            mark = html.escape(address or "")
            pieces.append(f'<div {FRAME_MARK}="{mark}">{body.group(1)}</div>')
    pieces.append(page[position:])
    return "".join(pieces)


def _address(location: str | None) -> str | None:
    location = (location or "").strip()
    return location if location.lower().startswith(("http://", "https://")) else None


def _saved_at(date: str | None) -> str | None:
    """An RFC 2822 date as ISO 8601 (in UTC where it has a zone)."""
    try:
        moment = parsedate_to_datetime(date or "")
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
