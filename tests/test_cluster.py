"""Ingest on a Dask cluster: a real ``LocalCluster``, and a scheduler and workers started as
processes of their own on the loopback interface. The database is the one a local ingest
gives, whole table by whole table (times of ingest aside), even when a worker is killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobs.tasks import Jobs
from monitor import FileFailure, ingest, open_db
from monitor.config import parse_config

from .conftest import SAMPLE
from .test_jobs_daemon import page
from .test_pipeline_workers import archive_of_every_kind, whole_tables

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")
dask = pytest.importorskip("dask")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Every kind of archive file the tests have (some unreadable), and 300 more pages."""
    archive = archive_of_every_kind(tmp_path_factory.mktemp("cluster"))
    pages = archive / "pages"
    pages.mkdir()
    for n in range(300):
        (pages / f"page-{n:04d}.html").write_text(page(n), encoding="utf-8")
    return archive


@pytest.fixture(scope="module")
def local_run(archive, tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("local") / "m.db")
    result = ingest([archive], db, workers=1)
    return whole_tables(db), result


@pytest.fixture(scope="module")
def local_cluster():
    """Two single-threaded worker processes on this machine. The scheduler gives a task up
    after its second worker dies (after four, by default), so that a file that kills every
    worker reading it is given up quickly."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A scheduler and two single-threaded workers, each a process of its own (``dask
    scheduler``, ``dask worker``), on the loopback interface."""
    folder = tmp_path_factory.mktemp("scheduler")
    address_file = folder / "scheduler.json"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    scheduler = subprocess.Popen(
        [*dask, "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(address_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    workers = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", "--scheduler-file",
         str(address_file), "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
         "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
        start_new_session=True,
    )  # fmt: skip
    try:
        client = _connect(address_file, workers=2)
        yield client
        client.close()
    finally:
        # Each started a session of its own: its worker processes go with it.
        for process in (workers, scheduler):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def _connect(address_file: Path, workers: int):
    deadline = time.monotonic() + 60
    while not address_file.exists():
        assert time.monotonic() < deadline, "the scheduler did not start"
        time.sleep(0.1)
    client = distributed.Client(scheduler_file=str(address_file), timeout=30)
    client.wait_for_workers(workers, timeout=60)
    return client


def test_a_local_cluster_stores_what_a_local_ingest_stores(archive, local_run, tmp_path):
    expected, local = local_run
    db = open_db(tmp_path / "m.db")
    result = ingest([archive], db, cluster="local:2")  # started, and ended, by the ingest
    assert whole_tables(db) == expected
    assert (result.workers, result.files, result.read, result.documents, result.posts) == (
        2, local.files, local.read, local.documents, local.posts,
    )  # fmt: skip
    assert sorted(result.failures, key=str) == sorted(local.failures, key=str)
    # A rerun reads nothing: the files are known, whoever read them.
    again = ingest([archive], db, workers=2)
    assert (again.read, again.skipped + len(again.known_failures)) == (0, again.files)


def test_a_scheduler_and_workers_of_their_own_through_the_command_line(
    archive, local_run, scheduler, tmp_path
):
    expected, _ = local_run
    db = tmp_path / "m.db"
    run = subprocess.run(
        [sys.executable, "-m", "monitor", "ingest", str(archive), "--db", str(db),
         "--cluster", scheduler.scheduler.address],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr  # some of the archive's files are unreadable
    assert "read on 2 workers of a Dask cluster (tcp://127.0.0.1:" in run.stdout
    assert stored_tables(db) == ingested(expected)


def stored_tables(db: Path) -> dict:
    """The tables an ingest writes; the command also works out the trends, which a library
    ingest (the one compared with) leaves alone."""
    with open_db(db) as stored:
        return ingested(whole_tables(stored))


def ingested(tables: dict) -> dict:
    return {name: rows for name, rows in tables.items() if name not in _DERIVED}


_DERIVED = ("trends", "trend_dates", "settings", "job_runs")


def test_a_worker_killed_mid_ingest_loses_nothing(archive, local_run, scheduler, tmp_path):
    expected, _ = local_run
    db = tmp_path / "m.db"
    pids = list(scheduler.run(os.getpid).values())
    assert len(pids) == 2
    run = ingest_command(archive, db, scheduler.scheduler.address)
    _wait_for_rows(db, "archive_files", 20)  # under way, and far from done
    os.kill(pids[0], signal.SIGKILL)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 1, err  # some of the archive's files are unreadable
    assert stored_tables(db) == ingested(expected)


def test_ctrl_c_ends_a_local_cluster_with_one_line_and_a_rerun_completes(
    archive, local_run, tmp_path
):
    expected, _ = local_run
    db = tmp_path / "m.db"
    run = ingest_command(archive, db, "local:2")
    _wait_for_rows(db, "archive_files", 20)
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    # The archive's odd records are reported as they are read; then one line, no traceback.
    assert run.returncode == 130
    assert err.splitlines()[-1] == (
        "Interrupted: the archive files stored so far are kept; run the same command again "
        "to read the rest."
    )
    assert "Traceback" not in err and "distributed" not in err
    with open_db(db) as stored:
        assert stored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # Read on, here: the cluster's part is done.
    rerun = subprocess.run(
        [sys.executable, "-m", "monitor", "ingest", str(archive), "--db", str(db)],
        capture_output=True, timeout=300,
    )  # fmt: skip
    # 1 if it met unreadable files the interrupted run had not recorded yet
    assert rerun.returncode in (0, 1), rerun.stderr
    assert stored_tables(db) == ingested(expected)


def ingest_command(archive: Path, db: Path, address: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "ingest", str(archive), "--db", str(db),
         "--cluster", address],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_for_rows(db: Path, table: str, rows: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists():
            try:
                with open_db(db) as stored:
                    if stored.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= rows:
                        return
            except Exception:  # created but not yet migrated: look again
                pass
        time.sleep(0.05)
    raise AssertionError(f"{table} never had {rows} rows")


class DyingReader(distributed.WorkerPlugin):
    """In each worker: a reader for ``.sigkill`` files that dies as a worker killed for memory
    does, by SIGKILL, mid-read."""

    def setup(self, worker) -> None:
        from monitor.archives import registry

        if ".sigkill" not in registry._READERS:

            @registry.reader(".sigkill")
            def read_by_dying(path: str, data: bytes | None = None):
                os.kill(os.getpid(), signal.SIGKILL)
                yield from ()


def test_a_file_that_kills_every_worker_reading_it_is_recorded_and_the_rest_stored(
    tmp_path, readers, local_cluster
):
    # Known here too, so that the file is planned; read only on the workers.
    @readers.reader(".sigkill")
    def never_read_here(path: str, data: bytes | None = None):
        raise AssertionError("read by the writer, not by a worker")

    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(40):
        (archive / f"page-{n:04d}.html").write_text(page(n), encoding="utf-8")
    (archive / "page-0020.sigkill").write_bytes(b"anything")
    local_cluster.register_plugin(DyingReader())
    db = open_db(tmp_path / "m.db")
    result = ingest([archive], db, cluster=local_cluster)
    killer = str((archive / "page-0020.sigkill").resolve())
    assert result.failures == [
        FileFailure(
            killer,
            "the cluster's workers died each time they read it (killed, or out of memory?)",
        )
    ]
    assert (result.files, result.read, result.documents) == (41, 41, 40)
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (40,)


def test_the_cluster_extra_is_asked_for_when_missing(monkeypatch, tmp_path):
    import monitor

    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "monitor.cluster", raising=False)
    monkeypatch.delattr(monitor, "cluster", raising=False)
    with pytest.raises(RuntimeError, match=r"pip install 'reaction-monitor\[cluster\]'"):
        ingest([str(Path(__file__))], open_db(tmp_path / "m.db"), cluster="local:1")


def test_a_mistyped_local_cluster_says_so():
    from monitor.cluster import ClusterRunner

    with pytest.raises(ValueError, match="local:N needs N of 1 or more"):
        ClusterRunner("local:0")


def test_the_ingest_job_reads_on_the_configured_cluster(local_cluster, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE, archive)
    address = local_cluster.scheduler.address
    config = parse_config({"archives": ["archive"], "cluster": {"address": address}}, tmp_path)
    assert config.cluster == address
    jobs = Jobs(config, tmp_path / "m.db")
    first = jobs.ingest()
    assert (first["files"], first["read"], first["failed"]) == (5, 5, 0)
    here = open_db(tmp_path / "here.db")
    ingest([archive], here)
    with open_db(tmp_path / "m.db") as stored:
        assert ingested(whole_tables(stored)) == ingested(whole_tables(here))
    assert jobs.ingest()["read"] == 0
