"""Where ingest's reading and analysis run: in this process, or in worker processes.

A worker that dies (killed for memory, ``kill -9``, a crash in a parser's C code) costs only
its own work: every task it may have held is run again, one file or one document at a time,
in a fresh worker of its own; a file or document that kills that worker too is reported as
failed, with the cause, and the run goes on. Workers never outlive this process: on Linux
each asks the kernel to kill it when its parent dies, and elsewhere each checks its parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Future,
    ProcessPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from . import language, sentiment
from .article import outlet_of
from .reading import FileRead, analyse_documents, read_files

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# How often a wait for a worker looks whether the workers are alive; how long a dead worker
# may go unnoticed by its pool before the pool is given up.
_POLL_S = 0.25
_WEDGED_AFTER_S = 2.0


class _CtrlCHold:
    """Ctrl-C held back while this process runs the process pool's own code.

    Python raises KeyboardInterrupt between any two steps of the main thread, and the
    pool's code does not survive it everywhere: landing while ``concurrent.futures.wait``
    takes its futures' locks one by one leaves some taken for good; the pool's thread,
    finishing one of those futures, then waits for ever, and so does this process as it
    exits (it joins that thread), after saying it was interrupted. While a pool is in use,
    SIGINT's handler lets such a call end (every wait here has a timeout of a second at
    most) and then does what it would have done: Ctrl-C still ends the ingest at once.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.held: tuple[int, Any] | None = None
        self.previous: Any = None
        self.installed = False

    def install(self) -> None:
        """Take SIGINT over, where this thread may (the main thread) and something handles it."""
        if self.installed or threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGINT)
        if previous is signal.SIG_IGN or previous is None:
            return
        self.previous = previous
        signal.signal(signal.SIGINT, self._on_signal)
        self.installed = True

    def uninstall(self) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, self.previous)
            self.installed = False

    @contextlib.contextmanager
    def pool_code(self) -> Iterator[None]:
        """Hold Ctrl-C back meanwhile."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if not self.depth and self.held is not None:
                number, frame = self.held
                self.held = None
                self._forward(number, frame)

    def _on_signal(self, number: int, frame: Any) -> None:
        if self.depth:
            self.held = (number, frame)
        else:
            self._forward(number, frame)

    def _forward(self, number: int, frame: Any) -> None:
        if callable(self.previous):
            self.previous(number, frame)  # raises KeyboardInterrupt, as a rule
        else:  # SIG_DFL: the process ends as SIGINT ends it
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.raise_signal(signal.SIGINT)


_ctrl_c = _CtrlCHold()


class Runner:
    """Runs reading and analysis: here (one worker) or in a pool of worker processes.

    Here, a task runs when its result is first asked for, so that nothing waits in memory;
    in a pool, tasks run as soon as they are submitted.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.parallel = workers > 1
        self.pool: ProcessPoolExecutor | None = None
        self._retry_pool: ProcessPoolExecutor | None = None
        # Pools given up after a worker died: tasks still waiting on one are run again.
        self.retired: set[ProcessPoolExecutor] = set()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        try:
            for pool in (self.pool, self._retry_pool):
                if pool is None:
                    continue
                if exc_type is None:
                    with _ctrl_c.pool_code():
                        pool.shutdown(wait=True, cancel_futures=True)
                else:
                    # Interrupted, or failed: the work under way is not wanted any more, and
                    # a worker killed mid-answer must not keep this process from exiting.
                    self._retire(pool)
        finally:
            _ctrl_c.uninstall()

    def submit(self, function: Callable[[list], list], argument: list) -> Task:
        """Run ``function(argument)``: ``function`` is :func:`~monitor.reading.read_files` or
        :func:`~monitor.reading.analyse_documents`."""
        if not self.parallel:
            return Task(self, function, argument, None, None)
        _ctrl_c.install()
        with _ctrl_c.pool_code():
            if self.pool is None:
                self.pool = _new_pool(self.workers)
            try:
                future = self.pool.submit(function, argument)
            except BrokenProcessPool:
                # A worker died since the last submission: the tasks it broke are run again
                # as they are asked for; new ones go to a new pool.
                self._retire(self.pool)
                self.pool = _new_pool(self.workers)
                future = self.pool.submit(function, argument)
        return Task(self, function, argument, future, self.pool)

    def rerun(
        self, function: Callable[[list], list], argument: list, pool: ProcessPoolExecutor
    ) -> list:
        """``function(argument)`` again, one item at a time, each in a worker of its own;
        for the items of a task whose worker (in ``pool``) died."""
        self._retire(pool)
        results = []
        for item in argument:
            if self._retry_pool is None:
                self._retry_pool = _new_pool(1)
            retry = self._retry_pool
            with _ctrl_c.pool_code():
                future = retry.submit(function, [item])
            # Its worker, to ask how it ended: the pool forgets its workers when it breaks.
            processes = _workers_of(retry)
            try:
                results.extend(_result(future, retry, self.retired))
            except (BrokenProcessPool, CancelledError):
                cause = _death_of(processes)
                self._retry_pool = None
                self._retire(retry)
                message = f"the worker process reading it died twice: {cause}"
                results.append(failed_item(function, item, message))
        return results

    def wait_for_any(self, tasks: list[Task]) -> None:
        """Wait (a second at most) for one of ``tasks`` to be done. Bounded: the caller goes on
        to ask for a result, which notices a dead worker."""
        futures = [task.future for task in tasks if task.future is not None]
        if futures:
            with _ctrl_c.pool_code():
                wait(futures, timeout=1.0, return_when=FIRST_COMPLETED)

    def _retire(self, pool: ProcessPoolExecutor) -> None:
        """Stop using a pool one of whose workers died: its other workers are ended, the
        tasks it still holds fail (and are run again as they are asked for)."""
        if pool is self.pool:
            self.pool = None
        self.retired.add(pool)
        _kill_workers(pool)
        _end_waiting_for_results(pool)
        # Not public: the pool's thread, which shutdown() lets go of.
        manager = getattr(pool, "_executor_manager_thread", None)
        with _ctrl_c.pool_code():
            pool.shutdown(wait=False, cancel_futures=True)
        if manager is not None:
            # Its workers gone, the pool's thread ends at once, closing its wakeup pipe; at
            # exit, Python wakes every pool's thread through that pipe without a lock, and a
            # thread closing it meanwhile made that fail ("Bad file descriptor") and skip the
            # rest of the exit's waits. Bounded: a wedged thread is the exit's to deal with.
            manager.join(timeout=_WEDGED_AFTER_S)


