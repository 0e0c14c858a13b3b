"""Where each post sits in its article: the article's own words around it, how far through
its prose it stands, and how the page embeds it.

An article's prose is its paragraphs (``<p>``) outside quotations, captions, navigation,
asides, footers, forms and the embeds themselves. Pages hold other paragraphs too (teasers
of other articles, comments, newsletter pitches), so the article's **body** is taken to be
the deepest element that holds at least half of the page's paragraph text: nested
containers of the article each hold all of it, and no sidebar holds half. Only the body's
paragraphs are context, and only those of at least :data:`PROSE` characters count as the
paragraphs that placement counts (a "Watch:" line is context, not a paragraph of prose).

The context of an embed is the nearest body paragraph before it and the nearest after it,
passing over other embeds (two tweets in a row share the prose around the pair); when that
paragraph is short (a "Watch:" or "Here's the tweet:" line), the one beyond it joins it.
Placement counts the prose paragraphs before the embed: none or one is the ``lead``, all of
them is the ``end``, and ``position_share`` is the share of the prose's characters before it.

Plain-text and Markdown articles are read the same way, with paragraphs of lines in place
of elements (:func:`place_in_lines`).

Everything here runs on the tree already parsed, and only on pages that embed a post.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..models import Embedding
from ..page import FRAME_MARK
from .dom import is_within
from .page_state import PageState, state_of
from .prose import MAX_CONTEXT, PROSE, SHORT, ArticleText, Paragraph

__all__ = ["MAX_CONTEXT", "PROSE", "SHORT", "place_in_html", "place_in_lines"]

# How far above an embed the block that holds it (a list item, a paragraph) may be.
_BLOCK_DEPTH = 4

# Lines of a text or Markdown article that are not its words: quotations, markup, images,
# rules; headings; links, shown as their text.
_NOT_WORDS = re.compile(r">|<[A-Za-z/!]|!\[|(?:[-*_]\s*){3,}$")
_HEADING = re.compile(r"#{1,6}\s+")
_FENCE = re.compile(r"(?:\[\^[^\]]*\]:\s*)?(?:```|~~~)")  # a footnote may open with one
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")

_MARK = "data-monitor-embed"
_BLOCKS = "p, li, h2, h3, h4, h5, h6"
# Elements whose blocks are not the article's own prose: quotations (embed code among them),
# navigation, asides, footers, forms, the embeds themselves, frames a saved page holds, and
# the captions of other media
# (a figure's caption around an embed is the outlet's framing of it). Each is asked for its
# blocks: lexbor's selectors with :is() before a descendant combinator miss some matches.
_NOT_PROSE = (
    "blockquote, nav, aside, footer, form, noscript, template, figcaption, "
    f"[{_MARK}], [{FRAME_MARK}]"
)


def place_in_html(
    tree: LexborHTMLParser, places: Sequence[tuple[LexborNode, str, str | None]]
) -> list[Embedding]:
    """How and where the page ``tree`` embeds each post, from the element each was read from.

    :param tree: the page, parsed once (its embeds' elements are marked here)
    :param places: each post's element (for a post whose embed code is hidden, the element
        that holds the code), its embedding method and its platform id, in the order of
        the posts
    """
    marked: set[int] = set()
    for node, _, _ in places:
        if node.mem_id not in marked:
            marked.add(node.mem_id)
            node.attrs[_MARK] = ""  # for the selectors
    excluded = _not_prose(tree)
    # An embed inside a block (a list item, a paragraph holding a frame): the block's text
    # is the article's words around it, without the embed's own.
    inside: dict[int, list[LexborNode]] = {}
    for node, _, _ in places:
        parent = node.parent
        for _ in range(_BLOCK_DEPTH):
            if parent is None:
                break
            inside.setdefault(parent.mem_id, []).append(node)
            parent = parent.parent
    paragraphs: list[Paragraph] = []
    embeds_at: dict[int, int] = {}  # an embed's element -> how many paragraphs precede it
    # Texts stay as the page has them (white space and all) until the body's are known.
    for node in tree.css(f"{_BLOCKS}, [{_MARK}]"):
        key = node.mem_id
        if key in marked:
            embeds_at.setdefault(key, len(paragraphs))
            continue
        if key in excluded:
            continue
        text = node.text(deep=True)
        for embed in inside.get(key, ()):
            text = text.replace(embed.text(deep=True), " ", 1)
        if text and not text.isspace():
            paragraphs.append(Paragraph(node, text, tag=node.tag or "p"))
    body = _body(paragraphs, [node for node, method, _ in places if method != "script"])
    _drop_nested(paragraphs)
    article = ArticleText(paragraphs)
    embeddings = []
    states: dict[int, PageState] = {}  # by holder: one scan of a state for all its posts
    for node, method, post_id in places:
        before = embeds_at[node.mem_id]
        in_body = body is not None and is_within(node, body)
        if not in_body and method == "script" and post_id:
            # A CMS's page state holds the article as pieces in order, the embed among them.
            state = states.get(node.mem_id)
            if state is None or post_id not in state.text:
                state = states[node.mem_id] = state_of(node, post_id)
            words = state.words(post_id)
            if words is not None:
                # The state's own pieces around it: the live page may show only part of the
                # article (a paywall), or none of it.
                embeddings.append(words.embedding(method, words.before, in_body=True))
                continue
            # Else it stands after the last body paragraph whose words the state holds first.
            found = state.place(state.text.find(post_id), paragraphs)
            if found is not None:
                before, in_body = found, True
        embeddings.append(article.embedding(method, before, in_body=in_body))
    return embeddings


def _not_prose(tree: LexborHTMLParser) -> set[int]:
    """The blocks of the page that are not the article's words (see :data:`_NOT_PROSE`)."""
    excluded: set[int] = set()
    for outside in tree.css(_NOT_PROSE):
        if outside.tag == "figcaption" and _captions_an_embed(outside):
            continue
        excluded.update(node.mem_id for node in outside.css(_BLOCKS))
    return excluded


