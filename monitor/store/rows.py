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

from ..models import NOT_FRAMED, Embedding, Extraction, Framing, Plain, ScoredPost

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
LINK_COLUMNS = (
    "article_id", "post_id", "position", "method", "placement", "position_share",
    "context_before", "context_after", "framing_lang", "framing_compound", "framing_pos",
    "framing_neu", "framing_neg", "framing_scorer",
)  # fmt: skip
"""An ``article_posts`` row's values: how and where the article embeds the post."""

# Articles of every platform, and of none: the denominator of a platform's share.
ALL_PLATFORMS = "all"


@dataclass(frozen=True, slots=True)
class DocumentRows(Plain):
    """One document's rows: its article, its posts in page order, the links from the
    article to each (``article_posts``), each post's hashtags, and what it adds to
    ``coverage`` (``(hour, outlet, platform, posts)`` under ``all`` and under each platform
    it embeds)."""

    article: tuple[object, ...]
    posts: tuple[tuple[object, ...], ...] = ()
    hashtags: tuple[tuple[str, str], ...] = ()
    coverage: tuple[tuple[str, str, str, int], ...] = ()
    links: tuple[tuple[object, ...], ...] = ()


def rows_of(
    extraction: Extraction,
    scored_posts: Sequence[ScoredPost],
    framings: Sequence[Framing] = (),
) -> DocumentRows:
    """The rows of one document's extraction, with its posts scored (in the same order) and
    the article's words around each scored (``framings``, in the same order; none when the
    extraction does not say where its posts stand)."""
    article = extraction.article
    hour = _hour(article.published_at or article.fetched_at)
    outlet = article.outlet or ""
    posts = []
    hashtags = []
    by_platform: dict[str, int] = {}
    links = []
    embeddings = extraction.embeds or (None,) * len(scored_posts)
    framings = framings or (NOT_FRAMED,) * len(scored_posts)
    for position, (scored, embedding, framing) in enumerate(
        zip(scored_posts, embeddings, framings, strict=True)
    ):
        post = scored.post
        row = _post_row(scored)
        posts.append(row)
        links.append(_link_row(article.id, row[0], position, embedding, framing))
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
        tuple(links),
    )


def _link_row(
    article_id: str, post_id: object, position: int, embedding: Embedding | None, framing: Framing
) -> tuple[object, ...]:
    if embedding is None:
        return (article_id, post_id, position, *(None,) * (len(LINK_COLUMNS) - 3))
    scores = framing.scores
    return (
        article_id,
        post_id,
        position,
        embedding.method,
        embedding.placement,
        embedding.position_share,
        embedding.context_before,
        embedding.context_after,
        framing.lang,
        scores.compound,
        scores.pos,
        scores.neu,
        scores.neg,
        framing.scorer if scores.scored else None,
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
