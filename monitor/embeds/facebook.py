"""Facebook posts and videos embedded in HTML pages.

Recognised forms:

* ``div.fb-post[data-href]`` and ``div.fb-video[data-href]``, read by Facebook's SDK
  (``connect.facebook.net/.../sdk.js``), with or without the fallback that the embed code
  puts inside for readers without JavaScript: ``blockquote.fb-xfbml-parse-ignore`` (since
  about 2015), or ``div.fb-xfbml-parse-ignore`` around a ``<blockquote cite>`` or around
  just "Post by Name" (older codes). The fallback is read with its ``div``, never on its own;
  a fallback without its ``div`` is read alone;
* iframes on ``facebook.com/plugins/post.php`` and ``plugins/video.php`` (also versioned,
  ``/v2.5/plugins/``, and in lazy ``data-src``), whose ``href`` parameter is the
  URL-encoded post URL: id-only.

The fallback holds the post's text in its ``<p>`` (Facebook drops the line breaks, so a
sentence and a URL can run together: "donshttps://..."; the text is kept as it is), then a
localized "Posted by <a>Name</a> on <a>date</a>" ("Publiée par ... sur ...", "Közzétette:
... – ..."); a video's has its title link first and its date as plain text. Like buttons,
page and comment plugins (``fb-like``, ``fb-page``, ``fb-comments``, ``fb-share-button``,
``plugins/like.php``, ``plugins/page.php``) and the SDK script are not posts.

Ids and URLs (see :func:`parse_post_url`): ``Post.post_id`` is the post's, photo's or video's
id from its URL: numeric, or the ``pfbid...`` form of newer post links. A photo post has the
same id in its ``/posts/`` and ``/photos/`` URLs. ``Post.url`` is rebuilt on
``https://www.facebook.com`` without tracking parameters or the ``:0`` suffix:

* ``/{owner}/posts/{id}``, ``/{owner}/photos/{album}/{id}`` (``a.X``, ``pcb.X``; or
  ``/{owner}/photos/{id}``), ``/{owner}/videos/{id}`` (the title slug or ``vb.X`` dropped);
* ``/permalink.php?story_fbid={id}&id={owner}`` and ``/story.php?...`` likewise;
* ``/photo.php?fbid={id}``, ``/watch/?v={id}`` (also for ``video.php?v=``), ``/reel/{id}``,
  ``/groups/{group}/posts/{id}`` (also for ``/permalink/``).

``author_handle`` is the page or profile in the URL (a name like ``CHCoteBasque`` or a
numeric id), the same whichever form embedded the post; where the URL names none
(``photo.php``, ``watch``, ``reel``, and groups, whose name is not the author's) it is the
fallback's author link's, else ``None``. ``author_name``, ``text`` and ``posted_at`` (the
fallback's visible date, read in any language, as a date) come only from a fallback.
``has_media`` is set for photos and videos.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.embeds.dedupe import Sighting, one_per_id_at
from monitor.embeds.dom import (
    FRAME_SOURCES,
    attribute_match,
    collapse_whitespace,
    inner_text,
    is_within,
    placeholder_address,
    placeholders_of,
    same_node,
    text_after,
)
from monitor.embeds.registry import platform, posts_finder
from monitor.hashtags import find_hashtags, normalise
from monitor.models import Post
from monitor.timestamps import parse_visible_date

__all__ = ["PostUrl", "find_posts", "parse_post_url"]

PLATFORM = "facebook"

_CONTAINER_CLASSES = ("fb-post", "fb-video")
_CONTAINERS = ", ".join(f"div.{kind}" for kind in _CONTAINER_CLASSES)
_FALLBACK = ".fb-xfbml-parse-ignore"
_FRAMES = ", ".join(
    f"iframe[{name}*='plugins/{plugin}.php']"
    for name in FRAME_SOURCES
    for plugin in ("post", "video")
)
_EMBEDS = f"{_CONTAINERS}, {_FALLBACK}, {_FRAMES}"
_EMBEDS_AND_PLACEHOLDERS = f"{_EMBEDS}, {placeholders_of(PLATFORM)}"

_PLUGIN_URL = re.compile(
    r"(?:^|[/.])facebook\.com/(?:v\d+(?:\.\d+)?/)?plugins/(?P<plugin>post|video)\.php\?"
    r"(?P<query>[^#]*)",
    re.IGNORECASE,
)
# Link shims wrap outgoing links ("l.facebook.com/l.php?u=..."): never a post or a page.
_SHIMS = frozenset({"l.facebook.com", "lm.facebook.com"})
_NUMERIC_ID = re.compile(r"\d{1,25}")
# A post id in a /posts/ URL: numeric with an optional ":0" (which only says "the post
# itself"), or the opaque "pfbid" form.
_POST_ID = re.compile(r"(?P<id>\d{1,25}|pfbid0?[0-9A-Za-z]{10,80})(?::\d+)?")
_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_]{0,79}")
# First path segments that are Facebook's own, never a page or profile name.
_RESERVED = frozenset(
    {
        "groups",
        "events",
        "pages",
        "pg",
        "people",
        "hashtag",
        "plugins",
        "share",
        "sharer",
        "sharer.php",
        "dialog",
        "media",
        "notes",
        "watch",
        "reel",
        "stories",
        "photo.php",
        "photo",
        "video.php",
        "permalink.php",
        "story.php",
        "profile.php",
        "l.php",
        "login",
        "login.php",
        "help",
        "gaming",
        "marketplace",
    }
)
_HASHTAG_HREF = re.compile(r"facebook\.com/hashtag/(?P<tag>[^/?#]+)", re.IGNORECASE)
_HASH = ("#", "＃")


class PostUrl(NamedTuple):
    """What a Facebook post URL tells: see :func:`parse_post_url`."""

    post_id: str
    url: str
    author_handle: str | None
    has_media: bool


def parse_post_url(address: str | None) -> PostUrl | None:
    """The post, photo or video that a Facebook URL points to; ``None`` for any other URL
    (pages, profiles, albums, hashtags, plugins, link shims, other sites).

    Any Facebook host (``www.``, ``m.``, ``web.``, ``developers.``), scheme or none, query
    and fragment are accepted. See the module documentation for the forms and what is made
    of them.

    :param address: a URL as found in the page, already HTML-decoded
    """
    parts = _facebook_url(address, bare=True)
    if parts is None:
        return None
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    if not segments:
        return None
    query = parse_qs(parts.query)
    first = segments[0].lower()
    if first in _RESERVED:
        return _special(first, segments, query)
    if len(segments) < 3 or not _OWNER.fullmatch(segments[0]):
        return None
    owner, kind, rest = segments[0], segments[1].lower(), segments[2:]
    base = f"https://www.facebook.com/{owner}"
    if kind == "posts" and len(rest) == 1:
        match = _POST_ID.fullmatch(rest[0])
        if match:
            return PostUrl(match["id"], f"{base}/posts/{match['id']}", owner, False)
    elif kind == "photos" and len(rest) <= 2 and _NUMERIC_ID.fullmatch(rest[-1]):
        return PostUrl(rest[-1], f"{base}/photos/{'/'.join(rest)}", owner, True)
    elif kind == "videos" and len(rest) <= 2 and _NUMERIC_ID.fullmatch(rest[-1]):
        return PostUrl(rest[-1], f"{base}/videos/{rest[-1]}", owner, True)
    return None


def _facebook_url(address: str | None, *, bare: bool) -> SplitResult | None:
    """``address`` split, when it is on a Facebook host other than a link shim.

    :param bare: also accept an address without a scheme ("www.facebook.com/...")
    """
    address = (address or "").strip()
    if address.startswith("//"):
        address = "https:" + address
    elif bare and "://" not in address:
        address = "https://" + address
    try:
        parts = urlsplit(address)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not (host == "facebook.com" or host.endswith(".facebook.com")) or host in _SHIMS:
        return None
    return parts


def _special(first: str, segments: list[str], query: dict[str, list[str]]) -> PostUrl | None:
    """URLs whose first segment is one of Facebook's own (``photo.php``, ``groups``, ...)."""

    def parameter(name: str) -> str | None:
        values = query.get(name)
        return values[0].strip() if values else None

    if first in ("photo.php", "photo") and len(segments) == 1:
        fbid = parameter("fbid")
        if fbid and _NUMERIC_ID.fullmatch(fbid):
            return PostUrl(fbid, f"https://www.facebook.com/photo.php?fbid={fbid}", None, True)
    elif first in ("permalink.php", "story.php") and len(segments) == 1:
        story = _POST_ID.fullmatch(parameter("story_fbid") or "")
        owner = parameter("id")
        if story:
            url = f"https://www.facebook.com/{first}?story_fbid={story['id']}"
            if owner and _NUMERIC_ID.fullmatch(owner):
                return PostUrl(story["id"], f"{url}&id={owner}", owner, False)
            return PostUrl(story["id"], url, None, False)
    elif first in ("video.php", "watch") and len(segments) == 1:
        video = parameter("v")
        if video and _NUMERIC_ID.fullmatch(video):
            return PostUrl(video, f"https://www.facebook.com/watch/?v={video}", None, True)
    elif first == "reel" and len(segments) == 2 and _NUMERIC_ID.fullmatch(segments[1]):
        return PostUrl(segments[1], f"https://www.facebook.com/reel/{segments[1]}", None, True)
    elif first == "groups" and len(segments) == 4 and segments[2] in ("posts", "permalink"):
        match = _POST_ID.fullmatch(segments[3])
        if match and _OWNER.fullmatch(segments[1]):
            url = f"https://www.facebook.com/groups/{segments[1]}/posts/{match['id']}"
            return PostUrl(match["id"], url, None, False)
    return None


