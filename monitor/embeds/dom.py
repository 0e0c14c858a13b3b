"""Reading text and links out of an already parsed HTML tree (selectolax's lexbor parser).

These helpers know nothing about any platform: they render a node's text roughly the way a
browser's ``innerText`` does, and find links and attributes, so that every embed extractor
reads the page the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from selectolax.lexbor import LexborNode

# Elements whose content a reader never sees as text.
_INVISIBLE = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head"}
)
# Line breaks a browser requires around an element: two around paragraphs, one around other
# blocks. Table cells only need separating from their neighbours.
_PARAGRAPH = 2
_BLOCK = 1
_BREAKS = {"p": _PARAGRAPH} | dict.fromkeys(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "pre",
        "section",
        "summary",
        "table",
        "tr",
        "ul",
    ),
    _BLOCK,
)
_CELLS = frozenset({"td", "th"})

# HTML's collapsible white space, plus the no-break space, which readers treat as a space.
_SPACES = re.compile(r"[ \t\n\r\f\u00a0]+")
_SPACE_RUN = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")
# A blank line in source text: a line break, then only white space up to another one.
_BLANK_LINE = re.compile(r"[ \t\f\u00a0]*\r?\n[ \t\f\u00a0]*(?:\r?\n[ \t\f\u00a0]*)+")

# A rendering step: a node to visit (False) or the end of an element, whose trailing line
# breaks are due (True).
_Step = tuple[LexborNode, bool]


def collapse_whitespace(text: str) -> str:
    """``text`` on one line: runs of white space (including no-break spaces) become one
    space, and the ends are trimmed. Other characters, such as zero-width joiners inside
    emoji, are kept."""
    return _SPACES.sub(" ", text).strip()


def inner_text(
    node: LexborNode, *, blank_lines: bool = False, skip: Iterable[LexborNode] = ()
) -> str:
    """The text of ``node`` as a reader sees it, close to a browser's ``innerText``.

    ``<br>`` is a newline; paragraphs are separated by a blank line and other blocks
    (``div``, ``li``, headings, ...) by a newline; an ``<img>`` is its ``alt`` text, so emoji
    drawn as images (WordPress's ``img.wp-smiley``) are kept; scripts, styles, iframes and
    elements with the ``hidden`` attribute are skipped; white space within a line collapses
    to one space (``\\u00a0`` included); lines are trimmed and at most one blank line is
    kept between paragraphs. ``<pre>`` white space is not preserved.

    :param node: an element or text node of a parsed tree
    :param blank_lines: also treat a blank line in the source text (white space holding two
        line breaks or more) as a paragraph break. Some embed codes write a post's line
        breaks raw instead of as ``<br>``; single line breaks still collapse, because code
        formatters re-wrap long lines.
    :param skip: elements to leave out with all they hold, such as the author link that
        opens a post's text
    """
    skipped = frozenset(element.mem_id for element in skip)
    return _render([(node, False)], blank_lines=blank_lines, skipped=skipped)


def text_after(node: LexborNode, root: LexborNode) -> str:
    """The :func:`inner_text` of everything inside ``root`` that follows ``node`` in document
    order (``node``'s own content excluded), e.g. the attribution line after a post's text.

    :param node: a node inside ``root``
    :param root: the element to stop at
    :raises ValueError: if ``node`` is not inside ``root``
    """
    steps: list[_Step] = []
    current = node
    while not same_node(current, root):
        parent = current.parent
        if parent is None:
            raise ValueError("node is not inside root")
        sibling = current.next
        while sibling is not None:
            steps.append((sibling, False))
            sibling = sibling.next
        if not same_node(parent, root):
            steps.append((parent, True))
        current = parent
    steps.reverse()
    return _render(steps)


def last_link(
    node: LexborNode, pattern: re.Pattern[str]
) -> tuple[LexborNode, re.Match[str]] | None:
    """The last ``<a>`` inside ``node`` whose ``href`` matches ``pattern`` (searched, not
    anchored), with the match; ``None`` when there is none.

    :param node: the element to look in
    :param pattern: a compiled regular expression applied to each ``href``
    """
    found = None
    for link in node.css("a[href]"):
        match = pattern.search(link.attributes.get("href") or "")
        if match:
            found = (link, match)
    return found


def first_attribute(node: LexborNode, *names: str) -> str | None:
    """The first of the attributes ``names`` that ``node`` has with a non-blank value,
    stripped; ``None`` when it has none of them.

    :param node: an element
    :param names: attribute names, in order of preference
    """
    attributes = node.attributes
    for name in names:
        value = attributes.get(name)
        if value and value.strip():
            return value.strip()
    return None


#: The attributes that hold an embedded frame's address: ``src``, then the copies that
#: lazy-loading scripts (lazysizes, WP Rocket, ...) keep there until the frame scrolls into
#: view, while ``src`` is empty or ``about:blank``.
FRAME_SOURCES = ("src", "data-src", "data-lazy-src")


def attribute_match(
    node: LexborNode, pattern: re.Pattern[str], *names: str
) -> re.Match[str] | None:
    """The match of ``pattern`` (searched, not anchored) in the first of the attributes
    ``names`` of ``node`` whose value matches it; ``None`` when none does.

    :param node: an element
    :param pattern: a compiled regular expression
    :param names: attribute names, in order of preference; :data:`FRAME_SOURCES` when none
        are given
    """
    attributes = node.attributes
    for name in names or FRAME_SOURCES:
        match = pattern.search(attributes.get(name) or "")
        if match:
            return match
    return None


def same_node(first: LexborNode, second: LexborNode) -> bool:
    """Whether two node objects stand for the same node of the tree.

    selectolax's ``==`` compares serialised HTML instead: it is slow, and two identical
    embeds in one page compare equal.
    """
    return first.mem_id == second.mem_id


def is_within(node: LexborNode, ancestor: LexborNode) -> bool:
    """Whether ``node`` is ``ancestor`` or lies inside it.

    :param node: any node
    :param ancestor: the element that may contain it
    """
    current: LexborNode | None = node
    while current is not None:
        if same_node(current, ancestor):
            return True
        current = current.parent
    return False


def _render(
    steps: list[_Step], *, blank_lines: bool = False, skipped: frozenset[int] = frozenset()
) -> str:
    """Render ``steps`` (a stack: the last item is visited first) to text."""
    pieces: list[str | int] = []
    while steps:
        current, closing = steps.pop()
        if closing:
            _add_breaks(pieces, current.tag)
            continue
        if current.is_text_node:
            content = current.text_content or ""
            if blank_lines and _BLANK_LINE.search(content):
                for index, part in enumerate(_BLANK_LINE.split(content)):
                    if index:
                        pieces.append(_PARAGRAPH)
                    pieces.append(_SPACES.sub(" ", part))
            else:
                pieces.append(_SPACES.sub(" ", content))
            continue
        if not current.is_element_node or (skipped and current.mem_id in skipped):
            continue
        tag = current.tag or ""
        if tag in _INVISIBLE or "hidden" in current.attributes:
            continue
        if tag == "br":
            pieces.append("\n")
            continue
        if tag == "img":
            pieces.append(current.attributes.get("alt") or "")
            continue
        _add_breaks(pieces, tag)
        steps.append((current, True))
        children = list(current.iter(include_text=True))
        steps.extend((child, False) for child in reversed(children))
    return _join(pieces)


def _add_breaks(pieces: list[str | int], tag: str | None) -> None:
    if tag in _BREAKS:
        pieces.append(_BREAKS[tag])
    elif tag in _CELLS:
        pieces.append(" ")


def _join(pieces: Iterable[str | int]) -> str:
    """Join text pieces, turning the line breaks that blocks require into newlines: adjacent
    requirements merge (the larger wins) and none are added at the very start or end."""
    out: list[str] = []
    pending = 0
    for piece in pieces:
        if isinstance(piece, int):
            pending = max(pending, piece)
            continue
        if not piece or (pending and piece.isspace()):
            # White space right before a line break a block requires is never visible.
            continue
        if pending and out:
            out.append("\n" * pending)
        pending = 0
        out.append(piece)
    text = _SPACE_RUN.sub(" ", "".join(out))
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip(" \n")


#: A WordPress (Gutenberg) embed figure of any provider (``wp-block-embed``, and the
#: provider's own class, which older versions use alone), in one selector: each selector
#: costs every platform a pass over the page's elements. Each platform reads its own
#: provider's figures (``wp-block-embed-twitter``...) when they hold only the post's address;
#: a figure that names no provider (a theme's or plugin's own placeholder inside it) is read
#: by whichever platform's address it holds, provided it holds no embed element at all.
WORDPRESS_EMBED = "figure[class*='wp-block-embed']"
#: Elements that are an embed in their own right: a figure or placeholder holding one is
#: that embed's.
EMBED_ELEMENTS = (
    "blockquote, iframe, embed, object, amp-twitter, amp-instagram, amp-youtube, amp-reddit, "
    "lite-youtube, twitter-widget"
)


def reads_as_wrapper(figure: LexborNode, provider_class: str) -> bool:
    """Whether a platform should look for its post's address in ``figure``: a figure of
    its own provider (class ``provider_class``), or one of no provider that holds no embed
    element (so that another platform's embed, and the links in its text, are left alone).
    """
    classes = (figure.attributes.get("class") or "").split()
    if provider_class in classes:
        return True
    if any(name.startswith("wp-block-embed-") for name in classes):
        return False  # another provider's
    return figure.css_first(EMBED_ELEMENTS) is None


def wrapper_addresses(figure: LexborNode) -> Iterator[str]:
    """Where a wrapper figure keeps its post's address, most explicit first: links, then
    any attribute of the figure or inside it that holds an address (a plugin's placeholder
    keeps it in ``data-feed``, ``data-url``...), then the figure's text (the bare URL that
    WordPress leaves when the embed's HTML is gone)."""
    yield from (link.attributes.get("href") or "" for link in figure.css("a[href]"))
    for node in figure.traverse(include_text=False):
        for value in node.attributes.values():
            if value and "://" in value:
                yield value
    yield inner_text(figure)


#: The attributes with which :mod:`monitor.embeds.placeholders` marks an element that a
#: site's script turns into an embed: the platform's name, and the post's address.
PLACEHOLDER_PLATFORM = "data-monitor-placeholder"
PLACEHOLDER_ADDRESS = "data-monitor-address"


def placeholders_of(platform: str) -> str:
    """The CSS selector of the placeholders marked for ``platform``."""
    return f"[{PLACEHOLDER_PLATFORM}='{platform}']"


def placeholder_address(node: LexborNode) -> str | None:
    """The post's address, when ``node`` is a marked placeholder."""
    return node.attributes.get(PLACEHOLDER_ADDRESS)