class Task:
    """A task's result, as the writer asks for it: run here on demand (no pool), or from a
    worker, run again item by item if that worker died."""

    def __init__(
        self,
        runner: Runner,
        function: Callable[[list], list],
        argument: list,
        future: Future | None,
        pool: ProcessPoolExecutor | None,
    ) -> None:
        self._runner = runner
        self._function = function
        self._argument: list | None = argument
        self._future = future
        self._pool = pool
        self._result: list | None = None

    def done(self) -> bool:
        if self._future is None or self._result is not None:
            return True
        with _ctrl_c.pool_code():
            return self._future.done()

    @property
    def future(self) -> Future | None:
        """The pool's future, to wait on; ``None`` for a task run here."""
        return self._future if self._result is None else None

    def result(self) -> list:
        if self._result is not None:
            return self._result
        argument = self._argument or []
        if self._future is None or self._pool is None:
            result = self._function(argument)
        else:
            try:
                result = _result(self._future, self._pool, self._runner.retired)
            except (BrokenProcessPool, CancelledError):
                result = self._runner.rerun(self._function, argument, self._pool)
        # Kept until the result is in, for a rerun; then let go (documents are big).
        self._result, self._argument, self._future, self._pool = result, None, None, None
        return result


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def load_models() -> None:
    """Load what analysis needs (language model, VADER's lexicon, the public suffix list)."""
    language.detect("Loading the language model once, before the workers start.")
    sentiment.score("Loading the lexicon.", lang="en")
    outlet_of("https://www.example.com/")


