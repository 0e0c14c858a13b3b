from __future__ import annotations

import sqlite3

import pytest

from monitor.store import open_db, open_readonly
from monitor.store.migrations import migrations

TABLES = [
    "_sqlite_migrations",
    "archive_files",
    "articles",
    "posts",
    "article_posts",
    "post_hashtags",
    "trends",
    "job_runs",
    "posts_fts",
    "posts_fts_data",
    "posts_fts_idx",
    "posts_fts_docsize",
    "posts_fts_config",
    "trend_dates",
    "topics",
    "post_topics",
    "settings",
    "reports",
    "coverage",
    "alerts",
]


def test_blank_database_gets_the_whole_schema(tmp_path):
    db = open_db(tmp_path / "sub" / "m.db")
    assert db.table_names() == TABLES
    assert [m.name for m in migrations.applied(db)] == [
        "m001_initial",
        "m002_trend_bookkeeping",
        "m003_spikes_and_views",
        "m004_reports",
        "m005_coverage",
        "m006_alerts",
        "m007_embed_context",
        "m008_amplification_by_post",
    ]
    assert db.view_names() == [
        "outlet_topic_share",
        "posts_with_hashtags",
        "spikes",
        "coverage_days",
        "post_amplification",
    ]
    columns = {name: list(db[name].columns_dict) for name in TABLES[1:8]}
    assert columns == {
        "archive_files": [
            "path",
            "size",
            "mtime_ns",
            "sha256",
            "status",
            "documents",
            "posts",
            "error",
            "ingested_at",
        ],
        "articles": [
            "id",
            "url",
            "outlet",
            "title",
            "published_at",
            "lang",
            "source_path",
            "locator",
            "fetched_at",
        ],
        "posts": [
            "id",
            "platform",
            "post_id",
            "url",
            "author_name",
            "author_handle",
            "posted_at",
            "lang",
            "lang_hint",
            "text",
            "compound",
            "pos",
            "neu",
            "neg",
            "scorer",
            "mentions",
            "links",
            "has_media",
            "is_reply",
            "first_seen_at",
        ],
        "article_posts": [
            "article_id",
            "post_id",
            "position",
            "method",
            "placement",
            "position_share",
            "context_before",
            "context_after",
            "framing_lang",
            "framing_compound",
            "framing_pos",
            "framing_neu",
            "framing_neg",
            "framing_scorer",
        ],
        "post_hashtags": ["post_id", "hashtag"],
        "trends": [
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
        ],
        "job_runs": ["id", "job", "started_at", "finished_at", "status", "detail", "error"],
    }
    assert db["article_posts"].pks == ["article_id", "post_id"]
    assert db["post_hashtags"].pks == ["post_id", "hashtag"]
    assert {(fk.column, fk.other_table) for fk in db["article_posts"].foreign_keys} == {
        ("article_id", "articles"),
        ("post_id", "posts"),
    }
    assert db["posts"].detect_fts() == "posts_fts"


def test_connection_settings(tmp_path):
    db = open_db(tmp_path / "m.db")
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA busy_timeout").fetchone() == (30000,)


def test_reopening_applies_nothing_again(tmp_path):
    open_db(tmp_path / "m.db").close()
    db = open_db(tmp_path / "m.db")
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone() == (8,)


def test_each_migration_applies_to_the_previous_schema(tmp_path):
    db = open_db(tmp_path / "m.db")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_trend_bookkeeping'")
    for table in ("post_topics", "topics", "trend_dates"):
        db[table].drop()
    db.close()
    db = open_db(tmp_path / "m.db")
    assert db["post_topics"].pks == ["post_id", "topic"]
    assert db["trend_dates"].pks == ["date"]


def test_foreign_keys_are_enforced(tmp_path):
    db = open_db(tmp_path / "m.db")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO article_posts (article_id, post_id, position)"
            " VALUES ('no-article', 'no-post', 0)"
        )


def test_readonly_connection_cannot_write_and_needs_a_database(tmp_path):
    open_db(tmp_path / "m.db").close()
    db = open_readonly(tmp_path / "m.db")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("INSERT INTO job_runs (job) VALUES ('x')")
    with pytest.raises(FileNotFoundError, match="no monitor database"):
        open_readonly(tmp_path / "missing.db")


def test_fts_follows_post_text(tmp_path):
    db = open_db(tmp_path / "m.db")
    with db.atomic():
        db.execute(
            "INSERT INTO posts (id, platform, text) VALUES ('twitter:1', 'twitter', ?)",
            ["Escalation fears #WW3"],
        )
    assert db["posts"].search("escalation", columns=["id"]) is not None
    assert [row["id"] for row in db["posts"].search("escalation", columns=["id"])] == ["twitter:1"]


def test_amplification_by_post_gives_the_rows_of_the_window_view(tmp_path):
    """m008's post_amplification (post by post) holds exactly the rows m003's (a window
    over every embed) held, on the corpus of real pages: first outlets, ties broken by
    article id, undated articles last, delays."""
    from monitor.pipeline import ingest
    from monitor.store.migrations import _VIEWS

    from .conftest import shared_path

    db = open_db(tmp_path / "m.db")
    ingest([str(shared_path("corpus"))], db, workers=1)
    old_view = _VIEWS.split("CREATE VIEW outlet_topic_share")[0].replace(
        "CREATE VIEW post_amplification", "CREATE TEMP VIEW window_amplification"
    )
    db.execute(old_view)
    query = "SELECT * FROM {} ORDER BY post_id"
    rows = db.execute(query.format("post_amplification")).fetchall()
    assert rows == db.execute(query.format("window_amplification")).fetchall()
    assert len(rows) > 400 and any(row[11] is not None for row in rows)
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM post_amplification WHERE post_id = 'twitter:1'"
    ).fetchall()
    assert not any(detail.startswith("SCAN") and " ap" in detail for *_, detail in plan)