def read_address(address: str) -> Post | None:
    """The post, photo or video a Facebook address stands for; ``None`` for any other."""
    return _post(parse_post_url(address), None, is_video=False)


# Every form names Facebook: the plugin iframes and the fallback's links by host, the SDK
# divs by class (a bare "fb-post" div may hold no link at all).
@platform(
    PLATFORM,
    markers=(
        "facebook",
        "fb-post",
        "fb-video",
        "fb-xfbml",
        "plugins/post.php",
        "plugins/video.php",
    ),
    hosts=("facebook.com",),
    read_address=read_address,
)
def find_embeds(tree: LexborHTMLParser, *, placeholders: bool = False) -> list[Sighting]:
    """The Facebook posts and videos embedded in a parsed HTML page, in page order, one per
    id; when one is embedded more than once, the copy with text (then with most fields) is
    kept, at the place of the first.

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
    if tag == "iframe":
        return _read_plugin(node)
    kind = _container_kind(node)
    if kind is not None:
        fallback = node.css_first(_FALLBACK) or node.css_first("blockquote")
        target = parse_post_url(node.attributes.get("data-href"))
        if target is None and fallback is not None:
            target = _fallback_target(fallback)
        return _post(target, fallback, is_video=kind == "fb-video")
    if _container_of(node) is not None:
        return None  # a fallback is read with its div
    return _post(_fallback_target(node), node, is_video=False)


def _read_plugin(frame: LexborNode) -> Post | None:
    """``plugins/post.php?href=URL-encoded`` (or ``video.php``): only the address is there."""
    match = attribute_match(frame, _PLUGIN_URL)
    if match is None:
        return None
    values = parse_qs(match["query"]).get("href")
    href = values[0] if values else ""
    if href.lower().startswith(("http%3a", "https%3a")):
        href = unquote(href)  # encoded twice by some CMSes
    return _post(parse_post_url(href), None, is_video=match["plugin"].lower() == "video")


def _container_kind(node: LexborNode) -> str | None:
    """``fb-post`` or ``fb-video`` when ``node`` is the SDK's div of that kind."""
    if node.tag != "div":
        return None
    classes = (node.attributes.get("class") or "").split()
    return next((kind for kind in _CONTAINER_CLASSES if kind in classes), None)


