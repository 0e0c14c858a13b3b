"""SQL for reading posts back, shared by the command line and the pandas loaders.

Filters become bound parameters; nothing a user types is interpolated into SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from .hashtags import normalise
from .models import PLATFORMS

SORTS = ("recent", "amplified")
_ORDER = {
    "recent": "p.posted_at DESC, p.id",
    "amplified": "articles DESC, outlets DESC, p.posted_at DESC, p.id",
}

POST_COLUMNS = (
    "id",
    "platform",
    "post_id",
    "url",
    "author_name",
    "author_handle",
    "posted_at",
    "lang",
    "lang_hint",
    "text",
    "compound",
    "pos",
    "neu",
    "neg",
    "scorer",
    "has_media",
    "is_reply",
    "first_seen_at",
)


@dataclass(frozen=True, slots=True)
class PostFilters:
    """Which posts to read. Dates are inclusive and compare with the post's own time (UTC).

    :param hashtag: only posts carrying this hashtag (with or without ``#``, any case).
    :param platform: only posts of this platform.
    :param search: full-text search over text, author name and handle (SQLite FTS5 syntax).
    :param since: posts made on or after this date (``YYYY-MM-DD``).
    :param until: posts made on or before this date.
    :param limit: at most this many posts (the first in ``sort`` order).
    :param sort: ``recent`` (newest first) or ``amplified`` (embedded by the most articles,
        then outlets, first).
    """

    hashtag: str | None = None
    platform: str | None = None
    search: str | None = None
    since: str | date | None = None
    until: str | date | None = None
    limit: int | None = None
    sort: str = "recent"

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}: expected one of {', '.join(SORTS)}")
        if self.platform is not None and self.platform not in PLATFORMS:
            raise ValueError(
                f"unknown platform {self.platform!r}: expected one of {', '.join(PLATFORMS)}"
            )
        if self.limit is not None and self.limit < 0:
            raise ValueError("limit must not be negative")
        for name in ("since", "until"):
            date_or_none(getattr(self, name), name)


def posts_sql(filters: PostFilters) -> tuple[str, list[object]]:
    """SQL and parameters selecting the filtered posts, with their hashtags (comma-separated,
    sorted) and the number of articles and outlets that embed each."""
    where: list[str] = []
    params: list[object] = []
    if filters.hashtag:
        where.append("p.id IN (SELECT post_id FROM post_hashtags WHERE hashtag = ?)")
        params.append(normalise(filters.hashtag))
    if filters.platform:
        where.append("p.platform = ?")
        params.append(filters.platform)
    if filters.search:
        where.append("p.rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)")
        params.append(filters.search)
    since = date_or_none(filters.since, "since")
    if since:
        where.append("p.posted_at >= ?")
        params.append(since.isoformat())
    until = date_or_none(filters.until, "until")
    if until:
        # posted_at is a date or a UTC timestamp; both sort before the next day's date.
        where.append("p.posted_at < ?")
        params.append((until + timedelta(days=1)).isoformat())
    columns = ", ".join(f"p.{name}" for name in POST_COLUMNS)
    sql = f"""
        SELECT {columns},
            (SELECT group_concat(hashtag, ',') FROM
                (SELECT hashtag FROM post_hashtags h WHERE h.post_id = p.id ORDER BY hashtag)
            ) AS hashtags,
            (SELECT count(*) FROM article_posts ap WHERE ap.post_id = p.id) AS articles,
            (SELECT count(DISTINCT a.outlet) FROM article_posts ap
                JOIN articles a ON a.id = ap.article_id WHERE ap.post_id = p.id) AS outlets
        FROM posts p
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY {_ORDER[filters.sort]}
    """
    if filters.limit is not None:
        sql += " LIMIT ?"
        params.append(filters.limit)
    return sql, params


def check_search(db: Database, search: str | None) -> None:
    """:raises ValueError: when ``search`` is not a valid full-text query (an unbalanced
    quote, a bare operator), with SQLite's reason and nothing of the SQL around it."""
    if not search:
        return
    try:
        db.execute(
            "SELECT count(*) FROM (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? LIMIT 1)",
            [search],
        ).fetchone()
    except sqlite3.OperationalError as error:
        raise ValueError(f"invalid search query {search!r}: {error}") from None


def iter_posts(db: Database, filters: PostFilters) -> Iterator[dict[str, object]]:
    """The filtered posts as stored (ISO 8601 strings, a post known only by its date keeps
    its bare date), each with ``hashtags`` as a list and its ``articles`` and ``outlets``.

    :raises ValueError: when the search is not a valid full-text query."""
    check_search(db, filters.search)
    sql, params = posts_sql(filters)
    for row in db.query(sql, params):
        row["hashtags"] = row["hashtags"].split(",") if row["hashtags"] else []
        yield row


def date_or_none(value: str | date | None, name: str) -> date | None:
    """``value`` as a date; a clear ``ValueError`` naming ``name`` when it is not one."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


ARCHIVE_FILE_COLUMNS = ("path", "status", "documents", "posts", "error", "ingested_at")


def iter_archive_files(db: Database, *, failed_only: bool = False) -> Iterator[dict[str, object]]:
    """The archive files read so far, by path: how each went, and why one failed."""
    where = "WHERE status = 'failed'" if failed_only else ""
    columns = ", ".join(ARCHIVE_FILE_COLUMNS)
    yield from db.query(f"SELECT {columns} FROM archive_files {where} ORDER BY path")
