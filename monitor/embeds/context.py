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

import html
import json
import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..models import Embedding
from ..page import FRAME_MARK
from .dom import is_within

MAX_CONTEXT = 500
"""The most characters of context kept on each side of an embed: the nearest paragraph
nearly always fits; a longer one is cut at a word, away from the embed."""

PROSE = 40
"""The fewest characters of a paragraph of prose: shorter paragraphs ("Watch:", bylines,
"Advertisement") are context but are not counted in placing an embed."""

SHORT = 80
"""A context paragraph shorter than this is joined by the paragraph beyond it."""

# How far a cut may move to fall between words, and how far above an embed the block that
# holds it (a list item, a paragraph) may be.
_WORD = 40
_BLOCK_DEPTH = 4

# A run of a paragraph's words as a page state keeps them whatever its escaping (no quotes,
# no ampersands, no markup), and the shortest run worth looking for.
_PLAIN = re.compile(r"[^\W_][\w ,.]*")
_PROBE = 16

# Lines that send the reader elsewhere rather than say anything: not the article's words.
_PROMOTION = re.compile(
    r"(?:see also|read more|related|also read|more on this|recommended|advertisement"
    r"|sponsored)\b\s*(?::|$)",
    re.IGNORECASE,
)

# Lines of a text or Markdown article that are not its words: quotations, markup, images,
# rules; headings; links, shown as their text.
_NOT_WORDS = re.compile(r">|<[A-Za-z/!]|!\[|(?:[-*_]\s*){3,}$")
_HEADING = re.compile(r"#{1,6}\s+")
_FENCE = re.compile(r"(?:\[\^[^\]]*\]:\s*)?(?:```|~~~)")  # a footnote may open with one
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")

# A page state's string values: JSON's double-quoted literals, and where they hold embed
# code, and markup; the fewest spaces in a value of prose.
_STRING_VALUE = re.compile(r'"(?:[^"\\\n]++|\\.)*+"')
_EMBED_CODE = re.compile(r"</?(?:blockquote|iframe)\b|twitter-tweet|instagram-media|tiktok-embed")
_CLOSING = re.compile(r"</(?:blockquote|iframe)>")
_TAG = re.compile(r"<[^>]*>")
_WORDS = 5

_MARK = "data-monitor-embed"
_BLOCKS = "p, li, h2, h3, h4, h5, h6"
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
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
    paragraphs: list[_Paragraph] = []
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
            paragraphs.append(_Paragraph(node, text, tag=node.tag or "p"))
    body = _body(paragraphs, [node for node, method, _ in places if method != "script"])
    _drop_nested(paragraphs)
    article = _Article(paragraphs)
    embeddings = []
    states: dict[int, _State] = {}  # by holder: one scan of a state for all its posts
    for node, method, post_id in places:
        before = embeds_at[node.mem_id]
        in_body = body is not None and is_within(node, body)
        if not in_body and method == "script" and post_id:
            # A CMS's page state holds the article as pieces in order, the embed among them.
            state = states.get(node.mem_id)
            if state is None or post_id not in state.text:
                state = states[node.mem_id] = _state_of(node, post_id)
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


