"""Bluesky posts embedded in HTML pages (and in Markdown that holds the embed code).

Embeds are recognised by element and class, never by substring: a link to a post in the
article's prose is not an embed. Recognised forms:

* ``blockquote.bluesky-embed[data-bluesky-uri]``, the code that Bluesky's "Embed post" menu
  and embed.bsky.app generate: the post text in ``<p lang>``, then ``— Name (@handle)
  Date``, the date linking to the post. Code formatters may have re-wrapped it, with line
  breaks inside the name, the handle and the date. A ``<blockquote data-bluesky-uri>``
  without the class is read the same way, and so is the variant made by other generators
  with name and handle in one link (``Name (@handle)``) and an ISO 8601 date;
* WordPress's ``figure.wp-block-embed-bluesky`` (``wp-block-embed-bluesky-social`` in older
  versions) holding only the post's URL: an id-only post (skipped when the figure holds a
  real embed, which is read on its own);
* the iframe that ``embed.js`` puts in the blockquote's place
  (``https://embed.bsky.app/embed/{did}/app.bsky.feed.post/{rkey}``), in pages saved after
  the script ran: an id-only post.

Identity
--------
Record keys are unique only within one account's repository, so ``Post.post_id`` is
``{did}/{rkey}``: the account's DID, which never changes, and the record key. Both come
from ``data-bluesky-uri`` (``at://{did}/app.bsky.feed.post/{rkey}``) or, failing that, from
the post link. ``Post.url`` is ``https://bsky.app/profile/{did}/post/{rkey}``, without the
``?ref_src=embed`` query. Where the page names the account only by its handle (WordPress's
bare URLs do), the lower-cased handle stands in for the DID in both: the DID cannot be known
offline, so such a post does not match the same post embedded with its DID.

``Post.author_handle`` is the handle shown (``@adamchalmers.com`` -> ``adamchalmers.com``),
lower-cased as Bluesky stores it, else the handle in a link, else the DID;
``handle.invalid``, which Bluesky shows for a handle that no longer verifies, is no handle.

Text
----
The text is the ``<p>`` before the attribution. The generator writes the post's line breaks
raw, so a blank line in the source is a paragraph break; single line breaks collapse to a
space, since formatters re-wrap long lines. ``<br>`` is a newline and an emoji drawn as
``<img alt>`` is its alt text. Images, videos, quoted posts and link cards appear only as a
trailing ``[image or embed]`` link, which is dropped from the text and sets
``Post.has_media``; a post of media alone has no text. Hashtags and mentions are plain text
in the embed (the facet links are not kept): mentions are read with Bluesky's rule, a
handle being a domain name (``@smokesignal.events``). Display URLs are truncated
(``github.com/MarceColl/ze...``), so ``Post.links`` stays empty. ``<p lang>`` is the post's
own language tag, kept as a hint.

Time
----
``Post.posted_at`` comes from the record key, a TID that encodes the creation time to the
microsecond. The visible date is in the local time of whoever generated the embed code, with
no zone ("June 14, 2025 at 8:12 PM" for 14:42 UTC, made at UTC+5:30) and in their locale
("20 novembre 2024 à 14:43"); it is also the time the author's app wrote into the post,
which can trail the record key by a few minutes. So it is only a fallback, for record keys
that are not TIDs: it gives a date, or the exact time when it is ISO 8601 with a zone.
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
    is_within,
    last_link,
    placeholder_address,
    placeholders_of,
    reads_as_wrapper,
    text_after,
    wrapper_addresses,
)
from monitor.embeds.registry import platform, posts_finder
from monitor.hashtags import find_hashtags, strip_urls
from monitor.models import Post
from monitor.timestamps import from_bluesky_tid, iso_utc, parse_visible_date

PLATFORM = "bluesky"

# ":is()" rather than a selector list, which yields an element once per selector it matches.
_BLOCKQUOTES = "blockquote:is(.bluesky-embed, [data-bluesky-uri])"
_WRAPPERS = WORDPRESS_EMBED
_IFRAMES = "iframe:is([src*='embed.bsky.app/embed/'], [data-bluesky-uri])"
_EMBEDS = f"{_BLOCKQUOTES}, {_WRAPPERS}, {_IFRAMES}"
_EMBEDS_AND_PLACEHOLDERS = f"{_EMBEDS}, {placeholders_of(PLATFORM)}"

_DID = r"did:[a-z]+:[A-Za-z0-9._:%-]+"
_HANDLE = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
_RKEY = r"[A-Za-z0-9._:~-]{1,512}"
_AT_URI = re.compile(rf"^at://(?P<actor>{_DID}|{_HANDLE})/app\.bsky\.feed\.post/(?P<rkey>{_RKEY})$")
# A post or profile on bsky.app, also inside a longer URL (a web archive's rewritten link),
# but not on look-alike hosts ("notbsky.app").
_POST_URL = re.compile(
    rf"(?<![\w.-])(?:www\.)?bsky\.app/profile/(?P<actor>{_DID}|{_HANDLE})/post/(?P<rkey>{_RKEY})"
)
_IFRAME_URL = re.compile(
    rf"(?<![\w.-])embed\.bsky\.app/embed/(?P<actor>{_DID}|{_HANDLE})/app\.bsky\.feed\.post/"
    rf"(?P<rkey>{_RKEY})"
)
_PROFILE_URL = re.compile(
    rf"(?<![\w.-])(?:www\.)?bsky\.app/profile/(?P<actor>{_DID}|{_HANDLE})/?(?:[?#]|$)"
)
_IS_DID = re.compile(rf"{_DID}")
# "— Name (@handle)": the dash is optional (autop can split it off) and the name may hold
# parentheses of its own ("Kat (she/her) (@kat.example)"), so the handle is the first
# parenthesised "@"-word.
_ATTRIBUTION = re.compile(
    rf"^(?:[—–―]|--?)?\s*(?P<name>.*?)\s*\(\s*@(?P<handle>{_HANDLE}|{_DID})\s*\)"
)
# The same line where no paragraph marks the text's end: it must start with a dash, and the
# name holds none, so that the last dash before "(@handle)" starts it.
_DASHED_ATTRIBUTION = re.compile(
    rf"[—–―]\s*(?P<name>[^—–―]*?)\s*\(\s*@(?P<handle>{_HANDLE}|{_DID})\s*\)"
)
# Bluesky's own mention rule: "@" after the start, a space or "(", then a domain name whose
# last label starts with a letter. "@name" without a dot is not a mention on Bluesky.
_MENTION = re.compile(rf"(?:^|(?<=[\s(]))@(?P<handle>{_HANDLE})")
_TLD = re.compile(r"\.[A-Za-z][A-Za-z0-9-]*$")
# A link as Bluesky displays it: host and path without the scheme, cut short with "...".
_DISPLAY_URL = re.compile(rf"(?<![\w@.-]){_HANDLE}/\S*")
# What Bluesky shows for an account whose handle no longer verifies.
_INVALID_HANDLE = "handle.invalid"
# The generator's stand-in for images, video, quoted posts and link cards; never localised.
_MEDIA_PLACEHOLDER = "[image or embed]"
_NO_LANGUAGE = frozenset({"und", "zxx"})
_LANG_SEPARATORS = re.compile(r"[\s,]+")


def read_address(address: str) -> Post | None:
    """The post a post's address on bsky.app stands for; ``None`` for any other."""
    match = _POST_URL.search(address)
    return _id_only_post(match) if match else None


