"""Tweets embedded in HTML pages (Twitter/X).

Embeds are recognised by element and class, never by substring: the same class names occur
in stylesheets, and status links occur in prose and in sidebar widgets, none of which are
embeds. Recognised forms:

* ``blockquote.twitter-tweet`` / ``blockquote.twitter-video``, as pasted from
  publish.twitter.com (every dash form, WordPress autop, x.com, old ``/statuses/`` links),
  ``<blockquote data-tweetid>`` without a class, and the same code under a class a CMS gave
  it until its script runs (the Guardian's ``blockquote.nojs-tweet``: any class naming a
  tweet, when the blockquote links a status);
* id-only forms: ``<amp-twitter data-tweetid>``, iframes rendered by ``widgets.js`` or saved
  by a browser (``iframe.twitter-tweet``, ``iframe[data-tweet-id]``, the
  ``platform.twitter.com/embed/Tweet.html?id=`` iframe), ``<twitter-widget>``, and the
  placeholders that sites' own scripts turn into an embed (``<div class="js-tweet"
  data-tweetid>``, under any class: the id attribute is what marks them);
* wrappers that may hold only the URL: the Guardian's ``figure.element-tweet`` and
  WordPress's ``figure.wp-block-embed-twitter`` (skipped when they hold a tweet embed).
* placeholders: a div that keeps the tweet's address in a data attribute for a site's script
  (see :mod:`monitor.embeds.placeholders`), and an ``amp-twitter`` whose ``data-tweetid``
  holds the address instead of the id; a blockquote whose class a lazy loader keeps in a
  data attribute is read as the blockquote it will be (see :mod:`monitor.page`).

``Post.url`` is always ``https://twitter.com/{handle}/status/{id}`` whatever host, ``www.``,
``mobile.``, ``/statuses/`` form or query string the page used; the handle is the one in the
page's link, else the one in the attribution, and ``https://twitter.com/i/web/status/{id}``
is used when no handle is known.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import unquote

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
    same_node,
    text_after,
    wrapper_addresses,
)
from monitor.embeds.registry import platform, posts_finder
from monitor.hashtags import find_hashtags, find_mentions, normalise
from monitor.models import Post
from monitor.timestamps import from_twitter_id, parse_visible_date

PLATFORM = "twitter"

# ":is()" rather than selector lists: a list yields an element once per selector it
# matches, and each copy would be read again. A CMS may rename the embed code's class until
# its script runs (the Guardian's "nojs-tweet"): any blockquote whose class names a tweet is
# read (twitter-tweet among them), with its status link.
_BLOCKQUOTES = "blockquote:is([class*='tweet' i], .twitter-video, [data-tweetid])"
_EMBED_CLASSES = frozenset({"twitter-tweet", "twitter-video"})
_ID_ELEMENTS = (
    "amp-twitter[data-tweetid], "
    "iframe:is(.twitter-tweet, [data-tweet-id], [src*='platform.twitter.com/embed/'], "
    "[src*='platform.x.com/embed/']), "
    "div:is([data-tweetid], [data-tweet-id]), twitter-widget[data-tweet-id]"
)
_WRAPPERS = f"figure.element-tweet[data-canonical-url], {WORDPRESS_EMBED}"
_EMBEDS = f"{_BLOCKQUOTES}, {_ID_ELEMENTS}, {_WRAPPERS}"
_EMBEDS_AND_PLACEHOLDERS = f"{_EMBEDS}, {placeholders_of(PLATFORM)}"
_INNER_EMBEDS = f"{_BLOCKQUOTES}, {_ID_ELEMENTS}"

# A status permalink on any Twitter/X host. It may sit inside a longer URL (a web archive's
# rewritten link), but "fxtwitter.com" and the like must not match, hence the leading slash.
# Handles may arrive percent-escaped ("brian%5Farmstrong").
_STATUS_URL = re.compile(
    r"(?:^|/)(?:(?:www|mobile)\.)?(?:twitter|x)\.com/"
    r"(?:i/web|(?P<handle>(?:[A-Za-z0-9_]|%5[Ff]){1,45}))/status(?:es)?/(?P<id>\d{1,20})(?!\d)",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
_TWEET_ID = re.compile(r"\d{1,20}")
_IFRAME_ID = re.compile(r"[?&]id=(\d{1,20})(?!\d)")
_HASHTAG_HREF = re.compile(r"/hashtag/([^/?#]+)")
_HASH = ("#", "＃")
_TCO_HREF = re.compile(r"^(?:https?:)?//t\.co/", re.IGNORECASE)
_MEDIA = re.compile(r"(?:^|[\s/])pic\.(?:twitter|x)\.com/\w", re.IGNORECASE)
# "— Name (@handle)": the dash is an em dash after entity decoding, or an en dash or hyphen
# in old embeds; a hyphen counts only after white space ("Jean-Luc" is a name). The name
# holds no dash, so that the last dash before "(@handle)" starts the attribution even when
# the tweet text itself contains dashes.
_ATTRIBUTION = re.compile(
    r"(?:[—–―]|(?:^|(?<=\s))--?(?=\s))\s*(?P<name>(?:(?![—–―]|\s-\s)[^\n])*?)"
    r"\s*\(\s*@(?P<handle>[A-Za-z0-9_]{1,15})\s*\)"
)
# When the attribution has the rest of the blockquote to itself it starts the text, and its
# name may hold spaced hyphens ("A - B"); the dash is optional there.
_LEADING_ATTRIBUTION = re.compile(
    r"^\s*(?:[—–―]|--?(?=\s))?\s*(?P<name>[^\n—–―]*?)"
    r"\s*\(\s*@(?P<handle>[A-Za-z0-9_]{1,15})\s*\)"
)
# Text that sites show in place of a tweet they could not render: not the tweet's words.
_PLACEHOLDERS = re.compile(r"^tweet may have been deleted\b", re.IGNORECASE)
# Language tags that say "no language": media-only posts and undetermined text.
_NO_LANGUAGE = frozenset({"zxx", "und"})


def read_address(address: str) -> Post | None:
    """The tweet a status address stands for (with its handle, when the address names
    one); ``None`` for any other address."""
    match = _STATUS_URL.search(address)
    return _id_only_post(match["id"], _url_handle(match)) if match else None


# Every form above names twitter or x.com somewhere in its markup ("data-tweetid" and
# "twitter-widget" included); a page with neither holds no tweet embed.
@platform(
    PLATFORM,
    markers=("twitter", "tweet", "x.com/"),
    hosts=("twitter.com", "x.com"),
    read_address=read_address,
)
def find_embeds(tree: LexborHTMLParser, *, placeholders: bool = False) -> list[Sighting]:
    """The tweets embedded in a parsed HTML page, in page order, one per status id.

    When the same tweet is embedded more than once, the richest copy (the one with text,
    then the one with most fields) is kept, at the place of the first.

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
        return _read_placeholder(address)
    tag = node.tag
    if tag == "blockquote":
        return _read_blockquote(node)
    if tag == "figure":
        if node.css_first(_INNER_EMBEDS) is not None:
            return None  # the embed inside is read on its own, with its text
        if "wp-block-embed" in (node.attributes.get("class") or "") and not reads_as_wrapper(
            node, "wp-block-embed-twitter"
        ):
            return None
        return _read_wrapper(node)
    return _read_id_element(node)


