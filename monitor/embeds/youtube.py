"""YouTube videos embedded in HTML pages.

An embedded video carries nothing but its id offline: no channel, no date (YouTube ids
encode no time) and no text. The iframe's ``title`` is either the generic "YouTube video
player" or the video's title as the editor's CMS fetched it, never the words of a post, so it
is not read. Each video is therefore stored as a post with its id and URL, ``text=None``.

Recognised forms:

* ``<iframe>`` on ``youtube.com/embed/ID`` or ``youtube-nocookie.com/embed/ID``, with any
  scheme (``//www.youtube.com/embed/ID``) and query (WordPress's ``?feature=oembed``), in
  ``src`` or in the ``data-src`` / ``data-lazy-src`` of lazy-loading scripts;
* ``<amp-youtube data-videoid>``, ``<lite-youtube videoid>`` and the "click to load"
  facades of WordPress plugins and builders that hold the id until the reader clicks: WP
  Rocket's ``<div class="rll-youtube-player" data-id>``, WP YouTube Lyte's ``<div
  class="lyMe" id="WYL_ID">``, Thrive Architect's ``<div class="thrv_responsive_video"
  data-type="youtube" data-url>`` and the Salient theme's video lightbox, ``<div
  class="nectar-video-box">`` around a thumbnail linked to the video (played in a lightbox);
* the Flash embeds of older pages: ``<embed src>`` and ``<object data>`` on
  ``youtube.com/v/ID``;
* WordPress's ``figure.wp-block-embed-youtube`` whose player is gone, holding only the
  video's URL, and embed figures of no provider that hold a YouTube address in a plugin's
  placeholder.

Playlists (``/embed/videoseries?list=``, ``/embed?listType=``) and live channel streams
(``/embed/live_stream?channel=``) are not one video and are skipped; so are links to YouTube,
which are prose, not embeds.

``Post.post_id`` is the 11-character video id; ``Post.url`` is always
``https://www.youtube.com/watch?v={id}``. ``has_media`` is set: the post is a video.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.embeds.dedupe import Sighting
from monitor.embeds.dom import (
    FRAME_SOURCES,
    WORDPRESS_EMBED,
    attribute_match,
    first_attribute,
    last_link,
    placeholder_address,
    placeholders_of,
    reads_as_wrapper,
    wrapper_addresses,
)
from monitor.embeds.registry import platform, posts_finder
from monitor.models import Post

PLATFORM = "youtube"

_FRAMES = ", ".join(f"iframe[{name}*='youtu']" for name in FRAME_SOURCES)
_ID_ELEMENTS = (
    "amp-youtube[data-videoid], lite-youtube[videoid], div.rll-youtube-player[data-id], "
    "div.lyMe[id^='WYL_'], div.thrv_responsive_video[data-type='youtube'][data-url], "
    "div.nectar-video-box"
)
_FLASH = "embed[src*='youtube'], object[data*='youtube']"
_EMBEDS = f"{_FRAMES}, {_ID_ELEMENTS}, {_FLASH}, {WORDPRESS_EMBED}"
_EMBEDS_AND_PLACEHOLDERS = f"{_EMBEDS}, {placeholders_of(PLATFORM)}"
_INNER_EMBEDS = f"{_FRAMES}, {_ID_ELEMENTS}, {_FLASH}"

# The player's address on either host. "videoseries" and "live_stream" have the length of
# an id but name a playlist and a channel's live stream. The host must start the URL or
# follow "/" or ".", so that look-alike hosts ("notyoutube.com") do not match; what follows
# the id may be "/", "?", "&" or an encoded stray newline ("%0A"), but no id character.
_PLAYER_URL = re.compile(
    r"(?:^|[/.])youtube(?:-nocookie)?\.com/(?:embed|v)/(?!videoseries|live_stream)"
    r"(?P<id>[A-Za-z0-9_-]{11})(?![A-Za-z0-9_-])",
    re.IGNORECASE,
)
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
# A video's own address, as page builders keep it: watch?v=ID, youtu.be/ID, shorts/ID.
_WATCH_URL = re.compile(
    r"(?:^|[/.])(?:youtube\.com/(?:watch\?(?:[^#]*&)?v=|shorts/)|youtu\.be/)"
    r"(?P<id>[A-Za-z0-9_-]{11})(?![A-Za-z0-9_-])",
    re.IGNORECASE,
)
_NOT_VIDEOS = frozenset({"videoseries", "live_stream"})


def _post(video_id: str) -> Post:
    return Post(
        platform=PLATFORM,
        post_id=video_id,
        url=f"https://www.youtube.com/watch?v={video_id}",
        has_media=True,
    )


def _address_id(address: str) -> str | None:
    """The id of the video a watch, short or player address stands for."""
    match = _WATCH_URL.search(address) or _PLAYER_URL.search(address)
    return match["id"] if match else None


def read_address(address: str) -> Post | None:
    """The video a watch, short or player address stands for; ``None`` for any other."""
    video_id = _address_id(address)
    return _post(video_id) if video_id is not None else None


# Every form names YouTube in its host, tag or class, and "youtu" starts every one of them
# ("youtube-nocookie", "amp-youtube", "lite-youtube", "rll-youtube-player", a Thrive
# facade's data-type); WP YouTube Lyte's facade is marked by its id ("wyl_" lower-cased),
# Salient's lightbox by its class (it may hold a Vimeo video).
@platform(
    PLATFORM,
    markers=("youtu", "id=wyl_", "nectar-video-box"),
    hosts=("youtube.com", "youtu.be", "youtube-nocookie.com"),
    read_address=read_address,
)
def find_embeds(tree: LexborHTMLParser, *, placeholders: bool = False) -> list[Sighting]:
    """The YouTube videos embedded in a parsed HTML page, in page order, one per video id.

    :param tree: the page, parsed once by the caller
    :param placeholders: also read the placeholders marked in it (see
        :mod:`monitor.embeds.placeholders`)
    """
    videos: dict[str, Sighting] = {}
    for node in tree.css(_EMBEDS_AND_PLACEHOLDERS if placeholders else _EMBEDS):
        video_id = _video_id(node)
        if video_id is not None and video_id not in videos:
            videos[video_id] = (_post(video_id), node)
    return list(videos.values())


find_posts = posts_finder(find_embeds)


def _video_id(node: LexborNode) -> str | None:
    address = placeholder_address(node)
    if address is not None:
        return _address_id(address)
    tag = node.tag
    if tag == "figure":
        # A WordPress figure: its player, if it has one, is read on its own; one whose
        # player is gone (or stands in a plugin's placeholder) keeps the video's URL.
        if node.css_first(_INNER_EMBEDS) is not None:
            return None
        if not reads_as_wrapper(node, "wp-block-embed-youtube"):
            return None
        for candidate in wrapper_addresses(node):
            video_id = _address_id(candidate)
            if video_id is not None:
                return video_id
        return None
    if tag in ("iframe", "embed", "object"):
        names = FRAME_SOURCES if tag == "iframe" else ("src", "data")
        match = attribute_match(node, _PLAYER_URL, *names)
        return match["id"] if match else None
    if "nectar-video-box" in (node.attributes.get("class") or ""):
        # Salient: the thumbnail's link to the video, which the lightbox plays.
        link = last_link(node, _WATCH_URL)
        return link[1]["id"] if link else None
    if "data-url" in node.attributes:  # Thrive: the video's watch URL
        match = _WATCH_URL.search(node.attributes["data-url"] or "")
        return match["id"] if match else None
    element_id = node.attributes.get("id") or ""
    if element_id.startswith("WYL_"):  # WP YouTube Lyte
        lyte = element_id.removeprefix("WYL_")
        return lyte if _VIDEO_ID.fullmatch(lyte) else None
    value = first_attribute(node, "data-videoid", "videoid", "data-id")
    if value and _VIDEO_ID.fullmatch(value) and value.lower() not in _NOT_VIDEOS:
        return value
    return None
