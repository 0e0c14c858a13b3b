"""pandas loaders for ad hoc analysis. They open the database read-only, so they work while
an ingest is writing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pandas as pd
from sqlite_utils import Database

from .models import PLATFORMS
from .queries import PostFilters, posts_sql
from .store import open_readonly

_TIMES = ("posted_at", "first_seen_at")
_SCORES = ("compound", "pos", "neu", "neg")


def load_posts(
    db_or_path: Database | str | os.PathLike[str],
    *,
    hashtag: str | None = None,
    platform: str | None = None,
    search: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Posts as a DataFrame, newest first, one row per post.

    Columns are those of the ``posts`` table (except the JSON ``mentions`` and ``links``)
    plus ``hashtags`` (a list), ``articles`` and ``outlets`` (how many embed the post).
    ``posted_at`` and ``first_seen_at`` are UTC datetimes (a post known only by its date
    is at midnight UTC); ``platform`` is categorical; scores are floats, NaN when unscored;
    ``has_media`` and ``is_reply`` are booleans.

    >>> posts = load_posts("monitor.db", hashtag="#WW3", since="2024-11-01")  # doctest: +SKIP
    >>> posts.groupby(posts.posted_at.dt.date).compound.mean()  # doctest: +SKIP

    :param db_or_path: a database, or the path of one (opened read-only).
    :param hashtag: only posts with this hashtag (any case, ``#`` optional).
    :param platform: only this platform (``twitter``, ``bluesky``, ...).
    :param search: full-text search (SQLite FTS5 syntax) over text, name and handle.
    :param since: posts made on or after this date (inclusive, UTC).
    :param until: posts made on or before this date (inclusive, UTC).
    :param limit: at most this many of the newest posts.
    """
    filters = PostFilters(hashtag, platform, search, since, until, limit)
    sql, params = posts_sql(filters)
    with _reading(db_or_path) as db:
        frame = pd.read_sql_query(sql, db.conn, params=params)
    for column in _TIMES:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    frame["platform"] = pd.Categorical(frame["platform"], categories=PLATFORMS)
    for column in _SCORES:
        frame[column] = frame[column].astype("float64")
    for column in ("has_media", "is_reply"):
        frame[column] = frame[column].astype("bool")
    for column in ("articles", "outlets"):
        frame[column] = frame[column].astype("int64")
    frame["hashtags"] = [tags.split(",") if tags else [] for tags in frame["hashtags"]]
    return frame


@contextmanager
def _reading(db_or_path: Database | str | os.PathLike[str]) -> Iterator[Database]:
    if isinstance(db_or_path, Database):
        yield db_or_path
        return
    db = open_readonly(db_or_path)
    try:
        yield db
    finally:
        db.close()
