"""Ingest with worker processes: the same database as with one, whole table by whole table."""

from __future__ import annotations

import gzip
import pickle
import shutil
import sqlite3
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import ingest, open_db, pipeline
from monitor import workers as worker_processes
from monitor.cli import cli
from monitor.models import Post
from monitor.reading import read_file

from .conftest import FIXTURES, SAMPLE

# When each was done, not what was found: the only columns allowed to differ between runs.
TIME_OF_INGEST = {"ingested_at", "first_seen_at"}


def whole_tables(db) -> dict[str, list[tuple]]:
    """Every row of every table (the search index is derived from posts), times of ingest
    left out, in a stable order."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'posts_fts%'"
            " AND name != '_sqlite_migrations' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    dump = {}
    for table in tables:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info([{table}])")]
        kept = ", ".join(f"[{column}]" for column in columns if column not in TIME_OF_INGEST)
        dump[table] = sorted(map(repr, db.execute(f"SELECT {kept} FROM [{table}]")))
    return dump


def archive_of_every_kind(tmp_path: Path) -> Path:
    """The sample archive, every platform's fixture pages, text dumps, WARCs (good, cut off,
    corrupt) and files that cannot be read, in one folder."""
    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE, archive / "sample")
    for platform in (
        "twitter",
        "bluesky",
        "mastodon",
        "threads",
        "instagram",
        "tiktok",
        "reddit",
        "facebook",
        "youtube",
        "hidden",
        "text",
    ):
        shutil.copytree(FIXTURES / platform, archive / platform)
    shutil.copytree(
        FIXTURES / "archives", archive / "archives", ignore=shutil.ignore_patterns("*.py")
    )
    whole = gzip.compress((SAMPLE / "2024-11-17-strikes-cleared.html").read_bytes())
    (archive / "cut.html.gz").write_bytes(whole[: len(whole) // 2])
    return archive


def run_ingest(tmp_path: Path, archive: Path, name: str, workers: int):
    db = open_db(tmp_path / name)
    result = ingest([archive], db, workers=workers)
    return db, result


def test_two_workers_store_exactly_what_one_worker_stores(tmp_path):
    archive = archive_of_every_kind(tmp_path)
    one, first = run_ingest(tmp_path, archive, "one.db", 1)
    two, second = run_ingest(tmp_path, archive, "two.db", 2)
    assert first.documents > 60 and first.posts > 100 and first.failures
    assert (second.files, second.read, second.skipped, second.documents, second.posts) == (
        first.files,
        first.read,
        first.skipped,
        first.documents,
        first.posts,
    )
    assert (second.new_posts, second.new_articles) == (first.new_posts, first.new_articles)
    assert second.failures == first.failures
    assert whole_tables(two) == whole_tables(one)


def test_a_big_archive_is_shared_among_the_workers(tmp_path, monkeypatch):
    # One WARC much bigger than anything else, and fewer such archives than workers: it is
    # read by the writing process and its documents analysed by the workers, sixteen at a
    # time (the sample WARC forty times over: 80 records; its cut-off copy too).
    archive = archive_of_every_kind(tmp_path)
    sample_warc = (SAMPLE / "crawl-2024-11-20.warc.gz").read_bytes()
    (archive / "big.warc.gz").write_bytes(sample_warc * 40)
    (archive / "big-cut.warc.gz").write_bytes((sample_warc * 40)[:-1000])
    monkeypatch.setattr(pipeline, "SPLIT_BYTES", len(sample_warc) * 30)
    split = []
    share = pipeline._Ingest._split
    monkeypatch.setattr(
        pipeline._Ingest,
        "_split",
        lambda self, item: split.append(item.path.name) or share(self, item),
    )
    one, first = run_ingest(tmp_path, archive, "one.db", 1)
    two, second = run_ingest(tmp_path, archive, "two.db", 3)
    assert split == ["big-cut.warc.gz", "big.warc.gz"]
    assert (second.read, second.documents, second.posts) == (
        first.read,
        first.documents,
        first.posts,
    )
    assert second.failures == first.failures
    assert whole_tables(two) == whole_tables(one)
    files = {Path(r["path"]).name: r for r in one["archive_files"].rows}
    assert (files["big.warc.gz"]["status"], files["big.warc.gz"]["documents"]) == ("done", 80)
    assert files["big-cut.warc.gz"]["status"] == "failed"
    assert files["big-cut.warc.gz"]["documents"] == 79


def test_many_big_archives_are_each_read_by_one_worker(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "SPLIT_BYTES", 0)  # every file is big, more than workers
    archive = archive_of_every_kind(tmp_path)
    one, first = run_ingest(tmp_path, archive, "one.db", 1)
    two, second = run_ingest(tmp_path, archive, "two.db", 2)
    assert (second.read, second.documents, second.posts) == (
        first.read,
        first.documents,
        first.posts,
    )
    assert whole_tables(two) == whole_tables(one)


def test_a_rerun_with_workers_reads_nothing_and_adds_nothing(tmp_path):
    archive = archive_of_every_kind(tmp_path)
    db, first = run_ingest(tmp_path, archive, "m.db", 2)
    before = whole_tables(db)
    again = ingest([archive], db, workers=2, retry_failed=True)
    # Files that failed are tried again when asked to; everything else is unchanged.
    assert again.read == len(first.failures)
    assert again.skipped == first.files - len(first.failures)
    assert {k: v for k, v in whole_tables(db).items() if k != "archive_files"} == {
        k: v for k, v in before.items() if k != "archive_files"
    }


def test_a_failure_while_writing_stops_the_workers_and_leaves_files_wholly_out(tmp_path):
    db = open_db(tmp_path / "m.db")
    db.execute(
        """CREATE TRIGGER refuse AFTER INSERT ON articles
           WHEN new.url LIKE '%week-in-review' BEGIN SELECT RAISE(ABORT, 'refused'); END"""
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused"):
        ingest([SAMPLE / "crawl-2024-11-20.warc.gz"], db, workers=2)
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM archive_files").fetchone() == (0,)


def test_workers_must_be_at_least_one(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        ingest([SAMPLE], open_db(tmp_path / "m.db"), workers=0)


def test_cli_takes_the_number_of_workers(tmp_path):
    runner = CliRunner()
    for workers, name in (("1", "one.db"), ("2", "two.db")):
        result = runner.invoke(
            cli, ["ingest", str(SAMPLE), "--db", str(tmp_path / name), "--workers", workers]
        )
        assert result.exit_code == 0, result.output
        assert result.output.startswith("5 archive files: 5 read, 0 unchanged, 0 failed")
    one, two = open_db(tmp_path / "one.db"), open_db(tmp_path / "two.db")
    assert whole_tables(two) == whole_tables(one)
    refused = runner.invoke(cli, ["ingest", str(SAMPLE), "--workers", "0"])
    assert refused.exit_code == 2


def test_workers_started_afresh_store_the_same(tmp_path, monkeypatch):
    # Where processes cannot be forked safely (macOS, Windows), workers start afresh.
    monkeypatch.setattr(worker_processes.sys, "platform", "darwin")
    one, first = run_ingest(tmp_path, SAMPLE, "one.db", 1)
    two, second = run_ingest(tmp_path, SAMPLE, "two.db", 2)
    assert (second.read, second.documents, second.posts) == (first.read, 6, 12)
    assert whole_tables(two) == whole_tables(one)


def test_what_a_worker_sends_arrives_whole(tmp_path):
    """Results cross to the writer pickled (through a pipe or a cluster's network): every
    field of every model survives, whatever the kind of file, and a model with a field
    changed from its default pickles that field."""
    archive = archive_of_every_kind(tmp_path)
    reads = [read_file(str(path)) for path in sorted(archive.rglob("*")) if path.is_file()]
    assert sum(len(read.documents) for read in reads) > 50
    assert pickle.loads(pickle.dumps(reads)) == reads
    post = Post("twitter", "1", text="x", hashtags=("ww3",), has_media=True, is_reply=True)
    assert pickle.loads(pickle.dumps(post)) == post
    assert {field.name for field in fields(Post)} == set(Post.__slots__)
