"""One walk over a parsed HTML page that picks out every element the monitor reads.

The article's metadata (``<meta>``, ``<link>``, ``<title>``, JSON-LD, ``<time>``) and the
elements embeds are read from are collected in a single pass over the tree. Each CSS query
walks the whole tree again, and lexbor matching a list of selectors against every element
of a news page costs more than parsing the page did; a walk that looks at each element's tag
name costs a fraction of that. The platform extractors still use CSS, but only on the pages
whose candidate elements carry their markers (see :mod:`monitor.embeds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Every element a platform reads an embed from is one of these by tag name or, for the div
# forms and Facebook's fallback, by class (see each platform's selectors).
CANDIDATE_TAGS = frozenset(
    {
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
    }
)
CANDIDATE_DIV_CLASSES = frozenset({"fb-post", "fb-video", "reddit-embed", "rll-youtube-player"})
CANDIDATE_CLASS = "fb-xfbml-parse-ignore"
"""A class that makes any element a candidate (Facebook's fallback)."""


@dataclass(slots=True)
class Page:
    """The elements of a parsed page that the monitor reads, each list in page order.

    ``signatures`` holds, for each embed candidate, its tag name and attributes
    (``name=value``) lower-cased: what the platforms' markers are looked for in.
    """

    tree: LexborHTMLParser
    html: LexborNode | None = None  # the root element
    meta: list[LexborNode] = field(default_factory=list)  # <meta> with a content attribute
    canonical: LexborNode | None = None  # the first <link rel="canonical" href>
    head_title: LexborNode | None = None  # the first <title> in <head>
    title: LexborNode | None = None  # the first <title> anywhere
    json_ld: list[LexborNode] = field(default_factory=list)  # application/ld+json scripts
    times: list[LexborNode] = field(default_factory=list)  # <time> with a datetime attribute
    signatures: list[str] = field(default_factory=list)


def walk(tree: LexborHTMLParser) -> Page:
    """The elements of ``tree`` that the monitor reads, found in one pass."""
    page = Page(tree)
    root = tree.root
    if root is None:
        return page
    if root.tag == "html":
        page.html = root
    for node in root.traverse():
        if not node.is_element_node:
            continue
        tag = node.tag
        attributes = node.attributes
        if tag in CANDIDATE_TAGS or _is_candidate_by_class(tag, attributes.get("class")):
            page.signatures.append(_signature(tag, attributes))
        elif tag == "meta":
            if "content" in attributes:
                page.meta.append(node)
        elif tag == "link":
            if (
                page.canonical is None
                and attributes.get("rel") == "canonical"
                and "href" in attributes
            ):
                page.canonical = node
        elif tag == "script":
            if attributes.get("type") == "application/ld+json":
                page.json_ld.append(node)
        elif tag == "title":
            if page.title is None:
                page.title = node
            if page.head_title is None and within(node, "head"):
                page.head_title = node
        elif tag == "time" and "datetime" in attributes:
            page.times.append(node)
    return page


def _is_candidate_by_class(tag: str, classes: str | None) -> bool:
    if not classes:
        return False
    # Lower-cased: a page in quirks mode matches class selectors regardless of case.
    names = classes.lower().split()
    if CANDIDATE_CLASS in names:
        return True
    return tag == "div" and not CANDIDATE_DIV_CLASSES.isdisjoint(names)


def _signature(tag: str, attributes: dict[str, str | None]) -> str:
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
