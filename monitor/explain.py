"""A spike explained: what spiked, against what, how unusual it is, and what drove it.

:func:`explain_spike` gathers it as data (a :class:`SpikeCard`); :mod:`monitor.cards` writes
it as the alert a person reads (plain text, Markdown, HTML). Every figure is one a reader
can check against the trends and the posts.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlite_utils import Database

from .config import Config
from .report.words import chance, series_name, spike_explanation
from .spikes import WINDOW
from .trends import series_embeds

TOP_POSTS = 5
TOP_OUTLETS = 5
TOP_HASHTAGS = 8
# An outlet with at least this share of a spike's embeds carries it: said on the card.
DOMINANT_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class CardOutlet:
    outlet: str
    posts: int  # of the spike's posts it embeds
    share: float  # of the day's embeds of the spike's posts (a post in two articles: two)


@dataclass(frozen=True, slots=True)
class CardPost:
    platform: str
    text: str | None
    author_name: str | None
    author_handle: str | None
    posted_at: str | None
    url: str | None
    articles: int  # how many articles embed it
    compound: float | None


@dataclass(frozen=True, slots=True)
class SpikeCard:
    """One day of one trend series that spiked (or a new key's first burst), explained."""

    day: str
    dimension: str
    key: str
    series: str  # as a reader names it: "hashtag #ww3"
    status: str  # "spike" or "new"
    posts: int
    baseline: float  # the median of the WINDOW days before, never below the floor
    ratio: float
    spike_score: float | None  # -log10 of the chance of such a count on an ordinary day
    chance: str  # that chance in words: "about 1 in 1,700"
    explanation: str  # the sentence the daily report gives
    mean_compound: float | None
    neg_share: float | None
    # The same over the baseline days that had posts (weighted by their posts); None if none.
    baseline_mean_compound: float | None
    baseline_neg_share: float | None
    articles: int
    outlets: tuple[CardOutlet, ...]  # most first, at most TOP_OUTLETS
    outlet_count: int
    dominant: str | None  # the outlet embedding most of the posts, when one does
    top_posts: tuple[CardPost, ...]  # most embedded first
    hashtags: tuple[tuple[str, int], ...]  # co-occurring, most posts first
    report: str  # the day's report (written once the day is over)


def explain_spike(
    db: Database, day: str | date, dimension: str, key: str, config: Config | None = None
) -> SpikeCard:
    """The card of one day of one series, from the trends and the posts behind them.

    :raises LookupError: when that day of that series is neither a spike nor new.
    """
    config = config or Config()
    day = day.isoformat() if isinstance(day, date) else day
    found = list(
        db.query(
            "SELECT s.*, t.neg_share FROM spikes s JOIN trends t ON t.granularity = 'day' "
            "AND t.period = s.period AND t.dimension = s.dimension AND t.key = s.key "
            "WHERE s.period = ? AND s.dimension = ? AND s.key = ?",
            [day, dimension, key],
        )
    )
    if not found:
        raise LookupError(f"{day} is not a spike of {dimension} {key!r}")
    spike = found[0]
    embeds = series_embeds(db, day, dimension, key, config)
    drivers = _outlets(embeds)
    baseline_compound, baseline_negative = _baseline_sentiment(db, day, dimension, key)
    dominant = drivers[0].outlet if drivers and drivers[0].share >= DOMINANT_SHARE else None
    return SpikeCard(
        day=day,
        dimension=dimension,
        key=key,
        series=series_name(spike),
        status=spike["spike_status"],
        posts=spike["posts"],
        baseline=spike["baseline"],
        ratio=spike["ratio"],
        spike_score=spike["spike_score"],
        chance=chance(spike["spike_score"]),
        # The outlets have a line of their own on the card.
        explanation=spike_explanation(spike, []),
        mean_compound=spike["mean_compound"],
        neg_share=spike["neg_share"],
        baseline_mean_compound=baseline_compound,
        baseline_neg_share=baseline_negative,
        articles=len({article_id for _, article_id, _ in embeds}),
        outlets=tuple(drivers[:TOP_OUTLETS]),
        outlet_count=len(drivers),
        dominant=dominant,
        top_posts=_top_posts(db, embeds),
        hashtags=_hashtags(db, embeds, key if dimension == "hashtag" else None),
        report=str(Path(config.reports) / f"{day}.html"),
    )


Embeds = list[tuple[str, str, str | None]]  # (post_id, article_id, outlet)


def _outlets(embeds: Embeds) -> list[CardOutlet]:
    known = [(post_id, outlet) for post_id, _, outlet in embeds if outlet is not None]
    if not known:
        return []
    posts = Counter(outlet for _, outlet in set(known))
    shares = {outlet: n / len(known) for outlet, n in Counter(o for _, o in known).items()}
    ranked = sorted(posts.items(), key=lambda item: (-shares[item[0]], -item[1], item[0]))
    return [CardOutlet(outlet, n, round(shares[outlet], 4)) for outlet, n in ranked]


def _baseline_sentiment(
    db: Database, day: str, dimension: str, key: str
) -> tuple[float | None, float | None]:
    start = (date.fromisoformat(day) - timedelta(days=WINDOW)).isoformat()
    rows = db.execute(
        "SELECT posts, mean_compound, neg_share FROM trends WHERE granularity = 'day' "
        "AND dimension = ? AND key = ? AND period >= ? AND period < ?",
        [dimension, key, start, day],
    ).fetchall()
    return _weighted(rows, 1), _weighted(rows, 2)


def _weighted(rows: list[tuple], column: int) -> float | None:
    known = [(row[0], row[column]) for row in rows if row[column] is not None and row[0]]
    total = sum(posts for posts, _ in known)
    if not total:
        return None
    return round(sum(posts * value for posts, value in known) / total, 4)


def _top_posts(db: Database, embeds: Embeds) -> tuple[CardPost, ...]:
    articles = Counter(post_id for post_id, _ in {(p, a) for p, a, _ in embeds})
    ranked = sorted(articles.items(), key=lambda item: (-item[1], item[0]))[:TOP_POSTS]
    posts = []
    for post_id, count in ranked:
        row = db.execute(
            "SELECT platform, text, author_name, author_handle, posted_at, url, compound "
            "FROM posts WHERE id = ?",
            [post_id],
        ).fetchone()
        platform, text, name, handle, posted_at, url, compound = row
        posts.append(CardPost(platform, text, name, handle, posted_at, url, int(count), compound))
    return tuple(posts)


def _hashtags(db: Database, embeds: Embeds, own: str | None) -> tuple[tuple[str, int], ...]:
    ids = sorted({post_id for post_id, _, _ in embeds})
    if not ids:
        return ()
    counts = db.execute(
        "SELECT hashtag, count(*) AS posts FROM post_hashtags "
        "WHERE post_id IN (SELECT value FROM json_each(?)) GROUP BY hashtag "
        "ORDER BY posts DESC, hashtag",
        [json.dumps(ids)],
    ).fetchall()
    return tuple((tag, n) for tag, n in counts if tag != own)[:TOP_HASHTAGS]
