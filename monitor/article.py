"""What is known of the article that embeds the posts: URL, outlet, title, time, language.

Read from the page's own metadata (link and meta tags, JSON-LD), from the tree the embed
extractors use, so the page is parsed once, and from the elements
:func:`monitor.page.find_elements` picked out of it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from .models import Article, Document
from .page import Page, find_elements, within
from .timestamps import normalise_time

# Meta tags that carry the publication time, best first.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_FRONT_MATTER_FIELD = re.compile(r"^(title|date|published|pubDate|lang)\s*:\s*(.+?)\s*$", re.M)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


@lru_cache(maxsize=1)
def _public_suffixes():
    import tldextract

    # The public suffix list that ships with tldextract: never fetched, never cached to disk.
    # Private suffixes count, so that user.github.io and x.blogspot.com are outlets of their own.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def outlet_of(url: str | None) -> str | None:
    """The registered domain of ``url`` (``https://www.example-news.co.uk/x`` ->
    ``example-news.co.uk``); ``None`` for a missing or host-less URL."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return _registered_domain(host)


@lru_cache(maxsize=16_384)
def _registered_domain(host: str) -> str:
    # An archive holds few outlets and many pages of each: each host is looked up once.
    parts = _public_suffixes()(host)
    return parts.top_domain_under_public_suffix or host


def from_html(document: Document, tree: LexborHTMLParser, page: Page | None = None) -> Article:
    """The article described by an HTML page's metadata (``document`` supplies the
    provenance, and metadata given by the archive itself, which wins).

    :param page: the page's elements as :func:`monitor.page.find_elements` found them in ``tree``,
        when the caller has them already
    """
    page = page or find_elements(tree)
    meta = _meta_tags(page)
    ld = _json_ld(page)
    url = _article_url(document.url, page, meta)
    title = document.title or meta.get("og:title") or ld.get("headline") or _title_tag(page)
    published = (
        document.published_at
        or _first_time([meta.get(name) for name in _PUBLISHED_META] + [ld.get("datePublished")])
        or _first_time([_time_tag(page)])
        or _date_from_page(document.text, url)
    )
    lang = document.lang or _language(page, meta)
    return Article(
        source_path=document.source_path,
        locator=document.locator,
        url=url,
        outlet=outlet_of(url),
        title=_clean(title),
        published_at=published,
        lang=lang,
        fetched_at=document.fetched_at,
    )


def from_text(document: Document) -> Article:
    """The article behind a plain-text or Markdown document: its title and date from YAML
    front matter or a first ``# heading`` where present."""
    fields: dict[str, str] = {}
    head = document.text[:4096]
    front = _FRONT_MATTER.match(head)
    if front:
        for key, value in _FRONT_MATTER_FIELD.findall(front.group(1)):
            fields.setdefault(key.lower(), value.strip("'\""))
    elif document.media_type == "text/markdown":
        heading = _HEADING.search(head)
        if heading:
            fields["title"] = heading.group(1)
    published = fields.get("date") or fields.get("published") or fields.get("pubdate")
    return Article(
        source_path=document.source_path,
        locator=document.locator,
        url=document.url,
        outlet=outlet_of(document.url),
        title=_clean(document.title or fields.get("title")),
        published_at=document.published_at or normalise_time(published),
        lang=document.lang or _primary_language(fields.get("lang")),
        fetched_at=document.fetched_at,
    )


def _date_from_page(html: str, url: str | None) -> str | None:
    """The publication date htmldate finds in the page's text, URL and markup: the fallback
    for pages without date metadata (about one in six news pages), as a date only."""
    import htmldate  # imported here: most pages never need it

    if url and "html" in html[:50].lower():
        # htmldate takes a date in the URL (/2024/11/17/) before anything in the page, and
        # never fails to parse a page that names html at its start: the same answer, without
        # parsing the page a second time.
        dated = _url_date(url)
        if dated:
            return dated
    try:
        found = htmldate.find_date(
            html, url=url, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
        )
    except ValueError:  # htmldate refuses some documents it cannot parse
        return None
    return found or None


def _url_date(url: str) -> str | None:
    from htmldate.extractors import extract_url_date
    from htmldate.utils import Extractor
    from htmldate.validators import get_max_date, get_min_date

    # The options htmldate.find_date builds for the call in _date_from_page.
    options = Extractor(False, get_max_date(None), get_min_date(None), True, "%Y-%m-%d")
    return extract_url_date(url, options)


def _meta_tags(page: Page) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in page.meta:
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content:
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _json_ld(page: Page) -> dict[str, str]:
    """``headline`` and ``datePublished`` of the first article-like JSON-LD object."""
    for node in page.json_ld:
        try:
            data = json.loads(node.text() or "")
        except ValueError:
            continue  # sites ship broken JSON-LD often enough; it is only a hint
        for item in _ld_items(data):
            if isinstance(item, dict) and (item.get("datePublished") or item.get("headline")):
                return {
                    key: value
                    for key in ("headline", "datePublished")
                    if isinstance(value := item.get(key), str)
                }
    return {}


def _ld_items(data: object):
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _ld_items(graph)


def _article_url(fetched: str | None, page: Page, meta: dict[str, str]) -> str | None:
    canonical = page.canonical
    for candidate in (canonical.attributes.get("href") if canonical else None, meta.get("og:url")):
        if candidate and _is_absolute_http(candidate.strip()):
            candidate = candidate.strip()
            # Some sites point every page's canonical link at their home page: that would
            # fold all their articles into one.
            if (
                fetched
                and urlsplit(candidate).path in ("", "/")
                and urlsplit(fetched).path
                not in (
                    "",
                    "/",
                )
            ):
                continue
            return candidate
    return fetched


def _is_absolute_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _title_tag(page: Page) -> str | None:
    node = page.head_title or page.title
    return node.text() if node else None


def _time_tag(page: Page) -> str | None:
    """The ``datetime`` of the first ``<time pubdate>``, else of the first ``<time>`` in an
    ``<article>``."""
    node = next((time for time in page.times if "pubdate" in time.attributes), None)
    if node is None:
        node = next((time for time in page.times if within(time, "article")), None)
    return node.attributes.get("datetime") if node else None


def _language(page: Page, meta: dict[str, str]) -> str | None:
    html = page.html
    declared = html.attributes.get("lang") if html else None
    return _primary_language(
        declared or meta.get("content-language") or meta.get("og:locale") or None
    )


def _primary_language(tag: str | None) -> str | None:
    """``en-US`` / ``en_GB`` -> ``en``."""
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _first_time(candidates: list[str | None]) -> str | None:
    for value in candidates:
        normalised = normalise_time(value)
        if normalised:
            return normalised
    return None


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    cleaned = " ".join(text.split())
    return cleaned or None