# Every form above names "bluesky" (class, attribute, figure) or bsky.app in its markup.
@platform(PLATFORM, markers=("bluesky", "bsky"), hosts=("bsky.app",), read_address=read_address)
def find_embeds(tree: LexborHTMLParser, *, placeholders: bool = False) -> list[Sighting]:
    """The Bluesky posts embedded in a parsed HTML page, in page order, one per post.

    When the same post is embedded more than once, the copy with text wins, else the first,
    at the place of the first.

    :param tree: the page, parsed once by the caller
    :param placeholders: also read the placeholders marked in it (see
        :mod:`monitor.embeds.placeholders`)
    """
    posts: list[tuple[Post | None, LexborNode]] = []
    for node in tree.css(_EMBEDS_AND_PLACEHOLDERS if placeholders else _EMBEDS):
        address = placeholder_address(node)
        if address is not None:
            post = read_address(address)
        elif node.tag == "blockquote":
            post = _read_blockquote(node)
        elif node.tag == "figure":
            post = _read_wrapper(node)
        else:
            post = _read_iframe(node)
        posts.append((post, node))
    return one_per_id_at(posts)


find_posts = posts_finder(find_embeds)


def _read_blockquote(quote: LexborNode) -> Post | None:
    # The date links to the post, and so does the "[image or embed]" placeholder in the text.
    media_link = date_link = link_match = None
    for link in quote.css("a[href]"):
        match = _POST_URL.search(link.attributes.get("href") or "")
        if _is_media_placeholder(link):
            media_link = link
            link_match = link_match or match
        elif match:
            date_link, link_match = link, match
    profile = last_link(quote, _PROFILE_URL)
    profile_link = profile[0] if profile else None

    uri = _AT_URI.match(first_attribute(quote, "data-bluesky-uri") or "")
    located = uri or link_match
    if located is None:
        return None
    rkey = located["rkey"]
    actors = [m["actor"] for m in (uri, link_match, profile[1] if profile else None) if m]
    did = next((actor for actor in actors if _IS_DID.fullmatch(actor)), None)
    url_handle = next((actor.lower() for actor in actors if not _IS_DID.fullmatch(actor)), None)
    actor = did or located["actor"].lower()

    # The text is in the paragraphs that hold neither the profile link nor the date link
    # (WordPress's autop may give the attribution a paragraph of its own).
    paragraphs = [
        p
        for p in quote.css("p")
        if not any(link is not None and is_within(link, p) for link in (date_link, profile_link))
    ]
    if paragraphs:
        text = _text(paragraphs, media_link)
        name, shown_handle = _name_and_handle(_ATTRIBUTION.match(_attribution(paragraphs, quote)))
    else:
        # Paragraphs stripped: the text is whatever precedes the last attribution.
        rendered = inner_text(quote, blank_lines=True)
        match = _last_match(_DASHED_ATTRIBUTION, rendered)
        text = _text_before_attribution(rendered, match, media_link)
        name, shown_handle = _name_and_handle(match)
    date_text = collapse_whitespace(inner_text(date_link)) if date_link is not None else ""

    handle = shown_handle or url_handle
    return Post(
        platform=PLATFORM,
        post_id=f"{actor}/{rkey}",
        url=_canonical_url(actor, rkey),
        author_name=name,
        author_handle=handle or did,
        posted_at=from_bluesky_tid(rkey) or _visible_time(date_text),
        lang=_lang(paragraphs[0]) if paragraphs else None,
        text=text,
        hashtags=find_hashtags(_without_display_urls(text)),
        mentions=find_mentions(text),
        has_media=media_link is not None,
    )