def _read_placeholder(address: str) -> Post | None:
    """A placeholder's tweet. Where the placeholder keeps the tweet as JSON in the API's
    shape (Substack: ``url``, ``full_text``, ``name``), its text and author's name too."""
    post = read_address(address)
    if post is None or not address.startswith("{"):
        return post
    try:
        data = json.loads(address)
    except ValueError:
        return post
    if not isinstance(data, dict) or not isinstance(data.get("full_text"), str):
        return post
    # The text may hold markup (Substack marks mentions with spans); its line breaks are raw.
    body = LexborHTMLParser(data["full_text"]).body
    text = inner_text(body, blank_lines=True) if body is not None else ""
    name = data.get("name")
    return replace(
        post,
        text=text or None,
        author_name=collapse_whitespace(name) or None if isinstance(name, str) else None,
        hashtags=find_hashtags(text),
        mentions=find_mentions(text),
    )


def _read_blockquote(quote: LexborNode) -> Post | None:
    status = last_link(quote, _STATUS_URL)
    if (
        status is None
        and "data-tweetid" not in quote.attributes
        and _EMBED_CLASSES.isdisjoint((quote.attributes.get("class") or "").lower().split())
    ):
        return None  # a class that merely names tweets, without a tweet's link
    status_link = status[0] if status else None
    post_id = status[1]["id"] if status else _tweet_id(quote, "data-tweetid", "data-tweet-id")
    url_handle = _url_handle(status[1]) if status else None
    date_text = inner_text(status_link) if status_link is not None else ""

    text_paragraphs = _text_paragraphs(quote, status_link)
    text: str | None
    if text_paragraphs:
        text = "\n\n".join(filter(None, (inner_text(p) for p in text_paragraphs)))
        attribution = _attribution(text_after(text_paragraphs[-1], quote))
        scope: Iterable[LexborNode] = text_paragraphs
        lang = _lang(text_paragraphs[0])
    else:
        # Stripped embeds: no paragraphs, so the text is whatever precedes the attribution.
        rendered = inner_text(quote)
        if date_text and rendered.endswith(date_text):
            rendered = rendered[: -len(date_text)].rstrip()
        match = _last_match(_ATTRIBUTION, rendered)
        text = rendered[: match.start()].strip() if match else rendered
        attribution = _name_and_handle(match)
        scope = [quote]
        lang = None
    if not text or _PLACEHOLDERS.match(text):
        text = None

    author_name, author_handle = attribution
    if post_id is None and text is None and author_handle is None:
        return None
    hashtags, mentions, links, has_media = _read_links(scope, status_link)
    posted_at = from_twitter_id(post_id) if post_id else None
    if posted_at is None:
        posted_at = parse_visible_date(date_text)
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        url=_canonical_url(url_handle or author_handle, post_id),
        author_name=author_name,
        author_handle=author_handle or url_handle,
        posted_at=posted_at,
        lang=lang,
        text=text,
        hashtags=tuple(dict.fromkeys((*hashtags, *find_hashtags(text)))),
        mentions=tuple(dict.fromkeys((*mentions, *find_mentions(text)))),
        links=links,
        has_media=has_media
        or bool(text and _MEDIA.search(text))
        or "twitter-video" in (quote.attributes.get("class") or "").split(),
        is_reply=quote.attributes.get("data-conversation") == "none",
    )


