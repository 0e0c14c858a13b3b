"""An article's words as paragraphs, and where an embed stands among them: placement, the
share of the prose before it, and the paragraphs around it as its context (see
:mod:`monitor.embeds.context`, which finds the paragraphs in a page, a page state or a
text).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

from selectolax.lexbor import LexborNode

from ..models import Embedding

MAX_CONTEXT = 500
"""The most characters of context kept on each side of an embed: the nearest paragraph
nearly always fits; a longer one is cut at a word, away from the embed."""

PROSE = 40
"""The fewest characters of a paragraph of prose: shorter paragraphs ("Watch:", bylines,
"Advertisement") are context but are not counted in placing an embed."""

SHORT = 80
"""A context paragraph shorter than this is joined by the paragraph beyond it."""

# How far a cut may move to fall between words.
_WORD = 40

# Lines that send the reader elsewhere rather than say anything: not the article's words.
PROMOTION = re.compile(
    r"(?:see also|read more|related|also read|more on this|recommended|advertisement"
    r"|sponsored)\b\s*(?::|$)",
    re.IGNORECASE,
)

_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


class Paragraph:
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


class ArticleText:
    """The body's paragraphs of one article, with running counts for placing embeds."""

    def __init__(self, paragraphs: list[Paragraph]) -> None:
        self.indices: list[int] = []  # each body paragraph's index among all paragraphs
        self.texts: list[str] = []
        self.prose = [0]  # how many prose paragraphs the first i body paragraphs hold
        self.chars = [0]  # and how many characters of prose
        self.before = 0  # for an article made of a page state's pieces: those before a post
        for index, paragraph in enumerate(paragraphs):
            if not paragraph.body:
                continue
            paragraph.text = " ".join(paragraph.text.split())
            if not paragraph.text or PROMOTION.match(paragraph.text):
                continue
            self.indices.append(index)
            self.texts.append(paragraph.text)
            prose = paragraph.prose
            self.prose.append(self.prose[-1] + prose)
            self.chars.append(self.chars[-1] + (len(paragraph.text) if prose else 0))

    @classmethod
    def of_prose(cls, texts: list[str], before: int) -> ArticleText:
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
