"""Trends: per day, per hashtag, topic, platform, outlet and overall, how many reactions
there were and how they felt, with spikes flagged.

Definitions (one row of ``trends`` per period, dimension and key):

- a post counts on the day **it was posted**, in the configured time zone (a post known only
  by its date counts on that date; a post with no time is in no trend);
- ``posts``: distinct posts of that day in the group (``dimension`` = ``hashtag``: posts
  carrying the hashtag; ``topic``: posts on the topic; ``platform``; ``outlet``: posts that
  articles of that outlet embed; ``all``: every post, key ``all``);
- ``articles`` and ``outlets``: distinct articles, and their distinct outlets, that embed
  those posts (for an outlet, its own articles only);
- ``mean_compound``: VADER's mean compound score over the scored posts (English, with words);
- ``pos_share``, ``neg_share``, ``neu_share``: shares of the scored posts with compound
  ≥ 0.05, ≤ -0.05 and in between (VADER's own thresholds); all NULL when none is scored;
- ``spike_score``, ``is_spike``, ``baseline``, ``spike_status``: see :mod:`monitor.spikes`;
- ``framing_mean``: the mean compound score of the articles' own words around those posts'
  embeds (``article_posts.framing_compound``: one value per article and post, for an outlet
  its own articles only), over the embeds whose words were scored; NULL when none was.

Only day rows are stored; weeks (keyed by their Monday) and hours are computed on request
with the same definitions. An ingest marks the dates it touched (``trend_dates``); a refresh
recomputes those days only, and the spike scores of the days that look back on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlite_utils import Database

from . import spikes
from .config import Config, Topic
from .spikes import WINDOW
from .store import immediate
from .topics import assign_topics, sync_topics

DIMENSIONS = ("all", "platform", "hashtag", "topic", "outlet")
GRANULARITIES = ("day", "week", "hour")
POSITIVE = 0.05
NEGATIVE = -0.05
TREND_COLUMNS = (
    "period",
    "granularity",
    "dimension",
    "key",
    "posts",
    "articles",
    "outlets",
    "mean_compound",
    "pos_share",
    "neg_share",
    "neu_share",
    "spike_score",
    "is_spike",
    "baseline",
    "spike_status",
    "framing_mean",
)


_EVERY_DATE = "SELECT DISTINCT substr(posted_at, 1, 10) FROM posts WHERE posted_at IS NOT NULL"
_TOUCHED_DATES = "SELECT date FROM trend_dates"


@dataclass(frozen=True, slots=True)
class TrendsResult:
    """What a refresh did: the days recomputed and the topics whose definition changed."""

    days: tuple[str, ...]
    topics_changed: tuple[str, ...]
    rows: int


def refresh_trends(
    db: Database, config: Config | None = None, *, full: bool = False
) -> TrendsResult:
    """Bring ``post_topics`` and the ``trends`` table up to date.

    :param config: time zone and topics (default: UTC, no topics).
    :param full: recompute every day, not only those an ingest touched.
    """
    config = config or Config()
    zone = config.zone
    # One transaction, write-locked from the start: the dates read are the dates cleared, and
    # a changed topic's rows are recomputed together with its definition, or not at all.
    with immediate(db):
        changed = tuple(sync_topics(db, config.topics))
        # Days are local days: in another time zone every day's rows change.
        full = full or stored_timezone(db) != config.timezone
        db.execute(
            "INSERT INTO settings (name, value) VALUES ('timezone', ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            [config.timezone],
        )
        if full:
            db.execute("DELETE FROM trends")
        dates = [row[0] for row in db.execute(_EVERY_DATE if full else _TOUCHED_DATES)]
        days = sorted(_local_days(dates, zone))
        rows = 0
        if days:
            _assign_topics_for(db, config.topics, days)
            facts = _facts(db, *_range_condition(days), zone).where_days(days)
            db.execute(
                f"DELETE FROM trends WHERE granularity = 'day' AND period IN ({_marks(days)})",
                days,
            )
            rows += _insert(db, rollup(facts, "day"))
        configured = {topic.name for topic in config.topics}
        fresh_topics = [name for name in changed if name in configured and not full]
        if changed and not full:
            db.execute(
                f"DELETE FROM trends WHERE dimension = 'topic' AND key IN ({_marks(changed)})",
                list(changed),
            )
        if fresh_topics:
            facts = _facts(db, "p.posted_at IS NOT NULL", (), zone)
            rows += _insert(db, rollup(facts, "day", dimensions=("topic",), keys=fresh_topics))
        _rescore_spikes(db, days, fresh_topics)
        if dates and not full:
            db.execute(f"DELETE FROM trend_dates WHERE date IN ({_marks(dates)})", dates)
        elif full:
            db.execute("DELETE FROM trend_dates")
    return TrendsResult(tuple(days), changed, rows)


def trends_staleness(db: Database, config: Config | None = None) -> str | None:
    """Why the stored trends are out of date for ``config``, in words, or ``None`` when a
    refresh would change nothing. Reads only: for a database that cannot be written."""
    config = config or Config()
    reasons = []
    if stored_timezone(db) != config.timezone:
        reasons.append(f"they were computed in {stored_timezone(db)}, not {config.timezone}")
    touched = db.execute("SELECT count(*) FROM trend_dates").fetchone()[0]
    if touched:
        reasons.append(f"posts of {touched} date{'' if touched == 1 else 's'} came in since")
    stored = {row[0]: row[1] for row in db.execute("SELECT name, aliases FROM topics")}
    wanted = {topic.name: json.dumps(sorted(topic.aliases)) for topic in config.topics}
    if stored != wanted:
        reasons.append("the configured topics differ from those they were computed with")
    return "; ".join(reasons) or None


def stored_timezone(db: Database) -> str:
    """The time zone of the stored trend days (UTC before any refresh)."""
    row = db.execute("SELECT value FROM settings WHERE name = 'timezone'").fetchone()
    return row[0] if row else "UTC"


def compute_trends(
    db: Database,
    granularity: str = "day",
    *,
    config: Config | None = None,
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """Trends computed from the posts, without the table: for weeks and hours, or to check
    the stored days. Spike columns are left empty."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}")
    config = config or Config()
    facts = _facts(db, "p.posted_at IS NOT NULL", (), config.zone)
    if since or until:
        low = since.isoformat() if since else "0000"
        high = until.isoformat() if until else "9999"
        facts = facts.where(lambda f: (f.posts["day"] >= low) & (f.posts["day"] <= high))
    return rollup(facts, granularity)


