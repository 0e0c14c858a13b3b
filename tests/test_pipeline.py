from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from monitor import FileFailure, ingest, open_db
from monitor.sentiment import SCORER_VERSION

from .conftest import SAMPLE, shared_path

POST_COLUMNS = (
    "id",
    "post_id",
    "author_name",
    "author_handle",
    "posted_at",
    "text",
    "compound",
    "pos",
    "neu",
    "neg",
)
# The sample archive's posts, each checked by hand: ids decode to the time each tweet was
# written for, the tweets quoted in plain text have no id and only a date.
SAMPLE_POSTS = [
    (
        "twitter:1858254830695481345",
        "1858254830695481345",
        "Kyiv Watch",
        "kyiv_watch",
        "2024-11-17T21:04:11+00:00",
        "Reports say Washington has cleared long-range strikes inside Russia. A huge relief for "
        "Ukraine after months of waiting. #ATACMS #Ukraine",
        0.5106,
        0.269,
        0.632,
        0.099,
    ),
    (
        "twitter:1858294051632185345",
        "1858294051632185345",
        "Dana Miller",
        "danamiller_",
        "2024-11-17T23:40:02+00:00",
        "Did we just take a step closer to World War III? This is terrifying. #WW3 #ATACMS "
        "#NuclearWar",
        -0.91,
        0.0,
        0.566,
        0.434,
    ),
    (
        "twitter:1858423835980857345",
        "1858423835980857345",
        "Petra Novak 🇺🇦",
        "petranovak",
        "2024-11-18T08:15:45+00:00",
        "Range matters less than numbers: a few dozen missiles will not change the war, but they "
        "will make logistics near the border harder. #ATACMS",
        0.2785,
        0.124,
        0.876,
        0.0,
    ),
    (
        "twitter:1858487820088377345",
        "1858487820088377345",
        "Sam Okafor",
        "samokafor",
        "2024-11-18T12:30:00+00:00",
        "Everyone shouting #WW3 today should take a breath. Deterrence still works and nobody "
        "wants a wider war.",
        -0.5994,
        0.0,
        0.804,
        0.196,
    ),
    (
        "twitter:1859160489980985345",
        "1859160489980985345",
        "Newsroom Desk",
        "newsroomdesk",
        "2024-11-20T09:02:57+00:00",
        'Moscow warns of a "response" after the first reported strikes. Markets fall sharply. '
        "#ATACMS #WW3",
        -0.4404,
        0.0,
        0.769,
        0.231,
    ),
    (
        "twitter:1859608890438713345",
        "1859608890438713345",
        "Jo Park",
        "jopark",
        "2024-11-21T14:44:44+00:00",
        "Great, just great. Another day, another doomsday headline. #WW3",
        0.6597,
        0.456,
        0.333,
        0.211,
    ),
    (
        "twitter:h9266e15bd3fbd8f5",
        None,
        "Lena & Co",
        "lena_and_co",
        "2024-11-19",
        "Proud of the people helping refugees this week. Kindness wins, always. #Ukraine "
        "#StandWithUkraine",
        0.9001,
        0.522,
        0.478,
        0.0,
    ),
    (
        "twitter:hd52c513fcc384761",
        None,
        "Mark T.",
        "markt_1979",
        "2024-11-19",
        "Reckless and dangerous escalation. Our leaders are gambling with millions of lives. "
        "#WW3 #StopTheWar",
        -0.8979,
        0.0,
        0.502,
        0.498,
    ),
]


def copy_sample(tmp_path: Path) -> Path:
    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE, archive)
    return archive


def dump(db) -> dict[str, list[tuple]]:
    tables = [
        "archive_files",
        "articles",
        "posts",
        "article_posts",
        "post_hashtags",
        "trend_dates",
    ]
    return {name: sorted(map(tuple, db.execute(f"SELECT * FROM {name}"))) for name in tables}


