"""Ingest's reading and analysis on a Dask cluster: the same tasks as the local worker
processes run, sent to the cluster's workers; this process still plans and writes.

A task is a batch of archive files (or a share of a big archive's documents) given to
:func:`~monitor.reading.read_files` (or :func:`~monitor.reading.analyse_documents`); its
result is the plain data a local worker returns. Each worker loads the models once, when it
joins (a worker plugin), not per task. Tasks are never taken for one another
(``pure=False``): the same batch submitted twice is read twice.

A worker that dies mid-task costs nothing: the scheduler runs its tasks again on other
workers. A task whose workers keep dying (the scheduler gives up after a few, and says so
with ``KilledWorker``) is run again one file or document at a time, and an item that kills
its worker again is recorded as failed, with the cause, as with local workers.

Needs the ``cluster`` extra (``pip install 'reaction-monitor[cluster]'``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import dask
from distributed import Client, Future, KilledWorker, LocalCluster, wait
from distributed.diagnostics.plugin import WorkerPlugin

from .workers import default_workers, failed_item, load_models

LOCAL = "local"
"""The cluster address that starts a cluster of worker processes on this machine
(``local:N`` for N of them; one per core by default)."""

_WAIT_S = 1.0
# The clients whose workers have the models' plugin already.
_PREPARED: weakref.WeakSet[Client] = weakref.WeakSet()
_KILLED = "the cluster's workers died each time they read it (killed, or out of memory?)"


class ClusterRunner:
    """Runs reading and analysis on a Dask cluster (see the module's text).

    :param cluster: a scheduler's address (``tcp://host:8786``), ``"local"`` or
        ``"local:N"`` for a cluster of single-threaded worker processes on this machine, or
        a connected :class:`distributed.Client`
    """

    parallel = True

    def __init__(self, cluster: str | Client) -> None:
        # What this runner started (a client, a local cluster), closed when it ends.
        self._owned: list[Any] = []
        if isinstance(cluster, str):
            self.client, self._owned = connect(cluster)
        else:
            self.client = cluster
        if self.client not in _PREPARED:  # a client used for many ingests (the jobs')
            self.client.register_plugin(_Models(), name="reaction-monitor-models")
            _PREPARED.add(self.client)
        self.workers = max(1, sum(self.client.nthreads().values()))
        self.address: str = self.client.scheduler.address
        self._futures: list[Future] = []

    def __enter__(self) -> ClusterRunner:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        if exc_type is not None and not self._end_local_workers():
            # Interrupted, or failed: the cluster's work for this run is not wanted any more.
            pending = [future for future in self._futures if not future.done()]
            if pending:
                self.client.cancel(pending)
        self._futures = []
        for owned in self._owned:
            owned.close()

    def _end_local_workers(self) -> bool:
        """End the worker processes of a cluster this runner started, at once (whether it
        started one): stopped in the middle of a task, each would print a traceback of its
        own, and the reader is owed one line saying the run was interrupted."""
        local = [owned for owned in self._owned if isinstance(owned, LocalCluster)]
        if not local:
            return False
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        for cluster in local:
            for nanny in cluster.workers.values():
                # Not public: whether a nanny starts its worker again, and the worker's
                # process.
                nanny.auto_restart = False
                process = getattr(getattr(nanny, "process", None), "process", None)
                pid = getattr(process, "pid", None)
                if pid is not None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
        return True

    def submit(self, function: Callable[[list], list], argument: list) -> ClusterTask:
        """Run ``function(argument)`` on the cluster."""
        future = self.client.submit(function, argument, pure=False)
        self._futures = [f for f in self._futures if not f.done()] + [future]
        return ClusterTask(self, function, argument, future)

    def wait_for_any(self, tasks: Sequence[ClusterTask]) -> None:
        """Wait (a second at most) for one of ``tasks`` to be done."""
        futures = [task.future for task in tasks if task.future is not None]
        if futures:
            with contextlib.suppress(TimeoutError):  # the caller asks again
                wait(futures, timeout=_WAIT_S, return_when="FIRST_COMPLETED")

    def rerun(self, function: Callable[[list], list], argument: list) -> list:
        """``function(argument)`` again, one item at a time; for a task whose workers kept
        dying. An item that kills its workers again is recorded as failed."""
        results: list = []
        # One at a time: a worker that an item kills takes with it the tasks it was running,
        # and the scheduler gives up on a task that was on too many dying workers, however
        # innocent; alone, an item dies only of itself.
        for item in argument:
            future = self.client.submit(function, [item], pure=False)
            self._futures.append(future)
            try:
                results.extend(future.result())
            except KilledWorker:
                results.append(failed_item(function, item, _KILLED))
        return results


class ClusterTask:
    """A task's result, as the writer asks for it (see :class:`monitor.workers.Task`)."""

    def __init__(
        self,
        runner: ClusterRunner,
        function: Callable[[list], list],
        argument: list,
        future: Future,
    ) -> None:
        self._runner = runner
        self._function = function
        self._argument: list | None = argument
        self._future: Future | None = future
        self._result: list | None = None

    def done(self) -> bool:
        return self._result is not None or self._future is None or self._future.done()

    @property
    def future(self) -> Future | None:
        return self._future if self._result is None else None

    def result(self) -> list:
        if self._result is not None:
            return self._result
        assert self._future is not None
        try:
            result = self._future.result()
        except KilledWorker:
            result = self._runner.rerun(self._function, self._argument or [])
        # Kept until the result is in, for a rerun; then let go (documents are big).
        self._result, self._argument, self._future = result, None, None
        return result


def connect(address: str) -> tuple[Client, list[Any]]:
    """A client of the cluster at ``address`` (a scheduler's, or ``local`` / ``local:N`` to
    start one here), and what was started for it, to close in that order when done."""
    workers = _local_workers(address)
    if workers is None:
        client = Client(address)
        return client, [client]
    # A cluster started here logs its start and stop (and, at INFO, the connections its
    # stop closes, with tracebacks): not news to the monitor's own log.
    logging.getLogger("distributed").setLevel(logging.WARNING)
    # Forked on Linux, as the local worker processes are: they start with the models loaded
    # and read as fast as those (spawned workers read a fifth slower); elsewhere spawned, as
    # macOS's system libraries are not fork-safe.
    fork = sys.platform.startswith("linux")
    if fork:
        load_models()
    method = "fork" if fork else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        local = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: never taken from another
            silence_logs=logging.WARNING,
        )
    client = Client(local)
    return client, [client, local]


class _Models(WorkerPlugin):
    """The models load once on each worker, as it joins the cluster."""

    idempotent = True

    def setup(self, worker: object) -> None:
        load_models()


def _local_workers(address: str) -> int | None:
    """How many worker processes ``local`` or ``local:N`` asks for; ``None`` for any other
    address."""
    if address == LOCAL:
        return default_workers()
    head, _, count = address.partition(":")
    if head != LOCAL:
        return None
    if not count.isdigit() or int(count) < 1:
        raise ValueError(f"not a cluster address: {address!r} (local:N needs N of 1 or more)")
    return int(count)
