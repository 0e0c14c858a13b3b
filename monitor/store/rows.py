"""The rows one document gives, as the tables take them, made where the document is read.

On a cluster one process writes for all the workers: whatever can be done before the rows
reach it is done by the worker that read the document (ids, JSON, the hour in UTC), and
what crosses to the writer is tuples of plain values, which unpickle several times faster
than the models they come from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ..models import Extraction, Plain, ScoredPost

ARTICLE_COLUMNS = (
    "id", "url", "outlet", "title", "published_at", "lang", "source_path", "locator",
    "fetched_at",
)  # fmt: skip
POST_COLUMNS = (
    "id", "platform", "post_id", "url", "author_name", "author_handle", "posted_at", "lang",
    "lang_hint", "text", "compound", "pos", "neu", "neg", "scorer", "mentions", "links",
    "has_media", "is_reply",
)  # fmt: skip
"""A post row's values; the writer adds ``first_seen_at``, the time of its ingest."""

# Articles of every platform, and of none: the denominator of a platform's share.
ALL_PLATFORMS = "all"


@dataclass(frozen=True, slots=True)
class DocumentRows(Plain):
    """One document's rows: its article, its posts in page order (each also the link from
    the article, at that position), each post's hashtags, and what it adds to ``coverage``
    (``(hour, outlet, platform, posts)`` under ``all`` and under each platform it embeds)."""

    article: tuple[object, ...]
    posts: tuple[tuple[object, ...], ...] = ()
    hashtags: tuple[tuple[str, str], ...] = ()
    coverage: tuple[tuple[str, str, str, int], ...] = ()


def rows_of(extraction: Extraction, scored_posts: Sequence[ScoredPost]) -> DocumentRows:
    """The rows of one document's extraction, with its posts scored (in the same order)."""
    article = extraction.article
    hour = _hour(article.published_at or article.fetched_at)
    outlet = article.outlet or ""
    posts = []
    hashtags = []
    by_platform: dict[str, int] = {}
    for scored in scored_posts:
        post = scored.post
        row = _post_row(scored)
        posts.append(row)
        hashtags.extend((row[0], tag) for tag in post.hashtags)
        by_platform[post.platform] = by_platform.get(post.platform, 0) + 1
    coverage = [(hour, outlet, ALL_PLATFORMS, len(posts))]
    coverage.extend((hour, outlet, platform, count) for platform, count in by_platform.items())
    return DocumentRows(
        (
            article.id,
            article.url,
            article.outlet,
            article.title,
            article.published_at,
            article.lang,
            article.source_path,
            article.locator,
            article.fetched_at,
        ),
        tuple(posts),
        tuple(hashtags),
        tuple(coverage),
    )


def _post_row(scored: ScoredPost) -> tuple[object, ...]:
    post, scores = scored.post, scored.scores
    return (
        post.id,
        post.platform,
        post.post_id,
        post.url,
        post.author_name,
        post.author_handle,
        post.posted_at,
        scored.lang,
        post.lang,
        post.text,
        scores.compound,
        scores.pos,
        scores.neu,
        scores.neg,
        scored.scorer if scores.scored else None,
        json.dumps(list(post.mentions)) if post.mentions else None,
        json.dumps(list(post.links)) if post.links else None,
        int(post.has_media),
        int(post.is_reply),
    )


_UTC_TAILS = ("", "Z", "+00:00")


def _hour(when: str | None) -> str:
    """The hour of ``when`` in UTC (``YYYY-MM-DDTHH``); a bare date stays a date, and no
    time is ``''``."""
    if not when:
        return ""
    if len(when) == 10:
        return when  # a date
    if when[10:11] == "T" and when[11:13].isdigit() and when[19:] in _UTC_TAILS:
        return when[:13]  # in UTC, or of no zone (kept as it is), as most times are: no parsing
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return when[:10]
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H")
