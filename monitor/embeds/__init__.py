"""Finding embedded posts: one HTML parse per page, then every platform's extractor on it.

Embeds are read from the raw page, never after boilerplate removal: main-content extractors
drop half of them. Embed code that a page keeps only in its scripts or attribute values (a
CMS's JSON state, escaped HTML) is unwrapped by ``hidden`` and read by the same extractors.
Plain-text and Markdown articles are read by ``text``; Markdown that holds raw embed HTML
(common in static-site blogs) is read both ways.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .. import article as articles
from ..models import HTML, Document, Extraction, Post
from ..page import Page, find_elements, parse_html
from ..timestamps import dates_in
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
from .context import place_in_html, place_in_lines
from .dedupe import Place, Sighting, one_per_id_at, posts_of
from .dom import PLACEHOLDER_PLATFORM
from .hidden import held_fragments, hidden_fragments
from .placeholders import mark_placeholders
from .registry import registered

# Elements that show a post in a frame of its own: iframes, and the elements that a
# platform's script replaces with one.
_FRAMES = frozenset({"iframe", "embed", "object", "twitter-widget"})


def extract(document: Document) -> Extraction:
    """The article a document holds and every post it embeds, in page order, each once, with
    how and where it embeds each."""
    if document.media_type == HTML:
        tree = parse_html(document.utf8 if document.utf8 is not None else document.text)
        page = find_elements(tree)
        article = articles.from_html(document, tree, page)
        with dates_in(article.lang):  # the page's, for the dates its embeds show in words
            found = find_html_embeds(tree, document.text, page=page)
        if not found:
            return Extraction(article)
        embeddings = place_in_html(
            tree, [(node, method, post.post_id) for post, (node, method) in found]
        )
        return Extraction(article, tuple(posts_of(found)), tuple(embeddings))
    return _text_extraction(document)


def find_html_posts(
    tree: LexborHTMLParser, raw: str | None = None, *, page: Page | None = None
) -> list[Post]:
    """The posts of :func:`find_html_embeds`."""
    return posts_of(find_html_embeds(tree, raw, page=page))


def find_html_embeds(
    tree: LexborHTMLParser,
    raw: str | None = None,
    *,
    page: Page | None = None,
    may_hide: bool | None = None,
) -> list[tuple[Post, tuple[LexborNode, str]]]:
    """Posts of every platform in a parsed page, each once, with the element each was read
    from and how the page embeds it (see :data:`monitor.models.METHODS`): those of the live
    DOM (the placeholders that a site's script turns into embeds included; see
    ``placeholders``), in page order within each platform, then those whose embed code is
    hidden in the page's scripts and attribute values (a CMS's JSON state, escaped HTML; see
    ``hidden``) or held back by a consent manager, at the element that holds the code.

    A post seen both live and hidden is the live one, which is what readers saw, unless only
    the hidden copy has text (its place stays the live one's). A hidden post counts only
    with its platform id: embed markup in a script without one is a template, not a post.

    :param raw: the page's source; when given, only the platforms whose markers the page's
        candidate elements carry are searched, and scripts and attributes only if the source
        holds escaped embed tags.
    :param page: ``tree``'s elements as :func:`monitor.page.find_elements` found them, when
        the caller has them already
    :param may_hide: what :func:`monitor.embeds.hidden.may_hide_embeds` said of ``raw``,
        when the caller has asked
    """
    page = page or find_elements(tree)
    mark_placeholders(page)
    found = [(post, (node, method_of(node))) for post, node in _platform_posts(tree, raw, page)]
    hidden = [
        (post, (holder, method))
        for fragments, method in (
            (hidden_fragments(tree, raw, may_hide=may_hide), "script"),
            (held_fragments(page), "placeholder"),
        )
        for holder, fragment in fragments
        for post, _ in _platform_posts(fragment)
        if post.post_id
    ]
    return one_per_id_at(found + hidden) if hidden else found


def method_of(node: LexborNode) -> str:
    """How a live element embeds the post read from it (see :data:`monitor.models.METHODS`):
    a placeholder's mark decides; then the element's tag, or what it holds (a Facebook
    ``div.fb-post`` holds its blockquote); an element that holds neither (an id-only div, a
    figure with the post's address) is a placeholder for a site's script."""
    if PLACEHOLDER_PLATFORM in node.attributes:
        return "placeholder"
    tag = node.tag or ""
    if tag == "blockquote":
        return "blockquote"
    if tag in _FRAMES or tag.startswith("amp-"):
        return "iframe"
    if node.css_first("blockquote") is not None:
        return "blockquote"
    if node.css_first("iframe") is not None:
        return "iframe"
    return "placeholder"


def _text_extraction(document: Document) -> Extraction:
    """A plain-text or Markdown document's extraction: the tweets its attribution lines show,
    and the posts of the embed HTML it holds (Markdown often does), placed by their lines."""
    raw = document.text
    article = articles.from_text(document)
    attributed = "(@" in raw or "(&#" in raw
    markup = _may_hold_embed_markup(raw)
    if not attributed and not markup:
        return Extraction(article)
    lines = text.readable_lines(raw)
    with dates_in(article.lang):
        found: list[tuple[Post, tuple[tuple[int, int], str]]] = [
            (post, (span, "text")) for post, span in (text.find_embeds(lines) if attributed else ())
        ]
        if markup:
            joined = "\n".join(lines)
            in_html = [
                (post, (_lines_of(node, joined), method))
                for post, (node, method) in find_html_embeds(parse_html(raw), raw)
            ]
            found = in_html + _not_in(found, in_html)
    found = one_per_id_at(found)
    if not found:
        return Extraction(article)
    embeddings = place_in_lines(lines, [place for _, place in found])
    return Extraction(article, tuple(posts_of(found)), tuple(embeddings))


def _lines_of(node: LexborNode, text: str) -> tuple[int, int]:
    """The first and last line of ``text`` (a Markdown article's, as its lines were read)
    that the embed element ``node`` (parsed from it) takes: where the value of its most
    telling attribute stands, to the element's end tag."""
    values = sorted(
        (value for value in node.attributes.values() if value and len(value) > 8),
        key=lambda value: ("/" not in value, -len(value)),
    )
    for value in values:
        at = text.find(value)
        if at != -1:
            break
    else:
        return 0, 0
    start = text.rfind("<", 0, at)
    start = at if start == -1 else start
    end = text.find(f"</{node.tag}", at)
    end = at if end == -1 else end
    return text.count("\n", 0, start), text.count("\n", 0, end)


def _may_hold_embed_markup(text: str) -> bool:
    """Whether text (Markdown, say) may hold raw embed HTML: a tag and a platform marker."""
    return "<" in text and any(platform.may_occur_in(text) for platform in registered())


def _platform_posts(
    tree: LexborHTMLParser, raw: str | None = None, page: Page | None = None
) -> list[Sighting]:
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
        sighting
        for platform in platforms
        for sighting in (
            platform.find_embeds(tree, placeholders=True)
            if platform.name in marked
            else platform.find_embeds(tree)
        )
    ]


def _not_in(
    text_posts: list[tuple[Post, Place]], html_posts: list[tuple[Post, Place]]
) -> list[tuple[Post, Place]]:
    """Plain-text sightings of posts that the HTML embeds already gave (the attribution
    line of an embed is also readable as text)."""
    seen = {(p.platform, (p.author_handle or "").casefold()) for p, _ in html_posts}
    return [
        (p, place)
        for p, place in text_posts
        if (p.platform, (p.author_handle or "").casefold()) not in seen
    ]
