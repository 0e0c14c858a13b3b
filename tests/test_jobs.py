"""The scheduled jobs, called directly: triggers, run records, failures, catch-up."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jobs import AlreadyRunning, Jobs, WriterLock, build_scheduler
from jobs.tasks import INTERRUPTED, JobFailed, missing_reports
from monitor.config import Config, Schedule
from monitor.store import open_db

from .conftest import SAMPLE

BERLIN = ZoneInfo("Europe/Berlin")


def jobs_for(tmp_path, **config) -> Jobs:
    archive = tmp_path / "archive"
    archive.mkdir(exist_ok=True)
    settings = {"archives": (str(archive),), "db": tmp_path / "m.db", **config}
    return Jobs(Config(**settings), tmp_path / "m.db")


def runs(db_path) -> list[tuple]:
    with open_db(db_path) as db:
        return [
            (row["job"], row["status"], json.loads(row["detail"] or "null"), row["error"])
            for row in db["job_runs"].rows_where(order_by="id")
        ]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # The night clocks go forward (31 March 2024, 02:00 -> 03:00): still 07:00 local.
        (datetime(2024, 3, 30, 12, 0, tzinfo=BERLIN), "2024-03-31T07:00:00+02:00"),
        # The night clocks go back (27 October 2024, 03:00 -> 02:00): 07:00 local, UTC+1.
        (datetime(2024, 10, 26, 12, 0, tzinfo=BERLIN), "2024-10-27T07:00:00+01:00"),
        (datetime(2024, 10, 27, 6, 59, tzinfo=BERLIN), "2024-10-27T07:00:00+01:00"),
        (datetime(2024, 10, 27, 7, 0, 1, tzinfo=BERLIN), "2024-10-28T07:00:00+01:00"),
    ],
)
def test_report_fires_at_the_local_time_across_daylight_saving_changes(tmp_path, now, expected):
    jobs = jobs_for(tmp_path, timezone="Europe/Berlin", schedule=Schedule(report_time=time(7)))
    scheduler = build_scheduler(jobs, now=now)
    trigger = scheduler.get_job("report").trigger
    assert trigger.get_next_fire_time(None, now).isoformat() == expected


def zone_of(trigger) -> object:
    # A date trigger keeps its zone on its run date; the others have their own.
    return trigger.run_date.tzinfo if hasattr(trigger, "run_date") else trigger.timezone


def test_every_job_is_set_up_as_documented(tmp_path):
    now = datetime(2024, 11, 24, 9, 30, tzinfo=BERLIN)
    jobs = jobs_for(tmp_path, timezone="Europe/Berlin", schedule=Schedule(ingest_interval=600))
    scheduler = build_scheduler(jobs, now=now)
    setup = {
        job.id: (
            type(job.trigger).__name__,
            str(zone_of(job.trigger)),
            job.coalesce,
            job.max_instances,
            job.misfire_grace_time,
        )
        for job in scheduler.get_jobs()
    }
    assert setup == {
        "ingest": ("IntervalTrigger", "Europe/Berlin", True, 1, 600),
        "trends": ("DateTrigger", "Europe/Berlin", True, 1, None),
        "report": ("CronTrigger", "Europe/Berlin", True, 1, 6 * 3600),
        "report-catch-up": ("DateTrigger", "Europe/Berlin", True, 1, None),
    }
    ingest = scheduler.get_job("ingest").trigger
    assert ingest.get_next_fire_time(None, now).isoformat() == "2024-11-24T09:30:00+01:00"


def test_runs_are_recorded_with_their_counts(tmp_path):
    jobs = jobs_for(tmp_path)
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", tmp_path / "archive")
    after = []
    jobs.after_ingest = lambda: after.append("trends")
    assert jobs.ingest()["new_posts"] == 2
    jobs.ingest()
    # all, twitter, example.com, and the hashtags atacms, ukraine, ww3, nuclearwar
    assert jobs.trends() == {"days": 1, "topics_changed": [], "rows": 7}
    assert after == ["trends"]  # only the ingest that stored something asks for trends
    assert runs(tmp_path / "m.db") == [
        ("ingest", "ok", {"files": 1, "read": 1, "skipped": 0, "documents": 1, "posts": 2,
                          "new_posts": 2, "new_articles": 1, "failed": 0, "known_failed": 0},
         None),
        ("ingest", "ok", {"files": 1, "read": 0, "skipped": 1, "documents": 0, "posts": 0,
                          "new_posts": 0, "new_articles": 0, "failed": 0, "known_failed": 0},
         None),
        ("trends", "ok", {"days": 1, "topics_changed": [], "rows": 7}, None),
    ]  # fmt: skip


def test_archive_paths_that_match_nothing_or_cannot_be_listed_are_passed_over(tmp_path, caplog):
    pytest.importorskip("fsspec", reason="the remote extra is not installed")
    pytest.importorskip("aiohttp", reason="the remote extra is not installed")
    unreachable = "http://127.0.0.1:9/news/*.warc.gz"  # nothing listens on the discard port
    jobs = jobs_for(tmp_path)
    jobs.config = Config(
        archives=(unreachable, str(tmp_path / "inbox" / "*.html"), str(tmp_path / "archive")),
        db=tmp_path / "m.db",
    )
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", tmp_path / "archive")
    assert jobs.ingest()["new_posts"] == 2
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert warnings[0].startswith(f"archive path {unreachable}: cannot list '{unreachable}': ")
    assert warnings[1:] == [f"archive path {tmp_path}/inbox/*.html matches nothing (yet)"]


def test_a_failing_job_is_recorded_and_the_next_run_retries(tmp_path):
    jobs = jobs_for(tmp_path)
    shutil.copy(SAMPLE / "2024-11-19-escalation.txt", tmp_path / "archive")
    junk = tmp_path / "archive" / "junk.html"
    junk.write_bytes(b"\x00" * 10)
    with pytest.raises(JobFailed):
        jobs.ingest()
    junk.write_text("<p>fixed</p>", encoding="utf-8")
    jobs.ingest()
    (first, error), second = runs(tmp_path / "m.db")[0][1:4:2], runs(tmp_path / "m.db")[1]
    assert first == "failed"
    assert error == (
        "1 archive file could not be read (the rest is stored):\n"
        f"{junk}: not text: binary content (NUL bytes)"
    )
    assert second[:2] == ("ingest", "ok")
    assert second[2]["read"] == 1  # the fixed file; the good one was stored the first time


def test_a_file_that_stays_bad_fails_one_run_only(tmp_path):
    jobs = jobs_for(tmp_path)
    shutil.copy(SAMPLE / "2024-11-19-escalation.txt", tmp_path / "archive")
    (tmp_path / "archive" / "junk.html").write_bytes(b"\x00" * 10)
    (tmp_path / "archive" / "broken.html").symlink_to("nowhere.html")
    with pytest.raises(JobFailed):
        jobs.ingest()
    # Unchanged since: not read again, and the run succeeds (cron's exit status is 0).
    detail = jobs.ingest()
    assert (detail["failed"], detail["known_failed"], detail["read"]) == (0, 2, 0)
    assert [run[1] for run in runs(tmp_path / "m.db")] == ["failed", "ok"]


def test_a_crashing_job_is_recorded_with_its_traceback(tmp_path):
    jobs = jobs_for(tmp_path, timezone="Europe/Berlin")
    with open_db(tmp_path / "m.db") as db:
        db.execute("DROP TABLE trend_dates")  # a real failure inside the library
    with pytest.raises(Exception, match="no such table: trend_dates"):
        jobs.trends()
    ((job, status, detail, error),) = runs(tmp_path / "m.db")
    assert (job, status, detail) == ("trends", "failed", {})
    assert error.startswith("Traceback (most recent call last):")
    assert error.rstrip().endswith("sqlite3.OperationalError: no such table: trend_dates")


def test_runs_left_running_by_a_dead_process_are_marked_interrupted(tmp_path):
    jobs = jobs_for(tmp_path)
    with open_db(tmp_path / "m.db") as db:
        db["job_runs"].insert({"job": "ingest", "started_at": "x", "status": "running"})
    assert jobs.mark_interrupted() == 1
    assert runs(tmp_path / "m.db") == [("ingest", "failed", None, INTERRUPTED)]


def test_reports_due_are_yesterday_and_the_missed_days_within_the_catch_up(tmp_path):
    config = Config(schedule=Schedule(catch_up_days=3))
    with open_db(tmp_path / "m.db") as db:
        # Nothing stored yet: only yesterday's (empty) report is due.
        assert missing_reports(db, config, date(2024, 11, 24)) == [date(2024, 11, 23)]
        db.execute(
            "INSERT INTO posts (id, platform, posted_at) VALUES ('p', 'twitter', ?)",
            ["2024-11-21T10:00:00+00:00"],
        )
        db["reports"].insert({"day": "2024-11-22", "html": "r.html", "written_at": "x"})
        # The days missed back to the first post, the one written excepted.
        assert missing_reports(db, config, date(2024, 11, 24)) == [
            date(2024, 11, 21),
            date(2024, 11, 23),
        ]
        # At most catch_up_days of them, the latest.
        assert missing_reports(db, config, date(2024, 11, 30)) == [
            date(2024, 11, 27),
            date(2024, 11, 28),
            date(2024, 11, 29),
        ]
        no_catch_up = Config(schedule=Schedule(catch_up_days=0))
        assert missing_reports(db, no_catch_up, date(2024, 11, 30)) == [date(2024, 11, 29)]


def test_the_writer_lock_is_exclusive_and_released(tmp_path):
    refused = pytest.raises(AlreadyRunning, match=r"another monitor jobs process \(pid \d+")
    with WriterLock(tmp_path / "m.db"), refused:
        WriterLock(tmp_path / "m.db").acquire()
    with WriterLock(tmp_path / "m.db"):
        pass


def test_the_report_job_writes_the_reports_due_and_records_them(tmp_path):
    jobs = jobs_for(tmp_path, schedule=Schedule(catch_up_days=3), reports=tmp_path / "reports")
    for page in SAMPLE.iterdir():
        shutil.copy(page, tmp_path / "archive")
    jobs.ingest()
    assert jobs.report(today=date(2024, 11, 22)) == {
        "days": ["2024-11-19", "2024-11-20", "2024-11-21"]
    }
    assert sorted(p.name for p in (tmp_path / "reports").glob("*.html")) == [
        "2024-11-19.html",
        "2024-11-20.html",
        "2024-11-21.html",
    ]
    with open_db(tmp_path / "m.db") as db:
        assert [(r["day"], r["html"]) for r in db["reports"].rows_where(order_by="day")] == [
            (day, str(tmp_path / "reports" / f"{day}.html"))
            for day in ("2024-11-19", "2024-11-20", "2024-11-21")
        ]
    # Nothing is due again, and nothing is written twice.
    assert jobs.report(today=date(2024, 11, 22)) == {"days": []}