def test_sample_archive_gives_whole_rows(tmp_path):
    archive = copy_sample(tmp_path)
    db = open_db(tmp_path / "m.db")
    result = ingest([archive], db)
    assert (result.files, result.read, result.skipped, result.documents, result.posts) == (
        5,
        5,
        0,
        6,
        12,
    )
    assert (result.new_posts, result.new_articles, result.failures) == (8, 6, [])
    rows = list(db.query("SELECT * FROM posts ORDER BY id"))
    assert [tuple(row[c] for c in POST_COLUMNS) for row in rows] == SAMPLE_POSTS
    for row in rows:
        with_id = row["post_id"] is not None
        assert row == {
            **{c: row[c] for c in POST_COLUMNS},
            "platform": "twitter",
            "url": (
                f"https://twitter.com/{row['author_handle']}/status/{row['post_id']}"
                if with_id
                else None
            ),
            "lang": "en",
            "lang_hint": "en" if with_id else None,
            "scorer": SCORER_VERSION,
            "mentions": None,
            "links": None,
            "has_media": 0,
            "is_reply": 0,
            "first_seen_at": row["first_seen_at"],
        }
    assert list(db.query("SELECT * FROM post_hashtags ORDER BY post_id, hashtag")) == [
        {"post_id": post_id, "hashtag": tag}
        for post_id, tags in [
            ("twitter:1858254830695481345", "atacms ukraine"),
            ("twitter:1858294051632185345", "atacms nuclearwar ww3"),
            ("twitter:1858423835980857345", "atacms"),
            ("twitter:1858487820088377345", "ww3"),
            ("twitter:1859160489980985345", "atacms ww3"),
            ("twitter:1859608890438713345", "ww3"),
            ("twitter:h9266e15bd3fbd8f5", "standwithukraine ukraine"),
            ("twitter:hd52c513fcc384761", "stopthewar ww3"),
        ]
        for tag in tags.split()
    ]


def test_the_dates_of_stored_posts_are_marked_for_the_trends_step(tmp_path):
    db = open_db(tmp_path / "m.db")
    ingest([copy_sample(tmp_path)], db)
    assert [row["date"] for row in db["trend_dates"].rows_where(order_by="date")] == [
        "2024-11-17",
        "2024-11-18",
        "2024-11-19",
        "2024-11-20",
        "2024-11-21",
    ]


def test_one_post_embedded_by_two_articles_is_one_row_and_two_links(tmp_path):
    db = open_db(tmp_path / "m.db")
    ingest([copy_sample(tmp_path)], db)
    embedded_by = db.execute(
        """SELECT a.url, a.outlet, ap.position FROM article_posts ap
           JOIN articles a ON a.id = ap.article_id
           WHERE ap.post_id = 'twitter:1858294051632185345' ORDER BY a.url"""
    ).fetchall()
    assert embedded_by == [
        ("https://news.example.com/world/2024/11/17/long-range-strikes-cleared", "example.com", 1),
        ("https://www.example.org/2024/11/18/how-the-internet-reacted", "example.org", 2),
    ]


def test_articles_keep_their_provenance(tmp_path):
    archive = copy_sample(tmp_path)
    db = open_db(tmp_path / "m.db")
    ingest([archive], db)
    warc = str(archive / "crawl-2024-11-20.warc.gz")
    assert list(
        db.query("SELECT * FROM articles WHERE source_path = ? ORDER BY rowid", [warc])
    ) == [
        {
            "id": "539c65de017d517f",
            "url": "https://www.example.net/news/2024/11/20/moscow-warns",
            "outlet": "example.net",
            "title": "Moscow warns of response after first strikes",
            "published_at": "2024-11-20T10:30:00+00:00",
            "lang": "en",
            "source_path": warc,
            "locator": "offset=321",
            "fetched_at": "2024-11-22T03:00:00Z",
        },
        {
            "id": "4c580cfbea3ad648",
            "url": "https://news.example.com/world/2024/11/21/week-in-review",
            "outlet": "example.com",
            "title": "The week the war changed",
            "published_at": "2024-11-21T18:00:00+00:00",
            "lang": "en",
            "source_path": warc,
            "locator": "offset=1307",
            "fetched_at": "2024-11-22T03:00:00Z",
        },
    ]


def test_second_ingest_adds_nothing_and_reads_nothing(tmp_path):
    archive = copy_sample(tmp_path)
    db = open_db(tmp_path / "m.db")
    ingest([archive], db)
    before = dump(db)
    again = ingest([archive], db)
    assert (again.read, again.skipped, again.documents, again.new_posts) == (0, 5, 0, 0)
    assert dump(db) == before


def test_touched_but_unchanged_file_is_skipped_by_its_hash(tmp_path):
    archive = copy_sample(tmp_path)
    db = open_db(tmp_path / "m.db")
    ingest([archive], db)
    page = archive / "2024-11-17-strikes-cleared.html"
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    again = ingest([archive], db)
    assert (again.read, again.skipped) == (0, 5)
    assert db["archive_files"].get(str(page))["mtime_ns"] == 1_000_000_000


