"""Embed code hidden in a page's scripts and attribute values, where the live DOM never has it.

Content-management systems keep the article body in their page state as well as (or instead
of) in the rendered HTML: Arc/Fusion pages carry each embed's oEmbed response as JSON inside a
``<script>`` (``"html":"<blockquote class=\\"twitter-tweet\\">…"``), and some sites put JSON in
a ``data-`` attribute, so that the embed code is escaped twice (``&lt;blockquote
class=\\&quot;twitter-tweet\\&quot;&gt;``). Such code is found by its tags (``blockquote`` and
``iframe``, the elements every platform's embed code uses), unwrapped layer by layer, and each
piece of embed HTML is parsed once, so that every platform extractor can read it as it reads
the live page:

* inside a double-quoted JSON or JavaScript string literal, the literal is located and decoded
  with :func:`json.loads` (JavaScript's ``\\xHH`` and ``\\'`` escapes are rewritten to their
  JSON forms first);
* entity-escaped markup (``&lt;blockquote``, ``&amp;lt;blockquote``) is decoded with
  :func:`html.unescape`;
* what is left, markup that sits in a text as is, is parsed as HTML.

A decoded layer may hold another escaped layer (JSON inside a JSON string); up to
``_MAX_LAYERS`` are unwrapped. Tag names are matched in lower case, as embed code is written.

Most pages hide nothing, and for them the cost is a scan of the raw text for the two tag names
(:func:`may_hide_embeds`); scripts and attributes are walked only when that finds a tag that
stands escaped or inside quotes.

Embed code can also be *held back*: consent managers and privacy plugins keep the original
embed inert until the reader agrees, in a ``<textarea>``, a ``<template>`` or a script of a
type no browser runs (``text/plain``, ``text/template``; Borlabs Cookie writes it there in
base64). :func:`held_fragments` reads those elements (listed with the page's others, see
:func:`monitor.page.find_elements`) and unwraps what they hold the same way.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..page import Page, parse_html

# The elements that embed code is made of: every platform's embed code has a blockquote or an
# iframe (YouTube's is an iframe, Facebook's div.fb-post usually holds a blockquote fallback).
# A div.fb-post without one, or an amp-* element, hidden in a script is not found.
_TAGS = ("blockquote", "iframe")
# How far back an opener ("<", "&amp;amp;lt;", "\\u003c", ...) may start before the tag name.
_LOOKBEHIND = 12
# How far a tag's attributes are searched for escaped quotes; embed tags are much shorter.
_TAG_SPAN = 2000
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
# Escaped forms of "<", longest first: "&amp;lt;" is "&lt;" escaped once more.
_ENTITY_OPENERS = ("&amp;amp;lt;", "&amp;lt;", "&lt;", "&#60;", "&#x3c;", "&#x3C;")
_ESCAPE_OPENERS = ("\\u003c", "\\u003C", "\\x3c", "\\x3C")
_ENTITY_QUOTES = ("&quot;", "&#34;", "&#x22;")
# Real pages escape embed code at most three times (attribute, JSON, entities); deeper
# nesting is not embed code worth the work.
_MAX_LAYERS = 5

# A double-quoted JSON/JavaScript string literal starting where the match starts. Possessive,
# so that a quote that turns out not to open a literal costs one linear pass, not backtracking;
# a raw line break ends the search, as neither language allows one inside such a literal.
_STRING_LITERAL = re.compile(r'"(?:[^"\\\n]++|\\.)*+"')
# Escape sequences, taken pairwise from the left, so that in the source text "\\x41" the
# first two characters are one escaped backslash and "x41" stays plain text.
_ESCAPE_SEQUENCE = re.compile(r"\\(x[0-9A-Fa-f]{2}|.)", re.DOTALL)
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")


Fragment = tuple[LexborNode, LexborHTMLParser]
"""A piece of embed HTML found in a page, parsed, with the page's element that holds it."""


class _Kind(Enum):
    """How the embed markup at one spot of a text is written."""

    MARKUP = "markup"  # as is: the text there is HTML
    STRING = "string"  # escaped inside a double-quoted JSON/JavaScript string literal
    ENTITIES = "entities"  # HTML-escaped, possibly more than once


@dataclass(frozen=True, slots=True)
class _Tag:
    """An opening blockquote or iframe tag found in a text."""

    start: int  # where its opener ("<", "&lt;", "\\u003c", ...) starts
    kind: _Kind
    quoted: bool  # markup written straight into a JavaScript string or an attribute value
    double_quotes: bool = False  # its attributes hold a bare '"', so no "..." literal holds it


