"""The ``monitor`` commands that read the database: ``posts``, ``trends``, ``spikes`` and
``report``. They work on a read-only database too (see :func:`refreshed_db`)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path

import click
from sqlite_utils import Database

from .cards import render_card
from .cli_options import (
    SQLITE_MAX_INTEGER,
    check_topics,
    config_option,
    configuration,
    database_path,
    date_range,
    db_option,
    existing_db,
    format_option,
    refreshed_db,
)
from .config import Config
from .explain import explain_spike
from .hashtags import normalise
from .models import PLATFORMS
from .output import emit, plain, posts_table, spikes_table, trends_table
from .queries import SORTS, PostFilters, check_search, date_or_none, iter_posts
from .trends import GRANULARITIES, TREND_COLUMNS, compute_trends, spike_drivers


@click.command()
@db_option
@click.option("--hashtag", help="Only posts with this hashtag (any case, # optional).")
@click.option("--platform", type=click.Choice(PLATFORMS), help="Only posts of this platform.")
@click.option("--search", help="Full-text search over text, author name and handle.")
@click.option("--since", help="Posts made on or after this date (YYYY-MM-DD, UTC).")
@click.option("--until", help="Posts made on or before this date (YYYY-MM-DD, UTC).")
@click.option(
    "--limit",
    type=click.IntRange(min=0, max=SQLITE_MAX_INTEGER),
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
    date_range(since, until)
    try:
        filters = PostFilters(hashtag, platform, search, since, until, limit, sort)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    db = existing_db(database_path(db_path, configuration(config_path)))
    try:
        check_search(db, search)
        rows = list(iter_posts(db, filters))
    except ValueError as error:  # a malformed full-text query
        raise click.UsageError(f"--search: {error}") from None
    finally:
        db.close()
    emit(rows, output_format, posts_table)


@click.command()
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
    config = configuration(config_path)
    first, last = date_range(since, until)
    check_topics(topic, config)
    wanted = (
        [("hashtag", normalise(tag)) for tag in hashtag]
        + [("topic", name) for name in topic]
        + [("platform", name) for name in platform]
        + [("outlet", name) for name in outlet]
    ) or [("all", "all")]
    db = refreshed_db(database_path(db_path, config), config)
    try:
        if granularity == "day":
            rows = _stored_trends(db, wanted, first, last)
        else:
            rows = _computed_trends(db, granularity, config, wanted, first, last)
    finally:
        db.close()
    emit(rows, output_format, trends_table)


def _stored_trends(
    db: Database, wanted: list[tuple[str, str]], first: date | None, last: date | None
) -> list[dict[str, object]]:
    """The stored day rows of the series asked for, in the days asked for: read through the
    (dimension, key, period) index, however many other rows the table holds."""
    series = " OR ".join("(dimension = ? AND key = ?)" for _ in wanted)
    params: list[object] = [value for pair in wanted for value in pair]
    days = ""
    if first:
        days += " AND period >= ?"
        params.append(first.isoformat())
    if last:
        days += " AND period <= ?"
        params.append(last.isoformat())
    cursor = db.execute(
        f"SELECT {', '.join(TREND_COLUMNS)} FROM trends WHERE granularity = 'day' "
        f"AND ({series}){days} ORDER BY dimension, key, period",
        params,
    )
    return [dict(zip(TREND_COLUMNS, row, strict=True)) for row in cursor]


def _computed_trends(
    db: Database,
    granularity: str,
    config: Config,
    wanted: list[tuple[str, str]],
    first: date | None,
    last: date | None,
) -> list[dict[str, object]]:
    """Weeks or hours, computed from the posts of the days asked for."""
    frame = compute_trends(db, granularity, config=config, since=first, until=last)
    chosen = set(wanted)
    rows = [
        {column: plain(value) for column, value in zip(TREND_COLUMNS, row, strict=True)}
        for row in frame[list(TREND_COLUMNS)].itertuples(index=False, name=None)
        if (row[2], row[3]) in chosen
    ]
    if first:
        rows = [row for row in rows if str(row["period"])[:10] >= first.isoformat()]
    if last:
        rows = [row for row in rows if str(row["period"])[:10] <= last.isoformat()]
    return sorted(rows, key=lambda row: (row["dimension"], row["key"], row["period"]))


@click.command()
@db_option
@click.option("--since", help="First day (YYYY-MM-DD).")
@click.option("--until", help="Last day (inclusive).")
@click.option(
    "--explain",
    is_flag=True,
    help="Each spike's card, as alerts send it: against what, how unusual, what drove it.",
)
@format_option
@config_option
def spikes(
    db_path: Path | None,
    since: str | None,
    until: str | None,
    explain: bool,
    output_format: str | None,
    config_path: Path | None,
) -> None:
    """Days whose count is a spike (or a new key's burst), and the outlets behind them."""
    config = configuration(config_path)
    first, last = date_range(since, until)
    db = refreshed_db(database_path(db_path, config), config)
    try:
        found = list(
            db.query(
                "SELECT * FROM spikes WHERE period >= ? AND period <= ? "
                "ORDER BY period, spike_status DESC, spike_score DESC, dimension, key",
                [first.isoformat() if first else "0000", last.isoformat() if last else "9999"],
            )
        )
        if explain:
            cards = [
                explain_spike(db, row["period"], row["dimension"], row["key"], config)
                for row in found
            ]
            if output_format == "json":  # the cards as data
                click.echo(json.dumps([asdict(card) for card in cards], indent=2))
            else:
                texts = [render_card(card, "txt", config.timezone) for card in cards]
                click.echo("\n".join(texts), nl=False)
            return
        for row in found:
            drivers = spike_drivers(db, row["period"], row["dimension"], row["key"], config)
            row["driven_by"] = ", ".join(f"{outlet} ({n})" for outlet, n in drivers[:3])
    finally:
        db.close()
    emit(found, output_format, spikes_table)


@click.command()
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

    config = configuration(config_path)
    try:
        chosen = date_or_none(day, "date")
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    chosen = chosen or datetime.now(config.zone).date() - timedelta(days=1)
    db = refreshed_db(database_path(db_path, config), config)
    try:
        written = write_report(db, chosen, out or config.reports, config)
    finally:
        db.close()
    click.echo(
        f"Report for {chosen}: {written.html} and {written.markdown} "
        f"({written.json.name}, charts and CSV files in {written.charts[0].parent})"
    )