def test_changed_file_is_read_again_and_rows_are_upserted(tmp_path):
    archive = copy_sample(tmp_path)
    db = open_db(tmp_path / "m.db")
    ingest([archive], db)
    page = archive / "2024-11-17-strikes-cleared.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    before = dump(db)
    again = ingest([archive], db)
    assert (again.read, again.skipped, again.documents, again.posts, again.new_posts) == (
        1,
        4,
        1,
        2,
        0,
    )
    after = dump(db)
    assert {name: rows for name, rows in after.items() if name != "archive_files"} == {
        name: rows for name, rows in before.items() if name != "archive_files"
    }


def test_bad_input_is_recorded_and_the_rest_is_stored(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", archive / "good.html")
    (archive / "junk.html").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 100)
    (archive / "empty.txt").write_bytes(b"")
    whole = gzip.compress((SAMPLE / "2024-11-17-strikes-cleared.html").read_bytes())
    (archive / "cut.html.gz").write_bytes(whole[: len(whole) // 2])
    warc = (SAMPLE / "crawl-2024-11-20.warc.gz").read_bytes()
    (archive / "cut.warc.gz").write_bytes(warc[:1700])  # ends inside the second article
    db = open_db(tmp_path / "m.db")
    result = ingest([archive], db)
    failed = {Path(f.path).name: f.error for f in result.failures}
    assert sorted(failed) == ["cut.html.gz", "cut.warc.gz", "junk.html"]
    assert failed["junk.html"] == "not text: binary content (NUL bytes)"
    assert failed["cut.html.gz"].startswith("truncated gzip stream")
    assert failed["cut.warc.gz"].startswith("truncated")
    files = {
        Path(row["path"]).name: (row["status"], row["documents"], row["posts"])
        for row in db["archive_files"].rows
    }
    assert files == {
        "good.html": ("done", 1, 2),
        "empty.txt": ("done", 0, 0),
        "junk.html": ("failed", 0, 0),
        "cut.html.gz": ("failed", 0, 0),
        # The first article of the cut WARC was read before the cut, and is kept.
        "cut.warc.gz": ("failed", 1, 2),
    }
    assert all(isinstance(f, FileFailure) for f in result.failures)
    assert db.execute("SELECT count(*) FROM posts").fetchone() == (4,)
    # A rerun leaves the files that failed and have not changed since: known, not failures.
    before = dump(db)
    again = ingest([archive], db)
    assert (again.read, again.skipped, again.failures) == (0, 2, [])
    assert again.known_failures == result.failures
    assert again.ok
    assert dump(db) == before
    # Asked to, it retries them, and adds nothing new.
    retried = ingest([archive], db, retry_failed=True)
    assert (retried.read, retried.skipped, len(retried.failures)) == (3, 2, 3)
    assert {k: v for k, v in dump(db).items() if k != "archive_files"} == {
        k: v for k, v in before.items() if k != "archive_files"
    }
    # A failed file that changes is read again without asking.
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", archive / "junk.html")
    fixed = ingest([archive], db)
    assert (fixed.read, fixed.failures, len(fixed.known_failures)) == (1, [], 2)
    assert db["archive_files"].get(str((archive / "junk.html").resolve()))["status"] == "done"


def test_a_failure_while_writing_leaves_the_file_wholly_out(tmp_path):
    archive = copy_sample(tmp_path)
    db = open_db(tmp_path / "m.db")
    # A real constraint the database enforces, hit by the WARC's second article.
    db.execute(
        """CREATE TRIGGER refuse AFTER INSERT ON articles
           WHEN new.url LIKE '%week-in-review' BEGIN SELECT RAISE(ABORT, 'refused'); END"""
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        ingest([archive / "crawl-2024-11-20.warc.gz"], db)
    assert dump(db) == {name: [] for name in dump(db)}
    db.execute("DROP TRIGGER refuse")
    result = ingest([archive / "crawl-2024-11-20.warc.gz"], db)
    assert (result.read, result.documents, result.posts) == (1, 2, 4)


def test_seed_article_yields_its_two_tweets(tmp_path):
    seed = shared_path("seeds", "000_81c4eae7a06f4d6d.txt")
    db = open_db(tmp_path / "m.db")
    ingest([seed], db)
    rows = [
        (r["author_handle"], r["posted_at"], r["hashtags"])
        for r in db.query(
            """SELECT p.author_handle, p.posted_at,
                      (SELECT count(*) FROM post_hashtags h WHERE h.post_id = p.id) AS hashtags
               FROM posts p ORDER BY posted_at DESC"""
        )
    ]
    assert rows == [("nytimes", "2024-11-18", 0), ("ABionicMike", "2024-11-17", 11)]