def _captions_an_embed(caption: LexborNode) -> bool:
    """Whether a figure's caption is that of an embed: the outlet's words on it."""
    figure = caption.parent
    while figure is not None and figure.tag != "figure":
        figure = figure.parent
    return figure is not None and figure.css_first(f"[{_MARK}]") is not None


def place_in_lines(
    lines: Sequence[str], places: Sequence[tuple[tuple[int, int], str]]
) -> list[Embedding]:
    """How and where a plain-text or Markdown article embeds each post: paragraphs are runs
    of lines between blank lines and embeds, all of them the article's body. As in a page,
    quotations (``>`` lines), code (fenced), markup and images are not the article's words,
    and a heading (``#``) is a paragraph of its own that is no prose; links show their text.

    :param lines: the article's lines
    :param places: each post's first and last line (inclusive) and its embedding method,
        in the order of the posts
    """
    embedded = set()
    for (first, last), _ in places:
        embedded.update(range(first, last + 1))
    paragraphs: list[Paragraph] = []
    starts: list[int] = []  # the first line of each paragraph
    current: list[str] = []
    fenced = False

    def close() -> None:
        if current:
            paragraphs.append(Paragraph(None, " ".join(current), body=True))
            current.clear()

    for number, line in enumerate(lines):
        text = line.strip()
        if _FENCE.match(text):
            fenced = not fenced
            close()
            continue
        if fenced or not text or number in embedded or _NOT_WORDS.match(text):
            close()
            continue
        heading = _HEADING.match(text)
        if heading:
            close()
            starts.append(number)
            paragraphs.append(Paragraph(None, text[heading.end() :], tag="h2", body=True))
            continue
        if not current:
            starts.append(number)
        current.append(_LINK.sub(r"\1", text) if "](" in text else text)
    close()
    article = ArticleText(paragraphs)
    return [
        article.embedding(method, bisect_left(starts, first), in_body=True)
        for (first, _), method in places
    ]


def _drop_nested(paragraphs: list[Paragraph]) -> None:
    """Take from each list item of the body the text it shares with the blocks inside it
    (its paragraphs, a nested list); an item left with none stays, empty, in its place."""
    by_id = {paragraph.node.mem_id: paragraph for paragraph in paragraphs if paragraph.node}
    for item in paragraphs:
        if item.tag != "li" or not item.body or item.node is None:
            continue
        for inner in item.node.css(_BLOCKS):
            own = by_id.get(inner.mem_id)
            if own is not None:
                # A nested item's text holds its own blocks' texts: it is taken whole.
                item.text = item.text.replace(own.text, " ", 1)


def _body(paragraphs: list[Paragraph], embeds: list[LexborNode]) -> LexborNode | None:
    """The element that holds the article's body (see the module's text); each paragraph is
    marked as in it or not.

    :param embeds: the elements of the embeds that the page shows where they stand (not
        those whose code a script holds)
    """
    # The densest block of prose: each paragraph counts fully for its parent and by half
    # for the element above (paragraphs only: menus and link lists are list items, often
    # outside any <nav>).
    score: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    parents: dict[int, list[Paragraph]] = {}
    for paragraph in paragraphs:
        parent = paragraph.node.parent if paragraph.node is not None else None
        if parent is None:
            continue
        parents.setdefault(parent.mem_id, []).append(paragraph)
        if paragraph.tag != "p":
            continue
        size = len(paragraph.text)
        score[parent.mem_id] = score.get(parent.mem_id, 0) + size
        nodes[parent.mem_id] = parent
        above = parent.parent
        if above is not None:
            score[above.mem_id] = score.get(above.mem_id, 0) + size / 2
            nodes[above.mem_id] = above
    if not score:
        return None
    body = nodes[max(score, key=score.__getitem__)]
    # ... widened until it holds most of the embeds: a live blog's entries are blocks of
    # their own, and the body is the blog.
    if embeds:
        holding: dict[int, int] = {}
        for embed in embeds:
            for mem_id in _ancestors(embed):
                holding[mem_id] = holding.get(mem_id, 0) + 1
        most = len(embeds) // 2 + 1
        node: LexborNode | None = body
        while node is not None and holding.get(node.mem_id, 0) < most:
            node = node.parent
        body = node or body
    target = body.mem_id
    for _key, held in parents.items():
        if target in _ancestors(held[0].node):
            for paragraph in held:
                paragraph.body = True
    return body


def _ancestors(node: LexborNode | None) -> list[int]:
    """The ids of ``node`` and of every element above it."""
    found = []
    while node is not None:
        found.append(node.mem_id)
        node = node.parent
    return found
