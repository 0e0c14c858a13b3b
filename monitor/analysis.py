"""pandas loaders for ad hoc analysis. They open the database read-only, so they work while
an ingest is writing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pandas as pd
from sqlite_utils import Database

from .hashtags import normalise
from .models import PLATFORMS
from .queries import PostFilters, date_or_none, posts_sql
from .store import open_readonly
from .trends import DIMENSIONS, stored_timezone

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


def load_trends(
    db_or_path: Database | str | os.PathLike[str],
    *,
    dimension: str | None = None,
    key: str | None = None,
    hashtag: str | None = None,
    topic: str | None = None,
    platform: str | None = None,
    outlet: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> pd.DataFrame:
    """Daily trends as stored (see :mod:`monitor.trends` for every definition), one row per
    day, dimension and key, oldest first.

    ``period`` is the day's local midnight, a datetime aware of the time zone the trends were
    computed in (UTC unless configured); ``dimension`` is categorical; counts are nullable
    integers; ``is_spike`` is boolean; ``ratio`` is ``posts / baseline``. Filters combine:
    ``hashtag="ww3"`` is ``dimension="hashtag", key="ww3"``.

    >>> trends = load_trends("monitor.db", hashtag="#WW3")  # doctest: +SKIP
    >>> trends.set_index("period")[["posts", "mean_compound"]]  # doctest: +SKIP

    :param dimension: ``all``, ``platform``, ``hashtag``, ``topic`` or ``outlet``.
    :param key: the key within the dimension.
    :param since: first day (inclusive); :param until: last day (inclusive).
    """
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(
            f"unknown dimension {dimension!r}: expected one of {', '.join(DIMENSIONS)}"
        )
    where, params = ["granularity = 'day'"], []
    # hashtag=, topic=, platform=, outlet= each select one series; several are OR-ed.
    series = [
        (name, value)
        for name, value in (
            ("hashtag", hashtag and normalise(hashtag)),
            ("topic", topic),
            ("platform", platform),
            ("outlet", outlet),
        )
        if value
    ]
    if series:
        where.append("(" + " OR ".join("(dimension = ? AND key = ?)" for _ in series) + ")")
        params.extend(item for pair in series for item in pair)
    for column, value in (("dimension", dimension), ("key", key)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    for name, operator, value in (("since", ">=", since), ("until", "<=", until)):
        day = date_or_none(value, name)
        if day:
            where.append(f"period {operator} ?")
            params.append(day.isoformat())
    with _reading(db_or_path) as db:
        frame = pd.read_sql_query(
            f"SELECT * FROM trends WHERE {' AND '.join(where)} ORDER BY period, dimension, key",
            db.conn,
            params=params,
        )
        zone = stored_timezone(db)
    frame["period"] = pd.to_datetime(frame["period"], format="%Y-%m-%d").dt.tz_localize(zone)
    frame["dimension"] = pd.Categorical(frame["dimension"], categories=DIMENSIONS)
    for column in ("posts", "articles", "outlets"):
        frame[column] = frame[column].astype("Int64")
    for column in (
        "mean_compound",
        "pos_share",
        "neg_share",
        "neu_share",
        "spike_score",
        "baseline",
    ):
        frame[column] = frame[column].astype("float64")
    frame["is_spike"] = frame["is_spike"].astype("boolean")
    frame["ratio"] = frame["posts"].astype("float64") / frame["baseline"]
    return frame


def load_hashtags(
    db_or_path: Database | str | os.PathLike[str],
    *,
    platform: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> pd.DataFrame:
    """One row per post and hashtag (long format): ``hashtag``, ``post_id``, ``platform``
    (categorical), ``posted_at`` (UTC), ``compound``, and ``articles`` embedding the post.

    >>> tags = load_hashtags("monitor.db", since="2024-11-17")  # doctest: +SKIP
    >>> tags.groupby("hashtag").compound.mean()  # doctest: +SKIP
    """
    filters = PostFilters(platform=platform, since=since, until=until)
    sql, params = posts_sql(filters)
    with _reading(db_or_path) as db:
        frame = pd.read_sql_query(
            f"""SELECT h.hashtag, p.id AS post_id, p.platform, p.posted_at, p.compound,
                       p.articles
                FROM ({sql}) p JOIN post_hashtags h ON h.post_id = p.id
                ORDER BY h.hashtag, p.posted_at""",
            db.conn,
            params=params,
        )
    frame["posted_at"] = pd.to_datetime(frame["posted_at"], utc=True, format="ISO8601")
    frame["platform"] = pd.Categorical(frame["platform"], categories=PLATFORMS)
    frame["compound"] = frame["compound"].astype("float64")
    frame["articles"] = frame["articles"].astype("int64")
    return frame


def load_amplification(
    db_or_path: Database | str | os.PathLike[str],
    *,
    platform: str | None = None,
    min_articles: int = 1,
) -> pd.DataFrame:
    """Which posts outlets amplify: one row per embedded post, most embedded first, with
    ``articles`` and ``outlets`` that embed it, the ``first_outlet`` to embed it (by the
    earliest article time), ``first_embedded_at`` and ``delay_hours`` from posting to that
    first embed (NaN unless both times are known to the second).

    >>> load_amplification("monitor.db", min_articles=2).head()  # doctest: +SKIP
    """
    if platform is not None and platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}: expected one of {', '.join(PLATFORMS)}")
    where, params = ["articles >= ?"], [min_articles]
    if platform:
        where.append("platform = ?")
        params.append(platform)
    with _reading(db_or_path) as db:
        frame = pd.read_sql_query(
            f"SELECT * FROM post_amplification WHERE {' AND '.join(where)} "
            "ORDER BY articles DESC, outlets DESC, posted_at DESC, post_id",
            db.conn,
            params=params,
        )
    for column in ("posted_at", "first_embedded_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    frame["platform"] = pd.Categorical(frame["platform"], categories=PLATFORMS)
    for column in ("articles", "outlets"):
        frame[column] = frame[column].astype("int64")
    for column in ("compound", "delay_hours"):
        frame[column] = frame[column].astype("float64")
    return frame


def load_outlet_shares(
    db_or_path: Database | str | os.PathLike[str], *, topic: str | None = None
) -> pd.DataFrame:
    """Each outlet's share of a topic's embeds (the ``outlet_topic_share`` view): ``topic``,
    ``outlet``, ``embeds`` (its articles' embeds of posts on the topic) and ``share`` of all
    the topic's embeds, largest first.

    >>> load_outlet_shares("monitor.db", topic="ww3")  # doctest: +SKIP
    """
    where, params = ("WHERE topic = ?", [topic]) if topic else ("", [])
    with _reading(db_or_path) as db:
        frame = pd.read_sql_query(
            f"SELECT * FROM outlet_topic_share {where} ORDER BY topic, share DESC, outlet",
            db.conn,
            params=params,
        )
    frame["embeds"] = frame["embeds"].astype("int64")
    frame["share"] = frame["share"].astype("float64")
    return frame
