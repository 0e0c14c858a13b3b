"""``monitor jobs``: the scheduled jobs, as a daemon or once (for cron)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import exits
from .cli_options import config_option, configuration, database_path, db_option, log_level_option


@click.group()
def jobs() -> None:
    """The scheduled jobs that keep the database current (ingest, trends, report)."""


@jobs.command("run")
@db_option
@config_option
@log_level_option
def jobs_run(db_path: Path | None, config_path: Path | None, log_level: str) -> None:
    """Run the scheduler until SIGTERM or Ctrl-C (one per database)."""
    _jobs_command("run", db_path, config_path, log_level)


@jobs.command("once")
@db_option
@config_option
@log_level_option
def jobs_once(db_path: Path | None, config_path: Path | None, log_level: str) -> None:
    """Run every job once now (ingest, trends, the reports due), then exit: for cron."""
    _jobs_command("once", db_path, config_path, log_level)


def _jobs_command(mode: str, db_path: Path | None, config_path: Path | None, level: str) -> None:
    from jobs import AlreadyRunning, run_daemon, run_once

    config = configuration(config_path)
    logging.basicConfig(
        stream=sys.stderr,
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    if level.upper() != "DEBUG":
        # The scheduler logs every run it starts and ends; the jobs log what they did.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        status = (run_daemon if mode == "run" else run_once)(config, database_path(db_path, config))
    except AlreadyRunning as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(exits.CANNOT_WRITE)
    sys.exit(status)
