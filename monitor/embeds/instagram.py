"""Instagram posts embedded in HTML pages.

Embeds are recognised by element and class, never by substring: ``.instagram-media`` also
occurs in stylesheets, and post and profile links occur in prose, none of which are embeds.
Recognised forms:

* ``blockquote.instagram-media`` (or any blockquote with ``data-instgrm-permalink``) as
  pasted from Instagram, in every generation seen in real pages: v7/v8, with the caption, the
  attribution ("A post shared by Name (@handle) on <time>", or name first, as in Hungarian)
  and a ``<time datetime>``; v12, with localized UI strings, the author's name linked and the
  caption in the second paragraph; v13/v14, where caption and date are gone and only "View
  this post on Instagram" and "A post shared by Name (@handle)" remain, both localized, or not
  even the author ("Instagram Beitrag");
* id-only forms: ``<amp-instagram data-shortcode>`` and ``<iframe src="//instagram.com/p/
  CODE/embed/">`` (also ``www.``, ``embed/captioned/``, lazy ``data-src`` and the iframes that
  ``embed.js`` renders);
* WordPress's ``figure.wp-block-embed-instagram`` holding only the post's URL (skipped when it
  holds one of the embeds above).

``Post.post_id`` is the shortcode and ``Post.url`` is always
``https://www.instagram.com/p/{shortcode}/``, whether the page linked ``/p/``, ``/reel/`` or
``/tv/``, with or without ``www.``, a user name or a query string: the shortcode alone
identifies a post, and Instagram serves reels and videos under ``/p/`` too.

``posted_at`` is the embed's ``<time datetime>`` in UTC when it has one (v7 to v12), else the
time decoded from the shortcode (the two agree to the second on every real embed seen), else
the visible date in whatever locale the page shows it. UI strings and the attribution line are
never text: embeds without a caption (v14, AMP, iframes) have ``text`` ``None``. Every
Instagram post is a photo or a video, so ``has_media`` is always true. Embeds carry no
language of the post's own (a ``lang`` on the blockquote is the reader's UI language).
"""

from __future__ import annotations

import re
from datetime import datetime

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
from monitor.timestamps import from_instagram_shortcode, iso_utc, parse_visible_date

PLATFORM = "instagram"

_BLOCKQUOTES = "blockquote.instagram-media, blockquote[data-instgrm-permalink]"
_ID_ELEMENTS = "amp-instagram[data-shortcode], iframe[src*='instagr'], iframe[data-src*='instagr']"
_WRAPPERS = WORDPRESS_EMBED
_EMBEDS = f"{_BLOCKQUOTES}, {_ID_ELEMENTS}, {_WRAPPERS}"
_EMBEDS_AND_PLACEHOLDERS = f"{_EMBEDS}, {placeholders_of(PLATFORM)}"
_INNER_EMBEDS = f"{_BLOCKQUOTES}, {_ID_ELEMENTS}"

_HOST = r"(?:^|[/.])instagr(?:am\.com|\.am)/"
# A post's permalink on instagram.com or instagr.am, as /p/, /reel/ or /tv/, possibly after
# the author's name. The host must start the URL or follow a dot or slash, so that look-alike
# hosts do not match. Private posts have longer codes than public ones.
_POST_URL = re.compile(
    _HOST + r"(?:(?P<handle>[A-Za-z0-9._]{1,30})/)?(?:p|reels?|tv)/(?P<code>[A-Za-z0-9_-]{5,64})",
    re.IGNORECASE,
)
_SHORTCODE = re.compile(r"[A-Za-z0-9_-]{5,64}")
# A profile link: the v8/v12 attribution links the author's name to it.
_PROFILE_URL = re.compile(_HOST + r"(?P<handle>[A-Za-z0-9._]{1,30})/?(?:[?#]|$)", re.IGNORECASE)
_NOT_PROFILES = frozenset({"p", "reel", "reels", "tv", "explore", "accounts", "stories"})
_TAG_URL = re.compile(r"/explore/tags/([^/?#]+)")
# Instagram handles: up to 30 letters, digits, dots and underscores, not ending in a dot.
_HANDLE_IN_PARENS = re.compile(r"\(\s*@(?P<handle>[A-Za-z0-9._]{1,30})\s*\)")
_MENTION = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9._]{0,28}[A-Za-z0-9_])?)")
_LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")
# How the attribution line starts in the locales seen in embeds; in others (Hungarian:
# "Name (@handle) által közzétett fénykép") the name comes first and needs no prefix.
_SHARED_BY = re.compile(
    r"^\s*(?:"
    r"an? (?:post|photo|video) (?:shared|posted) by"
    r"|ein beitrag geteilt von|ein von"
    r"|une (?:publication partagée|photo publiée|vidéo publiée) par"
    r"|una publicación compartida (?:por|de)|una foto publicada por|un video publicado por"
    r"|un post condiviso da|una foto pubblicata da|un video pubblicato da"
    r"|uma publicação (?:compartilhada|partilhada) por|uma foto publicada por"
    r"|een bericht gedeeld door|post udostępniony przez|публикация от"
    r")\s+",
    re.IGNORECASE,
)
# Instagram's own UI strings: what a v12/v14 embed shows instead of a caption, never text.
_UI_STRINGS = frozenset(
    s.casefold()
    for s in (
        "View this post on Instagram",
        "Sieh dir diesen Beitrag auf Instagram an",
        "Diesen Beitrag auf Instagram ansehen",
        "Instagram Beitrag",
        "Instagram post",
        "Voir cette publication sur Instagram",
        "Ver esta publicación en Instagram",
        "Visualizza questo post su Instagram",
        "Ver essa foto no Instagram",
        "Ver esta publicação no Instagram",
        "Bekijk dit bericht op Instagram",
        "Zobacz ten post na Instagramie",
        "Megtekintés az Instagramon",
    )
)


