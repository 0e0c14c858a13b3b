"""``coverage``: how many articles each archive file gave and how many posts they embed, per
hour, outlet and platform, whether the articles are stored (``store_articles = "all"``) or
only those that embed posts are (``"with-posts"``)."""

from __future__ import annotations

import shutil

import pytest

from monitor import ingest, open_db
from monitor.config import ConfigError, parse_config
from monitor.models import Article, Extraction
from monitor.store import ArchiveFileRecord, record_archive_file, save_coverage

from .conftest import SAMPLE

# An article that embeds nothing, as most of a news archive's are.
PLAIN = """<html><head><title>Budget talks resume</title>
<link rel="canonical" href="https://news.example/budget-talks">
<meta property="article:published_time" content="2024-11-18T09:15:00+01:00">
</head><body><article><p>Negotiators met again on Monday.</p></article></body></html>"""


@pytest.fixture
def archive(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE, archive)
    (archive / "budget-talks.html").write_text(PLAIN, encoding="utf-8")
    return archive


def coverage(db) -> list[tuple]:
    rows = db.execute(
        "SELECT source_path, hour, outlet, platform, articles, posts FROM coverage"
    ).fetchall()
    return sorted((path.rsplit("/", 1)[-1], *rest) for path, *rest in rows)


EXPECTED = [
    ("2024-11-17-strikes-cleared.html", "2024-11-17T23", "example.com", "all", 1, 2),
    ("2024-11-17-strikes-cleared.html", "2024-11-17T23", "example.com", "twitter", 1, 2),
    ("2024-11-18-reactions.html.gz", "2024-11-18T14", "example.org", "all", 1, 3),
    ("2024-11-18-reactions.html.gz", "2024-11-18T14", "example.org", "twitter", 1, 3),
    ("2024-11-19-escalation.txt", "", "", "all", 1, 2),
    ("2024-11-19-escalation.txt", "", "", "twitter", 1, 2),
    ("2024-11-21-doomscrolling.md", "", "", "all", 1, 1),
    ("2024-11-21-doomscrolling.md", "", "", "twitter", 1, 1),
    # Published at 09:15 in UTC+1: the 08:00 hour in UTC; no platform but "all".
    ("budget-talks.html", "2024-11-18T08", "news.example", "all", 1, 0),
    ("crawl-2024-11-20.warc.gz", "2024-11-20T10", "example.net", "all", 1, 2),
    ("crawl-2024-11-20.warc.gz", "2024-11-20T10", "example.net", "twitter", 1, 2),
    ("crawl-2024-11-20.warc.gz", "2024-11-21T18", "example.com", "all", 1, 2),
    ("crawl-2024-11-20.warc.gz", "2024-11-21T18", "example.com", "twitter", 1, 2),
]


def test_every_article_read_is_counted_per_hour_outlet_and_platform(archive, tmp_path):
    db = open_db(tmp_path / "m.db")
    ingest([archive], db)
    assert coverage(db) == EXPECTED
    assert db.execute(
        "SELECT day, outlet, platform, articles, posts FROM coverage_days"
        " WHERE day = '2024-11-18' ORDER BY outlet, platform"
    ).fetchall() == [
        ("2024-11-18", "example.org", "all", 1, 3),
        ("2024-11-18", "example.org", "twitter", 1, 3),
        ("2024-11-18", "news.example", "all", 1, 0),
    ]


def test_a_rerun_counts_nothing_twice_and_a_changed_file_is_counted_anew(archive, tmp_path):
    db = open_db(tmp_path / "m.db")
    ingest([archive], db)
    ingest([archive], db)
    assert coverage(db) == EXPECTED
    page = archive / "budget-talks.html"
    page.write_text(
        PLAIN.replace(
            "</article>",
            '<blockquote class="twitter-tweet"><p>Talks resume</p>&mdash; Desk (@desk) '
            '<a href="https://twitter.com/desk/status/1858254830695481345">Nov 18</a>'
            "</blockquote></article>",
        ),
        encoding="utf-8",
    )
    ingest([archive], db)
    assert [row for row in coverage(db) if row[0] == "budget-talks.html"] == [
        ("budget-talks.html", "2024-11-18T08", "news.example", "all", 1, 1),
        ("budget-talks.html", "2024-11-18T08", "news.example", "twitter", 1, 1),
    ]


def test_with_posts_stores_only_the_articles_that_embed_and_counts_them_all(archive, tmp_path):
    every = open_db(tmp_path / "all.db")
    ingest([archive], every)
    lean = open_db(tmp_path / "lean.db")
    result = ingest([archive], lean, store_articles="with-posts")
    assert coverage(lean) == coverage(every) == EXPECTED
    assert (result.documents, result.new_articles) == (7, 6)
    titles = "SELECT title FROM articles ORDER BY title"
    assert [row for row in every.execute(titles) if row[0] == "Budget talks resume"] == [
        ("Budget talks resume",)
    ]
    assert [row for row in lean.execute(titles) if row[0] == "Budget talks resume"] == []
    assert (
        lean.execute("SELECT count(*) FROM posts").fetchone()
        == every.execute("SELECT count(*) FROM posts").fetchone()
    )


def test_store_articles_is_checked():
    with pytest.raises(ValueError, match="store_articles must be one of all, with-posts"):
        ingest([], None, store_articles="some")  # type: ignore[arg-type]
    assert parse_config({"store_articles": "with-posts"}).store_articles == "with-posts"
    assert parse_config({}).store_articles == "all"
    with pytest.raises(ConfigError, match="store_articles: expected 'all' or 'with-posts'"):
        parse_config({"store_articles": "none"})


@pytest.mark.parametrize(
    ("when", "hour"),
    [
        ("2024-11-18T23:59:59Z", "2024-11-18T23"),
        ("2024-11-18T23:59:59+00:00", "2024-11-18T23"),
        ("2024-11-18T23:59:59", "2024-11-18T23"),  # of no zone: kept as it is
        ("2024-11-18T23:59:59.250Z", "2024-11-18T23"),
        ("2024-11-18T23:30:00-05:00", "2024-11-19T04"),
        ("2024-11-19T00:30:00+05:30", "2024-11-18T19"),
        ("2024-11-18", "2024-11-18"),
        ("2024-11-18Tnonsense", "2024-11-18"),
        (None, ""),
    ],
)
def test_the_hour_an_article_counts_under_is_its_hour_in_utc(tmp_path, when, hour):
    db = open_db(tmp_path / "m.db")
    record_archive_file(db, ArchiveFileRecord("a.warc.gz", 1, 1, None, "done"))
    article = Article("a.warc.gz", url="https://news.example/a", published_at=when)
    save_coverage(db, "a.warc.gz", [(Extraction(article), ())])
    assert coverage(db) == [("a.warc.gz", hour, "", "all", 1, 0)]
