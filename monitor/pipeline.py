"""``ingest``: from archive paths to stored articles, posts, hashtags and scores.

Incremental and idempotent: an archive file whose size and modification time are unchanged
since it was last read is skipped (and one whose contents hash the same after a touch), and
every write is an upsert, so a rerun adds nothing. Each archive file's rows commit together
with its ``archive_files`` row: a crash leaves a file wholly in or wholly out. A file that
cannot be read is recorded with its error and the run goes on; documents read from it before
the failure are kept.

The work is split the same way whatever the number of workers: this process decides which
files need reading (by size, time and hash) and does every write, in file order; reading,
extraction and scoring (:func:`read_file`, :func:`analyse_documents`) are plain functions of
plain data (:mod:`monitor.reading`), run here or in worker processes. The results are the
same either way.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlite_utils import Database

from .archives import ArchiveError, expand_paths, iter_documents
from .archives.columns import FIELDS
from .archives.files import cannot_read
from .archives.remote import is_remote
from .messages import printable
from .models import Document
from .planning import (
    DONE,
    FAILED,
    SPLIT_BYTES,
    PlannedFile,
    Planner,
    Resolver,
    change_since_planned,
    count_big,
)
from .reading import Columns, analyse_documents, read_files, sha256_of
from .store import ArchiveFileRecord, record_archive_file, save_coverage_rows, save_rows
from .timestamps import now_utc
from .workers import Runner, Task

if TYPE_CHECKING:
    from distributed import Client

    from .cluster import ClusterRunner, ClusterTask


ALL_ARTICLES = "all"
WITH_POSTS = "with-posts"
STORE_ARTICLES = (ALL_ARTICLES, WITH_POSTS)
"""What ``store_articles`` may be: every article read gets a row, or only those that embed
posts (the others are counted in ``coverage``)."""

# How much goes to a worker at once: enough to make the cost of sending it small, little
# enough that the workers stay evenly busy and memory stays flat.
_FILES_PER_TASK = 16
_BYTES_PER_TASK = 2 * 1024 * 1024
_DOCUMENTS_PER_TASK = 16
_TASKS_PER_WORKER = 4
# Results written in one transaction, at most. A writer that keeps up writes each file's as
# it comes; one behind the workers writes what waits in transactions this big, each commit
# then serving more rows (at 60,000 articles, 7-9% faster than with 512).
_FILES_PER_COMMIT = 256
_DOCUMENTS_PER_COMMIT = 4096


@dataclass(frozen=True, slots=True)
class FileFailure:
    """An archive file that could not be read, or not wholly."""

    path: str
    error: str


@dataclass(slots=True)
class IngestResult:
    """What one ingest did.

    ``posts`` counts post sightings (a post embedded by three articles counts three times);
    ``new_posts`` and ``new_articles`` count the rows this run added (a row another process
    added meanwhile is not counted). ``failures`` are the files that failed in this run;
    ``known_failures`` the files that had failed before and have not changed since, which
    are not read again (unless ``retry_failed``) and do not make the run fail.
    """

    files: int = 0
    dealt_with: int = 0  # files read, skipped or found failed so far
    workers: int = 1  # the processes (or a cluster's worker threads) that did the reading
    cluster: str | None = None  # the Dask scheduler's address, when a cluster did
    read: int = 0
    skipped: int = 0
    documents: int = 0
    posts: int = 0
    new_articles: int = 0
    new_posts: int = 0
    failures: list[FileFailure] = field(default_factory=list)
    known_failures: list[FileFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every archive file read in this run was read in full."""
        return not self.failures


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    db: Database,
    *,
    on_file: Callable[[Path | str], None] | None = None,
    on_progress: Callable[[IngestResult], None] | None = None,
    workers: int = 1,
    retry_failed: bool = False,
    cluster: str | Client | None = None,
    store_articles: str = ALL_ARTICLES,
    columns: Mapping[str, str] | None = None,
) -> IngestResult:
    """Read archives into the database.

    :param paths: archive files, folders (read recursively), glob patterns, and addresses
        of remote files (``https://...``: the ``remote`` extra; see
        :mod:`monitor.archives.remote`).
    :param db: a database from :func:`monitor.open_db`.
    :param on_file: called with each archive file after it is dealt with (for progress).
    :param on_progress: called with this run's counts so far after each transaction (for a
        progress display: files dealt with, documents read, workers).
    :param workers: how many processes read, extract and score; this one process writes.
        With 1, everything happens in this process.
    :param retry_failed: read again the files that failed before, though they have not
        changed since (after fixing a permission, say).
    :param cluster: read, extract and score on a Dask cluster instead of local processes
        (``workers`` is then not used): a scheduler's address, ``"local"`` or ``"local:N"``
        (a cluster of N worker processes on this machine), or a :class:`distributed.Client`.
        Needs the ``cluster`` extra. The workers must be able to open the archive paths.
    :param store_articles: ``"all"`` (every article read gets a row) or ``"with-posts"``
        (only the articles that embed posts do; every article is counted in ``coverage``
        either way), for a store that stays small over a year of news.
    :param columns: for datasets of articles (Parquet, CSV), the column that holds each
        field (``url``, ``html``, ``text``, ``title``, ``date``, ``language``) where it is
        not one of the usual names (see :mod:`monitor.archives.columns`).
    :raises FileNotFoundError: when a path matches no file.
    :raises ValueError: when ``workers`` is less than 1, or ``store_articles`` is neither.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if store_articles not in STORE_ARTICLES:
        raise ValueError(
            f"store_articles must be one of {', '.join(STORE_ARTICLES)}, not {store_articles!r}"
        )
    unknown = sorted(set(columns or ()) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown column fields {unknown}: expected some of {', '.join(FIELDS)}")
    named = tuple(sorted(columns.items())) if columns else None
    files = expand_paths(paths)
    result = IngestResult(files=len(files))
    with _runner(workers, cluster) as runner:
        result.workers = runner.workers
        if cluster is not None:
            result.cluster = runner.address
        _Ingest(db, result, runner, on_file, retry_failed, store_articles, on_progress, named).run(
            files
        )
    return result


def _runner(workers: int, cluster: str | Client | None) -> Runner | ClusterRunner:
    if cluster is None:
        return Runner(workers)
    return _cluster_module().ClusterRunner(cluster)


@contextmanager
def cluster_client(address: str) -> Iterator[Client]:
    """A client of the Dask cluster at ``address`` (a scheduler's address, or ``local`` /
    ``local:N`` to start one here, ended on leaving), for several ingests in a row.

    :raises RuntimeError: when the ``cluster`` extra is not installed.
    """
    client, owned = _cluster_module().connect(address)
    try:
        yield client
    finally:
        for item in owned:
            item.close()


def _cluster_module() -> ModuleType:
    try:
        from . import cluster
    except ImportError as error:
        raise RuntimeError(
            "running on a Dask cluster needs the cluster extra: "
            "pip install 'reaction-monitor[cluster]'"
        ) from error
    return cluster


# -- Running and writing (planning: monitor.planning) -----------------------------------------

# While an ingest writes: the WAL is copied back into the database (a checkpoint, with two
# fsyncs) every 10,000 pages written rather than SQLite's 1,000, and the writer keeps 64 MiB
# of the database's pages at hand rather than 2. Measured on 60,000 articles: commits took
# 27% of the writer's time, and 16% with these, the writer storing a fifth more articles a
# second. The WAL stays under about 40 MiB between checkpoints.
_CHECKPOINT_PAGES = 10_000
_CACHE_KIB = 64 * 1024


@contextmanager
def _bulk_writes(db: Database) -> Iterator[None]:
    conn = db.conn
    checkpoint = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA wal_autocheckpoint = {_CHECKPOINT_PAGES}")
    conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


class _Ingest:
    """One run: plan each file here, have the runner read it, write the results in order."""

    def __init__(
        self,
        db: Database,
        result: IngestResult,
        runner: Runner | ClusterRunner,
        on_file: Callable[[Path | str], None] | None,
        retry_failed: bool = False,
        store_articles: str = ALL_ARTICLES,
        on_progress: Callable[[IngestResult], None] | None = None,
        columns: Columns | None = None,
    ) -> None:
        self.db = db
        self.columns = columns
        self.on_progress = on_progress
        self.store_articles = store_articles
        self.result = result
        self.runner = runner
        self.on_file = on_file
        self.queue: deque[PlannedFile] = deque()  # planned, not yet written, in file order
        self.tasks: list[Task | ClusterTask] = []  # submitted to the pool, maybe not done
        self.limit = runner.workers * _TASKS_PER_WORKER
        self.batch: list[PlannedFile] = []  # small files for the next task
        self.batch_bytes = 0
        self.planner = Planner(db.conn.cursor(), retry_failed)
        self.split = False  # whether big archives are shared among the workers

    def run(self, paths: list[Path]) -> None:
        with _bulk_writes(self.db):
            self._run(paths)

    def _run(self, paths: list[Path]) -> None:
        resolve = Resolver()
        # Reading an archive here costs this process (the writer) time the workers would
        # rather have: only worth it when there are too few big archives to go round.
        self.split = self.runner.parallel and count_big(paths) < self.runner.workers
        for path in paths:
            if is_remote(path):
                item = self.planner.plan_remote(str(path))
            else:
                item = self.planner.plan(path, resolve(path))
            self.queue.append(item)
            if item.action == "read":
                self._dispatch(item)
            self._keep_up()
        self._submit_batch()
        while self.queue:
            self._write_ready(block=True)

    def _keep_up(self) -> None:
        """Write what is done, and wait for the workers when enough is under way."""
        if not self.runner.parallel:
            # Tasks run when asked for: write once there is a transaction's worth.
            if len(self.queue) >= _FILES_PER_COMMIT:
                self._submit_batch()
                self._write_ready(block=True)
            return
        self._write_ready(block=False)
        while self._in_flight() > self.limit:
            self._write_ready(block=True)

    def _in_flight(self) -> int:
        self.tasks = [task for task in self.tasks if not task.done()]
        return len(self.tasks)

    def _dispatch(self, item: PlannedFile) -> None:
        # A remote archive is never read here: its bytes go to a worker, not through the
        # writer.
        if self.split and item.size >= SPLIT_BYTES and not is_remote(item.key):
            self._submit_batch()
            self._split(item)
            return
        item.complete = False  # until its task is submitted
        self.batch.append(item)
        self.batch_bytes += item.size
        if len(self.batch) >= _FILES_PER_TASK or self.batch_bytes >= _BYTES_PER_TASK:
            self._submit_batch()

    def _submit_batch(self) -> None:
        if not self.batch:
            return
        task = self._submit(
            read_files, [(item.key, item.sha256, self.columns) for item in self.batch]
        )
        for index, item in enumerate(self.batch):
            item.task, item.index, item.complete = task, index, True
        self.batch, self.batch_bytes = [], 0

    def _submit(self, function: Callable[[list], list], argument: list) -> Task | ClusterTask:
        task = self.runner.submit(function, argument)
        if self.runner.parallel:
            self.tasks.append(task)
        return task

    def _split(self, item: PlannedFile) -> None:
        """Read a big archive here and share its documents among the workers, writing the
        files before it and waiting for the workers as it goes, so memory stays flat."""
        item.complete = False
        chunk: list[Document] = []
        try:
            if item.sha256 is None:
                item.sha256 = sha256_of(item.key)
        except OSError as error:
            item.error = cannot_read(error, item.key)
        else:
            try:
                columns = dict(self.columns) if self.columns else None
                for document in iter_documents(item.key, columns=columns):
                    chunk.append(document)
                    if len(chunk) >= _DOCUMENTS_PER_TASK:
                        item.parts.append(self._submit(analyse_documents, chunk))
                        chunk = []
                        self._write_ready(block=False)
                        while self._in_flight() > self.limit:
                            if not self._write_ready(block=True):
                                self.runner.wait_for_any(self.tasks)
            except (ArchiveError, OSError, EOFError) as error:
                # The documents read before the damage are kept, as when a worker reads.
                item.error = str(error) or type(error).__name__
            except Exception as error:
                # A reader's own failure on a file it did not expect: the file's, as when a
                # worker reads it (monitor.reading.read_file).
                item.error = f"{type(error).__name__}: {error}"
        if chunk:
            item.parts.append(self._submit(analyse_documents, chunk))
        item.complete = True

    def _write_ready(self, *, block: bool) -> bool:
        """Write in one transaction the files at the head of the queue whose results are in,
        waiting for the first one if ``block``; whether anything was written."""
        if block and self.queue and not self.queue[0].complete and self.batch:
            self._submit_batch()
        done: list[PlannedFile] = []
        documents = 0
        while (
            self.queue
            and (self.queue[0].ready() or (block and not done and self.queue[0].complete))
            and len(done) < _FILES_PER_COMMIT
            and documents < _DOCUMENTS_PER_COMMIT
        ):
            item = self.queue.popleft()
            if item.action == "read":
                documents += len(item.read().documents)
            done.append(item)
        if not done:
            return False
        self._write(done)
        if self.on_file is not None:
            for item in done:
                self.on_file(item.path)
        if self.on_progress is not None:
            self.on_progress(self.result)
        return True

    def _write(self, items: list[PlannedFile]) -> None:
        with self.db.atomic():
            seen_at = now_utc()
            for item in items:
                if item.action != "recheck":
                    self._write_file(item, seen_at)
        for item in items:
            if item.action == "recheck":
                # Planned again now that its first name is written: skipped, or read here.
                self.planner.forget(item.key)
                again = self.planner.plan(item.path, item.key)
                if again.action == "read":
                    again.task = Task(
                        self.runner,
                        read_files,
                        [(again.key, again.sha256, self.columns)],
                        None,
                        None,
                    )
                with self.db.atomic():
                    self._write_file(again, now_utc())

    def _write_file(self, item: PlannedFile, seen_at: str) -> None:
        result, key = self.result, item.key
        result.dealt_with += 1
        if item.action == "skip":
            result.skipped += 1
            return
        if item.action == "touch":
            self.db.conn.execute(
                "UPDATE archive_files SET size = ?, mtime_ns = ? WHERE path = ?",
                [item.size, item.mtime_ns, key],
            )
            result.skipped += 1
            return
        if item.action == "known-failure":
            result.known_failures.append(FileFailure(key, item.error or "unknown error"))
            return
        if item.action == "unreadable":
            record = ArchiveFileRecord(
                key, 0, 0, None, FAILED, error=item.error, ingested_at=seen_at
            )
            record_archive_file(self.db, record)
            result.failures.append(FileFailure(key, record.error or "unknown error"))
            return
        read = item.read()
        item.task, item.parts = None, []  # its rows are about to be stored: free them
        analysed = [document for document in read.documents if not isinstance(document, str)]
        errors = [document for document in read.documents if isinstance(document, str)]
        if read.error is not None:
            errors.insert(0, read.error)
        elif change := change_since_planned(item):
            # Being written (a crawler's WARC still growing), replaced or removed: what was
            # read may be neither the old file nor the new. Kept, and recorded as failed with
            # the size and time planned, so that the next run reads it again.
            errors.insert(0, change)
        posts = sum(len(document.posts) for document in analysed)
        record = ArchiveFileRecord(
            path=key,
            size=item.size,
            mtime_ns=item.mtime_ns,
            sha256=read.sha256,
            status=FAILED if errors else DONE,
            documents=len(analysed),
            posts=posts,
            error=_summarise(errors),
            ingested_at=seen_at,
        )
        # Articles refer to their archive file, so its row comes first, in the same
        # transaction as they: no reader ever sees it half done.
        record_archive_file(self.db, record)
        save_coverage_rows(self.db, key, analysed)
        stored = analysed
        if self.store_articles == WITH_POSTS:
            # Counted in coverage above; only the articles that embed something get a row.
            stored = [document for document in analysed if document.posts]
        added = save_rows(self.db, stored, seen_at)
        result.new_articles += added.articles
        result.new_posts += added.posts
        result.read += 1
        result.documents += len(analysed)
        result.posts += posts
        if record.status == FAILED:
            result.failures.append(FileFailure(key, record.error or "unknown error"))


def _summarise(errors: list[str]) -> str | None:
    if not errors:
        return None
    if len(errors) == 1:
        return printable(errors[0])
    return printable(f"{errors[0]} (and {len(errors) - 1} more errors)")
