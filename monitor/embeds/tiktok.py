"""TikTok videos embedded in HTML pages.

Embeds are recognised by element and class, never by substring: ``.tiktok-embed`` also
occurs in stylesheets, and profile and video links occur in prose, none of which are embeds.
Recognised forms:

* ``blockquote.tiktok-embed`` with a ``data-video-id`` or a video URL in ``cite``, as pasted
  from TikTok, in the original form and the newer oEmbed one (``data-embed-from="oembed"``,
  ``?refer=embed`` on every link, the caption wrapped in ``<p>``). Creator embeds, the same
  blockquote with only a profile URL, are profiles, not posts;
* id-only forms: TikTok's player iframes (``tiktok.com/embed/v2/ID``, ``/embed/ID``,
  ``/player/v1/ID``);
* WordPress's ``figure.wp-block-embed-tiktok`` holding only the video's URL (skipped when it
  holds one of the embeds above; short links such as ``vm.tiktok.com/ZM…`` name no video
  and give no post).

The embed's ``<section>`` opens with a link to the author (``<a title="@handle">``) and ends
with the sound (``♬ original sound - Name``); the caption is what lies between. Hashtags are
read from the tag links, whose text is exact even where the author or the site glued the
following words to it ("#MisterIMAP</a>E-mails..."); the caption keeps the text as the page
shows it. An embed holds no display name and no date: ``author_name`` is always ``None`` and
``posted_at`` is decoded from the video id. Every TikTok post is a video, so ``has_media`` is
always true.

``Post.post_id`` is the video id and ``Post.url`` is
``https://www.tiktok.com/@{handle}/video/{id}``, without query string, whatever link form the
page used; when no handle is known (player iframes) it is the player's URL,
``https://www.tiktok.com/embed/v2/{id}``, which needs none. The handle is the one in the video
URL (``cite``), else the author link's; a first ``@`` link naming someone other than the
``cite`` URL is a mention in the caption, not the author.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.embeds.dedupe import Sighting, one_per_id_at
from monitor.embeds.dom import (
    WORDPRESS_EMBED,
    collapse_whitespace,
    first_attribute,
    inner_text,
    placeholder_address,
    placeholders_of,
    reads_as_wrapper,
    wrapper_addresses,
)
from monitor.embeds.registry import platform, posts_finder
from monitor.hashtags import find_hashtags, normalise, strip_urls
from monitor.models import Post
from monitor.timestamps import from_tiktok_id

PLATFORM = "tiktok"

_BLOCKQUOTES = "blockquote.tiktok-embed"
_ID_ELEMENTS = "iframe[src*='tiktok.com/embed'], iframe[src*='tiktok.com/player/']"
_WRAPPERS = WORDPRESS_EMBED
_EMBEDS = f"{_BLOCKQUOTES}, {_ID_ELEMENTS}, {_WRAPPERS}"
_EMBEDS_AND_PLACEHOLDERS = f"{_EMBEDS}, {placeholders_of(PLATFORM)}"
_INNER_EMBEDS = f"{_BLOCKQUOTES}, {_ID_ELEMENTS}"

# TikTok handles: letters, digits, dots and underscores (24 at most today; older ones and
# other sites' copies are allowed a little more).
_HANDLE = r"[A-Za-z0-9._]{1,30}"
# A video's URL on any TikTok host (www., m., vm.-resolved); the host must start the URL or
# follow a dot or slash, so that look-alike hosts do not match.
_VIDEO_URL = re.compile(
    r"(?:^|[/.])tiktok\.com/@(?P<handle>" + _HANDLE + r")/video/(?P<id>\d{6,25})(?!\d)",
    re.IGNORECASE,
)
_PLAYER_URL = re.compile(
    r"(?:^|[/.])tiktok\.com/(?:embed(?:/v2)?|player/v1)/(?P<id>\d{6,25})(?!\d)", re.IGNORECASE
)
_PROFILE_URL = re.compile(
    r"(?:^|[/.])tiktok\.com/@(?P<handle>" + _HANDLE + r")/?(?:[?#]|$)", re.IGNORECASE
)
_HANDLE_ONLY = re.compile(_HANDLE)
_VIDEO_ID = re.compile(r"\d{6,25}")
_TAG_URL = re.compile(r"/tag/([^/?#]+)")
# A mention in the caption's plain text: a handle does not end in a dot, a sentence may.
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9._]{0,28}[A-Za-z0-9_])?)")
_MUSIC = "♬"


def read_address(address: str) -> Post | None:
    """The video a video's or player's address stands for; ``None`` for any other."""
    match = _VIDEO_URL.search(address)
    if match:
        return _id_only_post(match["id"], match["handle"])
    match = _PLAYER_URL.search(address)
    return _id_only_post(match["id"], None) if match else None


# Every form above names TikTok in lower case in its markup: the class, the cite URL, the
# iframe's host or the WordPress block's class.
@platform(PLATFORM, markers=("tiktok",), hosts=("tiktok.com",), read_address=read_address)
def find_embeds(tree: LexborHTMLParser, *, placeholders: bool = False) -> list[Sighting]:
    """The TikTok videos embedded in a parsed HTML page, in page order, one per video id.

    When the same video is embedded more than once, the richest copy (the one with a
    caption, then the one with most fields) is kept, at the place of the first.

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
    if address is not None:
        return read_address(address)
    tag = node.tag
    if tag == "blockquote":
        return _read_blockquote(node)
    if tag == "figure":
        if node.css_first(_INNER_EMBEDS) is not None:
            return None  # the embed inside is read on its own, with its caption
        if not reads_as_wrapper(node, "wp-block-embed-tiktok"):
            return None
        return _read_wrapper(node)
    match = _PLAYER_URL.search(node.attributes.get("src") or "")
    return _id_only_post(match["id"], None) if match else None


