"""Trend rollups and their refresh, on small databases written through the real store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.config import Config, Topic
from monitor.models import Article, Extraction, Post, ScoredPost, Scores
from monitor.store import ArchiveFileRecord, open_db, record_archive_file, save_extraction
from monitor.trends import compute_trends, refresh_trends

COLUMNS = ("period", "dimension", "key", "posts", "articles", "outlets", "mean_compound",
           "pos_share", "neg_share", "neu_share")  # fmt: skip


class Archive:
    """Writes articles and their posts as an ingest would, one article per call."""

    def __init__(self, path):
        self.db = open_db(path)
        self.count = 0
        with self.db.atomic():
            record_archive_file(self.db, ArchiveFileRecord("archive", 0, 0, None, "done"))

    def article(self, outlet: str | None, *posts: tuple[str, str, float | None, tuple[str, ...]]):
        self.count += 1
        url = f"https://{outlet}/a/{self.count}" if outlet else None
        article = Article("archive", locator=str(self.count), url=url, outlet=outlet)
        found = [
            Post("twitter", post_id, posted_at=at, text="text", hashtags=tags)
            for post_id, at, _, tags in posts
        ]
        scored = [
            ScoredPost(post, "en", Scores(c, 0, 0, 0) if c is not None else Scores())
            for post, (_, _, c, _) in zip(found, posts, strict=True)
        ]
        with self.db.atomic():
            save_extraction(self.db, Extraction(article, tuple(found)), scored, "2024-12-01")

    def trends(self, dimension: str | None = None) -> list[tuple]:
        where = "WHERE dimension = ?" if dimension else ""
        rows = self.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM trends {where} ORDER BY period, dimension, key",
            [dimension] if dimension else [],
        )
        return [tuple(row) for row in rows]


@pytest.fixture
def archive(tmp_path):
    return Archive(tmp_path / "m.db")


def test_daily_rows_for_every_dimension(archive):
    archive.article(
        "example.com",
        ("1", "2024-11-17T10:00:00+00:00", 0.5, ("ww3",)),
        ("2", "2024-11-17T12:00:00+00:00", -0.6, ("ww3", "atacms")),
    )
    archive.article(
        "example.org",
        ("2", "2024-11-17T12:00:00+00:00", -0.6, ("ww3", "atacms")),
        ("3", "2024-11-18", 0.0, ()),  # known only by its date
        ("4", "2024-11-18T01:00:00+00:00", None, ("ww3",)),  # not scored
    )
    result = refresh_trends(archive.db)
    assert result.days == ("2024-11-17", "2024-11-18")
    assert archive.trends() == [
        ("2024-11-17", "all", "all", 2, 2, 2, -0.05, 0.5, 0.5, 0.0),
        ("2024-11-17", "hashtag", "atacms", 1, 2, 2, -0.6, 0.0, 1.0, 0.0),
        ("2024-11-17", "hashtag", "ww3", 2, 2, 2, -0.05, 0.5, 0.5, 0.0),
        # an outlet's row counts only its own articles
        ("2024-11-17", "outlet", "example.com", 2, 1, 1, -0.05, 0.5, 0.5, 0.0),
        ("2024-11-17", "outlet", "example.org", 1, 1, 1, -0.6, 0.0, 1.0, 0.0),
        ("2024-11-17", "platform", "twitter", 2, 2, 2, -0.05, 0.5, 0.5, 0.0),
        ("2024-11-18", "all", "all", 2, 1, 1, 0.0, 0.0, 0.0, 1.0),
        ("2024-11-18", "hashtag", "ww3", 1, 1, 1, None, None, None, None),
        ("2024-11-18", "outlet", "example.org", 2, 1, 1, 0.0, 0.0, 0.0, 1.0),
        ("2024-11-18", "platform", "twitter", 2, 1, 1, 0.0, 0.0, 0.0, 1.0),
    ]
    assert archive.db.execute("SELECT count(*) FROM trend_dates").fetchone() == (0,)


def test_days_are_local_days_and_a_new_time_zone_recomputes_everything(archive):
    archive.article("example.com", ("1", "2024-11-17T23:30:00+00:00", 0.5, ()))
    refresh_trends(archive.db)
    assert [row[0] for row in archive.trends("all")] == ["2024-11-17"]
    berlin = Config(timezone="Europe/Berlin")
    refresh_trends(archive.db, berlin)
    assert [row[0] for row in archive.trends("all")] == ["2024-11-18"]
    # Hours and weeks follow the same zone.
    hours = compute_trends(archive.db, "hour", config=berlin)
    assert list(hours.loc[hours["dimension"] == "all", "period"]) == ["2024-11-18T00:00"]
    weeks = compute_trends(archive.db, "week", config=berlin)
    assert list(weeks.loc[weeks["dimension"] == "all", "period"]) == ["2024-11-18"]


def test_only_the_days_an_ingest_touched_are_recomputed(archive):
    archive.article("example.com", ("1", "2024-11-10T10:00:00+00:00", 0.5, ()))
    archive.article("example.com", ("2", "2024-11-12T10:00:00+00:00", 0.5, ()))
    refresh_trends(archive.db)
    # Mark a row no refresh should touch, then store a post on another day.
    archive.db.execute("UPDATE trends SET posts = 99 WHERE period = '2024-11-10'")
    archive.article("example.org", ("3", "2024-11-12T11:00:00+00:00", -0.5, ()))
    assert refresh_trends(archive.db).days == ("2024-11-12",)
    assert [row[:4] for row in archive.trends("all")] == [
        ("2024-11-10", "all", "all", 99),
        ("2024-11-12", "all", "all", 2),
    ]
    assert refresh_trends(archive.db, full=True).days == ("2024-11-10", "2024-11-12")
    assert archive.trends("all")[0][3] == 1


def test_a_post_embedded_again_later_updates_its_day(archive):
    archive.article("example.com", ("1", "2024-11-10T10:00:00+00:00", 0.5, ()))
    refresh_trends(archive.db)
    archive.article("example.org", ("1", "2024-11-10T10:00:00+00:00", 0.5, ()))
    refresh_trends(archive.db)
    assert archive.trends("all") == [("2024-11-10", "all", "all", 1, 2, 2, 0.5, 1.0, 0.0, 0.0)]


def test_topics_and_a_changed_topic_recompute_its_rows(archive):
    archive.article(
        "example.com",
        ("1", "2024-11-17T10:00:00+00:00", -0.5, ("ww3",)),
        ("2", "2024-11-17T11:00:00+00:00", -0.7, ("wwiii",)),
    )
    narrow = Config(topics=(Topic("ww3", ("#ww3",)),))
    assert refresh_trends(archive.db, narrow).topics_changed == ("ww3",)
    assert archive.trends("topic") == [("2024-11-17", "topic", "ww3", 1, 1, 1, -0.5, 0.0, 1.0, 0.0)]
    broad = Config(topics=(Topic("ww3", ("#ww3", "#wwiii")),))
    result = refresh_trends(archive.db, broad)
    assert (result.days, result.topics_changed) == ((), ("ww3",))
    assert archive.trends("topic") == [("2024-11-17", "topic", "ww3", 2, 1, 1, -0.6, 0.0, 1.0, 0.0)]
    refresh_trends(archive.db, Config())
    assert archive.trends("topic") == []
    assert archive.db.execute("SELECT count(*) FROM post_topics").fetchone() == (0,)


def daily(archive: Archive, tag: str, counts: list[int], start: str = "2024-10-01") -> None:
    """Posts carrying ``tag``: counts[i] of them on the i-th day from ``start``."""
    first = datetime.fromisoformat(start).replace(tzinfo=UTC)
    for day, count in enumerate(counts):
        at = (first + timedelta(days=day, hours=12)).isoformat()
        posts = [(f"{tag}-{day}-{n}", at, 0.1, (tag,)) for n in range(count)]
        if posts:
            archive.article("example.com", *posts)


def test_spike_quiet_period_and_new_hashtag(archive):
    daily(archive, "steady", [1] * 20 + [9])  # a spike on the last day
    daily(archive, "quiet", [0, 1, 0, 0, 2, 0, 1] * 3)  # never a spike
    daily(archive, "fresh", [0] * 18 + [1, 0, 8])  # a burst two days after it appeared
    refresh_trends(archive.db)
    flagged = archive.db.execute(
        "SELECT period, key, spike_status, posts, baseline, ratio FROM spikes "
        "WHERE dimension = 'hashtag' ORDER BY period, key"
    ).fetchall()
    assert flagged == [
        ("2024-10-21", "fresh", "new", 8, 1.0, 8.0),
        ("2024-10-21", "steady", "spike", 9, 1.0, 9.0),
    ]
    score = archive.db.execute(
        "SELECT round(spike_score, 2), is_spike FROM trends "
        "WHERE period = '2024-10-21' AND dimension = 'hashtag' AND key = 'steady'"
    ).fetchone()
    assert score == (5.95, 1)  # -log10 P(X >= 9 | Poisson(1))


def test_a_late_post_rescores_the_days_that_look_back_on_it(archive):
    daily(archive, "steady", [1] * 20 + [9])
    refresh_trends(archive.db)
    # Six more posts on a day in the spike's baseline window: the median does not move,
    # but the window is now overdispersed, so the spike is judged against a wider spread.
    archive.article(
        "example.org",
        *[(f"late-{n}", "2024-10-15T08:00:00+00:00", 0.1, ("steady",)) for n in range(6)],
    )
    refresh_trends(archive.db)
    row = archive.db.execute(
        "SELECT posts, baseline, spike_status FROM trends WHERE period = '2024-10-21' "
        "AND dimension = 'hashtag' AND key = 'steady'"
    ).fetchone()
    assert row == (9, 1.0, None)


def test_a_failed_refresh_leaves_nothing_half_done(archive):
    archive.article("example.com", ("1", "2024-11-17T10:00:00+00:00", -0.5, ("ww3",)))
    archive.db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON trends BEGIN SELECT RAISE(ABORT, 'full'); END"
    )
    topics = Config(topics=(Topic("ww3", ("#ww3",)),))
    with pytest.raises(Exception, match="full"):
        refresh_trends(archive.db, topics)
    # Neither the topic nor the dates to recompute were taken into account.
    assert archive.db.execute("SELECT count(*) FROM topics").fetchone() == (0,)
    assert archive.db.execute("SELECT count(*) FROM trend_dates").fetchone() == (1,)
    archive.db.execute("DROP TRIGGER refuse")
    assert refresh_trends(archive.db, topics).topics_changed == ("ww3",)
    assert archive.trends("topic") == [("2024-11-17", "topic", "ww3", 1, 1, 1, -0.5, 0.0, 1.0, 0.0)]


def test_refreshes_after_each_of_many_ingests_give_what_one_full_recompute_gives(tmp_path):
    """Ingests of days mostly in time order, then a backfill of old days far apart, each
    followed by a refresh: after every one the trends, spike columns included, are what
    recomputing every day gives."""
    import random
    import sqlite3

    rng = random.Random(7)
    days = [("steady", day, 9 if day in (40, 71) else 1) for day in range(120)]
    days += [("bursty", day, rng.choice([0, 0, 1, 2, 3, 9])) for day in range(150)]
    days.sort(key=lambda item: item[1])
    backfill = [days.pop(rng.randrange(len(days))) for _ in range(12)]
    days += backfill
    columns = "period, dimension, key, posts, spike_score, is_spike, baseline, spike_status"
    query = f"SELECT {columns} FROM trends ORDER BY period, dimension, key"
    incremental = Archive(tmp_path / "incremental.db")
    for batch in range(0, len(days), 30):
        for tag, day, count in days[batch : batch + 30]:
            daily(incremental, tag, [0] * day + [count], start="2024-01-01")
        refresh_trends(incremental.db)
        whole = sqlite3.connect(tmp_path / f"whole-{batch}.db")
        incremental.db.conn.backup(whole)
        whole.close()
        whole = open_db(tmp_path / f"whole-{batch}.db")
        refresh_trends(whole, full=True)
        assert incremental.db.execute(query).fetchall() == whole.execute(query).fetchall()
    assert whole.execute("SELECT count(*) FROM spikes").fetchone()[0] > 0
