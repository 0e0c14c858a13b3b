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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from . import spikes
from .config import Config, Topic
from .rollup import (
    DIMENSIONS,
    GRANULARITIES,
    NEGATIVE,
    POSITIVE,
    TREND_COLUMNS,
    members,
    read_facts,
    rollup,
)
from .spikes import WINDOW
from .store import immediate
from .topics import assign_topics, sync_topics

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DIMENSIONS",
    "GRANULARITIES",
    "NEGATIVE",
    "POSITIVE",
    "TREND_COLUMNS",
    "TrendsResult",
    "compute_trends",
    "refresh_trends",
    "series_embeds",
    "spike_drivers",
    "stored_timezone",
    "trends_staleness",
]


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
            facts = read_facts(db, *_range_condition(days), zone).where_days(days)
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
            facts = read_facts(db, "p.posted_at IS NOT NULL", (), zone)
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
    import pandas as pd  # only for the frame returned: the refresh never imports it

    config = config or Config()
    facts = read_facts(db, "p.posted_at IS NOT NULL", (), config.zone)
    if since or until:
        low = since.isoformat() if since else "0000"
        high = until.isoformat() if until else "9999"
        facts = facts.where(lambda post: low <= post.day <= high)
    frame = pd.DataFrame(rollup(facts, granularity), columns=list(TREND_COLUMNS))
    return frame.astype({"posts": "int64", "articles": "int64", "outlets": "int64"})


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


def _insert(db: Database, rows: list[tuple]) -> int:
    columns = ", ".join(TREND_COLUMNS)
    db.conn.executemany(
        f"INSERT OR REPLACE INTO trends ({columns}) VALUES ({_marks(TREND_COLUMNS)})", rows
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
        # Only the stored days are scored (a key seen twice a year has a year of empty days
        # between); days since the key was first seen count from its first day, which may
        # be before ``since`` (a negative index).
        periods = [p for p in counts if rescored_all or p >= first_changed]
        scores = spikes.score_series(
            series,
            first_day_index=(first_day - since).days,
            days=[(date.fromisoformat(p) - since).days for p in periods],
        )
        for period, scored in zip(periods, scores, strict=True):
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
) -> list[tuple[str, str, str | None]]:
    """The embeds behind one day's count of one series: ``(post_id, article_id, outlet)``
    for each article embedding one of its posts, the day local in the configured time zone,
    as the trends count them. For an outlet's series, that outlet's embeds only."""
    config = config or Config()
    facts = read_facts(db, *_range_condition([period]), config.zone).where_days([period])
    # The series' posts, as the rollup groups them.
    posts = {post_id for post_id, name in members(dimension, facts) if name == key}
    return [
        (embed.post_id, embed.article_id, embed.outlet)
        for embed in facts.embeds
        if embed.post_id in posts and (dimension != "outlet" or embed.outlet == key)
    ]


def spike_drivers(
    db: Database, period: str, dimension: str, key: str, config: Config | None = None
) -> list[tuple[str, int]]:
    """The outlets behind a day's count: for each outlet embedding posts of that day and
    key, how many of them it embeds, most first."""
    embeds = series_embeds(db, period, dimension, key, config)
    posts = {(post_id, outlet) for post_id, _, outlet in embeds if outlet is not None}
    counts = Counter(outlet for _, outlet in posts)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
