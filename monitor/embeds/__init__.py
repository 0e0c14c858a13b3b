"""Finding embedded posts: one HTML parse per page, then every platform's extractor on it.

Embeds are read from the raw page, never after boilerplate removal: main-content extractors
drop half of them. Plain-text and Markdown articles are read by ``text``; Markdown that holds
raw embed HTML (common in static-site blogs) is read both ways.
"""

from __future__ import annotations

from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser

from .. import article as articles
from ..models import HTML, Document, Extraction, Post
from . import text, twitter  # noqa: F401 - platform modules register themselves on import
from .registry import registered

# Markup that only an HTML embed has; text without it needs no DOM.
_HTML_EMBED_MARKERS = ("<blockquote", "<iframe", "<amp-", "<figure", '<div class="fb-')


def extract(document: Document) -> Extraction:
    """The article a document holds and every post it embeds, in page order, each once."""
    if document.media_type == HTML:
        tree = LexborHTMLParser(document.text)
        posts = find_html_posts(tree, document.text)
        return Extraction(articles.from_html(document, tree), _unique(posts))
    found = text.find_posts(document.text)
    if any(marker in document.text for marker in _HTML_EMBED_MARKERS):
        in_html = find_html_posts(LexborHTMLParser(document.text), document.text)
        found = in_html + _not_in(found, in_html)
    return Extraction(articles.from_text(document), _unique(found))


def find_html_posts(tree: LexborHTMLParser, raw: str | None = None) -> list[Post]:
    """Posts of every platform in a parsed page, in page order within each platform.

    :param raw: the page's source; when given, platforms whose markers it lacks are skipped.
    """
    return [
        post
        for platform in registered()
        if raw is None or platform.may_occur_in(raw)
        for post in platform.find_posts(tree)
    ]


def _not_in(text_posts: list[Post], html_posts: list[Post]) -> list[Post]:
    """Plain-text sightings of posts that the HTML embeds already gave (the attribution
    line of an embed is also readable as text)."""
    seen = {(p.platform, (p.author_handle or "").casefold()) for p in html_posts}
    return [p for p in text_posts if (p.platform, (p.author_handle or "").casefold()) not in seen]


def _unique(posts: Iterable[Post]) -> tuple[Post, ...]:
    """One post per id; a later sighting with text replaces an earlier one without."""
    chosen: dict[str, Post] = {}
    for post in posts:
        earlier = chosen.get(post.id)
        if earlier is None or (earlier.text is None and post.text is not None):
            chosen[post.id] = post
    return tuple(chosen.values())
