"""Writing articles, posts and archive-file records.

Plain SQL with bound parameters: values are never interpolated into SQL. Every write is an
upsert, so storing the same document twice changes nothing, and a post embedded by several
articles stays one ``posts`` row with one ``article_posts`` row per article.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from ..models import Extraction, ScoredPost
from .rows import ARTICLE_COLUMNS, LINK_COLUMNS, POST_COLUMNS, DocumentRows, rows_of

_POSTED_AT = POST_COLUMNS.index("posted_at")

_UPSERT_ARTICLE = f"""
INSERT INTO articles ({", ".join(ARTICLE_COLUMNS)})
VALUES ({", ".join("?" * len(ARTICLE_COLUMNS))})
ON CONFLICT(id) DO UPDATE SET
    outlet = coalesce(articles.outlet, excluded.outlet),
    title = coalesce(articles.title, excluded.title),
    published_at = coalesce(articles.published_at, excluded.published_at),
    lang = coalesce(articles.lang, excluded.lang)
WHERE (articles.outlet IS NULL AND excluded.outlet IS NOT NULL)
   OR (articles.title IS NULL AND excluded.title IS NOT NULL)
   OR (articles.published_at IS NULL AND excluded.published_at IS NOT NULL)
   OR (articles.lang IS NULL AND excluded.lang IS NOT NULL)
"""

# A post seen again keeps what it has and gains what it lacked: the text (with its language
# and scores, which belong to that text), a handle, a full timestamp where only a date was
# known. The WHERE clause keeps a repeat sighting from rewriting the row (and its FTS entry).
_UPSERT_POST = f"""
INSERT INTO posts ({", ".join(POST_COLUMNS)}, first_seen_at)
VALUES ({", ".join("?" * (len(POST_COLUMNS) + 1))})
ON CONFLICT(id) DO UPDATE SET
    url = coalesce(posts.url, excluded.url),
    author_name = coalesce(posts.author_name, excluded.author_name),
    author_handle = coalesce(posts.author_handle, excluded.author_handle),
    posted_at = CASE
        WHEN posts.posted_at IS NULL
          OR (length(posts.posted_at) = 10 AND length(excluded.posted_at) > 10)
        THEN excluded.posted_at ELSE posts.posted_at END,
    lang_hint = coalesce(posts.lang_hint, excluded.lang_hint),
    lang = CASE WHEN posts.text IS NULL THEN excluded.lang ELSE posts.lang END,
    compound = CASE WHEN posts.text IS NULL THEN excluded.compound ELSE posts.compound END,
    pos = CASE WHEN posts.text IS NULL THEN excluded.pos ELSE posts.pos END,
    neu = CASE WHEN posts.text IS NULL THEN excluded.neu ELSE posts.neu END,
    neg = CASE WHEN posts.text IS NULL THEN excluded.neg ELSE posts.neg END,
    scorer = CASE WHEN posts.text IS NULL THEN excluded.scorer ELSE posts.scorer END,
    mentions = CASE WHEN posts.text IS NULL THEN excluded.mentions ELSE posts.mentions END,
    links = CASE WHEN posts.text IS NULL THEN excluded.links ELSE posts.links END,
    text = coalesce(posts.text, excluded.text),
    has_media = max(posts.has_media, excluded.has_media),
    is_reply = max(posts.is_reply, excluded.is_reply)
WHERE (posts.text IS NULL AND excluded.text IS NOT NULL)
   OR (posts.url IS NULL AND excluded.url IS NOT NULL)
   OR (posts.author_name IS NULL AND excluded.author_name IS NOT NULL)
   OR (posts.author_handle IS NULL AND excluded.author_handle IS NOT NULL)
   OR (posts.posted_at IS NULL AND excluded.posted_at IS NOT NULL)
   OR (length(posts.posted_at) = 10 AND length(excluded.posted_at) > 10)
   OR (posts.lang_hint IS NULL AND excluded.lang_hint IS NOT NULL)
   OR excluded.has_media > posts.has_media
   OR excluded.is_reply > posts.is_reply
"""

# An article read again keeps its links as they are; one stored before embeds were placed
# (``method`` NULL) gains where and how it embeds the post.
_LINK = f"""
INSERT INTO article_posts ({", ".join(LINK_COLUMNS)})
VALUES ({", ".join("?" * len(LINK_COLUMNS))})
ON CONFLICT(article_id, post_id) DO UPDATE SET
    {", ".join(f"{name} = excluded.{name}" for name in LINK_COLUMNS[3:])}
WHERE article_posts.method IS NULL AND excluded.method IS NOT NULL
"""

_HASHTAG = "INSERT INTO post_hashtags (post_id, hashtag) VALUES (?, ?) ON CONFLICT DO NOTHING"

_TREND_DATE = "INSERT INTO trend_dates (date) VALUES (substr(?, 1, 10)) ON CONFLICT DO NOTHING"

_UPSERT_FILE = """
INSERT INTO archive_files (path, size, mtime_ns, sha256, status, documents, posts, error,
                           ingested_at)
VALUES (:path, :size, :mtime_ns, :sha256, :status, :documents, :posts, :error, :ingested_at)
ON CONFLICT(path) DO UPDATE SET
    size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,
    status = excluded.status, documents = excluded.documents, posts = excluded.posts,
    error = excluded.error, ingested_at = excluded.ingested_at