def read_address(address: str) -> Post | None:
    """The post a permalink stands for; ``None`` for any other address."""
    match = _POST_URL.search(address)
    return _id_only_post(match["code"], _url_handle(match)) if match else None


# Every form above names Instagram in its markup: the class, the AMP element, the iframe's
# host or the permalink attribute ("data-instgrm-permalink").
@platform(
    PLATFORM,
    markers=("instagr", "instgrm"),
    hosts=("instagram.com", "instagr.am"),
    read_address=read_address,
)
def find_embeds(tree: LexborHTMLParser, *, placeholders: bool = False) -> list[Sighting]:
    """The Instagram posts embedded in a parsed HTML page, in page order, one per shortcode.

    When the same post is embedded more than once, the richest copy (the one with a caption,
    then the one with most fields) is kept, at the place of the first.

    :param tree: the page, parsed once by the caller
    :param placeholders: also read the placeholders marked in it (see
        :mod:`monitor.embeds.placeholders`)
    """
    posts: list[tuple[Post | None, LexborNode]] = []
    seen: set[int] = set()
    for node in tree.css(_EMBEDS_AND_PLACEHOLDERS if placeholders else _EMBEDS):
        # A node matching two of the selectors is returned twice.
        if node.mem_id in seen:
            continue
        seen.add(node.mem_id)
        posts.append((_read_embed(node), node))
    return one_per_id_at(posts)


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
        if not reads_as_wrapper(node, "wp-block-embed-instagram"):
            return None
        return _read_wrapper(node)
    if tag == "amp-instagram":
        code = first_attribute(node, "data-shortcode") or ""
        return _id_only_post(code) if _SHORTCODE.fullmatch(code) else None
    match = _POST_URL.search(first_attribute(node, "src", "data-src") or "")
    return _id_only_post(match["code"], _url_handle(match)) if match else None


def _read_blockquote(quote: LexborNode) -> Post | None:
    permalink = _POST_URL.search(quote.attributes.get("data-instgrm-permalink") or "")
    if permalink is None:
        permalink = _first_post_link(quote)
    if permalink is None:
        return None
    code = permalink["code"]

    paragraphs = [(p, inner_text(p)) for p in quote.css("p")]
    paragraphs = [(p, text) for p, text in paragraphs if text]
    attribution: LexborNode | None = None
    attribution_text = ""
    if paragraphs and _is_attribution(*paragraphs[-1]):
        attribution, attribution_text = paragraphs.pop()
    elif not paragraphs:
        # Stripped embeds: no paragraphs, but the attribution may still be in the text.
        attribution_text = inner_text(quote)
    captions = [(p, text) for p, text in paragraphs if not _is_boilerplate(text)]
    text = "\n\n".join(text for _, text in captions) or None

    author_name, author_handle = _author(attribution, attribution_text)
    tags = [tag for p, _ in captions for tag in _linked_hashtags(p)]
    return Post(
        platform=PLATFORM,
        post_id=code,
        url=_canonical_url(code),
        author_name=author_name,
        author_handle=author_handle or _url_handle(permalink),
        posted_at=_posted_at(code, attribution, attribution_text),
        text=text,
        hashtags=tuple(dict.fromkeys((*tags, *find_hashtags(text)))),
        mentions=_mentions(text),
        links=tuple(dict.fromkeys(_LINK.findall(text or ""))),
        has_media=True,
    )


def _first_post_link(quote: LexborNode) -> re.Match[str] | None:
    for link in quote.css("a[href]"):
        match = _POST_URL.search(link.attributes.get("href") or "")
        if match:
            return match
    return None


