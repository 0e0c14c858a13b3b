"""Datasets of articles, one a row (Parquet, CSV): which column holds what.

Common datasets of news name their columns alike (Common Crawl derivatives, news-please,
Hugging Face datasets, Media Cloud exports); the names below are recognised without being
told, case aside. ``--columns url=link,html=body`` (:func:`parse_columns`) names others;
what it names wins. A row is an HTML page when its ``html`` value holds markup, else an
article's text (its ``text`` value, or an ``html`` value without markup).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..models import HTML, PLAIN, Document
from ..timestamps import normalise_time

FIELDS = ("url", "html", "text", "title", "date", "language")
"""What a row can say of its article."""

KNOWN: Mapping[str, tuple[str, ...]] = {
    "url": ("url", "link", "article_url", "source_url", "uri"),
    "html": ("html", "raw_html", "content", "page_html"),
    "text": ("text", "maintext", "article_text", "full_text"),
    "title": ("title", "headline"),
    "date": ("date", "date_publish", "published_at", "publish_date", "publication_date"),
    "language": ("language", "lang"),
}
"""The column names recognised for each field, first match first."""


class ColumnsError(ValueError):
    """A ``--columns`` mapping that cannot be used."""


def parse_columns(text: str | None) -> dict[str, str]:
    """``"url=link,html=body"`` as ``{"url": "link", "html": "body"}``.

    :raises ColumnsError: for a field that is not one of :data:`FIELDS`, or a pair
        without ``=``
    """
    mapping: dict[str, str] = {}
    for pair in (text or "").split(","):
        if not pair.strip():
            continue
        field, sep, column = pair.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not sep or not column:
            raise ColumnsError(f"--columns: {pair.strip()!r} is not FIELD=COLUMN")
        if field not in FIELDS:
            raise ColumnsError(
                f"--columns: unknown field {field!r}: expected one of {', '.join(FIELDS)}"
            )
        mapping[field] = column
    return mapping


def choose(names: Sequence[str], given: Mapping[str, str] | None = None) -> dict[str, str]:
    """For each field, the column of ``names`` that holds it: the one ``given`` names, else
    the first known name present (any case).

    :raises ColumnsError: when a column ``given`` names is not there, or no column holds
        an article (html or text)
    """
    by_lower = {name.lower(): name for name in names}
    chosen: dict[str, str] = {}
    for field in FIELDS:
        if given and field in given:
            if given[field] not in names:
                raise ColumnsError(
                    f"no column {given[field]!r} (for {field}); the columns are " + ", ".join(names)
                )
            chosen[field] = given[field]
            continue
        found = next((by_lower[name] for name in KNOWN[field] if name in by_lower), None)
        if found is not None:
            chosen[field] = found
    if "html" not in chosen and "text" not in chosen:
        raise ColumnsError(
            "no column holds the articles: expected one named html, raw_html, content, "
            "text or maintext; name it with --columns html=NAME or text=NAME (and "
            "--retry-failed to read this file again); the columns are " + ", ".join(names)
        )
    return chosen


def row_document(path: str, number: int, values: Mapping[str, object]) -> Document | None:
    """The article of a row (its fields' values); ``None`` when it holds none."""
    html, text = _text(values.get("html")), _text(values.get("text"))
    if html is not None and "<" not in html:
        html, text = None, text or html
    body = html or text
    if body is None:
        return None
    return Document(
        source_path=path,
        text=body,
        media_type=HTML if html else PLAIN,
        locator=f"row={number}",
        url=_text(values.get("url")),
        title=_text(values.get("title")),
        published_at=normalise_time(_text(values.get("date"))),
        lang=_text(values.get("language")),
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)  # a date column read as a timestamp, say
    return value.strip() or None
