"""Finding embedded posts: one HTML parse per page, then every platform's extractor on it.

Embeds are read from the raw page, never after boilerplate removal: main-content extractors
drop half of them. Embed code that a page keeps only in its scripts or attribute values (a
CMS's JSON state, escaped HTML) is unwrapped by ``hidden`` and read by the same extractors.
Plain-text and Markdown articles are read by ``text``; Markdown that holds raw embed HTML
(common in static-site blogs) is read both ways.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from .. import article as articles
from ..models import HTML, Document, Extraction, Post
from ..page import Page, find_elements, parse_html
from . import (  # noqa: F401 - platform modules register themselves on import
    bluesky,
    facebook,
    instagram,
    mastodon,
    reddit,
    text,
    threads,
    tiktok,
    twitter,
    youtube,
)
from .dedupe import one_per_id
from .hidden import held_fragments, hidden_fragments
from .placeholders import mark_placeholders
from .registry import registered


def extract(document: Document) -> Extraction:
    """The article a document holds and every post it embeds, in page order, each once."""
    if document.media_type == HTML:
        tree = parse_html(document.utf8 if document.utf8 is not None else document.text)
        page = find_elements(tree)
        posts = find_html_posts(tree, document.text, page=page)
        return Extraction(articles.from_html(document, tree, page), tuple(one_per_id(posts)))
    found = text.find_posts(document.text)
    if _may_hold_embed_markup(document.text):
        in_html = find_html_posts(parse_html(document.text), document.text)
        found = in_html + _not_in(found, in_html)
    return Extraction(articles.from_text(document), tuple(one_per_id(found)))


def find_html_posts(
    tree: LexborHTMLParser, raw: str | None = None, *, page: Page | None = None
) -> list[Post]:
    """Posts of every platform in a parsed page, each once: those of the live DOM (the
    placeholders that a site's script turns into embeds included; see ``placeholders``), in
    page order within each platform, then those whose embed code is hidden in the page's
    scripts and attribute values (a CMS's JSON state, escaped HTML; see ``hidden``) or held
    back by a consent manager.

    A post seen both live and hidden is the live one, which is what readers saw, unless only
    the hidden copy has text. A hidden post counts only with its platform id: embed markup
    in a script without one is a template, not a post.

    :param raw: the page's source; when given, only the platforms whose markers the page's
        candidate elements carry are searched, and scripts and attributes only if the source
        holds escaped embed tags.
    :param page: ``tree``'s elements as :func:`monitor.page.find_elements` found them, when
        the caller has them already
    """
    page = page or find_elements(tree)
    mark_placeholders(page)
    posts = _platform_posts(tree, raw, page)
    fragments = hidden_fragments(tree, raw) + held_fragments(page)
    hidden = [post for fragment in fragments for post in _platform_posts(fragment) if post.post_id]
    return one_per_id(posts + hidden) if hidden else posts


def _may_hold_embed_markup(text: str) -> bool:
    """Whether text (Markdown, say) may hold raw embed HTML: a tag and a platform marker."""
    return "<" in text and any(platform.may_occur_in(text) for platform in registered())


def _platform_posts(
    tree: LexborHTMLParser, raw: str | None = None, page: Page | None = None
) -> list[Post]:
    if raw is None:
        platforms = registered()
    else:
        # The elements an embed can be read from are picked out of the tree; only the
        # platforms whose markers those elements carry are searched (most pages: none).
        signatures = (page or find_elements(tree)).signatures
        # One text to look for each marker in: every signature starts with a tag name, so no
        # marker can run across the line break between two.
        joined = "\n".join(signatures)
        platforms = tuple(platform for platform in registered() if platform.may_occur_in(joined))
    marked = page.placeholders if page is not None else set()
    return [
        post
        for platform in platforms
        for post in (
            platform.find_posts(tree, placeholders=True)
            if platform.name in marked
            else platform.find_posts(tree)
        )
    ]


def _not_in(text_posts: list[Post], html_posts: list[Post]) -> list[Post]:
    """Plain-text sightings of posts that the HTML embeds already gave (the attribution
    line of an embed is also readable as text)."""
    seen = {(p.platform, (p.author_handle or "").casefold()) for p in html_posts}
    return [p for p in text_posts if (p.platform, (p.author_handle or "").casefold()) not in seen]