@dataclass
class Facts:
    """The posts of some days with what the rollups need: their bucket times, scores, and
    which hashtags, topics and embedding articles (with outlets) each has."""

    posts: pd.DataFrame  # id, platform, compound, day, hour (None for a bare date)
    hashtags: pd.DataFrame  # post_id, key
    topics: pd.DataFrame  # post_id, key
    embeds: pd.DataFrame  # post_id, article_id, outlet, framing_compound

    def where(self, keep) -> Facts:
        posts = self.posts[keep(self)]
        ids = set(posts["id"])
        return Facts(
            posts,
            self.hashtags[self.hashtags["post_id"].isin(ids)],
            self.topics[self.topics["post_id"].isin(ids)],
            self.embeds[self.embeds["post_id"].isin(ids)],
        )

    def where_days(self, days: Iterable[str]) -> Facts:
        wanted = set(days)
        return self.where(lambda f: f.posts["day"].isin(wanted))


def rollup(
    facts: Facts,
    granularity: str,
    *,
    dimensions: Sequence[str] = DIMENSIONS,
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Trend rows (without spike columns) for the facts, by period, dimension and key."""
    posts = facts.posts.assign(period=_periods(facts.posts, granularity))
    posts = posts[posts["period"].notna()]
    frames = []
    embeds = facts.embeds
    for dimension in dimensions:
        members = _members(dimension, posts, facts)
        if keys is not None:
            members = members[members["key"].isin(keys)]
        if members.empty:
            continue
        grouped = members.merge(
            posts[["id", "period", "compound"]], left_on="post_id", right_on="id"
        )
        scored = grouped["compound"].notna()
        grouped = grouped.assign(
            scored=scored,
            pos=scored & (grouped["compound"] >= POSITIVE),
            neg=scored & (grouped["compound"] <= NEGATIVE),
        )
        by = ["period", "key"]
        summary = grouped.groupby(by, sort=True).agg(
            posts=("post_id", "nunique"),
            mean_compound=("compound", "mean"),
            scored=("scored", "sum"),
            pos=("pos", "sum"),
            neg=("neg", "sum"),
        )
        linked = grouped[["post_id", "period", "key"]].merge(embeds, on="post_id")
        if dimension == "outlet":
            linked = linked[linked["outlet"] == linked["key"]]
        reach = linked.groupby(by).agg(
            articles=("article_id", "nunique"),
            outlets=("outlet", "nunique"),
            framing_mean=("framing_compound", "mean"),
        )
        summary = summary.join(reach, how="left").fillna({"articles": 0, "outlets": 0})
        summary["framing_mean"] = summary["framing_mean"].astype("float64").round(4)
        with_scores = summary["scored"] > 0
        for share, column in (("pos_share", "pos"), ("neg_share", "neg")):
            summary[share] = (summary[column] / summary["scored"]).where(with_scores)
        summary["neu_share"] = (
            (summary["scored"] - summary["pos"] - summary["neg"]) / summary["scored"]
        ).where(with_scores)
        summary["mean_compound"] = summary["mean_compound"].round(4)
        for share in ("pos_share", "neg_share", "neu_share"):
            summary[share] = summary[share].round(4)
        summary = summary.reset_index().assign(dimension=dimension, granularity=granularity)
        frames.append(summary)
    if not frames:
        return pd.DataFrame(columns=list(TREND_COLUMNS))
    result = pd.concat(frames, ignore_index=True)
    for column in ("spike_score", "is_spike", "baseline", "spike_status"):
        result[column] = None
    result = result.astype({"posts": "int64", "articles": "int64", "outlets": "int64"})
    return result[list(TREND_COLUMNS)].sort_values(
        ["period", "dimension", "key"], ignore_index=True
    )


def _members(dimension: str, posts: pd.DataFrame, facts: Facts) -> pd.DataFrame:
    if dimension == "all":
        return pd.DataFrame({"post_id": posts["id"], "key": "all"})
    if dimension == "platform":
        return pd.DataFrame({"post_id": posts["id"], "key": posts["platform"]})
    if dimension == "hashtag":
        return facts.hashtags
    if dimension == "topic":
        return facts.topics
    if dimension == "outlet":
        embeds = facts.embeds.dropna(subset=["outlet"])
        return embeds[["post_id", "outlet"]].drop_duplicates().rename(columns={"outlet": "key"})
    raise ValueError(f"unknown dimension {dimension!r}: expected one of {', '.join(DIMENSIONS)}")


def _periods(posts: pd.DataFrame, granularity: str) -> pd.Series:
    if granularity == "day":
        return posts["day"]
    if granularity == "hour":
        return posts["hour"]
    days = pd.to_datetime(posts["day"], format="%Y-%m-%d")
    return (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")


def _facts(db: Database, condition: str, params: Sequence[object], zone: ZoneInfo) -> Facts:
    posts = pd.read_sql_query(
        f"SELECT p.id, p.platform, p.posted_at, p.compound FROM posts p WHERE {condition}",
        db.conn,
        params=list(params),
    )
    timed = posts["posted_at"].str.len() > 10
    moments = pd.to_datetime(posts["posted_at"].where(timed), utc=True, format="ISO8601")
    local = moments.dt.tz_convert(zone)
    posts["day"] = local.dt.strftime("%Y-%m-%d").where(timed, posts["posted_at"])
    posts["hour"] = local.dt.strftime("%Y-%m-%dT%H:00").where(timed, None)
    posts = posts.drop(columns=["posted_at"])
    selected = f"SELECT p.id FROM posts p WHERE {condition}"

    def linked(sql: str) -> pd.DataFrame:
        return pd.read_sql_query(sql.format(selected=selected), db.conn, params=list(params))

    return Facts(
        posts=posts,
        hashtags=linked(
            "SELECT post_id, hashtag AS key FROM post_hashtags WHERE post_id IN ({selected})"
        ),
        topics=linked(
            "SELECT post_id, topic AS key FROM post_topics WHERE post_id IN ({selected})"
        ),
        embeds=linked(
            "SELECT ap.post_id, ap.article_id, a.outlet, ap.framing_compound FROM article_posts ap "
            "JOIN articles a ON a.id = ap.article_id WHERE ap.post_id IN ({selected})"
        ),
    )


def _local_days(dates: Iterable[str], zone: ZoneInfo) -> set[str]:
    """The local days that posts of these UTC dates (or bare dates) can fall on."""
    utc = zone.key == "UTC"
    days: set[str] = set()
    for value in dates:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            continue
        days.add(day.isoformat())
        if not utc:
            days.update(
                ((day - timedelta(days=1)).isoformat(), (day + timedelta(days=1)).isoformat())
            )
    return days


def _range_condition(days: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """SQL selecting the posts that can fall on these local days: their UTC times are
    within a day of them (a bare date or a timestamp both sort by their date prefix). Each
    run of consecutive days is one range, so that days far apart (a backfill's old day and
    today) read only their own posts, not every post between them."""
    ordered = sorted(date.fromisoformat(day) for day in set(days))
    runs: list[list[date]] = []
    for day in ordered:
        if runs and (day - runs[-1][1]).days <= 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    params: list[str] = []
    for first, last in runs:
        params += [(first - timedelta(days=1)).isoformat(), (last + timedelta(days=2)).isoformat()]
    condition = " OR ".join("(p.posted_at >= ? AND p.posted_at < ?)" for _ in runs)
    return f"({condition})", tuple(params)


def _assign_topics_for(db: Database, topics: Sequence[Topic], days: Sequence[str]) -> None:
    condition, params = _range_condition(days)
    db.execute(
        f"DELETE FROM post_topics WHERE post_id IN (SELECT p.id FROM posts p WHERE {condition})",
        params,
    )
    assign_topics(db, topics, condition, params)


def _insert(db: Database, rows: pd.DataFrame) -> int:
    if rows.empty:
        return 0
    columns = ", ".join(TREND_COLUMNS)
    db.conn.executemany(
        f"INSERT OR REPLACE INTO trends ({columns}) VALUES ({_marks(TREND_COLUMNS)})",
        rows.astype(object).where(rows.notna(), None).itertuples(index=False, name=None),
    )
    return len(rows)


def _rescore_spikes(db: Database, days: Sequence[str], topics: Sequence[str]) -> None:
    """Spike scores of every day that looks back on a recomputed day, for the keys involved."""
    if not days and not topics:
        return
    series_keys: set[tuple[str, str]] = set()
    if days:
        series_keys.update(
            db.execute(
                f"SELECT DISTINCT dimension, key FROM trends WHERE granularity = 'day' "
                f"AND period IN ({_marks(days)})",
                list(days),
            ).fetchall()
        )
    series_keys.update(("topic", topic) for topic in topics)
    first_changed = days[0] if days else "0000-00-00"
    updates = []
    for dimension, key in sorted(series_keys):
        rescored_all = dimension == "topic" and key in topics
        (start,) = db.execute(
            "SELECT min(period) FROM trends WHERE granularity = 'day' AND dimension = ? "
            "AND key = ?",
            [dimension, key],
        ).fetchone()
        if start is None:
            continue
        first_day = date.fromisoformat(start)
        # A day's score reads the WINDOW days before it: only those before the first day
        # rescored are read, not the whole series (a year of days, for an old key).
        since = first_day
        if not rescored_all:
            since = max(first_day, date.fromisoformat(first_changed) - timedelta(days=WINDOW))
        counts = dict(
            db.execute(
                "SELECT period, posts FROM trends WHERE granularity = 'day' AND dimension = ? "
                "AND key = ? AND period >= ? ORDER BY period",
                [dimension, key, since.isoformat()],
            ).fetchall()
        )
        if not counts:
            continue
        span = (date.fromisoformat(max(counts)) - since).days + 1
        series = [counts.get((since + timedelta(days=i)).isoformat(), 0) for i in range(span)]
        # Days since the key was first seen count from its first day, which may be before
        # ``since`` (a negative index).
        scores = spikes.score_series(series, first_day_index=(first_day - since).days)
        for index, scored in enumerate(scores):
            period = (since + timedelta(days=index)).isoformat()
            if period in counts and (rescored_all or period >= first_changed):
                updates.append(
                    (
                        round(scored.score, 4) if scored.score != float("inf") else 99.0,
                        int(scored.is_spike),
                        scored.baseline,
                        scored.status,
                        period,
                        dimension,
                        key,
                    )
                )
    db.conn.executemany(
        "UPDATE trends SET spike_score = ?, is_spike = ?, baseline = ?, spike_status = ? "
        "WHERE granularity = 'day' AND period = ? AND dimension = ? AND key = ?",
        updates,
    )


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


def series_embeds(
    db: Database, period: str, dimension: str, key: str, config: Config | None = None
) -> pd.DataFrame:
    """The embeds behind one day's count of one series: a row per article embedding one of
    its posts (``post_id``, ``article_id``, ``outlet``), the day local in the configured time
    zone, as the trends count them. For an outlet's series, that outlet's embeds only."""
    config = config or Config()
    facts = _facts(db, *_range_condition([period]), config.zone).where_days([period])
    members = _members(dimension, facts.posts, facts)
    posts = set(members.loc[members["key"] == key, "post_id"])
    embeds = facts.embeds[facts.embeds["post_id"].isin(posts)]
    if dimension == "outlet":
        embeds = embeds[embeds["outlet"] == key]
    return embeds


def spike_drivers(
    db: Database, period: str, dimension: str, key: str, config: Config | None = None
) -> list[tuple[str, int]]:
    """The outlets behind a day's count: for each outlet embedding posts of that day and
    key, how many of them it embeds, most first."""
    embeds = series_embeds(db, period, dimension, key, config).dropna(subset=["outlet"])
    counts = embeds.groupby("outlet")["post_id"].nunique().sort_values(ascending=False)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