def _container_of(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None:
        if _container_kind(parent) is not None:
            return parent
        parent = parent.parent
    return None


def _fallback_target(fallback: LexborNode) -> PostUrl | None:
    """The post a fallback stands for: its blockquote's ``cite``, else its first link to a
    post ("Post by Name" in old codes)."""
    quote = fallback if "cite" in fallback.attributes else fallback.css_first("blockquote[cite]")
    target = parse_post_url(quote.attributes.get("cite")) if quote is not None else None
    if target is None:
        for link in fallback.css("a[href]"):
            target = parse_post_url(link.attributes.get("href"))
            if target is not None:
                break
    return target


def _post(target: PostUrl | None, fallback: LexborNode | None, *, is_video: bool) -> Post | None:
    if target is None:
        return None
    author_name = author_handle = text = posted_at = None
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    if fallback is not None:
        author_link = _author_link(fallback)
        date_link = _date_link(fallback, author_link)
        skip = [node for node in (author_link, date_link) if node is not None]
        paragraphs = [p for p in fallback.css("p") if not any(is_within(node, p) for node in skip)]
        text = "\n\n".join(filter(None, (inner_text(p) for p in paragraphs))) or None
        hashtags, links = _read_links(paragraphs)
        hashtags = tuple(dict.fromkeys((*hashtags, *find_hashtags(text))))
        if author_link is not None:
            author_name = collapse_whitespace(inner_text(author_link)) or None
            author_handle = _profile(author_link.attributes.get("href") or "")
        if date_link is not None:
            posted_at = parse_visible_date(collapse_whitespace(inner_text(date_link)))
        elif author_link is not None:
            posted_at = _date_in(text_after(author_link, fallback))
    return Post(
        platform=PLATFORM,
        post_id=target.post_id,
        url=target.url,
        author_name=author_name,
        author_handle=target.author_handle or author_handle,
        posted_at=posted_at,
        text=text,
        hashtags=hashtags,
        links=links,
        has_media=target.has_media or is_video,
    )


def _author_link(fallback: LexborNode) -> LexborNode | None:
    """The "Posted by" link: the last link to a Facebook page or profile (not to a post,
    a hashtag or a link shim)."""
    found = None
    for link in fallback.css("a[href]"):
        href = link.attributes.get("href") or ""
        if _profile(href) is not None:
            found = link
    return found


def _date_link(fallback: LexborNode, author_link: LexborNode | None) -> LexborNode | None:
    """The link on the visible date: the last link to a post after the author link (before
    it, in a video's fallback, is the title link)."""
    found = None
    after = author_link is None
    for link in fallback.css("a[href]"):
        if author_link is not None and same_node(link, author_link):
            after = True
            continue
        if after and parse_post_url(link.attributes.get("href")) is not None:
            found = link
    return found


def _profile(href: str) -> str | None:
    """The page or profile a link points to (its name, or the numeric id of
    ``profile.php?id=``); ``None`` for posts, hashtags, link shims and other sites."""
    parts = _facebook_url(href, bare=False)
    if parts is None or parse_post_url(href) is not None:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) == 1 and segments[0].lower() == "profile.php":
        owner = parse_qs(parts.query).get("id", [""])[0]
        return owner if _NUMERIC_ID.fullmatch(owner) else None
    if len(segments) == 1 and segments[0].lower() not in _RESERVED:
        return segments[0] if _OWNER.fullmatch(segments[0]) else None
    return None


