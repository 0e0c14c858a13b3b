"""``monitor alerts``: the alerts sent (and failed), a check for cron, and a test message."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import exits
from .cli_options import (
    config_option,
    configuration,
    database_path,
    date_range,
    db_option,
    existing_db,
    format_option,
)
from .config import Config
from .messages import printable
from .output import alerts_table, emit
from .store import open_db, open_readonly


@click.group(invoke_without_command=True)
@db_option
@click.option("--since", help="Alerts of days on or after this one (YYYY-MM-DD).")
@format_option
@config_option
@click.pass_context
def alerts(
    context: click.Context,
    db_path: Path | None,
    since: str | None,
    output_format: str | None,
    config_path: Path | None,
) -> None:
    """The spike alerts sent (and failed), newest first; check and test (see the commands)."""
    if context.invoked_subcommand is not None:
        return
    first, _ = date_range(since, None)
    db = existing_db(database_path(db_path, configuration(config_path)))
    try:
        rows = list(
            db.query(
                "SELECT day, dimension, key, status, destination, result, attempts, error, "
                "last_tried_at, next_try_at FROM alerts WHERE day >= ? "
                "ORDER BY last_tried_at DESC, day DESC, dimension, key, destination",
                [first.isoformat() if first else "0000"],
            )
        )
    finally:
        db.close()
    emit(rows, output_format, alerts_table)


@alerts.command("check")
@db_option
@config_option
def alerts_check(db_path: Path | None, config_path: Path | None) -> None:
    """Send the alerts due now (as the scheduled jobs do after new trends): for cron."""
    from .alerts import check_alerts

    config = _with_destinations(config_path)
    db = open_db(database_path(db_path, config))
    try:
        run = check_alerts(db, config)
    finally:
        db.close()
    click.echo(f"{len(run.sent)} alerts sent, {len(run.failed)} failed (tried again later)")
    for day, dimension, key, _status, destination, error in run.failed:
        where = f"{day} {dimension} {key} to {destination}"
        click.echo(f"failed: {where}: {printable(error)}", err=True)
    sys.exit(exits.UNREADABLE_INPUT if run.failed else exits.OK)


@alerts.command("test")
@db_option
@config_option
def alerts_test(db_path: Path | None, config_path: Path | None) -> None:
    """Send a test card (the latest spike's) to every destination, and say which took it."""
    from .alerts import send_test

    config = _with_destinations(config_path)
    path = database_path(db_path, config)
    if path.exists():
        db = open_readonly(path)
        try:
            results = send_test(config, db)
        finally:
            db.close()
    else:
        results = send_test(config)
    for destination, error in results:
        if error is None:
            click.echo(f"sent: {destination}")
        else:
            click.echo(f"failed: {destination}: {printable(error)}")
    sys.exit(exits.UNREADABLE_INPUT if any(error for _, error in results) else exits.OK)


def _with_destinations(config_path: Path | None) -> Config:
    config = configuration(config_path)
    if not config.alerts.urls:
        raise click.UsageError("no destinations: set urls in the [alerts] table of monitor.toml")
    return config
