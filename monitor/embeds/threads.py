"""Threads posts embedded in HTML pages.

The embed code, ``blockquote.text-post-media[data-text-post-permalink]`` (with
``threads.net/embed.js``, ``threads.com/embed.js`` since 2025), holds no post text and no
date: only a link, "Post by @handle" (absent from some codes) and "View on Threads", which
are boilerplate, never text. Every post found here is id-only, with ``Post.text`` ``None``.

The permalink is ``https://www.threads.net/@{handle}/post/{code}`` (``threads.com`` since
2025, with or without ``www.``), or the short ``/t/{code}``; the blockquote's
``id="ig-tp-{code}"`` also carries the code.

Identity
--------
``Post.post_id`` is the post's shortcode (``C3bbjL_tLiD``): Threads shortcodes are
Instagram media codes, unique across the platform. ``Post.url`` is
``https://www.threads.com/@{handle}/post/{code}`` on the current domain, whatever domain the
page used, or ``https://www.threads.com/t/{code}`` when no handle is known.
``Post.author_handle`` comes from the permalink, else from "Post by @handle"; handles are
Instagram usernames, stored lower-case.

Time
----
``Post.posted_at`` is decoded from the shortcode, like an Instagram post's.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.embeds.dedupe import Sighting, one_per_id_at
from monitor.embeds.dom import (
    collapse_whitespace,
    first_attribute,
    inner_text,
    placeholder_address,
    placeholders_of,
)
from monitor.embeds.registry import platform, posts_finder
from monitor.models import Post
from monitor.timestamps import from_instagram_shortcode

PLATFORM = "threads"

_EMBEDS = "blockquote.text-post-media"
_EMBEDS_AND_PLACEHOLDERS = f"{_EMBEDS}, {placeholders_of(PLATFORM)}"

_HANDLE = r"[A-Za-z0-9._]{1,30}"
_CODE = r"[A-Za-z0-9_-]{5,64}"
# A permalink on either domain, also inside a longer URL (a web archive's rewritten link).
_PERMALINK = re.compile(
    rf"(?<![\w.-])(?:www\.)?threads\.(?:net|com)/"
    rf"(?:@(?P<handle>{_HANDLE})/post|t)/(?P<code>{_CODE})(?![\w-])"
)
_ELEMENT_ID = re.compile(rf"ig-tp-(?P<code>{_CODE})")
_SHOWN_HANDLE = re.compile(rf"(?<![\w@])@(?P<handle>{_HANDLE})")


def read_address(address: str) -> Post | None:
    """The post a permalink stands for; ``None`` for any other address."""
    match = _PERMALINK.search(address)
    return _post(match["code"], match["handle"]) if match else None


# The blockquote's class, or the domain in its permalink and script.
@platform(
    PLATFORM,
    markers=("text-post-media", "threads."),
    hosts=("threads.net", "threads.com"),
    read_address=read_address,
)
def find_embeds(tree: LexborHTMLParser, *, placeholders: bool = False) -> list[Sighting]:
    """The Threads posts embedded in a parsed HTML page, in page order, one per post.

    :param tree: the page, parsed once by the caller
    :param placeholders: also read the placeholders marked in it (see
        :mod:`monitor.embeds.placeholders`)
    """
    return one_per_id_at(
        (_read_embed(node), node)
        for node in tree.css(_EMBEDS_AND_PLACEHOLDERS if placeholders else _EMBEDS)
    )


find_posts = posts_finder(find_embeds)


def _read_embed(node: LexborNode) -> Post | None:
    address = placeholder_address(node)
    return _read_blockquote(node) if address is None else read_address(address)


def _read_blockquote(quote: LexborNode) -> Post | None:
    code = handle = None
    for candidate in (
        first_attribute(quote, "data-text-post-permalink") or "",
        *(link.attributes.get("href") or "" for link in quote.css("a[href]")),
    ):
        match = _PERMALINK.search(candidate)
        if match and (code is None or match["code"] == code):
            code = match["code"]
            handle = handle or match["handle"]
        if code and handle:
            break
    if code is None:
        match = _ELEMENT_ID.fullmatch(first_attribute(quote, "id") or "")
        if match is None:
            return None  # the class alone, on an element that is not a Threads embed
        code = match["code"]
    if handle is None:
        shown = _SHOWN_HANDLE.search(collapse_whitespace(inner_text(quote)))
        handle = shown["handle"].rstrip(".") if shown else None
    return _post(code, handle)


def _post(code: str, handle: str | None) -> Post:
    handle = handle.lower() if handle else None
    return Post(
        platform=PLATFORM,
        post_id=code,
        url=_canonical_url(handle, code),
        author_handle=handle,
        posted_at=from_instagram_shortcode(code, PLATFORM),
    )


def _canonical_url(handle: str | None, code: str) -> str:
    if handle is None:
        return f"https://www.threads.com/t/{code}"
    return f"https://www.threads.com/@{handle}/post/{code}"