def _date_in(trailing: str) -> str | None:
    """A date written as plain text after the author link ("on Tuesday, March 19, 2019"):
    the words that localize "on" come first and are dropped until the rest reads as one."""
    words = collapse_whitespace(trailing).split(" ")
    for start in range(min(3, len(words))):
        date = parse_visible_date(" ".join(words[start:]))
        if date is not None:
            return date
    return None


def _read_links(paragraphs: list[LexborNode]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Hashtags from the text's hashtag links, and the text's other outgoing links (link
    shims unwrapped)."""
    hashtags: list[str] = []
    links: list[str] = []
    for paragraph in paragraphs:
        for link in paragraph.css("a[href]"):
            href = (link.attributes.get("href") or "").strip()
            tag = _HASHTAG_HREF.search(href)
            if tag:
                visible = collapse_whitespace(inner_text(link))
                hashtags.append(
                    normalise(visible if visible.startswith(_HASH) else unquote(tag["tag"]))
                )
                continue
            try:
                parts = urlsplit(href)
                host = (parts.hostname or "").lower()
            except ValueError:
                continue
            if host in _SHIMS:
                target = parse_qs(parts.query).get("u")
                if target:
                    links.append(target[0])
            elif host and not (host == "facebook.com" or host.endswith(".facebook.com")):
                links.append(href)
    return tuple(hashtags), tuple(dict.fromkeys(links))
