"""Page states: a script's text (a CMS's JSON state) or an attribute's value that holds an
article as pieces, and the embed code of its posts among them. For a post only a state
holds, its words are the state's pieces of prose around it; failing those, it stands among
the live page's paragraphs where the state holds their words (see
:mod:`monitor.embeds.context`).
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_left

from selectolax.lexbor import LexborNode

from .prose import PROMOTION, PROSE, ArticleText, Paragraph

# A run of a paragraph's words as a page state keeps them whatever its escaping (no quotes,
# no ampersands, no markup), and the shortest run worth looking for.
_PLAIN = re.compile(r"[^\W_][\w ,.]*")
_PROBE = 16

# A page state's string values: JSON's double-quoted literals, and where they hold embed
# code, and markup; the fewest spaces in a value of prose.
_STRING_VALUE = re.compile(r'"(?:[^"\\\n]++|\\.)*+"')
_EMBED_CODE = re.compile(r"</?(?:blockquote|iframe)\b|twitter-tweet|instagram-media|tiktok-embed")
_CLOSING = re.compile(r"</(?:blockquote|iframe)>")
_TAG = re.compile(r"<[^>]*>")
_WORDS = 5


class PageState:
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

    def words(self, post_id: str) -> ArticleText | None:
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
                if not PROMOTION.match(value):
                    self._words.append(value)
                self._counted.append(len(self._words))
        words, counted = self._words, self._counted
        # As ArticleText([...]) of the values before and after the embed's own would make it
        # (each value is one paragraph of prose already), without going over them again for
        # every post: a live blog's state holds hundreds of posts.
        return ArticleText.of_prose(
            words[: counted[ahead]] + words[counted[behind] :], before=counted[ahead]
        )

    def place(self, at: int, paragraphs: list[Paragraph]) -> int | None:
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


def state_of(holder: LexborNode, post_id: str) -> PageState:
    """The page state that ``holder`` (a script, or an element's attribute) keeps the post
    ``post_id`` in."""
    state = holder.text(deep=True) if holder.tag == "script" else ""
    if post_id not in state:
        state = next((v for v in holder.attributes.values() if v and post_id in v), "")
    return PageState(state)


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
