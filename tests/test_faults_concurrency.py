"""Two ``monitor ingest`` processes at once on the same database, new or existing: both
complete, the database is what one run gives, and each summary counts only what it added."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import re
import subprocess
import sys

import pytest

from monitor import open_db

from .test_jobs_daemon import page
from .test_pipeline_workers import whole_tables


def ingest(archive, db) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "ingest", str(archive), "--db", str(db),
         "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def added(summary: str) -> tuple[int, int]:
    match = re.search(r"\((\d+) new posts, (\d+) new articles\)", summary)
    assert match, summary
    return int(match[1]), int(match[2])


@pytest.mark.parametrize("existing", [False, True], ids=["new database", "existing database"])
def test_two_ingests_at_once_both_complete_and_count_their_own_rows(tmp_path, existing):
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(300):
        # Each page embeds its own tweet and two shared ones: 302 posts in all.
        own = (
            f'<blockquote class="twitter-tweet"><p>Page {n} says #WW3</p>&mdash; A (@a{n}) '
            f'<a href="https://twitter.com/a{n}/status/{10**18 + n}">Nov 20, 2024</a></blockquote>'
        )
        (archive / f"page-{n:03d}.html").write_text(
            page(n).replace("</body>", own + "</body>"), encoding="utf-8"
        )
    db = tmp_path / "m.db"
    if existing:
        open_db(db).close()
    first, second = ingest(archive, db), ingest(archive, db)
    outputs = [process.communicate(timeout=120) for process in (first, second)]
    for process, (_, stderr) in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, stderr
        assert stderr == ""
    posts, articles = zip(*(added(stdout) for stdout, _ in outputs), strict=True)
    assert (sum(posts), sum(articles)) == (302, 300)
    clean = tmp_path / "clean.db"
    assert ingest(archive, clean).wait(timeout=120) == 0
    with open_db(db) as both, open_db(clean) as one:
        assert whole_tables(both) == whole_tables(one)


def _open_when_all_are_ready(path: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    open_db(path).close()


def test_processes_creating_the_same_database_at_the_same_moment_all_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    for trial in range(10):
        path = str(tmp_path / f"{trial}.db")
        barrier = context.Barrier(3)
        processes = [
            context.Process(target=_open_when_all_are_ready, args=(path, barrier)) for _ in range(3)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [process.exitcode for process in processes] == [0, 0, 0]
        with open_db(path) as db:
            assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone() == (8,)
