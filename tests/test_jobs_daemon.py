"""``monitor jobs run`` as a real process: it ingests what arrives, stops cleanly on SIGTERM,
refuses a second copy of itself, and a killed daemon's work is completed on restart."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import SAMPLE

PAGE = (SAMPLE / "2024-11-17-strikes-cleared.html").read_text(encoding="utf-8")


def setup(tmp_path: Path, interval: int = 1) -> Path:
    (tmp_path / "archive").mkdir()
    config = tmp_path / "monitor.toml"
    config.write_text(
        f'db = "m.db"\narchives = ["archive/"]\nreports = "reports"\n'
        f"[schedule]\ningest_interval = {interval}\ncatch_up_days = 0\n",
        encoding="utf-8",
    )
    return config


def page(n: int) -> str:
    """The sample page under a URL of its own: one more article embedding the same tweets."""
    return PAGE.replace("long-range-strikes-cleared", f"long-range-strikes-cleared-{n}")


def start(config: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "MONITOR_DB": ""}
    env.pop("MONITOR_DB")
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "jobs", *args, "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not yet migrated
        return 0


def wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the daemon")
        time.sleep(0.05)


def test_daemon_ingests_what_arrives_and_stops_cleanly_on_sigterm(tmp_path):
    config = setup(tmp_path)
    (tmp_path / "archive" / "first.html").write_text(page(1), encoding="utf-8")
    db = tmp_path / "m.db"
    daemon = start(config, "run")
    try:
        wait_for(lambda: count(db, "SELECT count(*) FROM articles") == 1)
        (tmp_path / "archive" / "later.html").write_text(page(2), encoding="utf-8")
        wait_for(lambda: count(db, "SELECT count(*) FROM articles") == 2)
        wait_for(lambda: count(db, "SELECT count(*) FROM trend_dates") == 0)
        daemon.send_signal(signal.SIGTERM)
        _, stderr = daemon.communicate(timeout=20)
    finally:
        daemon.kill()
    assert daemon.returncode == 0, stderr
    lines = stderr.splitlines()
    assert all(
        re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ", ln)
        for ln in lines
        if ln[:1].isdigit()
    )
    assert "INFO monitor.jobs: SIGTERM received: finishing the current unit of work" in stderr
    assert lines[-1].endswith("INFO monitor.jobs: monitor jobs stopped")
    assert count(db, "SELECT count(*) FROM job_runs WHERE status = 'running'") == 0


def test_a_second_daemon_on_the_same_database_is_refused(tmp_path):
    config = setup(tmp_path, interval=3600)
    first = start(config, "run")
    try:
        wait_for(lambda: count(tmp_path / "m.db", "SELECT count(*) FROM job_runs") > 0)
        second = start(config, "run")
        _, stderr = second.communicate(timeout=20)
        assert second.returncode == 3
        assert re.fullmatch(
            r"Error: another monitor jobs process \(pid \d+, started [0-9T:+-]+\) is already "
            r"writing to .*m\.db; stop it first, or point this one at another database\n",
            stderr,
        ), stderr
        once = start(config, "once")
        assert once.wait(timeout=20) == 3
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=20)
    assert first.returncode == 0


@pytest.mark.parametrize("files", [400])
def test_a_killed_daemons_work_is_completed_on_restart_without_duplicates(tmp_path, files):
    config = setup(tmp_path, interval=3600)
    for n in range(files):
        (tmp_path / "archive" / f"page-{n:04d}.html").write_text(page(n), encoding="utf-8")
    db = tmp_path / "m.db"
    daemon = start(config, "run")
    try:
        wait_for(lambda: count(db, "SELECT count(*) FROM archive_files") > 0)
        daemon.send_signal(signal.SIGKILL)
        daemon.communicate(timeout=20)
    finally:
        daemon.kill()
    stored = count(db, "SELECT count(*) FROM archive_files")
    assert 0 < stored < files, "the daemon finished before it could be killed"
    assert count(db, "SELECT count(*) FROM job_runs WHERE status = 'running'") == 1
    # The next start (here, a cron-style run) completes the work.
    restart = start(config, "once")
    _, stderr = restart.communicate(timeout=120)
    assert "ingest done" in stderr
    assert count(db, "SELECT count(*) FROM archive_files WHERE status = 'done'") == files
    assert count(db, "SELECT count(*) FROM articles") == files
    assert count(db, "SELECT count(*) FROM posts") == 2
    assert count(db, "SELECT count(*) FROM article_posts") == 2 * files
    assert count(db, "SELECT count(*) FROM job_runs WHERE status = 'running'") == 0
    assert (
        count(
            db, "SELECT count(*) FROM job_runs WHERE job = 'ingest' AND error LIKE 'interrupted%'"
        )
        == 1
    )
