"""Stopping ``monitor jobs run`` at random moments of a real ingest: the first SIGTERM or
Ctrl-C lets the current archive file finish and exits 0 within seconds; a second one exits
at once. Either way, a rerun gives the database a clean run gives."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time

import pytest

from .test_jobs_daemon import count, page, setup, start, wait_for

FILES = 600
# Trials of each signal; the default keeps the suite fast. MONITOR_FAULT_TRIALS=10 gives the
# 20 trials a release is checked with.
TRIALS = int(os.environ.get("MONITOR_FAULT_TRIALS", "1"))


def fill(tmp_path, files: int = FILES) -> None:
    for n in range(files):
        (tmp_path / "archive" / f"page-{n:04d}.html").write_text(page(n), encoding="utf-8")


def integrity(db) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def daemon_mid_ingest(tmp_path):
    """A daemon started on FILES pages, once it has stored the first: its configuration,
    database and process."""
    config = setup(tmp_path, interval=3600)
    fill(tmp_path)
    db = tmp_path / "m.db"
    daemon = start(config, "run")
    try:
        wait_for(lambda: count(db, "SELECT count(*) FROM archive_files") > 0)
    except BaseException:
        daemon.kill()
        raise
    return config, db, daemon


@pytest.mark.parametrize("trial", range(TRIALS))
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_ingest_stops_the_daemon_cleanly_within_seconds(tmp_path, sig, trial):
    config, db, daemon = daemon_mid_ingest(tmp_path)
    try:
        time.sleep(random.uniform(0, 0.3))
        daemon.send_signal(sig)
        signalled = time.monotonic()
        _, stderr = daemon.communicate(timeout=30)
        took = time.monotonic() - signalled
    finally:
        daemon.kill()
    assert daemon.returncode == 0, stderr
    assert took < 10, f"{took:.1f} s to stop"
    assert f"{sig.name} received: finishing the current unit of work" in stderr
    assert stderr.splitlines()[-1].endswith("monitor jobs stopped")
    stored = count(db, "SELECT count(*) FROM archive_files")
    assert stored < FILES, "the ingest finished before the signal: nothing was tested"
    assert integrity(db) == "ok"
    # Every file it stored is whole; a second daemon is not refused, and completes the rest.
    assert count(db, "SELECT count(*) FROM articles") == stored
    assert count(db, "SELECT count(*) FROM job_runs WHERE status = 'running'") == 0
    again = start(config, "once")
    _, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert count(db, "SELECT count(*) FROM articles") == FILES
    assert count(db, "SELECT count(*) FROM article_posts") == 2 * FILES


def test_a_second_signal_ends_the_daemon_at_once_and_loses_nothing(tmp_path):
    config, db, daemon = daemon_mid_ingest(tmp_path)
    try:
        daemon.send_signal(signal.SIGTERM)
        daemon.send_signal(signal.SIGTERM)
        _, stderr = daemon.communicate(timeout=10)
    finally:
        daemon.kill()
    # 0: the two came as one; 143: the second ended it at once. Or the first had stopped it
    # (a unit of work can end in milliseconds) and the second, sent late by a busy machine,
    # came as Python was exiting, its handlers given back: SIGTERM's own ending.
    assert daemon.returncode in (0, 128 + signal.SIGTERM, -signal.SIGTERM), stderr
    assert integrity(db) == "ok"
    stored = count(db, "SELECT count(*) FROM archive_files")
    assert count(db, "SELECT count(*) FROM articles") == stored
    again = start(config, "once")
    assert again.wait(timeout=120) == 0
    assert count(db, "SELECT count(*) FROM articles") == FILES