def _read_blockquote(quote: LexborNode) -> Post | None:
    cite = _VIDEO_URL.search(quote.attributes.get("cite") or "")
    video_id = first_attribute(quote, "data-video-id")
    if video_id is None or not _VIDEO_ID.fullmatch(video_id):
        video_id = cite["id"] if cite else None
    if video_id is None:
        return None  # a creator (profile) embed, or one stripped of its id
    cite_handle = cite["handle"] if cite else None

    scope = quote.css_first("section") or quote
    author_link = _author_link(scope, cite_handle)
    handle = cite_handle or (_link_handle(author_link) if author_link is not None else None)
    music = [link for link in scope.css("a") if _is_music(link)]
    not_caption = [*music, *([author_link] if author_link is not None else [])]
    text = inner_text(scope, skip=not_caption) or None

    tag_links = scope.css("a[href*='/tag/']")
    mention_links = [
        link
        for link in scope.css("a[href*='/@']")
        if author_link is None or link.mem_id != author_link.mem_id
    ]
    # Words outside the links: the glued words after a tag link are not part of the tag.
    unlinked = inner_text(scope, skip=[*not_caption, *tag_links, *mention_links]) if text else ""
    hashtags = [*filter(None, map(_link_hashtag, tag_links)), *find_hashtags(unlinked)]
    mentions = [
        *filter(None, map(_link_handle, mention_links)),
        *_MENTION.findall(strip_urls(unlinked)),
    ]
    return Post(
        platform=PLATFORM,
        post_id=video_id,
        url=_canonical_url(handle, video_id),
        author_handle=handle,
        posted_at=from_tiktok_id(video_id),
        text=text,
        hashtags=tuple(dict.fromkeys(hashtags)),
        mentions=tuple(dict.fromkeys(mentions)),
        has_media=True,
    )


def _author_link(scope: LexborNode, cite_handle: str | None) -> LexborNode | None:
    """The link that opens the section: the first ``<a title="@handle">``, when it names the
    video's author (a caption's mention has the same shape)."""
    for link in scope.css("a[title^='@']"):
        handle = (link.attributes.get("title") or "")[1:].strip()
        if cite_handle is None or handle.casefold() == cite_handle.casefold():
            return link
        return None
    return None


def _is_music(link: LexborNode) -> bool:
    href = link.attributes.get("href") or ""
    return "/music/" in href or inner_text(link).startswith(_MUSIC)


def _link_handle(link: LexborNode) -> str | None:
    title = (link.attributes.get("title") or "").strip()
    if title.startswith("@") and _HANDLE_ONLY.fullmatch(title[1:]):
        return title[1:]
    match = _PROFILE_URL.search(link.attributes.get("href") or "")
    return match["handle"] if match else None


def _link_hashtag(link: LexborNode) -> str | None:
    # The visible text is the tag as written; the title and href are its fallbacks.
    visible = collapse_whitespace(inner_text(link))
    if visible.startswith("#") and len(visible) > 1:
        return normalise(visible)
    title = (link.attributes.get("title") or "").strip()
    if title:
        return normalise(title)
    match = _TAG_URL.search(link.attributes.get("href") or "")
    return normalise(match[1]) if match else None


def _read_wrapper(figure: LexborNode) -> Post | None:
    """A figure that holds only the video's URL, as a link or as bare text."""
    for candidate in wrapper_addresses(figure):
        match = _VIDEO_URL.search(candidate)
        if match:
            return _id_only_post(match["id"], match["handle"])
    return None


def _id_only_post(video_id: str, handle: str | None) -> Post:
    return Post(
        platform=PLATFORM,
        post_id=video_id,
        url=_canonical_url(handle, video_id),
        author_handle=handle,
        posted_at=from_tiktok_id(video_id),
        has_media=True,
    )


def _canonical_url(handle: str | None, video_id: str) -> str:
    if handle is None:
        return f"https://www.tiktok.com/embed/v2/{video_id}"
    return f"https://www.tiktok.com/@{handle}/video/{video_id}"
