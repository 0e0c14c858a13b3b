"""Worker processes that die, and parents that die: a dead worker costs only its own file,
and no worker outlives the ``monitor ingest`` that started it."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor import FileFailure, ingest, open_db

from .test_jobs_daemon import page
from .test_pipeline_workers import whole_tables


@pytest.fixture
def dying_reader(readers) -> None:
    """A reader for ``.sigkill`` files that dies as a worker killed for memory does: by
    SIGKILL, mid-read. Registered for this test only."""

    @readers.reader(".sigkill")
    def read_by_dying(path: str, data: bytes | None = None):
        os.kill(os.getpid(), signal.SIGKILL)
        yield from ()


def folder_of_pages(tmp_path: Path, pages: int) -> Path:
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(pages):
        (archive / f"page-{n:04d}.html").write_text(page(n), encoding="utf-8")
    return archive


DIED_TWICE = "the worker process reading it died twice: killed by SIGKILL (out of memory?)"


def ingest_beside_pages(tmp_path: Path, bad_name: str):
    """40 pages and one file named ``bad_name`` read by two workers: the folder, the
    database and the result."""
    archive = folder_of_pages(tmp_path, 40)
    (archive / bad_name).write_bytes(b"anything")
    db = open_db(tmp_path / "m.db")
    return archive, db, ingest([archive], db, workers=2)


def test_a_file_that_kills_its_worker_every_time_is_recorded_and_the_rest_stored(
    tmp_path, dying_reader
):
    archive, db, result = ingest_beside_pages(tmp_path, "page-0020.sigkill")
    killer = str((archive / "page-0020.sigkill").resolve())
    assert result.failures == [FileFailure(killer, DIED_TWICE)]
    assert (result.files, result.read, result.documents) == (41, 41, 40)
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (40,)
    assert db["archive_files"].get(killer)["status"] == "failed"
    # Every other file is stored as a clean run stores it.
    (archive / "page-0020.sigkill").unlink()
    clean = open_db(tmp_path / "clean.db")
    ingest([archive], clean, workers=2)
    killed_row = "'" + killer + "'"
    assert {
        table: [row for row in rows if killed_row not in row]
        for table, rows in whole_tables(db).items()
    } == whole_tables(clean)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_ingest(tmp_path: Path, archive: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "monitor", "ingest", str(archive)]
    return subprocess.Popen(
        [*command, "--db", str(tmp_path / "m.db"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_workers(process: subprocess.Popen[bytes], count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [pid for pid in children(process.pid) if alive(pid)]
        if len(found) >= count:
            return found
        assert process.poll() is None, "the ingest ended before its workers were seen"
        time.sleep(0.02)
    raise AssertionError("no workers started")


def test_a_worker_killed_from_outside_loses_nothing(tmp_path):
    archive = folder_of_pages(tmp_path, 3000)
    ingesting = start_ingest(tmp_path, archive, "--workers", "2")
    workers = wait_for_workers(ingesting, 2)
    time.sleep(0.1)
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = ingesting.communicate(timeout=120)
    assert ingesting.returncode == 0, stderr
    assert stdout.decode().startswith(
        "3000 archive files: 3000 read, 0 unchanged, 0 failed; 3000 documents, 6000 embedded "
        "posts (2 new posts, 3000 new articles)"
    )
    clean = start_ingest(tmp_path / "clean", archive, "--workers", "1")
    assert clean.wait(timeout=120) == 0
    assert whole_tables(open_db(tmp_path / "m.db")) == whole_tables(
        open_db(tmp_path / "clean" / "m.db")
    )


def test_no_worker_outlives_its_killed_parent(tmp_path):
    archive = folder_of_pages(tmp_path, 2000)
    for sig in (signal.SIGKILL, signal.SIGTERM):
        ingesting = start_ingest(tmp_path, archive, "--workers", "2")
        workers = wait_for_workers(ingesting, 2)
        ingesting.send_signal(sig)
        ingesting.communicate(timeout=30)
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)], f"workers alive 5 s after {sig.name}"


def test_ctrl_c_ends_the_ingest_and_its_workers_with_status_130(tmp_path):
    archive = folder_of_pages(tmp_path, 2000)
    ingesting = start_ingest(tmp_path, archive, "--workers", "2")
    workers = wait_for_workers(ingesting, 2)
    ingesting.send_signal(signal.SIGINT)
    _, stderr = ingesting.communicate(timeout=30)
    assert ingesting.returncode == 130
    assert stderr.decode().splitlines()[-1] == (
        "Interrupted: the archive files stored so far are kept; run the same command again "
        "to read the rest."
    )
    time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)]


def test_ctrl_c_waits_for_the_pool_call_under_way_then_interrupts():
    """Landing inside concurrent.futures' own code (``wait`` taking its futures' locks), a
    KeyboardInterrupt left a future's lock taken for good: the pool's thread waited for it
    and the process, exiting, for that thread, for ever (once in 18 tries under load). Ctrl-C
    is held back while the pool's code runs, and raised as soon as it returns."""
    from monitor.workers import _CtrlCHold

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    hold = _CtrlCHold()
    hold.install()
    steps = []
    try:
        with pytest.raises(KeyboardInterrupt), hold.pool_code():
            with hold.pool_code():  # calls nest: the outermost one decides
                signal.raise_signal(signal.SIGINT)
                steps.append("the pool's call went on")
            steps.append("and the call around it")
        assert steps == ["the pool's call went on", "and the call around it"]
        with pytest.raises(KeyboardInterrupt):  # elsewhere, at once
            signal.raise_signal(signal.SIGINT)
            steps.append("never")
        assert steps == ["the pool's call went on", "and the call around it"]
    finally:
        hold.uninstall()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        signal.signal(signal.SIGINT, previous)


@pytest.fixture
def reader_killed_while_answering(readers) -> None:
    """A reader for ``.halfsent`` files whose worker dies half-way through sending its
    answer: the state a worker killed at that moment (for memory, say) leaves the pool in,
    with half a message on its results pipe."""

    @readers.reader(".halfsent")
    def read_then_die_answering(path: str, data: bytes | None = None):
        frame = sys._getframe()
        while frame.f_code.co_name != "_process_worker":  # the pool's loop in the worker
            frame = frame.f_back
        results = frame.f_locals["result_queue"]
        # A message's length, then only the first bytes of it: what a sender killed
        # mid-write leaves in the pipe.
        os.write(results._writer.fileno(), struct.pack("!i", 1 << 20) + b"half an answer")
        os.kill(os.getpid(), signal.SIGKILL)
        yield from ()


def test_a_worker_killed_while_it_answers_does_not_hang_the_run(
    tmp_path, reader_killed_while_answering
):
    _, db, result = ingest_beside_pages(tmp_path, "page-0020.halfsent")
    assert [(Path(f.path).name, f.error) for f in result.failures] == [
        ("page-0020.halfsent", DIED_TWICE)
    ]
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (40,)
