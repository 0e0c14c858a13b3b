"""What every ``monitor`` command shares: its options, and finding the configuration and
the database it names."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click
from sqlite_utils import Database

from .config import Config, ConfigError, load_config
from .messages import printable
from .output import FORMATS
from .queries import date_or_none
from .store import open_db, open_readonly
from .trends import refresh_trends, trends_staleness

SQLITE_MAX_INTEGER = 2**63 - 1
# Where a command leaves, for the error handling around it (``click.Context.meta``), the
# database it works on and what to say if it is interrupted.
DB_PATH = "monitor.db_path"
ON_INTERRUPT = "monitor.on_interrupt"

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="MONITOR_DB",
    default=None,
    help="The database file (default: $MONITOR_DB, else the configuration's, else ./monitor.db).",
)
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="MONITOR_CONFIG",
    default=None,
    help="The configuration file, monitor.toml (default: $MONITOR_CONFIG).",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: table on a terminal, else csv).",
)

log_level_option = click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="INFO",
    show_default=True,
    help="How much to log (to stderr, with timestamps).",
)


def configuration(config_path: Path | None) -> Config:
    try:
        return load_config(config_path)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


def database_path(db_path: Path | None, config: Config) -> Path:
    path = db_path if db_path is not None else config.db
    click.get_current_context().meta[DB_PATH] = path
    return path


def refreshed_db(db_path: Path, config: Config) -> Database:
    """The database, its trends brought up to date first; where it cannot be written (a
    read-only mount, a copy shared with analysts), read as it is, saying whether its trends
    may be stale."""
    if not db_path.exists():
        raise click.UsageError(f"no database at {db_path}: run `monitor ingest` first")
    if can_write(db_path):
        db = open_db(db_path)
        try:
            refresh_trends(db, config)
        except BaseException:
            db.close()
            raise
        return db
    db = existing_db(db_path)
    stale = trends_staleness(db, config)
    if stale:
        click.echo(
            printable(
                f"Note: {db_path} is read-only here, so its trends were not refreshed, and they "
                f"may be stale: {stale}."
            ),
            err=True,
        )
    return db


def can_write(db_path: Path) -> bool:
    # SQLite writes a journal beside the database: the folder must be writable too.
    return os.access(db_path, os.W_OK) and os.access(db_path.absolute().parent, os.W_OK)


def date_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    try:
        first, last = date_or_none(since, "since"), date_or_none(until, "until")
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if first and last and first > last:
        raise click.UsageError(f"--since {first} is after --until {last}: nothing can match")
    return first, last


def check_topics(names: tuple[str, ...], config: Config) -> None:
    configured = [topic.name for topic in config.topics]
    unknown = [name for name in names if name not in configured]
    if unknown:
        known = ", ".join(configured) if configured else "none (add them under [topics])"
        raise click.UsageError(
            f"no topic named {', '.join(map(repr, unknown))} in the configuration; "
            f"configured topics: {known}"
        )


def existing_db(db_path: Path) -> Database:
    try:
        return open_readonly(db_path)
    except FileNotFoundError:
        raise click.UsageError(f"no database at {db_path}: run `monitor ingest` first") from None