def _is_attribution(paragraph: LexborNode, text: str) -> bool:
    """Whether the embed's last paragraph is its attribution line (or the UI string that
    stands in for it) rather than the caption of an embed stripped of its attribution."""
    return (
        paragraph.css_first("time") is not None
        or _HANDLE_IN_PARENS.search(text) is not None
        or _is_boilerplate(text)
        or any(_profile_handle(link) for link in paragraph.css("a[href]"))
    )


def _is_boilerplate(text: str) -> bool:
    """Whether a paragraph is a UI string or an attribution line ("A post shared by Name
    (@handle)"); a caption may start with the same words, but holds no "(@handle)"."""
    if collapse_whitespace(text).casefold() in _UI_STRINGS:
        return True
    return bool(_SHARED_BY.match(text) and _HANDLE_IN_PARENS.search(text))


def _author(attribution: LexborNode | None, text: str) -> tuple[str | None, str | None]:
    """Author name and handle from the attribution line: "A post shared by Name (@handle)",
    "Ein Beitrag geteilt von <a>Name</a> (@handle) am ...", "Name (@handle) által ..."."""
    handle = None
    name = None
    match = _HANDLE_IN_PARENS.search(text)
    if match:
        handle = match["handle"].rstrip(".")
        # Only the line that holds the handle: a stripped embed's text starts with UI strings.
        before = collapse_whitespace(text[: match.start()].rpartition("\n")[2])
        name = _SHARED_BY.sub("", before, count=1)
    if attribution is not None:
        for link in attribution.css("a[href]"):
            linked = _profile_handle(link)
            if linked:
                # v8/v12 link the name to the profile: its text is the name, exactly.
                name = inner_text(link)
                handle = handle or linked
                break
    name = collapse_whitespace(name or "").strip(" ,:;-–—") or None
    return name, handle


def _profile_handle(link: LexborNode) -> str | None:
    match = _PROFILE_URL.search(link.attributes.get("href") or "")
    if match is None or match["handle"].casefold() in _NOT_PROFILES:
        return None
    return match["handle"]


def _posted_at(code: str, attribution: LexborNode | None, attribution_text: str) -> str | None:
    """The ``<time datetime>`` in UTC, else the time in the shortcode, else the visible
    date, written in the embedding page's locale."""
    time = attribution.css_first("time") if attribution is not None else None
    if time is not None:
        stamped = _utc(time.attributes.get("datetime"))
        if stamped:
            return stamped
    decoded = from_instagram_shortcode(code)
    if decoded:
        return decoded
    if time is not None:
        return parse_visible_date(inner_text(time))
    return _visible_date(attribution_text)


def _utc(value: str | None) -> str | None:
    try:
        moment = datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    # A time without a zone is in an unknown one: the shortcode knows better.
    return iso_utc(moment) if moment.tzinfo is not None else None


def _visible_date(attribution_text: str) -> str | None:
    """The date after the handle in an attribution without ``<time>`` ("... (@h) által
    közzétett videó, 2016. Febr 28., 18:24 PST"). The localized words before the date are
    unknown, so the parse is tried from each word on until one gives a date."""
    match = _HANDLE_IN_PARENS.search(attribution_text)
    words = attribution_text[match.end() :].split() if match else []
    for start in range(len(words)):
        found = parse_visible_date(" ".join(words[start:]))
        if found:
            return found
    return None


def _read_wrapper(figure: LexborNode) -> Post | None:
    """A figure that holds only the post's URL, as a link or as bare text."""
    for candidate in wrapper_addresses(figure):
        post = read_address(candidate)
        if post is not None:
            return post
    return None


def _linked_hashtags(paragraph: LexborNode) -> list[str]:
    tags = []
    for link in paragraph.css("a[href*='/explore/tags/']"):
        match = _TAG_URL.search(link.attributes.get("href") or "")
        visible = collapse_whitespace(inner_text(link))
        if visible.startswith("#"):
            tags.append(normalise(visible))
        elif match:
            tags.append(normalise(match[1]))
    return tags


def _mentions(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(dict.fromkeys(_MENTION.findall(strip_urls(text))))


def _url_handle(match: re.Match[str]) -> str | None:
    handle = match["handle"]
    return handle if handle and handle.casefold() not in _NOT_PROFILES else None


def _id_only_post(code: str, handle: str | None = None) -> Post:
    return Post(
        platform=PLATFORM,
        post_id=code,
        url=_canonical_url(code),
        author_handle=handle,
        posted_at=from_instagram_shortcode(code),
        has_media=True,
    )


def _canonical_url(code: str) -> str:
    return f"https://www.instagram.com/p/{code}/"
