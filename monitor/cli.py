"""The ``monitor`` command: a thin layer over the Python API."""

from __future__ import annotations

import logging
import os
import sys
from datetime import date, datetime, timedelta
from importlib.resources import as_file, files
from pathlib import Path

import click
import pandas as pd
from sqlite_utils import Database

from . import analysis, exits, pipeline
from .archives import expand_paths
from .config import Config, ConfigError, load_config
from .hashtags import normalise
from .messages import printable
from .models import PLATFORMS
from .output import FORMATS, emit, plain, posts_table, spikes_table, trends_table
from .queries import SORTS, PostFilters, check_search, date_or_none, iter_posts
from .store import open_db, open_readonly
from .trends import (
    GRANULARITIES,
    TREND_COLUMNS,
    compute_trends,
    refresh_trends,
    spike_drivers,
    trends_staleness,
)

_SQLITE_MAX_INTEGER = 2**63 - 1

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


class _Monitor(click.Group):
    """The command group, ending every command the documented way (see ``monitor.exits``):
    an environment error is one line and status 3, Ctrl-C one line and status 130."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(ctx.meta.get(_ON_INTERRUPT, "Interrupted."), err=True)
            ctx.exit(exits.INTERRUPTED)
        except exits.ENVIRONMENT_ERRORS as error:
            message = exits.describe(error, ctx.meta.get(_DB_PATH))
            click.echo(f"Error: {printable(message)}", err=True)
            ctx.exit(exits.CANNOT_WRITE)


_DB_PATH = "monitor.db_path"
_ON_INTERRUPT = "monitor.on_interrupt"


@click.group(cls=_Monitor)
@click.version_option(package_name="reaction-monitor")
def cli() -> None:
    """Find the social posts that news articles embed, their hashtags and sentiment."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@config_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that read, extract and score (default: one per core); one writes.",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Read again the files that failed before, though they have not changed since.",
)
def ingest(
    paths: tuple[str, ...],
    db_path: Path | None,
    config_path: Path | None,
    workers: int | None,
    retry_failed: bool,
) -> None:
    """Read archives (files, folders, globs) into the database; update the trends."""
    config = _config(config_path)
    db_path = _db(db_path, config)
    result = _ingest(paths, db_path, config, workers or pipeline.default_workers(), retry_failed)
    sys.exit(exits.OK if result.ok else exits.UNREADABLE_INPUT)


@cli.command()
@db_option
@config_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="The folder the report of the sample's latest day is written into.",
)
def demo(db_path: Path | None, config_path: Path | None, out: Path) -> None:
    """Ingest the bundled sample archive, show what it holds, and write its latest report."""
    config = _config(config_path)
    db_path = _db(db_path, config)
    with as_file(files("monitor") / "data" / "sample") as sample:
        result = _ingest([str(sample)], db_path, config, retry_failed=True)
    days = analysis.load_trends(db_path, dimension="all")
    click.echo(f"\nReactions per day in {db_path} ({days['period'].dt.tz}):")
    click.echo(
        days.assign(day=days["period"].dt.strftime("%Y-%m-%d"))
        .set_index("day")[["posts", "articles", "outlets", "mean_compound", "neg_share"]]
        .to_string()
    )
    tags = analysis.load_trends(db_path, dimension="hashtag")
    top = tags.groupby("key").agg(days=("period", "size"), posts=("posts", "sum"))
    click.echo("\nHashtags:")
    click.echo(
        top.sort_values(["posts", "days"], ascending=False)
        .head(6)
        .rename_axis("hashtag")
        .to_string()
    )
    click.echo(
        f"\nTry: monitor trends --db {db_path} --hashtag ww3\n"
        f"     monitor posts --db {db_path} --sort amplified"
    )
    from .report import write_report  # matplotlib loads only when a report is written

    latest = days["period"].max().date()
    written = write_report(db_path, latest, out, config)
    click.echo(f"\nDaily report for {latest}: {written.html}")
    sys.exit(exits.OK if result.ok else exits.UNREADABLE_INPUT)


