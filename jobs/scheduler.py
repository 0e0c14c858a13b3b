"""APScheduler wiring: one process, one job at a time, the configured time zone everywhere.

Jobs run in a single worker thread, so the process is the database's only writer (and holds
its writer lock). ``coalesce`` folds runs missed while the machine slept into one run;
``max_instances=1`` never lets a slow ingest overlap the next; the misfire grace time lets a
run that was due while the machine slept still happen when it wakes, within limits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import Config

from .lock import WriterLock
from .tasks import Jobs

log = logging.getLogger("monitor.jobs")

# A report due at 07:00 is still written if the machine wakes by 13:00; later, the next
# start's catch-up writes it (from the database's record of the reports written).
REPORT_GRACE_SECONDS = 6 * 3600


def build_scheduler(jobs: Jobs, now: datetime | None = None) -> BlockingScheduler:
    """A scheduler with the ``ingest``, ``trends`` and ``report`` jobs (not started).

    At start, ingest runs at once (picking up what arrived while the process was down), and
    the report job writes the reports missed; trends runs after each ingest that stored
    something.
    """
    zone = jobs.config.zone
    now = now or datetime.now(zone)
    schedule = jobs.config.schedule
    scheduler = BlockingScheduler(
        timezone=zone,
        executors={"default": ThreadPoolExecutor(max_workers=1)},
    )
    once = {"coalesce": True, "max_instances": 1}

    def quiet(job: Callable[[], object]) -> Callable[[], None]:
        return _quietly(job, jobs.busy)

    def run_trends_next() -> None:
        scheduler.add_job(
            quiet(jobs.trends),
            DateTrigger(run_date=datetime.now(zone), timezone=zone),
            id="trends", name="trends", replace_existing=True, misfire_grace_time=None, **once,
        )  # fmt: skip

    jobs.after_ingest = run_trends_next
    scheduler.add_job(
        quiet(jobs.ingest),
        IntervalTrigger(seconds=schedule.ingest_interval, start_date=now, timezone=zone),
        id="ingest", name="ingest", next_run_time=now, **once,
        misfire_grace_time=max(60, schedule.ingest_interval),
    )  # fmt: skip
    # Trend days an earlier process marked but did not get to.
    scheduler.add_job(
        quiet(jobs.trends), DateTrigger(run_date=now, timezone=zone),
        id="trends", name="trends", misfire_grace_time=None, **once,
    )  # fmt: skip
    report_at = schedule.report_time
    scheduler.add_job(
        quiet(jobs.report),
        CronTrigger(hour=report_at.hour, minute=report_at.minute, timezone=zone),
        id="report", name="report", misfire_grace_time=REPORT_GRACE_SECONDS, **once,
    )  # fmt: skip
    scheduler.add_job(
        quiet(jobs.report), DateTrigger(run_date=now, timezone=zone),
        id="report-catch-up", name="report catch-up", misfire_grace_time=None, **once,
    )  # fmt: skip
    return scheduler


def run_daemon(config: Config, db_path: Path) -> int:
    """Run the jobs until SIGTERM or Ctrl-C; the running unit of work finishes first.

    The first signal stops the scheduler at once and lets the running job finish its
    current unit of work (one archive file, one report); a second signal ends the process
    at once, which loses nothing either, as each unit's rows commit together.

    :returns: the exit status: 0 after a clean stop.
    :raises AlreadyRunning: when another process holds the database's writer lock.
    """
    jobs = Jobs(config, db_path)
    with WriterLock(db_path):
        interrupted = jobs.mark_interrupted()
        if interrupted:
            log.warning("%d job runs were interrupted by an earlier stop; redoing", interrupted)
        scheduler = build_scheduler(jobs)

        def stop(signum: int, _frame: object) -> None:
            name = signal.Signals(signum).name
            if jobs.stop.is_set():
                log.warning("%s received again: stopping now", name)
                logging.shutdown()
                os._exit(128 + signum)
            # Set before anything else: a second signal can arrive while this handler runs
            # (in the log call below), and must find the stop already asked for.
            jobs.stop.set()
            log.info("%s received: finishing the current unit of work", name)
            # Without waiting: shutdown(wait=True) would hold the scheduler's job-store lock
            # while the running job finishes, and a job that schedules another (an ingest
            # schedules the trends) would then wait for that lock for ever. The running
            # job is waited for below, outside the scheduler.
            with contextlib.suppress(SchedulerNotRunningError):
                scheduler.shutdown(wait=False)

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            log.info("monitor jobs started on %s (time zone %s)", db_path, config.timezone)
            scheduler.start()
            # The running job returns after its current unit of work; jobs not yet started
            # return at once, as the stop is set.
            while not jobs.busy.acquire(timeout=0.1):
                pass
            jobs.busy.release()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("monitor jobs stopped")
    return 0


def run_once(config: Config, db_path: Path) -> int:
    """Every job once, now: ingest, trends, the reports due. For cron and tests.

    :returns: 0 when every job succeeded, else 1 (each failure is logged and recorded).
    :raises AlreadyRunning: when another process holds the database's writer lock.
    """
    jobs = Jobs(config, db_path)
    status = 0
    with WriterLock(db_path):
        jobs.mark_interrupted()
        for job in (jobs.ingest, jobs.trends, jobs.report):
            try:
                job()
            except Exception:  # logged and recorded by the job itself; go on with the next
                status = 1
    return status


def _quietly(job: Callable[[], object], busy: threading.Lock) -> Callable[[], None]:
    """The job as the scheduler runs it, holding ``busy`` while it runs (what a stopping
    daemon waits for). Failures are already logged (with the traceback) and recorded by the
    job; the scheduler need not log them a second time."""

    def run() -> None:
        with busy, contextlib.suppress(Exception):
            job()

    run.__name__ = getattr(job, "__name__", "job")
    return run