"""


@dataclass(frozen=True, slots=True)
class Added:
    """How many rows a write added (rather than found already there)."""

    articles: int = 0
    posts: int = 0


@dataclass(frozen=True, slots=True)
class ArchiveFileRecord:
    """One row of ``archive_files``: what was read from one archive file, and how it went."""

    path: str
    size: int
    mtime_ns: int
    sha256: str | None
    status: str  # "done" or "failed"
    documents: int = 0
    posts: int = 0
    error: str | None = None
    ingested_at: str | None = None


def record_archive_file(db: Database, record: ArchiveFileRecord) -> None:
    """Insert or update the ``archive_files`` row for ``record.path``."""
    db.conn.execute(_UPSERT_FILE, _file_row(record))


def save_extraction(
    db: Database, extraction: Extraction, posts: Sequence[ScoredPost], seen_at: str
) -> Added:
    """Store one document's article, its posts, their hashtags and the links between them.

    :param extraction: the article and posts found in the document.
    :param posts: the same posts, in the same order, with language and scores.
    :param seen_at: when this ingest ran (ISO 8601), kept as a post's ``first_seen_at``.
    """
    return save_extractions(db, [(extraction, posts)], seen_at)


def save_extractions(
    db: Database,
    documents: Iterable[tuple[Extraction, Sequence[ScoredPost]]],
    seen_at: str,
) -> Added:
    """Store many documents at once: one statement per table for all of them.

    The rows and their final values are those that :func:`save_extraction` gives document by
    document: each table's upserts run in document order, and a table's upserts depend only
    on that table's earlier rows.

    :param documents: each document's extraction with its scored posts, in the same order.
    :param seen_at: when this ingest ran (ISO 8601), kept as a post's ``first_seen_at``.
    :returns: how many articles and posts did not exist before. Exact when called inside a
        transaction that already holds the write lock (as ``ingest`` does), whatever other
        processes write at the same time.
    """
    return save_rows(db, [rows_of(*document) for document in documents], seen_at)


def save_rows(db: Database, documents: Sequence[DocumentRows], seen_at: str) -> Added:
    """:func:`save_extractions` for documents already made rows (:func:`~.rows.rows_of`), as
    the workers send them."""
    posts = [(*row, seen_at) for document in documents for row in document.posts]
    conn = db.conn
    added = Added(
        _new_ids(conn, "articles", {document.article[0] for document in documents}),
        _new_ids(conn, "posts", {row[0] for row in posts}),
    )
    conn.executemany(_UPSERT_ARTICLE, [document.article for document in documents])
    if posts:
        conn.executemany(_UPSERT_POST, posts)
        conn.executemany(_LINK, [link for document in documents for link in document.links])
        conn.executemany(_HASHTAG, [pair for document in documents for pair in document.hashtags])
        # A post seen again may gain an article or an outlet: its day's trends change too.
        dates = dict.fromkeys(row[_POSTED_AT][:10] for row in posts if row[_POSTED_AT])
        conn.executemany(_TREND_DATE, [(date,) for date in dates])
    return added


def _new_ids(conn: sqlite3.Connection, table: str, ids: set[object]) -> int:
    """How many of ``ids`` are not yet in ``table`` (one indexed query for them all)."""
    if not ids:
        return 0
    known = conn.execute(
        f"SELECT count(*) FROM [{table}] WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(ids))],
    ).fetchone()[0]
    return len(ids) - known


def _file_row(record: ArchiveFileRecord) -> dict[str, object]:
    # Not dataclasses.asdict, which deep-copies every value: this runs once per archive file.
    return {
        "path": record.path,
        "size": record.size,
        "mtime_ns": record.mtime_ns,
        "sha256": record.sha256,
        "status": record.status,
        "documents": record.documents,
        "posts": record.posts,
        "error": record.error,
        "ingested_at": record.ingested_at,
    }


def save_coverage(
    db: Database,
    source_path: str,
    documents: Iterable[tuple[Extraction, Sequence[ScoredPost]]],
) -> None:
    """Record how many articles one archive file gave and how many posts they embed, per
    hour, outlet and platform (``coverage``), replacing what an earlier reading of the file
    recorded. Each article counts under ``platform = 'all'`` (with all its posts) and under
    each platform it embeds (with that platform's posts).

    The hour is the article's time (its publication, else its fetch), in UTC, as
    ``YYYY-MM-DDTHH``; a bare date stays a date, and an article of no known time counts
    under ``''``.
    """
    save_coverage_rows(db, source_path, [rows_of(*document) for document in documents])


def save_coverage_rows(db: Database, source_path: str, documents: Sequence[DocumentRows]) -> None:
    """:func:`save_coverage` for documents already made rows."""
    counts: dict[tuple[str, str, str], list[int]] = {}
    for document in documents:
        for hour, outlet, platform, posts in document.coverage:
            total = counts.get((hour, outlet, platform))
            if total is None:
                counts[hour, outlet, platform] = [1, posts]
            else:
                total[0] += 1
                total[1] += posts
    conn = db.conn
    conn.execute("DELETE FROM coverage WHERE source_path = ?", [source_path])
    conn.executemany(
        "INSERT INTO coverage (source_path, hour, outlet, platform, articles, posts)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(source_path, *key, articles, posts) for key, (articles, posts) in counts.items()],
    )