@cli.command()
@db_option
@click.option("--hashtag", help="Only posts with this hashtag (any case, # optional).")
@click.option("--platform", type=click.Choice(PLATFORMS), help="Only posts of this platform.")
@click.option("--search", help="Full-text search over text, author name and handle.")
@click.option("--since", help="Posts made on or after this date (YYYY-MM-DD, UTC).")
@click.option("--until", help="Posts made on or before this date (YYYY-MM-DD, UTC).")
@click.option(
    "--limit",
    type=click.IntRange(min=0, max=_SQLITE_MAX_INTEGER),
    default=None,
    help="At most this many.",
)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="recent",
    show_default=True,
    help="recent: newest first; amplified: embedded by the most articles and outlets first.",
)
@format_option
@config_option
def posts(
    db_path: Path | None,
    hashtag: str | None,
    platform: str | None,
    search: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    sort: str,
    output_format: str | None,
    config_path: Path | None,
) -> None:
    """List stored posts, newest first (or most amplified first)."""
    _date_range(since, until)
    try:
        filters = PostFilters(hashtag, platform, search, since, until, limit, sort)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    db = _existing_db(_db(db_path, _config(config_path)))
    try:
        check_search(db, search)
        rows = list(iter_posts(db, filters))
    except ValueError as error:  # a malformed full-text query
        raise click.UsageError(f"--search: {error}") from None
    finally:
        db.close()
    emit(rows, output_format, posts_table)


@cli.command()
@db_option
@click.option("--hashtag", multiple=True, help="A hashtag's series (repeatable).")
@click.option("--topic", multiple=True, help="A configured topic's series (repeatable).")
@click.option("--platform", multiple=True, type=click.Choice(PLATFORMS), help="A platform.")
@click.option("--outlet", multiple=True, help="An outlet's series (registered domain).")
@click.option("--since", help="First day (YYYY-MM-DD, in the configured time zone).")
@click.option("--until", help="Last day (inclusive).")
@click.option(
    "--by",
    "granularity",
    type=click.Choice(GRANULARITIES),
    default="day",
    show_default=True,
    help="Period: days are stored; weeks (by their Monday) and hours are computed.",
)
@format_option
@config_option
def trends(
    db_path: Path | None,
    hashtag: tuple[str, ...],
    topic: tuple[str, ...],
    platform: tuple[str, ...],
    outlet: tuple[str, ...],
    since: str | None,
    until: str | None,
    granularity: str,
    output_format: str | None,
    config_path: Path | None,
) -> None:
    """Volume and sentiment per period: all posts, or the series asked for."""
    config = _config(config_path)
    first, last = _date_range(since, until)
    _check_topics(topic, config)
    wanted = (
        [("hashtag", normalise(tag)) for tag in hashtag]
        + [("topic", name) for name in topic]
        + [("platform", name) for name in platform]
        + [("outlet", name) for name in outlet]
    ) or [("all", "all")]
    db = _refreshed_db(_db(db_path, config), config)
    try:
        if granularity == "day":
            frame = pd.read_sql_query("SELECT * FROM trends WHERE granularity = 'day'", db.conn)
        else:
            frame = compute_trends(db, granularity, config=config, since=first, until=last)
    finally:
        db.close()
    selected = frame[
        pd.Series(list(zip(frame["dimension"], frame["key"], strict=True)), dtype=object).isin(
            wanted
        )
    ]
    if first:
        selected = selected[selected["period"].str[:10] >= first.isoformat()]
    if last:
        selected = selected[selected["period"].str[:10] <= last.isoformat()]
    rows = [
        {column: plain(row[column]) for column in TREND_COLUMNS}
        for _, row in selected.sort_values(["dimension", "key", "period"]).iterrows()
    ]
    emit(rows, output_format, trends_table)


@cli.command()
@db_option
@click.option("--since", help="First day (YYYY-MM-DD).")
@click.option("--until", help="Last day (inclusive).")
@format_option
@config_option
def spikes(
    db_path: Path | None,
    since: str | None,
    until: str | None,
    output_format: str | None,
    config_path: Path | None,
) -> None:
    """Days whose count is a spike (or a new key's burst), and the outlets behind them."""
    config = _config(config_path)
    first, last = _date_range(since, until)
    db = _refreshed_db(_db(db_path, config), config)
    try:
        found = list(
            db.query(
                "SELECT * FROM spikes WHERE period >= ? AND period <= ? "
                "ORDER BY period, spike_status DESC, spike_score DESC, dimension, key",
                [first.isoformat() if first else "0000", last.isoformat() if last else "9999"],
            )
        )
        for row in found:
            drivers = spike_drivers(db, row["period"], row["dimension"], row["key"], config)
            row["driven_by"] = ", ".join(f"{outlet} ({n})" for outlet, n in drivers[:3])
    finally:
        db.close()
    emit(found, output_format, spikes_table)


@cli.command()
@db_option
@click.option(
    "--date",
    "day",
    help="The day to report on (YYYY-MM-DD; default: yesterday in the configured time zone).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder to write into (default: the configuration's reports folder, ./reports).",
)
@config_option
def report(
    db_path: Path | None, day: str | None, out: Path | None, config_path: Path | None
) -> None:
    """Write a day's report: D.html, D.md, D.json, and charts and CSV files in D/."""
    from .report import write_report  # matplotlib loads only when a report is written

    config = _config(config_path)
    try:
        chosen = date_or_none(day, "date")
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    chosen = chosen or datetime.now(config.zone).date() - timedelta(days=1)
    db = _refreshed_db(_db(db_path, config), config)
    try:
        written = write_report(db, chosen, out or config.reports, config)
    finally:
        db.close()
    click.echo(
        f"Report for {chosen}: {written.html} and {written.markdown} "
        f"({written.json.name}, charts and CSV files in {written.charts[0].parent})"
    )


