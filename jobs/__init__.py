"""Scheduled jobs that keep a monitor database current: ``ingest`` on an interval, ``trends``
after an ingest that stored something, ``report`` daily at a local time.

Run them with ``monitor jobs run`` (a long-lived process) or ``monitor jobs once`` (every job
once, for cron). Every run is recorded in the database's ``job_runs`` table, and catching up
after a stop (a crash, a laptop asleep) is decided from those records, never from a job
store of the scheduler's own.
"""

from __future__ import annotations

from .lock import AlreadyRunning, WriterLock
from .scheduler import build_scheduler, run_daemon, run_once
from .tasks import JOBS, Jobs

__all__ = [
    "JOBS",
    "AlreadyRunning",
    "Jobs",
    "WriterLock",
    "build_scheduler",
    "run_daemon",
    "run_once",
]
