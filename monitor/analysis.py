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
from .models import METHODS, PLACEMENTS, PLATFORMS
from .queries import PostFilters, check_search, date_or_none, posts_sql
from .store import open_readonly
from .trends import DIMENSIONS, stored_timezone

# Text columns get the string dtype of the pandas in use (object before pandas 3, str
# from 3 on); whatever the rows (none at all, a column all NULL), every frame a loader
# returns has the same dtypes.
_STRING = pd.Series(["text"]).dtype
_TIME = pd.DatetimeTZDtype("us", "UTC")
_FLOAT = "float64"


def _typed(frame: pd.DataFrame, dtypes: dict[str, object]) -> pd.DataFrame:
    """``frame`` with each named column converted: ``"time"`` parses ISO 8601 into UTC
    datetimes, other values are dtypes; unnamed columns are text."""
    for column in frame.columns:
        dtype = dtypes.get(column, _STRING)
        if dtype == "time":
            # Through object, so that an empty or all-NULL column parses the same as others.
            parsed = pd.to_datetime(frame[column].astype(object), utc=True, format="ISO8601")
            frame[column] = parsed.astype(_TIME)
        elif dtype == _STRING:
            # NULL stays missing (None before pandas 3, NaN from 3 on), never "None".
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None).astype(_STRING)
        else:
            frame[column] = frame[column].astype(dtype)
    return frame