@cli.group()
def jobs() -> None:
    """The scheduled jobs that keep the database current (ingest, trends, report)."""


log_level_option = click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="INFO",
    show_default=True,
    help="How much to log (to stderr, with timestamps).",
)


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

    config = _config(config_path)
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
        status = (run_daemon if mode == "run" else run_once)(config, _db(db_path, config))
    except AlreadyRunning as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    sys.exit(status)


def _config(config_path: Path | None) -> Config:
    try:
        return load_config(config_path)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


def _db(db_path: Path | None, config: Config) -> Path:
    path = db_path if db_path is not None else config.db
    click.get_current_context().meta[_DB_PATH] = path
    return path


def _refreshed_db(db_path: Path, config: Config) -> Database:
    """The database, its trends brought up to date first; where it cannot be written (a
    read-only mount, a copy shared with analysts), read as it is, saying whether its trends
    may be stale."""
    if not db_path.exists():
        raise click.UsageError(f"no database at {db_path}: run `monitor ingest` first")
    if _can_write(db_path):
        db = open_db(db_path)
        try:
            refresh_trends(db, config)
        except BaseException:
            db.close()
            raise
        return db
    db = _existing_db(db_path)
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


def _can_write(db_path: Path) -> bool:
    # SQLite writes a journal beside the database: the folder must be writable too.
    return os.access(db_path, os.W_OK) and os.access(db_path.absolute().parent, os.W_OK)


def _date_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    try:
        first, last = date_or_none(since, "since"), date_or_none(until, "until")
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if first and last and first > last:
        raise click.UsageError(f"--since {first} is after --until {last}: nothing can match")
    return first, last


def _check_topics(names: tuple[str, ...], config: Config) -> None:
    configured = [topic.name for topic in config.topics]
    unknown = [name for name in names if name not in configured]
    if unknown:
        known = ", ".join(configured) if configured else "none (add them under [topics])"
        raise click.UsageError(
            f"no topic named {', '.join(map(repr, unknown))} in the configuration; "
            f"configured topics: {known}"
        )


def _ingest(
    paths: list[str] | tuple[str, ...],
    db_path: Path,
    config: Config,
    workers: int = 1,
    retry_failed: bool = False,
) -> pipeline.IngestResult:
    try:
        # Before the database is created: a mistyped path leaves nothing behind.
        archive_files = expand_paths(paths)
    except FileNotFoundError as error:
        raise click.UsageError(printable(error)) from None
    click.get_current_context().meta[_ON_INTERRUPT] = (
        "Interrupted: the archive files stored so far are kept; run the same command again "
        "to read the rest."
    )
    db = open_db(db_path)
    try:
        options = {"workers": workers, "retry_failed": retry_failed}
        if sys.stderr.isatty():
            with click.progressbar(
                length=len(archive_files), label="Reading archives", file=sys.stderr
            ) as bar:
                result = pipeline.ingest(
                    archive_files, db, on_file=lambda _: bar.update(1), **options
                )
        else:
            result = pipeline.ingest(archive_files, db, **options)
        trends = refresh_trends(db, config)
    finally:
        db.close()
    days = len(trends.days)
    click.echo(f"{summary(result)}; trends updated for {days} day{'' if days == 1 else 's'}")
    for failure in result.failures:
        click.echo(f"failed: {printable(failure.path)}: {printable(failure.error)}", err=True)
    return result


def summary(result: pipeline.IngestResult) -> str:
    """One line saying what an ingest did."""
    line = (
        f"{result.files} archive files: {result.read} read, {result.skipped} unchanged, "
        f"{len(result.failures)} failed; {result.documents} documents, "
        f"{result.posts} embedded posts ({result.new_posts} new posts, "
        f"{result.new_articles} new articles)"
    )
    known = len(result.known_failures)
    if known:
        line += (
            f"; {known} file{'' if known == 1 else 's'} that failed before, unchanged since, "
            "not read again (monitor files --failed)"
        )
    return line


def _existing_db(db_path: Path) -> Database:
    try:
        return open_readonly(db_path)
    except FileNotFoundError:
        raise click.UsageError(f"no database at {db_path}: run `monitor ingest` first") from None


def main() -> None:
    cli(prog_name="monitor")