def _new_pool(workers: int) -> ProcessPoolExecutor:
    # fork on Linux: workers start at once and share this process's loaded modules and
    # models; they never touch the database connection they inherit. Elsewhere (macOS's
    # system libraries are not fork-safe) each worker starts afresh and loads the models on
    # first use.
    fork = sys.platform.startswith("linux")
    if fork:
        load_models()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )


def _start_worker(parent: int) -> None:
    """Run in each worker as it starts."""
    # Ctrl-C reaches every process of the terminal's group: the parent alone decides what
    # to do about it (it ends the workers), and no worker prints a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        # The kernel kills this worker when the parent dies, however it dies (kill -9).
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        threading.Event().wait(1.0)
    os._exit(1)


def _result(future: Future, pool: ProcessPoolExecutor, retired: set[ProcessPoolExecutor]) -> list:
    """``future``'s result, waiting while its pool's workers live.

    :raises BrokenProcessPool: as the pool raises it when one of its workers dies; when the
        pool has been given up (``retired``); and when a worker has been dead for a while
        and the pool has not noticed. A pool can miss a death: a worker killed while it
        sends a result leaves the pool's thread waiting for the rest of that result, for
        ever, and the pool's tasks with it.
    """
    dead_since = None
    while True:
        try:
            with _ctrl_c.pool_code():
                return future.result(timeout=_POLL_S)
        except TimeoutError:
            pass
        if pool in retired:
            raise BrokenProcessPool("its pool was given up after a worker died")
        if not any(process.exitcode is not None for process in _workers_of(pool)):
            dead_since = None
        elif dead_since is None:
            dead_since = time.monotonic()
        elif time.monotonic() - dead_since > _WEDGED_AFTER_S:
            raise BrokenProcessPool("a worker process died and its pool did not notice")


def _end_waiting_for_results(pool: ProcessPoolExecutor) -> None:
    """Let a pool's thread stop waiting for results, once its workers are gone.

    A worker killed while it sends a result leaves the pool's thread reading the rest of
    that result for ever (and the process could then not exit, as it waits for that
    thread): closing this process's end of the results pipe, which only workers write to,
    makes the read end, and the pool breaks as it does when it sees a worker die.
    """
    for process in _workers_of(pool):
        process.join(timeout=1)
    # Not public: the pool's results pipe.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()


def _workers_of(pool: ProcessPoolExecutor) -> list[multiprocessing.Process]:
    # Not public: a pool lists its worker processes only in this attribute.
    return list((getattr(pool, "_processes", None) or {}).values())


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    for process in _workers_of(pool):
        if process.is_alive():
            process.kill()


def _death_of(processes: list[multiprocessing.Process]) -> str:
    """Why a pool's worker died, in words: the signal or status it ended with."""
    for process in processes:
        code = _exit_code(process)
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            hint = " (out of memory?)" if name == "SIGKILL" else ""
            return f"killed by {name}{hint}"
        if code is not None:
            return f"exited with status {code}"
    return "ended abruptly"


def _exit_code(process: multiprocessing.Process) -> int | None:
    # The pool's own thread reaps its workers too: whichever of the two waits first gets
    # the status, and the other sees none until the first has stored it.
    deadline = time.monotonic() + 2
    while process.exitcode is None and time.monotonic() < deadline:
        process.join(timeout=0.05)
    return process.exitcode


def failed_item(function: Callable[[list], list], item: Any, message: str) -> FileRead | str:
    """What a file or document that kept killing the workers reading it is recorded as,
    with ``message`` saying so."""
    if function is read_files:
        _path, sha256, _columns = item
        return FileRead((), message, sha256)
    if function is analyse_documents:
        where = f" at {item.locator}" if item.locator else ""
        return f"document{where}: {message}"
    raise ValueError(f"no failure result for {function!r}")
