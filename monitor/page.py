"""The elements of a parsed HTML page that the monitor reads on every page.

The article's metadata (``<meta>``, ``<link>``, ``<title>``, JSON-LD, ``<time>``) and the
elements embeds can be read from are picked out once per page, by tag name. A CSS query
with many selectors (``blockquote, iframe, figure, …, div.fb-post``) costs lexbor about as
much as parsing the page did, as each selector is matched against every element; listing
the elements of one tag name costs a small fraction of that, and so does a Python loop over
the few elements found. The platform extractors still use CSS, but only on the pages whose
candidate elements carry their markers (see :mod:`monitor.embeds`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_NESTING = 2_000
"""The deepest nesting of elements a page may have to be parsed. Lexbor's tree building
slows with the square of the depth (100,000 nested elements take 20 s, 25,000 take 0.8 s);
real pages nest a few dozen deep, and browsers stop nesting at 512."""

MAX_TAGS = 500_000
"""The most tags (each ``<``) a page may hold to be parsed. Reading a page takes 600 to 900
bytes of memory a tag (a 20 MB page of 600,000 elements, 1.2 million tags: 1.1 GB), so
that the 64 MiB bound on a document's size alone would let one page take gigabytes; the
biggest real pages seen hold 5,000 tags."""

# Pages with fewer tags than this cannot nest deep enough to cost more than about half a
# second, and are parsed without the check, which costs about as much as the parse does.
_TAGS_BEFORE_CHECK = 10_000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_RAW_TEXT_ENDS = {
    name: re.compile(rf"</{name}", re.IGNORECASE)
    for name in ("script", "style", "textarea", "title", "xmp", "noscript", "template")
}
# Elements that never hold others, or whose end tag pages leave out (closed by the next).
_NOT_NESTING = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "rb",
        "rt",
        "rtc",
        "rp",
        "colgroup",
        "caption",
        "html",
        "head",
        "body",
    ]
)


class PageTooDeep(ValueError):
    """A page nested deeper than :data:`MAX_NESTING` elements: broken or hostile."""


class PageTooBig(ValueError):
    """A page of more than :data:`MAX_TAGS` tags: broken or hostile."""


def parse_html(html: str | bytes) -> LexborHTMLParser:
    """``html`` parsed, as every part of the monitor parses pages.

    :raises PageTooDeep: when its elements nest deeper than :data:`MAX_NESTING`, which
        would cost seconds to minutes to parse.
    :raises PageTooBig: when it holds more than :data:`MAX_TAGS` tags, which would cost
        hundreds of megabytes of memory to read.
    """
    # A tag takes 3 characters at least: shorter pages need no count.
    if len(html) <= 3 * _TAGS_BEFORE_CHECK:
        return LexborHTMLParser(html)
    tags = _count_tag_openers(html)
    if tags > MAX_TAGS:
        raise PageTooBig(
            f"{tags:,} tags, more than {MAX_TAGS:,}: not parsed (the page is broken or "
            "hostile, and reading it would take hundreds of megabytes of memory)"
        )
    if tags > _TAGS_BEFORE_CHECK:
        text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
        depth = nesting_depth(text, stop_after=MAX_NESTING)
        if depth > MAX_NESTING:
            raise PageTooDeep(
                f"elements nested more than {MAX_NESTING:,} deep: not parsed "
                "(the page is broken or hostile, and would take minutes to parse)"
            )
    return LexborHTMLParser(html)


def _count_tag_openers(html: str | bytes) -> int:
    """How many "<" ``html`` holds. For bytes (most pages: UTF-8 is parsed as bytes) NumPy
    counts them several times faster than ``bytes.count``, which costs a tenth of a
    millisecond on a typical page."""
    if isinstance(html, bytes):
        return int(np.count_nonzero(np.frombuffer(html, dtype=np.uint8) == ord("<")))
    return html.count("<")


def nesting_depth(html: str, *, stop_after: int | None = None) -> int:
    """How deep the elements of ``html`` nest, read from its tags without building a tree:
    an estimate, not a parse (script and style contents are passed over; void elements,
    ``/>`` and the elements whose end tag pages leave out do not count), good enough to
    tell a page of hostile depth from a real one.

    :param stop_after: return as soon as the depth passes this.
    """
    depth = deepest = 0
    position = 0
    while match := _TAG.search(html, position):
        closing, name, self_closing = match.groups()
        position = match.end()
        name = name.lower()
        end = _RAW_TEXT_ENDS.get(name)
        if name in _NOT_NESTING or (closing and end is not None):
            continue
        if closing:
            depth = max(depth - 1, 0)
            continue
        if end is not None:
            found = end.search(html, position)
            position = found.start() if found else len(html)
            continue
        if self_closing:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if stop_after is not None and deepest > stop_after:
                break
    return deepest


# Every element a platform reads an embed from is one of these by tag name or, for the div
# forms and Facebook's fallback, by class (see each platform's selectors).
CANDIDATE_TAGS = (
    "blockquote",
    "iframe",
    "figure",
    "embed",
    "object",
    "amp-twitter",
    "amp-instagram",
    "amp-reddit",
    "amp-youtube",
    "lite-youtube",
    "twitter-widget",
)
CANDIDATE_DIV_CLASSES = frozenset(
    {
        "fb-post",
        "fb-video",
        "reddit-embed",
        "rll-youtube-player",
        "lyme",  # WP YouTube Lyte's facade
        "thrv_responsive_video",  # Thrive Architect's video element
        "nectar-video-box",  # the Salient theme's video lightbox (WPBakery)
    }
)
# Attributes that make any div a candidate: a tweet's id held for a script to render.
CANDIDATE_DIV_ATTRIBUTES = ("data-tweetid", "data-tweet-id")
# Candidates whose attributes are restored as a consent manager or lazy loader will.
_RESTORED = frozenset({"iframe", "blockquote"})
CANDIDATE_CLASS = "fb-xfbml-parse-ignore"
"""A class that makes any element a candidate (Facebook's fallback)."""
EMBED_CLASSES = frozenset(
    {
        "twitter-tweet",
        "twitter-video",
        "instagram-media",
        "tiktok-embed",
        "bluesky-embed",
        "text-post-media",  # Threads
        "reddit-embed-bq",
        "reddit-card",
        "mastodon-embed",
    }
)
"""The classes that make a blockquote a platform's embed code. Lazy loaders keep one in a
data attribute (``data-twitter="twitter-tweet"``) until the embed is due, so that the
platform's script leaves the blockquote alone until then."""


@dataclass(slots=True)
class Page:
    """The elements of a parsed page that the monitor reads, each list in page order.

    ``signatures`` holds, for each embed candidate, its tag name and attributes
    (``name=value``) lower-cased: what the platforms' markers are looked for in (grouped by
    tag name, not in page order).
    """

    html: LexborNode | None = None  # the root element
    meta: list[LexborNode] = field(default_factory=list)  # <meta> with a content attribute
    canonical: LexborNode | None = None  # the first <link rel="canonical" href>
    head_title: LexborNode | None = None  # the first <title> in <head>
    title: LexborNode | None = None  # the first <title> anywhere
    json_ld: list[LexborNode] = field(default_factory=list)  # application/ld+json scripts
    times: list[LexborNode] = field(default_factory=list)  # <time> with a datetime attribute
    signatures: list[str] = field(default_factory=list)
    # Elements whose content is markup held back from the live page: <textarea>, <template>,
    # and scripts of a type no browser runs (see monitor.embeds.held).
    held: list[LexborNode] = field(default_factory=list)
    # Divs with an address (or an encoded one) in a data attribute, and iframes with one in
    # a parameter of their own address, with that attribute's name and value: the
    # candidate placeholders (see monitor.embeds.placeholders).
    addressed: list[tuple[LexborNode, str, str]] = field(default_factory=list)
    # The platforms that placeholders were marked for, once they are.
    placeholders: set[str] = field(default_factory=set)


# Script types that browsers do not run: consent managers and privacy plugins keep embed
# code in them until the reader agrees (Usercentrics, Cookiebot, Klaro, Borlabs Cookie,
# Embed Privacy), and front-end templates keep markup there.
HELD_SCRIPT_TYPES = frozenset(
    {
        "text/plain",
        "text/template",
        "text/x-template",
        "text/html",
        "text/x-handlebars-template",
        "text/x-tmpl",
    }
)
# Where consent managers and lazy loaders keep an iframe's address while its src is empty,
# about:blank or a placeholder: the frame a reader gets once they agree or scroll to it.
# These come first; failing them, any data attribute holding an absolute address does.
HELD_FRAME_SOURCES = (
    "data-src",
    "data-lazy-src",
    "data-cmp-src",  # consentmanager.net
    "data-src-cmplz",  # Complianz
    "data-cookieblock-src",  # Cookiebot
    "data-original",  # lazy loaders
    "data-consent-src",
)


_ABSOLUTE = ("https://", "http://", "//")

FRAME_MARK = "data-monitor-frame"
"""The attribute marking the HTML of a frame that a saved page holds apart (an MHTML part),
set into the page after its frame element: the frame's, not the article's words."""


def find_elements(tree: LexborHTMLParser) -> Page:
    """The elements of ``tree`` that the monitor reads on every page."""
    page = Page()
    root = tree.root
    if root is None:
        return page
    if root.tag == "html":
        page.html = root
    # Lexbor lists the elements of one tag name in a walk of the tree in C, several times
    # faster than a Python loop over every element, or a CSS query with many selectors.
    for tag in CANDIDATE_TAGS:
        nodes = tree.tags(tag)
        if tag == "figure":
            page.signatures += [_figure_signature(node) for node in nodes]
            continue
        if tag not in _RESTORED:
            page.signatures += [signature(tag, node.attributes) for node in nodes]
            continue
        for node in nodes:
            attributes = node.attributes
            if tag == "iframe":
                attributes = _restore_source(node, attributes)
                # A frame of an embed service (Embedly, Iframely) showing a post whose
                # address is a parameter of the frame's own (see monitor.embeds.placeholders).
                source = attributes.get("src")
                if source and ("url=" in source or "src=" in source):
                    page.addressed.append((node, "src", source))
            else:
                attributes = _restore_class(node, attributes)
            page.signatures.append(signature(tag, attributes))
    seen = set()
    tweet_id, tweet_id_dashed = CANDIDATE_DIV_ATTRIBUTES
    for node in tree.tags("div"):
        attributes = node.attributes
        classes = attributes.get("class")
        # Written out rather than any(...): this runs for every div of every page.
        if (
            (classes and not CANDIDATE_DIV_CLASSES.isdisjoint(_class_names(classes)))
            or tweet_id in attributes
            or tweet_id_dashed in attributes
        ):
            page.signatures.append(signature("div", attributes))
            seen.add(node.mem_id)
        # An address in a data attribute: the div may be a placeholder that a site's script
        # turns into an embed (see monitor.embeds.placeholders). Most divs have a class and
        # nothing else, and are passed over without a loop.
        if classes is None or len(attributes) > 1:
            for name, value in attributes.items():
                if value and ("//" in value or "%2" in value) and name.startswith("data-"):
                    page.addressed.append((node, name, value))
    for node in tree.css(f".{CANDIDATE_CLASS}"):
        if node.tag not in CANDIDATE_TAGS and node.mem_id not in seen:
            page.signatures.append(signature(node.tag, node.attributes))
    page.meta = [node for node in tree.tags("meta") if "content" in node.attributes]
    # rel and type are compared regardless of case, as CSS compares them in HTML.
    page.canonical = next(
        (
            node
            for node in tree.tags("link")
            if _lower(node.attributes.get("rel")) == "canonical" and "href" in node.attributes
        ),
        None,
    )
    for node in tree.tags("script"):
        kind = _lower(node.attributes.get("type"))
        if kind == "application/ld+json":
            page.json_ld.append(node)
        elif kind in HELD_SCRIPT_TYPES:
            page.held.append(node)
    page.held += tree.tags("textarea") + tree.tags("template")
    titles = tree.tags("title")
    page.title = titles[0] if titles else None
    page.head_title = next((node for node in titles if within(node, "head")), None)
    page.times = [node for node in tree.tags("time") if "datetime" in node.attributes]
    return page


def _figure_signature(figure: LexborNode) -> str:
    """A WordPress embed figure that names no provider is known by what it holds (a theme's
    or plugin's placeholder, with the post's address inside); other figures by their own
    attributes, as every candidate."""
    attributes = figure.attributes
    classes = (attributes.get("class") or "").lower()
    if "wp-block-embed" in classes:  # a substring test first: most figures are images
        names = classes.split()
        if "wp-block-embed" in names and not any(
            name.startswith("wp-block-embed-") for name in names
        ):
            return (figure.html or "").lower()
    return signature("figure", attributes)


def _restore_source(frame: LexborNode, attributes: dict[str, str | None]) -> dict[str, str | None]:
    """Give an iframe whose address a consent manager or lazy loader holds elsewhere that
    address as its ``src``, as the reader's browser will, so that every platform reads it
    as it reads a live frame; its attributes, as they are then."""
    source = (attributes.get("src") or "").strip()
    if source and not source.startswith(("about:", "data:", "javascript:", "#")):
        return attributes
    for name in HELD_FRAME_SOURCES:
        held = (attributes.get(name) or "").strip()
        if held.startswith(_ABSOLUTE):
            frame.attrs["src"] = held
            return {**attributes, "src": held}
    # A loader of the site's own keeps it under a name of its own (data-artsrc).
    for name, value in attributes.items():
        held = (value or "").strip()
        if name.startswith("data-") and held.startswith(_ABSOLUTE):
            frame.attrs["src"] = held
            return {**attributes, "src": held}
    return attributes


def _restore_class(quote: LexborNode, attributes: dict[str, str | None]) -> dict[str, str | None]:
    """Give a blockquote whose embed class a lazy loader keeps in a data attribute that class,
    as the loader will, so that the platform reads it as embed code; its attributes, as they
    are then."""
    classes = attributes.get("class") or ""
    for name, value in attributes.items():
        held = (value or "").strip().lower()
        if held in EMBED_CLASSES and name.startswith("data-") and held not in classes.lower():
            restored = f"{classes} {held}".strip()
            quote.attrs["class"] = restored
            return {**attributes, "class": restored}
    return attributes


def _lower(value: str | None) -> str | None:
    return value.lower() if value else value


def _class_names(classes: str) -> list[str]:
    # Lower-cased: a page in quirks mode matches class selectors regardless of case.
    return classes.lower().split()


def signature(tag: str, attributes: dict[str, str | None]) -> str:
    """An element's tag name and attributes (``name=value``), lower-cased: what the
    platforms' markers are looked for in."""
    pairs = " ".join(f"{name}={value}" for name, value in attributes.items())
    return f"{tag} {pairs}".lower()


def within(node: LexborNode, tag: str) -> bool:
    """Whether ``node`` lies inside an element named ``tag``."""
    parent = node.parent
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False