def may_hide_embeds(raw: str) -> bool:
    """Whether the page source ``raw`` may hide embed code in a script or an attribute value.

    True when a ``blockquote`` or ``iframe`` tag in it is escaped (``&lt;``, ``\\u003c``, an
    escaped quote in its attributes) or written inside quotes; false for pages whose embeds,
    if any, are all live markup, which is most pages.

    :param raw: the page's HTML source
    """
    # The loop of _find_tags, without its generators: this runs on every page.
    for name in _TAGS:
        at = raw.find(name)
        while at != -1:
            end = at + len(name)
            following = raw[end : end + 1]
            if following and following not in _NAME_CHARS:
                tag = _classify(raw, at, end)
                if tag is not None and (tag.kind is not _Kind.MARKUP or tag.quoted):
                    return True
            at = raw.find(name, end)
    return False


def hidden_fragments(
    tree: LexborHTMLParser, raw: str | None = None, *, may_hide: bool | None = None
) -> list[Fragment]:
    """The pieces of embed HTML hidden in the scripts and attribute values of a parsed page,
    unescaped and each parsed once, in page order, each with the element that holds it (its
    first, when several hold the same piece).

    :param tree: the page, already parsed
    :param raw: the page's source; when given and :func:`may_hide_embeds` finds nothing in it,
        the tree is not walked at all
    :param may_hide: what :func:`may_hide_embeds` said of ``raw``, when the caller has asked
    """
    if may_hide is None:
        may_hide = raw is None or may_hide_embeds(raw)
    if not may_hide:
        return []
    root = tree.root
    if root is None:
        return []
    sources: dict[str, LexborNode] = {}  # a dict keeps page order and drops repeats
    for node in root.traverse():
        if node.tag == "script":
            # Lexbor keeps script content as raw text, whatever the script's type.
            _add(sources, _unwrap(node.text(deep=True), code=True), node)
        for value in node.attributes.values():
            # Attribute values arrive with one layer of entities already decoded. Tested
            # here rather than in _unwrap: a page has thousands of values, nearly all short.
            if value and ("blockquote" in value or "iframe" in value):
                _add(sources, _unwrap(value, code=_is_json(value)), node)
    return [(holder, parse_html(source)) for source, holder in sources.items()]


def held_fragments(page: Page) -> list[Fragment]:
    """The pieces of embed HTML that the page's held-back elements (``page.held``) keep,
    decoded (entities, JSON strings, base64) and each parsed once, in page order, each with
    the element that holds it.

    A template's placeholders (``{{ id }}``, ``${id}``) are no post ids: the posts read from
    these pieces count only with a real platform id, as those of :func:`hidden_fragments`.
    """
    sources: dict[str, LexborNode] = {}
    for node in page.held:
        if node.tag == "template":
            # Lexbor keeps a template's content apart from the tree; its markup has it whole.
            markup = node.html or ""
            text = markup[markup.find(">") + 1 : markup.rfind("<")]
        else:
            # A textarea's text has its entities decoded; a script's is as written.
            text = node.text(deep=True)
        if "<" not in text and "&lt;" not in text:  # no markup as it is: base64, or none
            text = _base64_markup(text) or ""
        _add(sources, _unwrap(text, code=node.tag == "script"), node)
    return [(holder, parse_html(source)) for source, holder in sources.items()]


def _add(sources: dict[str, LexborNode], found: list[str], holder: LexborNode) -> None:
    """Add the pieces ``found`` in ``holder`` to ``sources``, but those already there."""
    for source in found:
        sources.setdefault(source, holder)