def _read_wrapper(figure: LexborNode) -> Post | None:
    """A WordPress figure that holds only the post's URL, as a link or as bare text."""
    if figure.css_first(_BLOCKQUOTES) is not None:
        return None  # the embed inside is read on its own, with its text
    if not (
        reads_as_wrapper(figure, "wp-block-embed-bluesky")
        or reads_as_wrapper(figure, "wp-block-embed-bluesky-social")
    ):
        return None
    for candidate in wrapper_addresses(figure):
        post = read_address(candidate)
        if post is not None:
            return post
    return None


def _read_iframe(iframe: LexborNode) -> Post | None:
    """The iframe rendered by ``embed.js``: the post's AT URI is in its address."""
    match = _AT_URI.match(first_attribute(iframe, "data-bluesky-uri") or "")
    if match is None:
        match = _IFRAME_URL.search(iframe.attributes.get("src") or "")
    return _id_only_post(match) if match else None


def _id_only_post(match: re.Match[str]) -> Post:
    actor = match["actor"]
    if not _IS_DID.fullmatch(actor):
        actor = actor.lower()
    rkey = match["rkey"]
    return Post(
        platform=PLATFORM,
        post_id=f"{actor}/{rkey}",
        url=_canonical_url(actor, rkey),
        author_handle=actor,
        posted_at=from_bluesky_tid(rkey),
    )