_PLATFORM = pd.CategoricalDtype(PLATFORMS)
_POST_DTYPES: dict[str, object] = {
    "posted_at": "time",
    "first_seen_at": "time",
    "platform": _PLATFORM,
    "compound": _FLOAT,
    "pos": _FLOAT,
    "neu": _FLOAT,
    "neg": _FLOAT,
    "has_media": "bool",
    "is_reply": "bool",
    "articles": "int64",
    "outlets": "int64",
    "hashtags": object,
}


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

        >>> posts = load_posts("monitor.db", hashtag="#WW3", since="2024-11-18")
        >>> posts[["posted_at", "author_handle", "compound", "articles"]]
                          posted_at author_handle  compound  articles
        0 2024-11-21 14:44:44+00:00        jopark    0.6597         2
        1 2024-11-20 09:02:57+00:00  newsroomdesk   -0.4404         1
        2 2024-11-19 00:00:00+00:00    markt_1979   -0.8979         1
        3 2024-11-18 12:30:00+00:00     samokafor   -0.5994         2

    :param db_or_path: a database, or the path of one (opened read-only).
    :param hashtag: only posts with this hashtag (any case, ``#`` optional).
    :param platform: only this platform (``twitter``, ``bluesky``, ...).
    :param search: full-text search (SQLite FTS5 syntax) over text, name and handle.
    :param since: posts made on or after this date (inclusive, UTC).
    :param until: posts made on or before this date (inclusive, UTC).
    :param limit: at most this many of the newest posts.
    :raises ValueError: when a filter is not valid (a malformed search, say).
    """
    filters = PostFilters(hashtag, platform, search, since, until, limit)
    sql, params = posts_sql(filters)
    with _reading(db_or_path) as db:
        check_search(db, search)
        frame = pd.read_sql_query(sql, db.conn, params=params)
    # A post without hashtags has NULL there: None, or NaN from pandas 3 on.
    frame["hashtags"] = pd.Series(
        [tags.split(",") if isinstance(tags, str) and tags else [] for tags in frame["hashtags"]],
        index=frame.index,
        dtype=object,
    )
    return _typed(frame, _POST_DTYPES)


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

        >>> trends = load_trends("monitor.db", hashtag="#WW3", since="2024-11-19")
        >>> trends.set_index("period")[["posts", "mean_compound"]]
                                   posts  mean_compound
        period
        2024-11-19 00:00:00+00:00      1        -0.8979
        2024-11-20 00:00:00+00:00      1        -0.4404
        2024-11-21 00:00:00+00:00      1         0.6597

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
    period = pd.to_datetime(frame["period"].astype(object), format="%Y-%m-%d")
    frame["period"] = period.astype("datetime64[us]").dt.tz_localize(zone)
    frame = _typed(
        frame,
        {
            "period": frame["period"].dtype,
            "dimension": pd.CategoricalDtype(DIMENSIONS),
            "posts": "Int64",
            "articles": "Int64",
            "outlets": "Int64",
            "mean_compound": _FLOAT,
            "framing_mean": _FLOAT,
            "pos_share": _FLOAT,
            "neg_share": _FLOAT,
            "neu_share": _FLOAT,
            "spike_score": _FLOAT,
            "baseline": _FLOAT,
            "is_spike": "boolean",
        },
    )
    frame["ratio"] = frame["posts"].astype("float64") / frame["baseline"]
    return frame


_EMBED_COLUMNS = """
    ap.article_id, a.url AS article_url, a.outlet, a.title, a.published_at, a.lang AS article_lang,
    ap.post_id, p.platform, p.url AS post_url, p.author_handle, p.posted_at, p.text,
    p.compound, ap.position, ap.method, ap.placement, ap.position_share, ap.context_before,
    ap.context_after, ap.framing_lang, ap.framing_compound, ap.framing_pos, ap.framing_neu,
    ap.framing_neg"""


def load_embeds(
    db_or_path: Database | str | os.PathLike[str],
    *,
    hashtag: str | None = None,
    platform: str | None = None,
    outlet: str | None = None,
    method: str | None = None,
    placement: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> pd.DataFrame:
    """One row per embed (an article embedding a post), with the article, the post, and how
    and where the article embeds it: ``method``, ``placement``, ``position_share``, the
    article's words around it (``context_before``, ``context_after``) and their scores
    (``framing_compound``, ``framing_pos``, ``framing_neu``, ``framing_neg``: NaN where not
    scored, as for posts). Newest posts first, then by article and position.

    ``method`` and ``placement`` are categorical; they, the context and the framing are
    missing for embeds stored before the monitor kept them, until ``monitor rescore
    --context`` reads their archives again.

        >>> embeds = load_embeds("monitor.db", hashtag="ww3")
        >>> embeds.groupby("outlet")[["compound", "framing_compound"]].mean().round(2)
                     compound  framing_compound
        outlet
        example.com     -0.13             -0.08
        example.net     -0.52             -0.36
        example.org     -0.75              0.00

    :param hashtag: only posts with this hashtag (any case, ``#`` optional).
    :param platform: only this platform's posts.
    :param outlet: only this outlet's articles (its registered domain).
    :param method: only embeds made this way (``blockquote``, ``iframe``, ``placeholder``,
        ``script``, ``text``).
    :param placement: only embeds standing here (``lead``, ``body``, ``end``).
    :param since: posts made on or after this date (inclusive, UTC).
    :param until: posts made on or before this date (inclusive, UTC).
    """
    for name, value, allowed in (("method", method, METHODS), ("placement", placement, PLACEMENTS)):
        if value is not None and value not in allowed:
            raise ValueError(f"unknown {name} {value!r}: expected one of {', '.join(allowed)}")
    sql, params = posts_sql(PostFilters(hashtag, platform, None, since, until, None))
    where, extra = [], []
    for column, value in (("a.outlet", outlet), ("ap.method", method), ("ap.placement", placement)):
        if value is not None:
            where.append(f"{column} = ?")
            extra.append(value)
    with _reading(db_or_path) as db:
        frame = pd.read_sql_query(
            f"SELECT {_EMBED_COLUMNS} FROM ({sql}) p"
            " JOIN article_posts ap ON ap.post_id = p.id JOIN articles a ON a.id = ap.article_id"
            f" {'WHERE ' + ' AND '.join(where) if where else ''}"
            " ORDER BY p.posted_at DESC, ap.article_id, ap.position",
            db.conn,
            params=[*params, *extra],
        )
    return _typed(
        frame,
        {
            "posted_at": "time",
            "platform": _PLATFORM,
            "compound": _FLOAT,
            "position": "int64",
            "method": pd.CategoricalDtype(METHODS),
            "placement": pd.CategoricalDtype(PLACEMENTS),
            "position_share": _FLOAT,
            "framing_compound": _FLOAT,
            "framing_pos": _FLOAT,
            "framing_neu": _FLOAT,
            "framing_neg": _FLOAT,
        },
    )


def load_hashtags(
    db_or_path: Database | str | os.PathLike[str],
    *,
    platform: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
) -> pd.DataFrame:
    """One row per post and hashtag (long format): ``hashtag``, ``post_id``, ``platform``
    (categorical), ``posted_at`` (UTC), ``compound``, and ``articles`` embedding the post.

        >>> tags = load_hashtags("monitor.db", since="2024-11-17")
        >>> tags.groupby("hashtag").compound.mean().round(2).head(3)
        hashtag
        atacms             -0.14
        nuclearwar         -0.91
        standwithukraine    0.90
        Name: compound, dtype: float64
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
    return _typed(
        frame,
        {"posted_at": "time", "platform": _PLATFORM, "compound": _FLOAT, "articles": "int64"},
    )


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

        >>> amplified = load_amplification("monitor.db", min_articles=2)
        >>> amplified[["author_handle", "articles", "outlets", "first_outlet"]]
          author_handle  articles  outlets first_outlet
        0     samokafor         2        2  example.org
        1   danamiller_         2        2  example.com
        2        jopark         2        1  example.com
        3    kyiv_watch         2        1  example.com
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
    return _typed(
        frame,
        {
            "posted_at": "time",
            "first_embedded_at": "time",
            "platform": _PLATFORM,
            "articles": "int64",
            "outlets": "int64",
            "compound": _FLOAT,
            "delay_hours": _FLOAT,
        },
    )


def load_outlet_shares(
    db_or_path: Database | str | os.PathLike[str], *, topic: str | None = None
) -> pd.DataFrame:
    """Each outlet's share of a topic's embeds (the ``outlet_topic_share`` view): ``topic``,
    ``outlet``, ``embeds`` (its articles' embeds of posts on the topic) and ``share`` of all
    the topic's embeds, largest first.

        >>> shares = load_outlet_shares("monitor.db", topic="ww3")
        >>> list(shares.columns)
        ['topic', 'outlet', 'embeds', 'share']
    """
    where, params = ("WHERE topic = ?", [topic]) if topic else ("", [])
    with _reading(db_or_path) as db:
        frame = pd.read_sql_query(
            f"SELECT * FROM outlet_topic_share {where} ORDER BY topic, share DESC, outlet",
            db.conn,
            params=params,
        )
    return _typed(frame, {"embeds": "int64", "share": _FLOAT})
