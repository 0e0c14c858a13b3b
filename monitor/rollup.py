"""Trend rows counted from the posts of some days (see :mod:`monitor.trends` for what each
column means).

Plain Python over the rows SQLite selects, not pandas: every ingest ends with a refresh, and
importing pandas took a third of a second of each. The figures are exactly those pandas
gave: means summed as pandas sums a group, rounded to 4 places as NumPy rounds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

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


@dataclass(frozen=True, slots=True)
class Post:
    platform: str
    compound: float | None
    day: str  # the local day, YYYY-MM-DD
    hour: str | None  # the local hour, YYYY-MM-DDTHH:00; None for a post known by its date


@dataclass(frozen=True, slots=True)
class Embed:
    post_id: str
    article_id: str
    outlet: str | None
    framing: float | None


@dataclass
class Facts:
    """The posts of some days with what the rollups need: their local day and hour, score,
    and which hashtags, topics and embedding articles (with outlets) each has."""

    posts: dict[str, Post]
    hashtags: list[tuple[str, str]]  # (post_id, hashtag)
    topics: list[tuple[str, str]]  # (post_id, topic)
    embeds: list[Embed]

    def where_days(self, days: Iterable[str]) -> Facts:
        wanted = set(days)
        return self.where(lambda post: post.day in wanted)

    def where(self, keep) -> Facts:
        posts = {id_: post for id_, post in self.posts.items() if keep(post)}
        return Facts(
            posts,
            [pair for pair in self.hashtags if pair[0] in posts],
            [pair for pair in self.topics if pair[0] in posts],
            [embed for embed in self.embeds if embed.post_id in posts],
        )


def read_facts(db: Database, condition: str, params: Sequence[object], zone: ZoneInfo) -> Facts:
    """The facts of the posts the SQL ``condition`` on ``posts p`` selects."""
    params = list(params)
    posts = {
        post_id: _post(platform, compound, posted_at, zone)
        for post_id, platform, posted_at, compound in db.execute(
            f"SELECT p.id, p.platform, p.posted_at, p.compound FROM posts p WHERE {condition}",
            params,
        )
    }
    selected = f"SELECT p.id FROM posts p WHERE {condition}"
    hashtags = db.execute(
        f"SELECT post_id, hashtag FROM post_hashtags WHERE post_id IN ({selected})", params
    ).fetchall()
    topics = db.execute(
        f"SELECT post_id, topic FROM post_topics WHERE post_id IN ({selected})", params
    ).fetchall()
    embeds = [
        Embed(*row)
        for row in db.execute(
            "SELECT ap.post_id, ap.article_id, a.outlet, ap.framing_compound "
            "FROM article_posts ap JOIN articles a ON a.id = ap.article_id "
            f"WHERE ap.post_id IN ({selected})",
            params,
        )
    ]
    return Facts(posts, hashtags, topics, embeds)


def _post(platform: str, compound: float | None, posted_at: str, zone: ZoneInfo) -> Post:
    if len(posted_at) <= 10:  # a bare date: its own day, no hour
        return Post(platform, compound, posted_at, None)
    moment = datetime.fromisoformat(posted_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    return Post(platform, compound, local.strftime("%Y-%m-%d"), local.strftime("%Y-%m-%dT%H:00"))


def rollup(
    facts: Facts,
    granularity: str,
    *,
    dimensions: Sequence[str] = DIMENSIONS,
    keys: Sequence[str] | None = None,
) -> list[tuple]:
    """Trend rows, as tuples in :data:`TREND_COLUMNS` order (spike columns empty), by
    period, dimension and key."""
    periods = {
        id_: period
        for id_, post in facts.posts.items()
        if (period := _period(post, granularity)) is not None
    }
    embeds_of: dict[str, list[Embed]] = defaultdict(list)
    for embed in facts.embeds:
        embeds_of[embed.post_id].append(embed)
    wanted = set(keys) if keys is not None else None
    rows = []
    for dimension in dimensions:
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for post_id, key in members(dimension, facts):
            if post_id in periods and (wanted is None or key in wanted):
                groups[periods[post_id], key].append(post_id)
        for (period, key), post_ids in groups.items():
            rows.append(_row(period, granularity, dimension, key, post_ids, facts, embeds_of))
    rows.sort(key=lambda row: (row[0], row[2], row[3]))
    return rows


def _row(
    period: str,
    granularity: str,
    dimension: str,
    key: str,
    post_ids: list[str],
    facts: Facts,
    embeds_of: dict[str, list[Embed]],
) -> tuple:
    scores = [c for id_ in post_ids if (c := facts.posts[id_].compound) is not None]
    scored = len(scores)
    positive = sum(1 for c in scores if c >= POSITIVE)
    negative = sum(1 for c in scores if c <= NEGATIVE)
    linked = [
        embed
        for id_ in post_ids
        for embed in embeds_of.get(id_, ())
        if dimension != "outlet" or embed.outlet == key
    ]
    framings = [embed.framing for embed in linked if embed.framing is not None]
    return (
        period,
        granularity,
        dimension,
        key,
        len(set(post_ids)),
        len({embed.article_id for embed in linked}),
        len({embed.outlet for embed in linked if embed.outlet is not None}),
        _mean(scores),
        _round4(positive / scored) if scored else None,
        _round4(negative / scored) if scored else None,
        _round4((scored - positive - negative) / scored) if scored else None,
        None,
        None,
        None,
        None,
        _mean(framings),
    )


def members(dimension: str, facts: Facts) -> Iterable[tuple[str, str]]:
    """(post_id, key) of each post in each of its keys of the dimension."""
    if dimension == "all":
        return ((id_, "all") for id_ in facts.posts)
    if dimension == "platform":
        return ((id_, post.platform) for id_, post in facts.posts.items())
    if dimension == "hashtag":
        return facts.hashtags
    if dimension == "topic":
        return facts.topics
    if dimension == "outlet":
        return dict.fromkeys(
            (embed.post_id, embed.outlet) for embed in facts.embeds if embed.outlet is not None
        )
    raise ValueError(f"unknown dimension {dimension!r}: expected one of {', '.join(DIMENSIONS)}")


def _period(post: Post, granularity: str) -> str | None:
    if granularity == "day":
        return post.day
    if granularity == "hour":
        return post.hour
    day = date.fromisoformat(post.day)
    return (day - timedelta(days=day.weekday())).isoformat()  # the week, by its Monday


def _mean(values: list[float]) -> float | None:
    """The mean, summed as pandas sums a group (Kahan's compensated sum, in the rows'
    order), so that a mean on a rounding tie rounds as it always has."""
    if not values:
        return None
    total = compensation = 0.0
    for value in values:
        adjusted = value - compensation
        running = total + adjusted
        compensation = running - total - adjusted
        total = running
    return _round4(total / len(values))


def _round4(value: float) -> float:
    # NumPy's rounding, which the stored figures have always had: half to even on the
    # value scaled by 10,000 (Python's round() of the value itself can differ from it).
    return round(value * 10_000.0) / 10_000.0
