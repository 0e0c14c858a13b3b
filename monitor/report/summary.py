"""The daily report's content: one JSON-able summary of a day, read from the database.

Everything the report shows comes from :func:`build_summary`; the HTML and Markdown are two
renderings of it. It only reads: call :func:`monitor.refresh_trends` first (``monitor report``
does) so that the stored trends are current.

Definitions follow :mod:`monitor.trends`: a post belongs to the day **it was posted**, in the
configured time zone (a post known only by its date belongs to that date).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from ..config import Config
from ..sentiment import SCORER_VERSION
from ..trends import spike_drivers, stored_timezone
from .words import caveats, spike_explanation, spike_rule

SUMMARY_VERSION = 1
HISTORY_DAYS = 30  # the charts' window, the report's day last
BASELINE_DAYS = 7  # headline numbers and hashtags are set against the median of these days
TOP = 10  # rows of the hashtag and outlet tables
FRAMING_GAP = 0.2
"""How far apart (in VADER's compound, -1 to 1) an outlet's embedded posts and its own words
around them must be, on average, for the report to say which way it leans."""
FRAMING_ARTICLES = 3
"""The fewest of an outlet's articles of the day behind such a statement."""
FRAMING_NOTE = (
    "Its framing: VADER on the outlet's own words just before and after each embed (the "
    "nearest paragraph on each side), averaged over its embeds of the day's posts. News prose "
    "is not what VADER was validated on, quoting a view is not holding it, and only English "
    "is scored: a reading is given only where the posts and the framing differ by at least "
    f"{FRAMING_GAP:g} over at least {FRAMING_ARTICLES} articles."
)
POSTS_SHOWN = 5  # posts in each of the amplified, negative and positive lists
HEALTH_DAYS = 7  # job runs shown: those started this many days before the report was built
FAILED_FILES_SHOWN = 20
ERROR_SHOWN = 300  # characters of an error message
RISING_MIN_POSTS = 2
RISING_MIN_RATIO = 2.0
_MEASURES = (
    ("posts", "Posts"),
    ("articles", "Articles"),
    ("outlets", "Outlets"),
    ("mean_compound", "Mean sentiment"),
    ("neg_share", "Negative share"),
)


def build_summary(
    db: Database, day: date, config: Config | None = None, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the daily report of ``day`` shows, as plain JSON-able data.

    :param db: the monitor database (a read-only connection is enough).
    :param day: the local day reported on.
    :param config: time zone and watched topics; ``None`` means those the stored trends were
        computed with.
    :param now: when the report is built (default: now); collection health looks back from it.
    """
    now = now or datetime.now(UTC)
    stored_zone = stored_timezone(db)
    zone_name = config.timezone if config else stored_zone
    topics = (
        [topic.name for topic in config.topics]
        if config
        else [row[0] for row in db.execute("SELECT name FROM topics ORDER BY name")]
    )
    zone = ZoneInfo(zone_name)
    posts = _day_posts(db, day, zone)
    series = _series(db, "all", "all", day, HISTORY_DAYS)
    today = series[-1]
    summary: dict[str, Any] = {
        "version": SUMMARY_VERSION,
        "day": day.isoformat(),
        "timezone": zone_name,
        "generated_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "empty": not posts,
        "scope": _scope(db, posts),
        "headline": _headline(series),
        "series": series,
        "hashtags": _hashtags(db, day),
        "topics": [_topic(db, name, day) for name in topics],
        "spikes": _spikes(db, day, Config(timezone=zone_name)),
        "amplified": _amplified(db, posts),
        "negative": _ranked(posts, negative=True),
        "positive": _ranked(posts, negative=False),
        "outlets": _outlets(db, day),
        "framing_note": FRAMING_NOTE,
        "health": _health(db, now),
    }
    summary["caveats"] = caveats(
        posts=len(posts),
        unscored=sum(post["compound"] is None for post in posts),
        dated_only=sum(len(post["posted_at"]) <= 10 for post in posts),
        untimed=db.execute("SELECT count(*) FROM posts WHERE posted_at IS NULL").fetchone()[0],
        zone=zone_name,
        trends_zone=stored_zone,
        trends_posts=today["posts"],
    )
    return summary


# --- the day's posts ------------------------------------------------------------------------

_POSTS_SQL = """
SELECT p.id, p.platform, p.url, p.author_name, p.author_handle, p.posted_at, p.text,
       p.compound, p.scorer,
       (SELECT count(*) FROM article_posts ap WHERE ap.post_id = p.id) AS articles,
       (SELECT group_concat(outlet, ' ') FROM (
            SELECT DISTINCT a.outlet FROM article_posts ap JOIN articles a ON a.id = ap.article_id
            WHERE ap.post_id = p.id AND a.outlet IS NOT NULL ORDER BY a.outlet)) AS outlets,
       (SELECT group_concat(hashtag, ' ') FROM (
            SELECT hashtag FROM post_hashtags h WHERE h.post_id = p.id ORDER BY hashtag))
           AS hashtags
FROM posts p
WHERE p.posted_at >= ? AND p.posted_at < ?
ORDER BY p.posted_at, p.id
"""


def _day_posts(db: Database, day: date, zone: ZoneInfo) -> list[dict[str, Any]]:
    """The posts made on the local ``day``, each with its local time, hashtags, and the
    articles and outlets that embed it."""
    # A UTC timestamp or a bare date, both sort by their date: a day either side is enough.
    low, high = (day - timedelta(days=1)).isoformat(), (day + timedelta(days=2)).isoformat()
    posts = []
    for row in db.query(_POSTS_SQL, [low, high]):
        posted = row["posted_at"]
        if len(posted) > 10:
            local = datetime.fromisoformat(posted).astimezone(zone)
            if local.date() != day:
                continue
            row["local_time"] = local.strftime("%Y-%m-%d %H:%M")
        elif posted == day.isoformat():
            row["local_time"] = posted
        else:
            continue
        row["outlets"] = row["outlets"].split(" ") if row["outlets"] else []
        row["hashtags"] = row["hashtags"].split(" ") if row["hashtags"] else []
        posts.append(row)
    return posts


def _post(row: dict[str, Any], **extra: Any) -> dict[str, Any]:
    keys = ("id", "platform", "url", "author_name", "author_handle", "posted_at", "local_time",
            "text", "compound", "articles", "outlets", "hashtags")  # fmt: skip
    return {key: row[key] for key in keys} | extra


def _amplified(db: Database, posts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The day's posts embedded by more than one article, most embedded first."""
    shown = sorted(
        (post for post in posts if post["articles"] > 1),
        key=lambda p: (-p["articles"], -len(p["outlets"]), p["posted_at"], p["id"]),
    )[:POSTS_SHOWN]
    result = []
    for post in shown:
        first = db.execute(
            "SELECT first_outlet, delay_hours FROM post_amplification WHERE post_id = ?",
            [post["id"]],
        ).fetchone()
        result.append(_post(post, first_outlet=first[0], delay_hours=first[1]))
    return result


def _ranked(posts: Sequence[dict[str, Any]], *, negative: bool) -> list[dict[str, Any]]:
    """The day's most negative (compound ≤ -0.05) or most positive (≥ 0.05) posts."""
    if negative:
        chosen = [p for p in posts if p["compound"] is not None and p["compound"] <= -0.05]
        chosen.sort(key=lambda p: (p["compound"], -p["articles"], p["id"]))
    else:
        chosen = [p for p in posts if p["compound"] is not None and p["compound"] >= 0.05]
        chosen.sort(key=lambda p: (-p["compound"], -p["articles"], p["id"]))
    return [_post(post) for post in chosen[:POSTS_SHOWN]]


# --- provenance -----------------------------------------------------------------------------


def _scope(db: Database, posts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    ids = [post["id"] for post in posts]
    marks = ", ".join("?" for _ in ids)
    articles, outlets, files = (
        db.execute(
            "SELECT count(DISTINCT a.id), count(DISTINCT a.outlet), count(DISTINCT a.source_path) "
            f"FROM article_posts ap JOIN articles a ON a.id = ap.article_id "
            f"WHERE ap.post_id IN ({marks})",
            ids,
        ).fetchone()
        if ids
        else (0, 0, 0)
    )
    done, failed, last_read = db.execute(
        "SELECT count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status = 'failed'),"
        " max(ingested_at) FROM archive_files"
    ).fetchone()
    return {
        "posts": len(posts),
        "scored": sum(post["compound"] is not None for post in posts),
        "articles": articles,
        "outlets": outlets,
        "archive_files": files,
        "scorers": sorted({post["scorer"] for post in posts if post["scorer"]}),
        "scorer_current": SCORER_VERSION,
        "database": {
            "posts": db.execute("SELECT count(*) FROM posts").fetchone()[0],
            "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
            "archive_files_read": done,
            "archive_files_failed": failed,
            "last_read_at": last_read,
        },
    }


# --- trends ---------------------------------------------------------------------------------

_SERIES_COLUMNS = ("posts", "articles", "outlets", "mean_compound", "pos_share", "neg_share",
                   "neu_share", "spike_status")  # fmt: skip


def _days(day: date, count: int) -> list[str]:
    return [(day - timedelta(days=n)).isoformat() for n in range(count - 1, -1, -1)]


def _series(db: Database, dimension: str, key: str, day: date, count: int) -> list[dict]:
    """A key's stored daily trends over the ``count`` days to ``day``, a row for every day
    (a day without posts has 0 posts and no sentiment)."""
    days = _days(day, count)
    stored = {
        row["period"]: row
        for row in db.query(
            "SELECT * FROM trends WHERE granularity = 'day' AND dimension = ? AND key = ? "
            "AND period >= ? AND period <= ?",
            [dimension, key, days[0], days[-1]],
        )
    }
    empty = {"posts": 0, "articles": 0, "outlets": 0}
    return [{"day": d} | {c: stored.get(d, empty).get(c) for c in _SERIES_COLUMNS} for d in days]


def _median(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return float(statistics.median(known)) if known else None


def _headline(series: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The day's numbers against the median of the days before it (counts: days without
    posts count 0; sentiment: over the days that have some)."""
    today, before = series[-1], series[-1 - BASELINE_DAYS : -1]
    rows = []
    for name, label in _MEASURES:
        value = today[name]
        median = _median(row[name] for row in before)
        change = None if value is None or median is None else round(value - median, 4)
        rows.append(
            {"measure": name, "label": label, "value": value, "median": median, "change": change}
        )
    return rows


def _day_rows(db: Database, dimension: str, day: date) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT key, posts, articles, outlets, mean_compound, neg_share, spike_status, "
            "framing_mean "
            "FROM trends WHERE granularity = 'day' AND dimension = ? AND period = ? "
            "ORDER BY posts DESC, articles DESC, key",
            [dimension, day.isoformat()],
        )
    )


def _medians_before(db: Database, dimension: str, day: date) -> dict[str, float]:
    """Per key, the median daily count of the days before ``day`` (0 for a day without)."""
    days = _days(day - timedelta(days=1), BASELINE_DAYS)
    counts: dict[str, dict[str, int]] = {}
    for key, period, posts in db.execute(
        "SELECT key, period, posts FROM trends WHERE granularity = 'day' AND dimension = ? "
        "AND period >= ? AND period <= ?",
        [dimension, days[0], days[-1]],
    ):
        counts.setdefault(key, {})[period] = posts
    return {
        key: float(statistics.median(by_day.get(d, 0) for d in days))
        for key, by_day in counts.items()
    }


def _hashtags(db: Database, day: date) -> dict[str, list[dict[str, Any]]]:
    """The day's top hashtags, and the rising ones: at least :data:`RISING_MIN_POSTS` posts
    and :data:`RISING_MIN_RATIO` times their median of the days before (at least 1)."""
    medians = _medians_before(db, "hashtag", day)
    rows = [
        {"hashtag": row["key"]}
        | {k: v for k, v in row.items() if k != "key"}
        | {"median": medians.get(row["key"], 0.0)}
        for row in _day_rows(db, "hashtag", day)
    ]
    rising = [
        row | {"change": row["posts"] - row["median"]}
        for row in rows
        if row["posts"] >= RISING_MIN_POSTS
        and row["posts"] >= RISING_MIN_RATIO * max(row["median"], 1.0)
    ]
    rising.sort(key=lambda row: (-row["change"], -row["posts"], row["hashtag"]))
    rule = (
        f"At least {RISING_MIN_POSTS} posts and {RISING_MIN_RATIO:g} times the median of the "
        f"{BASELINE_DAYS} days before (taken as 1 when lower)."
    )
    return {"top": rows[:TOP], "rising": rising[:TOP], "rising_rule": rule}


def _topic(db: Database, name: str, day: date) -> dict[str, Any]:
    series = _series(db, "topic", name, day, BASELINE_DAYS + 1)
    today = series[-1]
    return {
        "topic": name,
        **{c: today[c] for c in ("posts", "articles", "outlets", "mean_compound", "neg_share")},
        "median": _median(row["posts"] for row in series[:-1]),
        "spike_status": today["spike_status"],
    }


def _outlets(db: Database, day: date) -> list[dict[str, Any]]:
    """The day's top outlets, each with the mean sentiment of the posts it embedded beside
    the mean of its own words around them (its framing), and what the gap says where it is
    wide enough over enough articles to say anything (see :data:`FRAMING_GAP`)."""
    rows = []
    for row in _day_rows(db, "outlet", day)[:TOP]:
        posts, framing = row["mean_compound"], row["framing_mean"]
        gap = None if posts is None or framing is None else round(posts - framing, 4)
        reading = ""
        if gap is not None and abs(gap) >= FRAMING_GAP and row["articles"] >= FRAMING_ARTICLES:
            reading = (
                "embeds angrier reactions than its framing"
                if gap < 0
                else "embeds warmer reactions than its framing"
            )
        rows.append(
            {"outlet": row["key"]}
            | {k: v for k, v in row.items() if k not in ("key", "spike_status")}
            | {"framing_gap": gap, "framing_reading": reading}
        )
    return rows


def _spikes(db: Database, day: date, config: Config) -> dict[str, list[dict[str, Any]]]:
    """The day's spikes (and new keys' bursts), explained, and the spike days before it in
    the charts' window."""
    found = []
    for row in db.query(
        "SELECT * FROM spikes WHERE period = ? "
        "ORDER BY spike_status DESC, spike_score DESC, dimension, key",
        [day.isoformat()],
    ):
        drivers = spike_drivers(db, row["period"], row["dimension"], row["key"], config)
        row["drivers"] = [{"outlet": outlet, "posts": n} for outlet, n in drivers]
        row["explanation"] = spike_explanation(row, drivers)
        found.append(row)
    earlier = list(
        db.query(
            "SELECT period, dimension, key, posts, spike_status FROM spikes "
            "WHERE period >= ? AND period < ? AND spike_status = 'spike' "
            "ORDER BY period DESC, dimension, key",
            [(day - timedelta(days=HISTORY_DAYS - 1)).isoformat(), day.isoformat()],
        )
    )
    return {"rule": spike_rule(), "day": found, "earlier": earlier}


# --- collection health ----------------------------------------------------------------------


def _health(db: Database, now: datetime) -> dict[str, Any]:
    """The scheduled jobs' runs of the last :data:`HEALTH_DAYS` days, per job, and the
    archive files that could not be read (they are tried again on every ingest)."""
    since = (now - timedelta(days=HEALTH_DAYS)).astimezone(UTC).isoformat(timespec="seconds")
    jobs: dict[str, dict[str, Any]] = {}
    for row in db.query(
        "SELECT job, started_at, finished_at, status, error FROM job_runs "
        "WHERE started_at >= ? ORDER BY started_at, id",
        [since],
    ):
        job = jobs.setdefault(
            row["job"], {"job": row["job"], "runs": 0, "ok": 0, "failed": 0, "running": 0}
        )
        job["runs"] += 1
        if row["status"] in ("ok", "failed", "running"):
            job[row["status"]] += 1
        job["last_started_at"], job["last_status"] = row["started_at"], row["status"]
        job["last_error"] = _error_summary(row["error"]) if row["status"] == "failed" else None
    failed = list(
        db.query(
            "SELECT path, error, ingested_at FROM archive_files WHERE status = 'failed' "
            "ORDER BY ingested_at DESC, path LIMIT ?",
            [FAILED_FILES_SHOWN],
        )
    )
    for row in failed:
        row["error"] = _error_summary(row["error"])
    alerts = list(
        db.query(
            "SELECT day, dimension, key, destination, result, attempts, error, last_tried_at "
            "FROM alerts WHERE last_tried_at >= ? ORDER BY last_tried_at DESC",
            [since],
        )
    )
    for row in alerts:
        row["destination"] = row["destination"].split("?", 1)[0]  # its query: options
        row["error"] = _error_summary(row["error"])
    return {
        "alerts_sent": sum(row["result"] == "sent" for row in alerts),
        "alerts_undelivered": [row for row in alerts if row["result"] != "sent"],
        "since": since,
        "jobs": sorted(jobs.values(), key=lambda job: job["job"]),
        "failed_files": failed,
        "failed_files_total": db.execute(
            "SELECT count(*) FROM archive_files WHERE status = 'failed'"
        ).fetchone()[0],
    }


def _error_summary(text: str | None) -> str | None:
    """An error on one line: a traceback's last line (the exception), else the message."""
    if not text or not text.strip():
        return None
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[-1] if lines[0].startswith("Traceback") else " ".join(lines)
    return line if len(line) <= ERROR_SHOWN else line[: ERROR_SHOWN - 1].rstrip() + "…"