def _text_paragraphs(quote: LexborNode, status_link: LexborNode | None) -> list[LexborNode]:
    """The <p> elements that hold the tweet's text: those before the status link, except
    the one holding it (WordPress autop and old embeds give the attribution a <p> of its
    own). WordPress can also split one tweet's text into several paragraphs."""
    paragraphs = []
    for node in quote.traverse():
        if status_link is not None and same_node(node, status_link):
            break
        if node.tag == "p":
            paragraphs.append(node)
    if status_link is not None:
        paragraphs = [p for p in paragraphs if not is_within(status_link, p)]
    return paragraphs


def _read_id_element(node: LexborNode) -> Post | None:
    """amp-twitter, rendered and saved iframes, twitter-widget, a site's placeholder: only
    the id is there (some sites write the tweet's address in its place), and in a
    placeholder often a link to the tweet, which names its author."""
    held = first_attribute(node, "data-tweetid", "data-tweet-id") or ""
    if not _TWEET_ID.fullmatch(held) and (post := read_address(held)) is not None:
        return post
    post_id = _tweet_id(node, "data-tweetid", "data-tweet-id")
    if post_id is None:
        match = _IFRAME_ID.search(node.attributes.get("src") or "")
        post_id = match[1] if match else None
    handle = None
    if node.tag == "div":
        for link in node.css("a[href]"):
            match = _STATUS_URL.search(link.attributes.get("href") or "")
            if match and match["id"] == post_id:
                handle = _url_handle(match)
                break
    return _id_only_post(post_id, handle)


def _read_wrapper(figure: LexborNode) -> Post | None:
    """A figure that holds only the tweet's URL, as an attribute, a link or bare text."""
    for candidate in (
        first_attribute(figure, "data-canonical-url") or "",
        *wrapper_addresses(figure),
    ):
        post = read_address(candidate)
        if post is not None:
            return post
    return None


def _id_only_post(post_id: str | None, handle: str | None) -> Post | None:
    if post_id is None:
        return None
    return Post(
        platform=PLATFORM,
        post_id=post_id,
        url=_canonical_url(handle, post_id),
        author_handle=handle,
        posted_at=from_twitter_id(post_id),
    )


def _read_links(
    scope: Iterable[LexborNode], status_link: LexborNode | None
) -> tuple[list[str], list[str], tuple[str, ...], bool]:
    """Hashtags, mentions, t.co links and whether media is attached, from the text's links."""
    hashtags: list[str] = []
    mentions: list[str] = []
    links: list[str] = []
    has_media = False
    for element in scope:
        for link in element.css("a[href]"):
            if status_link is not None and same_node(link, status_link):
                continue
            href = link.attributes.get("href") or ""
            visible = collapse_whitespace(inner_text(link))
            tag = _HASHTAG_HREF.search(href)
            if tag:
                # The visible text is the real tag; the href is percent-encoded.
                hashtags.append(
                    normalise(visible if visible.startswith(_HASH) else unquote(tag[1]))
                )
            elif visible.startswith("@") and _HANDLE.fullmatch(visible[1:]):
                mentions.append(visible[1:])
            elif _TCO_HREF.match(href):
                links.append(href)
            if _MEDIA.search(visible) or _MEDIA.search(href):
                has_media = True
    return hashtags, mentions, tuple(dict.fromkeys(links)), has_media


def _attribution(rendered: str) -> tuple[str | None, str | None]:
    """Author name and handle from the attribution line ("— Name (@handle) Date")."""
    return _name_and_handle(
        _LEADING_ATTRIBUTION.match(rendered) or _last_match(_ATTRIBUTION, rendered)
    )


def _name_and_handle(match: re.Match[str] | None) -> tuple[str | None, str | None]:
    if match is None:
        return None, None
    return collapse_whitespace(match["name"]) or None, match["handle"]


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _lang(paragraph: LexborNode) -> str | None:
    # Only the text's own tag: a blockquote's lang is the reader's UI language.
    lang = (paragraph.attributes.get("lang") or "").strip()
    return None if not lang or lang.casefold() in _NO_LANGUAGE else lang


def _tweet_id(node: LexborNode, *attributes: str) -> str | None:
    value = first_attribute(node, *attributes)
    return value if value and _TWEET_ID.fullmatch(value) else None


def _url_handle(match: re.Match[str]) -> str | None:
    handle = match["handle"]
    if not handle:
        return None
    handle = unquote(handle)
    return handle if _HANDLE.fullmatch(handle) and handle.lower() != "i" else None


def _canonical_url(handle: str | None, post_id: str | None) -> str | None:
    if post_id is None:
        return None
    return f"https://twitter.com/{handle or 'i/web'}/status/{post_id}"
