"""``monitor ingest`` killed at random moments (SIGKILL, SIGTERM, SIGINT), then run again: the
database is the one a clean run gives, table by table (times of ingest aside), and sound."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from monitor import open_db

from .test_jobs_daemon import page
from .test_pipeline_workers import archive_of_every_kind, whole_tables

# Each trial sends the next of these signals; the default keeps the suite fast, and
# MONITOR_FAULT_TRIALS=60 gives the 20 trials of each signal a release is checked with.
TRIALS = int(os.environ.get("MONITOR_FAULT_TRIALS", "1"))
SIGNALS = [signal.SIGKILL, signal.SIGTERM, signal.SIGINT]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Every kind of archive file the tests have (some unreadable), and 1,000 more pages, so
    that a run lasts long enough to be killed at many moments."""
    root = tmp_path_factory.mktemp("kill")
    archive = archive_of_every_kind(root)
    pages = archive / "pages"
    pages.mkdir()
    for n in range(1000):
        (pages / f"page-{n:04d}.html").write_text(page(n), encoding="utf-8")
    return archive


@pytest.fixture(scope="module")
def clean(archive, tmp_path_factory):
    db = tmp_path_factory.mktemp("clean") / "m.db"
    start = time.monotonic()
    assert ingest(archive, db).wait(timeout=300) == 1  # some files are unreadable
    return whole_tables(open_db(db)), time.monotonic() - start


def ingest(archive, db, workers: str = "2") -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "ingest", str(archive), "--db", str(db),
         "--workers", workers],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.parametrize("trial", range(TRIALS))
def test_a_run_killed_at_a_random_moment_and_rerun_gives_a_clean_runs_database(
    archive, clean, tmp_path, trial
):
    expected, clean_seconds = clean
    # One trial: any of the signals; more: each in turn.
    sig = SIGNALS[trial % len(SIGNALS)] if TRIALS > 1 else random.choice(SIGNALS)
    db = tmp_path / "m.db"
    killed = ingest(archive, db)
    time.sleep(random.uniform(0.3, 0.3 + clean_seconds))
    killed.send_signal(sig)
    killed.wait(timeout=60)
    rerun = ingest(archive, db, workers=random.choice(["1", "2"]))
    assert rerun.wait(timeout=300) in (0, 1)
    with open_db(db) as recovered:
        assert recovered.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert recovered.execute("PRAGMA foreign_key_check").fetchall() == []
        assert whole_tables(recovered) == expected


def test_rescoring_context_killed_at_a_random_moment_and_rerun_stores_what_ingest_did(tmp_path):
    # Embeds stored before the monitor kept their context, filled from their archives by
    # `monitor rescore --context`: killed mid-way, the next run finishes the work, and the
    # database is the one that ingesting with context gave, table by table.
    pages = tmp_path / "pages"
    pages.mkdir()
    for n in range(400):
        (pages / f"page-{n:04d}.html").write_text(page(n), encoding="utf-8")
    db = tmp_path / "m.db"
    assert ingest(pages, db).wait(timeout=300) == 0
    with open_db(db) as stored:
        expected = whole_tables(stored)

    def forget_context() -> None:
        with open_db(db) as stored:
            stored.execute(
                "UPDATE article_posts SET method = NULL, placement = NULL, position_share = NULL,"
                " context_before = NULL, context_after = NULL, framing_lang = NULL,"
                " framing_compound = NULL, framing_pos = NULL, framing_neu = NULL,"
                " framing_neg = NULL, framing_scorer = NULL"
            )
            stored.conn.commit()

    def rescore() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "monitor", "rescore", "--context", "--db", str(db)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    forget_context()
    start = time.monotonic()
    assert rescore().wait(timeout=300) == 0
    seconds = time.monotonic() - start
    with open_db(db) as recovered:
        assert whole_tables(recovered) == expected
    forget_context()
    killed = rescore()
    time.sleep(random.uniform(0.2, seconds))
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=60)
    assert rescore().wait(timeout=300) == 0
    with open_db(db) as recovered:
        assert recovered.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert recovered.execute("PRAGMA foreign_key_check").fetchall() == []
        assert whole_tables(recovered) == expected
