"""The job functions: thin wrappers over the library that record each run in ``job_runs``.

A run is recorded as ``running`` when it starts (committed at once, so a crash leaves a trace)
and finished as ``ok`` with its counts, or ``failed`` with the traceback. A failing job is
logged and recorded; the next run tries again.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from monitor.archives import expand_paths
from monitor.config import Config
from monitor.messages import counted, printable
from monitor.pipeline import cluster_client, ingest
from monitor.store import open_db
from monitor.timestamps import now_utc
from monitor.trends import refresh_trends

log = logging.getLogger("monitor.jobs")

JOBS = ("ingest", "trends", "report")
RUNNING, OK, FAILED = "running", "ok", "failed"
INTERRUPTED = "interrupted: the process stopped before the job finished"


class JobFailed(RuntimeError):
    """A job ran but could not do all it was asked; it is recorded as failed, with what it
    did manage in ``detail``."""

    def __init__(self, message: str, detail: dict[str, Any]) -> None:
        super().__init__(message)
        self.detail = detail


@dataclass
class Jobs:
    """The jobs of one database and configuration.

    ``stop`` is set when the process is asked to stop: a running job finishes its current
    unit of work (one archive file, one report) and returns, and a job not yet started
    returns at once. ``busy`` is held by the scheduler while a job runs. ``after_ingest`` is
    called when an ingest stored something (the scheduler runs the trends job then).
    """

    config: Config
    db_path: Path
    stop: threading.Event = field(default_factory=threading.Event)
    busy: threading.Lock = field(default_factory=threading.Lock)
    after_ingest: Callable[[], None] | None = None

    def ingest(self) -> dict[str, Any]:
        """Read whatever arrived in the configured archives, file by file."""
        return self._recorded("ingest", self._ingest)

    def trends(self) -> dict[str, Any]:
        """Recompute the trends of the days the ingests touched."""
        return self._recorded("trends", self._trends)

    def report(self, today: date | None = None) -> dict[str, Any]:
        """Write the daily reports missing since the last one written, oldest first, at
        most ``schedule.catch_up_days`` of them (always yesterday's)."""
        return self._recorded("report", lambda db: self._report(db, today))

    def mark_interrupted(self) -> int:
        """Runs left ``running`` by a process that died are recorded as failed; their work
        is redone by the next runs. Call it holding the writer lock."""
        with open_db(self.db_path) as db, db.atomic():
            cursor = db.execute(
                "UPDATE job_runs SET status = ?, error = ?, finished_at = ? WHERE status = ?",
                [FAILED, INTERRUPTED, now_utc(), RUNNING],
            )
        return cursor.rowcount

    # --- the jobs' bodies --------------------------------------------------------------

    def _ingest(self, db: Database) -> dict[str, Any]:
        files = []
        for pattern in self.config.archives:
            try:
                files.extend(expand_paths([pattern]))
            except FileNotFoundError:
                log.warning("archive path %s matches nothing (yet)", pattern)
            except OSError as error:  # a pattern of addresses whose server is down
                log.warning("archive path %s: %s", pattern, error)
        counts = {"files": len(files), "read": 0, "skipped": 0, "documents": 0, "posts": 0,
                  "new_posts": 0, "new_articles": 0, "failed": 0, "known_failed": 0}  # fmt: skip
        failures = []
        with ExitStack() as stack:
            cluster = None
            if self.config.cluster is not None:
                cluster = stack.enter_context(cluster_client(self.config.cluster))
            for path in dict.fromkeys(files):
                if self.stop.is_set():
                    counts["stopped_early"] = True
                    break
                # One file at a time: the unit of work that a stop lets finish.
                result = ingest(
                    [path], db, cluster=cluster, store_articles=self.config.store_articles
                )
                for name in ("read", "skipped", "documents", "posts", "new_posts", "new_articles"):
                    counts[name] += getattr(result, name)
                counts["failed"] += len(result.failures)
                # Failed before and unchanged since: listed by `monitor files --failed` and
                # in the report's collection health, not failed again on every run.
                counts["known_failed"] += len(result.known_failures)
                failures.extend(f"{printable(f.path)}: {f.error}" for f in result.failures)
        if counts["read"] and self.after_ingest is not None and not self.stop.is_set():
            self.after_ingest()
        if failures:
            raise JobFailed(
                f"{counted(len(failures), 'archive file')} could not be read "
                "(the rest is stored):\n" + "\n".join(failures),
                counts,
            )
        return counts

    def _trends(self, db: Database) -> dict[str, Any]:
        result = refresh_trends(db, self.config)
        detail = {"days": len(result.days), "topics_changed": list(result.topics_changed),
                  "rows": result.rows}  # fmt: skip
        if self.config.alerts.urls:
            detail["alerts"] = self._alerts(db, result.days)
        return detail

    def _alerts(self, db: Database, days: Iterable[str]) -> dict[str, Any]:
        """The alerts of the days the trends just changed (and the retries due). A failure
        to deliver, or to explain, never fails the trends: it is recorded and logged."""
        from monitor.alerts import check_alerts

        try:
            run = check_alerts(db, self.config, days=days)
        except Exception as error:  # a bug in explaining a spike must not stop the jobs
            log.exception("alerts could not be checked")
            return {"error": f"{type(error).__name__}: {error}"}
        failed = [f"{' '.join(item[:3])} to {item[4]}: {item[5]}" for item in run.failed]
        return {"sent": len(run.sent), "failed": failed}

    def _report(self, db: Database, today: date | None) -> dict[str, Any]:
        from monitor.report import write_report  # the report brings matplotlib: load it late

        refresh_trends(db, self.config)
        written = []
        for day in missing_reports(db, self.config, today):
            if self.stop.is_set():
                break
            files = write_report(db, day, self.config.reports, self.config)
            written.append(day.isoformat())
            # Recorded as soon as it is written, so the next catch-up knows it is done.
            with db.atomic():
                db["reports"].upsert(
                    {"day": day.isoformat(), "html": str(files.html), "written_at": now_utc()},
                    pk="day",
                )
            log.info("report for %s written to %s", day, files.html)
        return {"days": written}

    # --- recording --------------------------------------------------------------------

    def _recorded(self, job: str, body: Callable[[Database], dict[str, Any]]) -> dict[str, Any]:
        if self.stop.is_set():
            # A job due when the process was asked to stop: the next start runs it.
            return {"stopped": True}
        with open_db(self.db_path) as db:
            with db.atomic():
                run_id = (
                    db["job_runs"]
                    .insert({"job": job, "started_at": now_utc(), "status": RUNNING})
                    .last_pk
                )
            log.info("%s started", job)
            try:
                detail = body(db)
            except Exception as error:  # recorded, logged, and tried again next time
                failed = isinstance(error, JobFailed)
                detail = error.detail if failed else {}
                text = str(error) if failed else traceback.format_exc()
                log.error("%s failed: %s", job, text)
                _finish(db, run_id, FAILED, detail, text)
                raise
            _finish(db, run_id, OK, detail, None)
            log.info("%s done: %s", job, json.dumps(detail))
            return detail


def missing_reports(db: Database, config: Config, today: date | None = None) -> list[date]:
    """The days whose daily report is due and not yet written: yesterday, and the days
    before it back to the last report written, at most ``schedule.catch_up_days`` in all
    (and never before the first post)."""
    today = today or datetime.now(config.zone).date()
    yesterday = today - timedelta(days=1)
    written = {row[0] for row in db.execute("SELECT day FROM reports")}
    first_post = db.execute("SELECT min(substr(posted_at, 1, 10)) FROM posts").fetchone()[0]
    # Without any post there is nothing to catch up on, only yesterday to report as empty.
    span = max(config.schedule.catch_up_days, 1) if first_post else 1
    days = [yesterday - timedelta(days=n) for n in range(span)]
    due = [
        day
        for day in days
        if day.isoformat() not in written and (first_post is None or day.isoformat() >= first_post)
    ]
    if yesterday.isoformat() not in written and yesterday not in due:
        due.append(yesterday)  # yesterday's report is written even for a day without posts
    return sorted(due)


def _finish(db: Database, run_id: int, status: str, detail: dict, error: str | None) -> None:
    with db.atomic():
        db["job_runs"].update(
            run_id,
            {
                "finished_at": now_utc(),
                "status": status,
                "detail": json.dumps(detail),
                "error": error,
            },
        )