class _State:
    """A page state (a script's text, or an attribute's value) and its string values that
    read as prose, each with where it stands, found once however many posts it holds."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.values: list[str] = []
        for match in _STRING_VALUE.finditer(text):
            start, end = match.span()
            if end - start < PROSE:
                continue  # most of a state: keys, ids, numbers in quotes
            value = _prose_value(match.group())
            if value is not None:
                self.starts.append(start)
                self.values.append(value)
        # The values that are the article's words (not "Read more:" lines), and how many of
        # the first i values are, for :meth:`words`: found once for all the state's posts.
        self._words: list[str] | None = None
        self._counted: list[int] = []
        # Where the page's body paragraphs stand in the state, for :meth:`place`.
        self._found: list[tuple[int, int]] | None = None

    def words(self, post_id: str) -> _Article | None:
        """The state's pieces of prose as an article whose ``before`` first pieces precede
        the post ``post_id``, the embed's own values (its markup, its text) left out;
        ``None`` unless there is prose on both sides of it."""
        at = self.text.find(post_id)
        if at < 0:
            return None
        # Past the post its embed code comes first: the article resumes after the value
        # that closes it.
        closing = _CLOSING.search(self.text, at)
        if closing is None:
            return None
        ahead = bisect_left(self.starts, at)
        behind = bisect_left(self.starts, _value_end(self.text, closing.end()))
        if ahead == 0 or behind == len(self.values):
            return None
        if self._words is None:
            self._words = []
            self._counted = [0]
            for value in self.values:
                if not _PROMOTION.match(value):
                    self._words.append(value)
                self._counted.append(len(self._words))
        words, counted = self._words, self._counted
        # As _Article([...]) of the values before and after the embed's own would make it
        # (each value is one paragraph of prose already), without going over them again for
        # every post: a live blog's state holds hundreds of posts.
        return _Article.of_prose(
            words[: counted[ahead]] + words[counted[behind] :], before=counted[ahead]
        )

    def place(self, at: int, paragraphs: list[_Paragraph]) -> int | None:
        """How many of ``paragraphs`` (the page's, the same for all the state's posts)
        precede the post first named at ``at`` of the state, where the body's paragraphs
        are found in it too; ``None`` where they are not."""
        if at == -1:
            return None
        if self._found is None:
            # Where each body paragraph's words stand in the state, looked for once.
            self._found = []
            for index, paragraph in enumerate(paragraphs):
                if not paragraph.body:
                    continue
                probe = max(_PLAIN.findall(paragraph.text[:200]), key=len, default="")[:40]
                if len(probe) < _PROBE:
                    continue
                where = self.text.find(probe)
                if where != -1:
                    self._found.append((index, where))
        # The paragraph whose words stand last before the post's, and the first after it.
        last_before = first_after = None
        for index, where in self._found:
            if where < at:
                last_before = index
            elif first_after is None:
                first_after = index
        if last_before is not None:
            return last_before + 1
        return first_after


def _state_of(holder: LexborNode, post_id: str) -> _State:
    """The page state that ``holder`` (a script, or an element's attribute) keeps the post
    ``post_id`` in."""
    state = holder.text(deep=True) if holder.tag == "script" else ""
    if post_id not in state:
        state = next((v for v in holder.attributes.values() if v and post_id in v), "")
    return _State(state)


def _prose_value(literal: str) -> str | None:
    """A JSON string literal's value when it reads as prose (markup taken out), else
    ``None``: keys, ids, addresses and embed code are most of a state."""
    if len(literal) < PROSE or literal.count(" ") < _WORDS:
        return None  # passed over undecoded
    try:
        value = json.loads(literal, strict=False)
    except ValueError:
        return None
    if "<" in value:
        if _EMBED_CODE.search(value):
            return None
        value = html.unescape(_TAG.sub(" ", value))
    value = " ".join(value.split())
    if len(value) >= PROSE and value.count(" ") >= _WORDS and "://" not in value[:12]:
        return value
    return None


def _value_end(text: str, position: int) -> int:
    """Where the string value that holds ``position`` ends: after its closing quote, the
    first one that no backslash escapes."""
    quote = text.find('"', position)
    while quote != -1:
        before = quote
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (quote - before) % 2 == 0:
            return quote + 1
        quote = text.find('"', quote + 1)
    return len(text)


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
    paragraphs: list[_Paragraph] = []
    starts: list[int] = []  # the first line of each paragraph
    current: list[str] = []
    fenced = False

    def close() -> None:
        if current:
            paragraphs.append(_Paragraph(None, " ".join(current), body=True))
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
            paragraphs.append(_Paragraph(None, text[heading.end() :], tag="h2", body=True))
            continue
        if not current:
            starts.append(number)
        current.append(_LINK.sub(r"\1", text) if "](" in text else text)
    close()
    article = _Article(paragraphs)
    return [
        article.embedding(method, bisect_left(starts, first), in_body=True)
        for (first, _), method in places
    ]


class _Paragraph:
    """A block of an article's text: a paragraph, a list item, a heading."""

    __slots__ = ("body", "node", "tag", "text")

    def __init__(
        self, node: LexborNode | None, text: str, *, tag: str = "p", body: bool = False
    ) -> None:
        self.node = node
        self.text = text
        self.tag = tag
        self.body = body  # whether it is in the article's body

    @property
    def prose(self) -> bool:
        """Whether it counts as a paragraph of the article's prose."""
        return self.body and self.tag not in _HEADINGS and len(self.text) >= PROSE


def _drop_nested(paragraphs: list[_Paragraph]) -> None:
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


def _body(paragraphs: list[_Paragraph], embeds: list[LexborNode]) -> LexborNode | None:
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
    parents: dict[int, list[_Paragraph]] = {}
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


class _Article:
    """The body's paragraphs of one article, with running counts for placing embeds."""

    def __init__(self, paragraphs: list[_Paragraph]) -> None:
        self.indices: list[int] = []  # each body paragraph's index among all paragraphs
        self.texts: list[str] = []
        self.prose = [0]  # how many prose paragraphs the first i body paragraphs hold
        self.chars = [0]  # and how many characters of prose
        self.before = 0  # for an article made of a page state's pieces: those before a post
        for index, paragraph in enumerate(paragraphs):
            if not paragraph.body:
                continue
            paragraph.text = " ".join(paragraph.text.split())
            if not paragraph.text or _PROMOTION.match(paragraph.text):
                continue
            self.indices.append(index)
            self.texts.append(paragraph.text)
            prose = paragraph.prose
            self.prose.append(self.prose[-1] + prose)
            self.chars.append(self.chars[-1] + (len(paragraph.text) if prose else 0))

    @classmethod
    def of_prose(cls, texts: list[str], before: int) -> _Article:
        """The article whose body paragraphs are ``texts``, each one of prose, white space
        already collapsed, none a promotion, with ``before`` of them before a post."""
        article = cls([])
        article.indices = list(range(len(texts)))
        article.texts = texts
        article.prose = list(range(len(texts) + 1))
        article.chars = list(accumulate(map(len, texts), initial=0))
        article.before = before
        return article

    def embedding(self, method: str, before: int, *, in_body: bool) -> Embedding:
        """The embedding of a post that the first ``before`` of all paragraphs precede; with
        context only when it stands in the body."""
        at = bisect_left(self.indices, before)  # body paragraphs before the embed
        prose_ahead, prose = self.prose[at], self.prose[-1]
        if prose_ahead == 0 or (prose_ahead == 1 and prose > 1):
            placement = "lead"
        elif prose_ahead == prose:
            placement = "end"
        else:
            placement = "body"
        total = self.chars[-1]
        share = round(self.chars[at] / total, 3) if total else None
        if not in_body:
            return Embedding(method, placement, share)
        texts = self.texts
        return Embedding(
            method,
            placement,
            share,
            _context([texts[i] for i in range(at - 1, max(at - 3, -1), -1)], True),
            _context(texts[at : at + 2], False),
        )


def _context(texts: list[str], before: bool) -> str | None:
    """The nearest of ``texts`` (nearest first), with the next when it is short, cut to
    :data:`MAX_CONTEXT` characters away from the embed (at a word, marked by an ellipsis)."""
    if not texts:
        return None
    taken = texts[:1]
    if len(texts[0]) < SHORT and len(texts) > 1:
        taken.append(texts[1])
    if before:
        taken.reverse()
    text = "\n\n".join(taken)
    if len(text) <= MAX_CONTEXT:
        return text
    room = MAX_CONTEXT - 1  # for the ellipsis
    if before:
        cut = text[-room:]
        space = cut.find(" ")
        return "…" + (cut[space + 1 :] if 0 <= space < _WORD else cut)
    cut = text[:room]
    space = cut.rfind(" ")
    return (cut[:space] if space > room - _WORD else cut) + "…"