def find_mentions(text: str | None) -> tuple[str, ...]:
    """Bluesky mentions in ``text``: handles, which are domain names (``@smokesignal.events``),
    lower-cased, without the ``@``, each once. Words after an ``@`` that are not domain
    names (``@home``), and e-mail addresses, are not mentions.

    :param text: a post's text, or ``None``
    """
    if not text:
        return ()
    handles = (m["handle"].lower() for m in _MENTION.finditer(_without_display_urls(text)))
    return tuple(dict.fromkeys(h for h in handles if _TLD.search(h)))


def _without_display_urls(text: str | None) -> str | None:
    """``text`` without URLs, including the scheme-less, truncated ones Bluesky shows
    (``corrode.dev/blog/foundat...``), whose fragments look like hashtags and mentions."""
    return _DISPLAY_URL.sub(" ", strip_urls(text)) if text else text


def _text(paragraphs: list[LexborNode], media_link: LexborNode | None) -> str | None:
    texts = []
    for paragraph in paragraphs:
        rendered = inner_text(paragraph, blank_lines=True)
        if media_link is not None and is_within(media_link, paragraph):
            rendered = rendered.removesuffix(_MEDIA_PLACEHOLDER).rstrip()
        if rendered:
            texts.append(rendered)
    return "\n\n".join(texts) or None


def _attribution(paragraphs: list[LexborNode], quote: LexborNode) -> str:
    """The attribution line after the text, on one line: formatters break lines inside the
    name, the handle and the date."""
    return collapse_whitespace(text_after(paragraphs[-1], quote))


def _text_before_attribution(
    rendered: str, match: re.Match[str] | None, media_link: LexborNode | None
) -> str | None:
    """The text of an embed without paragraphs: what precedes its attribution."""
    if match is not None:
        rendered = rendered[: match.start()]
    rendered = rendered.strip()
    if media_link is not None:
        rendered = rendered.removesuffix(_MEDIA_PLACEHOLDER).rstrip()
    return rendered or None


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _is_media_placeholder(link: LexborNode) -> bool:
    return collapse_whitespace(inner_text(link)) == _MEDIA_PLACEHOLDER


def _name_and_handle(match: re.Match[str] | None) -> tuple[str | None, str | None]:
    if match is None:
        return None, None
    handle = match["handle"].lower()
    if handle == _INVALID_HANDLE or _IS_DID.fullmatch(handle):
        handle = None
    return collapse_whitespace(match["name"]) or None, handle


def _visible_time(date_text: str) -> str | None:
    """The time in a visible date: exact when it is ISO 8601 with a zone (as some
    generators write it), else only the date, read in whatever locale it is written."""
    if not date_text:
        return None
    try:
        moment = datetime.fromisoformat(date_text)
    except ValueError:
        return parse_visible_date(date_text)
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return iso_utc(moment)


def _lang(paragraph: LexborNode) -> str | None:
    # A post may declare several languages; the first is its main one.
    lang = _LANG_SEPARATORS.split((paragraph.attributes.get("lang") or "").strip())[0]
    return None if not lang or lang.casefold() in _NO_LANGUAGE else lang


def _canonical_url(actor: str, rkey: str) -> str:
    return f"https://bsky.app/profile/{actor}/post/{rkey}"
