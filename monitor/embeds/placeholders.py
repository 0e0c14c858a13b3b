"""Placeholders: elements that a site's own script turns into an embed, holding only the post's
address.

Many sites keep no embed code in the page. An element holds the post's address in a data
attribute, and the site's script asks the platform (or the site's own oEmbed proxy) for the
embed once the reader scrolls to it or consents. Seen in real pages:

* ``<div class="rcs_social-embed" data-social-embedded="twitter"
  data-href="https://x.com/…/status/…">`` (Corriere della Sera);
* ``<div class="c-oembed" data-oembed-url="https://x.com/…/status/…">`` around an empty
  loading skeleton (Die Welt);
* ``<div data-extcontent_type="instagram" data-extcontent_url="https://graph.facebook.com/
  v8.0/instagram_oembed?url=https://www.instagram.com/p/…/">`` (n-tv);
* ``<div class="tweet" data-mod="tweet" data-url="https://twitter.com/…/status/…">`` in a
  live blog (Cork Beo), ``<div class="embedInner Twitter" data-provider="Twitter"
  data-resourceurl="…">`` (nd).

An embed service's frame is the same thing: Medium's ``<iframe src="https://cdn.embedly.com/
widgets/media.html?src=…&url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3D…">`` shows the
post its address names as a parameter, and so does an Iframely frame inside a div that names
the post (Vice: ``<div class="article__embed--iframely" data-embedded-url="https://twitter.com/
…/status/…"><iframe data-iframely-url="//oembed.vice.com/…">``).

A reader sees the post there, so it counts, with the fields the platform's own embed of that
address gives. What tells a placeholder from a share button, a link in prose or a card in a
sidebar, none of which count:

* the address is a post's (a status, a video, a photo post; never a profile or a share
  intent), and it is a ``data-`` attribute's value, whole or as an endpoint's parameter;
* the element says it is an embed: an attribute name or value (the address aside) holds
  "embed", "social", or the platform's name or one of its markers;
* it is a div (never a link, a button or a media element: share and follow buttons are
  made of those), and it holds no embed element, which is read on its own (an embed
  service's frame, whose addresses name no platform, aside); or it is an iframe;
* it shows no prose: besides addresses, at most a loading or consent note of
  :data:`MAX_NOTE` characters, unless it is the site's own rendering of the post (Substack's
  ``<div class="tweet" data-attrs="{&quot;url&quot;: …, &quot;full_text&quot;: …}">``
  showing the tweet's author, text and date), which links to the post and nowhere off the
  platform.

Each placeholder found is marked with :data:`~monitor.embeds.dom.PLACEHOLDER_PLATFORM` and
:data:`~monitor.embeds.dom.PLACEHOLDER_ADDRESS` (the post's address, decoded), and the
platform reads it in page order with its other embeds.

Placeholders are looked for among divs and iframes only, whose attributes the page's
reading lists anyway (see :func:`monitor.page.find_elements`): a search of every element's
attributes, or of the page's source for every platform's host names, would cost a third of
what reading a page costs. A placeholder of another tag (``<p data-…="/embed?url=…">``) is
not read.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

from selectolax.lexbor import LexborNode

from ..page import Page, signature
from .dom import EMBED_ELEMENTS, PLACEHOLDER_ADDRESS, PLACEHOLDER_PLATFORM, inner_text
from .registry import Platform, registered

MAX_ADDRESS = 2_000
"""The longest attribute value read as a placeholder's address: longer values (JSON, image
lists) are not one, and are not worth decoding."""
MAX_NOTE = 200
"""The most text, besides addresses, that a placeholder may show: a "loading" or "click to
load the post" note fits; a paragraph of prose holding a link does not."""

_FRAMES = frozenset({"iframe", "embed", "object"})
# Words with which an element says it stands for an embed, besides the platform's own.
_EMBED_WORDS = ("embed", "social")
_ADDRESS = re.compile(r"\S*://\S*|\bwww\.\S+", re.IGNORECASE)


def mark_placeholders(page: Page) -> None:
    """Mark the placeholders among ``page``'s candidates (see the module's text) for the
    platforms to read, add them to its candidate elements, and the platforms they stand
    for to ``page.placeholders``.

    :param page: a parsed page's elements, as :func:`monitor.page.find_elements` found them
    """
    if not page.addressed:
        return
    platforms = [platform for platform in registered() if platform.read_address is not None]
    for node, name, value in page.addressed:
        found = _placeholder(node, name, value, platforms)
        if found is not None:
            node.attrs[PLACEHOLDER_PLATFORM], node.attrs[PLACEHOLDER_ADDRESS] = found
            page.signatures.append(signature(node.tag or "", node.attributes))
            page.placeholders.add(found[0])


def _placeholder(
    node: LexborNode, name: str, value: str, platforms: list[Platform]
) -> tuple[str, str] | None:
    """``(platform, address)`` when ``node`` (a div, or an iframe) is a placeholder whose
    attribute ``name`` (of value ``value``) holds the address of a post, else ``None``."""
    if len(value) > MAX_ADDRESS:
        return None
    value = unescape(value).strip()
    if "%" in value:
        value = unquote(value)  # an endpoint's parameter, or an encoded address
    lowered = value.lower()
    for platform in platforms:
        host = next((host for host in platform.hosts if host in lowered), None)
        if host is None or platform.read_address is None:
            continue
        post = platform.read_address(value)
        if post is None or post.post_id is None:
            continue
        if node.tag == "iframe":
            # A frame is what the reader sees; its own address is the service's.
            return platform.name, value
        others = " ".join(
            f"{key}={other or ''}" for key, other in node.attributes.items() if key != name
        )
        # What the element says of itself: its other attributes, the address attribute's
        # name, and what precedes the post's address in its value (an oEmbed endpoint).
        said = f"{others} {name} {lowered[: lowered.rfind(host)]}".lower()
        words = (*_EMBED_WORDS, platform.name, *platform.markers)
        if not any(word in said for word in words):
            return None
        if _holds_embed(node, platforms):
            return None  # the embed inside is read on its own
        if len(_ADDRESS.sub("", inner_text(node)).strip()) > MAX_NOTE and not _renders(
            node, platform, post.post_id
        ):
            return None
        return platform.name, value
    return None


def _renders(node: LexborNode, platform: Platform, post_id: str) -> bool:
    """Whether ``node`` is a site's own rendering of the post (Substack's tweets: author,
    text and date, linked to the post): it links to the post, and to nothing off the
    platform, where prose holding the post's address links elsewhere or nowhere."""
    assert platform.read_address is not None
    to_post = False
    for link in node.css("a[href]"):
        href = link.attributes.get("href") or ""
        lowered = href.lower()
        if not any(host in lowered for host in platform.hosts):
            return False
        linked = platform.read_address(href)
        to_post = to_post or (linked is not None and linked.post_id == post_id)
    return to_post


def _holds_embed(node: LexborNode, platforms: list[Platform]) -> bool:
    """Whether ``node`` holds an embed element that a platform reads on its own: any but a
    frame whose addresses name no platform (an embed service's own frame, showing the post
    the placeholder names)."""
    for inner in node.css(EMBED_ELEMENTS):
        if inner.tag not in _FRAMES:
            return True
        addresses = " ".join(value or "" for value in inner.attributes.values()).lower()
        if any(host in addresses for platform in platforms for host in platform.hosts):
            return True
    return False