def _base64_markup(text: str) -> str | None:
    """The markup that ``text`` holds in base64, or ``None`` when it holds none."""
    packed = "".join(text.split())
    if len(packed) < 16 or len(packed) % 4 or not _BASE64.fullmatch(packed):
        return None
    try:
        decoded = base64.b64decode(packed, validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded if "<" in decoded else None


def _unwrap(text: str, layer: int = 0, *, code: bool = False) -> list[str]:
    """The HTML fragments that hold the embed tags of ``text``, escaping peeled off.

    :param code: ``text`` is a script's source or JSON, where markup is usually inside a
        string literal even when nothing in it is escaped (``"<blockquote>"``, ``"<iframe
        src='…'>"``); a script whose markup is in no double-quoted literal (a template
        script, a single-quoted JavaScript string) is parsed as HTML whole.
    """
    if layer > _MAX_LAYERS or not any(name in text for name in _TAGS):
        return []
    fragments: list[str] = []
    done_until = 0  # the end of the last string literal decoded; tags before it are handled
    is_markup = False
    for tag in _find_tags(text):
        if tag.start < done_until:
            continue
        literal = None
        if tag.kind is not _Kind.MARKUP or (code and not tag.double_quotes):
            literal = _string_literal_around(text, tag.start)
        if literal is None and tag.kind is _Kind.MARKUP:
            # The text itself is HTML (a decoded oEmbed "html" value, a template script):
            # parsing it once reads every tag in it, this one included.
            if not is_markup:
                fragments.append(text)
                is_markup = True
            continue
        if literal is not None:
            end, value = literal
            done_until = end
            fragments.extend(_unwrap(value, layer + 1, code=_is_json(value)))
        elif tag.kind is _Kind.ENTITIES:
            # Entities outside any string literal: the whole text is one HTML-escaped layer
            # (JSON that was then HTML-escaped cannot be JSON-decoded before it is unescaped).
            unescaped = html.unescape(text)
            if unescaped != text:
                fragments.extend(_unwrap(unescaped, layer + 1, code=_is_json(unescaped)))
            break
    return fragments


def _find_tags(text: str, *, ordered: bool = True) -> Iterator[_Tag]:
    """Every opening blockquote or iframe tag in ``text``, however it is written.

    The tag names are searched as plain substrings (several times faster than a regular
    expression over a whole page); names that are not preceded by a tag opener (CSS
    selectors, script code, prose) and longer names (``iframe-wrapper``) are skipped.

    :param ordered: yield the tags in text order; otherwise as they are found, lazily
    """
    found = (tag for name in _TAGS for tag in _tags_named(text, name))
    yield from sorted(found, key=lambda tag: tag.start) if ordered else found


def _tags_named(text: str, name: str) -> Iterator[_Tag]:
    at = text.find(name)
    while at != -1:
        end = at + len(name)
        following = text[end : end + 1]
        if following and following not in _NAME_CHARS:
            tag = _classify(text, at, end)
            if tag is not None:
                yield tag
        at = text.find(name, end)


def _classify(text: str, name_start: int, name_end: int) -> _Tag | None:
    """The tag whose name spans ``name_start:name_end``; ``None`` when no tag opener
    precedes the name."""
    previous = text[name_start - 1] if name_start else ""
    if previous != "<":
        # Entity openers end in ";", escape openers in "c" or "C": only those are tried.
        if previous != ";" and previous not in ("c", "C"):
            return None
        before = text[max(0, name_start - _LOOKBEHIND) : name_start]
        for openers, kind in ((_ENTITY_OPENERS, _Kind.ENTITIES), (_ESCAPE_OPENERS, _Kind.STRING)):
            for opener in openers:
                if before.endswith(opener):
                    return _Tag(name_start - len(opener), kind, quoted=False)
        return None
    start = name_start - 1
    close = text.find(">", name_end, name_end + _TAG_SPAN)
    attributes = text[name_end : close if close != -1 else name_end + _TAG_SPAN]
    quote_before = text[start - 1] if start > 0 else ""
    if "\\" in attributes or (quote_before == '"' and not _is_escaped(text, start - 1)):
        return _Tag(start, _Kind.STRING, quoted=True)
    quoted = quote_before in ("'", "`") or any(q in attributes for q in _ENTITY_QUOTES)
    return _Tag(start, _Kind.MARKUP, quoted=quoted, double_quotes='"' in attributes)


def _string_literal_around(text: str, position: int) -> tuple[int, str] | None:
    """The end and decoded value of the double-quoted string literal of ``text`` that holds
    ``position``; ``None`` when there is none or it does not decode.

    The literal opens at the nearest unescaped quote before ``position``: markup inside a
    string has all its own quotes escaped.
    """
    quote = position
    while True:
        quote = text.rfind('"', 0, quote)
        if quote == -1:
            return None
        if not _is_escaped(text, quote):
            break
    match = _STRING_LITERAL.match(text, quote)
    if match is None or match.end() <= position:
        return None
    literal = match.group()
    if "\\x" in literal or "\\'" in literal:
        literal = _ESCAPE_SEQUENCE.sub(_as_json_escape, literal)
    try:
        # strict=False: JavaScript allows raw tabs inside string literals, JSON does not.
        value = json.loads(literal, strict=False)
    except ValueError:
        return None
    return match.end(), value


def _as_json_escape(sequence: re.Match[str]) -> str:
    """JavaScript's ``\\xHH`` and ``\\'`` escapes in their JSON forms; others unchanged."""
    escaped = sequence[1]
    if escaped[0] == "x" and len(escaped) == 3:
        return "\\u00" + escaped[1:]
    if escaped == "'":
        return "'"
    return sequence[0]


def _is_json(text: str) -> bool:
    """Whether ``text`` looks like a JSON object or array (JSON in an attribute, a JSON
    string that held JSON) rather than HTML."""
    return text.lstrip().startswith(("{", "["))


def _is_escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd number of backslashes."""
    backslashes = 0
    while index - backslashes > 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
