"""The ``monitor`` command: a thin layer over the Python API."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path

import click
import pandas as pd
from sqlite_utils import Database

from . import analysis, pipeline
from .archives import expand_paths
from .models import PLATFORMS
from .queries import PostFilters, iter_posts
from .store import open_db, open_readonly

FORMATS = ("table", "csv", "json")
_TABLE_TEXT_WIDTH = 60

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="MONITOR_DB",
    default="monitor.db",
    show_default=True,
    help="The database file (default: $MONITOR_DB, else ./monitor.db).",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: table on a terminal, else csv).",
)


@click.group()
@click.version_option(package_name="reaction-monitor")
def cli() -> None:
    """Find the social posts that news articles embed, their hashtags and sentiment."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
def ingest(paths: tuple[str, ...], db_path: Path) -> None:
    """Read archives (files, folders, globs) into the database."""
    result = _ingest(paths, db_path)
    sys.exit(0 if result.ok else 1)


@cli.command()
@db_option
def demo(db_path: Path) -> None:
    """Ingest the bundled sample archive and show what it holds."""
    with as_file(files("monitor") / "data" / "sample") as sample:
        result = _ingest([str(sample)], db_path)
    posts = analysis.load_posts(db_path)
    click.echo(f"\nPosts per day in {db_path}:")
    per_day = posts.groupby(posts["posted_at"].dt.strftime("%Y-%m-%d")).agg(
        posts=("id", "size"), mean_compound=("compound", "mean")
    )
    click.echo(per_day.round(3).to_string())
    tags = posts.explode("hashtags").dropna(subset=["hashtags"])
    top = tags.groupby("hashtags").agg(posts=("id", "size"), mean_compound=("compound", "mean"))
    click.echo("\nTop hashtags:")
    click.echo(top.sort_values("posts", ascending=False).head(8).round(3).to_string())
    click.echo(
        f"\nTry: monitor posts --db {db_path} --hashtag ww3\n"
        f"     python -c \"import monitor; print(monitor.load_posts('{db_path}').head())\""
    )
    sys.exit(0 if result.ok else 1)


@cli.command()
@db_option
@click.option("--hashtag", help="Only posts with this hashtag (any case, # optional).")
@click.option("--platform", type=click.Choice(PLATFORMS), help="Only posts of this platform.")
@click.option("--search", help="Full-text search over text, author name and handle.")
@click.option("--since", help="Posts made on or after this date (YYYY-MM-DD, UTC).")
@click.option("--until", help="Posts made on or before this date (YYYY-MM-DD, UTC).")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many.")
@format_option
def posts(
    db_path: Path,
    hashtag: str | None,
    platform: str | None,
    search: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    output_format: str | None,
) -> None:
    """List stored posts, newest first."""
    try:
        filters = PostFilters(hashtag, platform, search, since, until, limit)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    db = _existing_db(db_path)
    try:
        rows = list(iter_posts(db, filters))
    except sqlite3.OperationalError as error:
        # FTS5 rejects malformed queries (an unbalanced quote, a bare operator).
        raise click.UsageError(f"--search: {error}") from None
    finally:
        db.close()
    _emit(rows, output_format, _posts_table)


def _ingest(paths: list[str] | tuple[str, ...], db_path: Path) -> pipeline.IngestResult:
    db = open_db(db_path)
    try:
        if sys.stderr.isatty():
            files_total = len(expand_paths(paths))
            with click.progressbar(
                length=files_total, label="Reading archives", file=sys.stderr
            ) as bar:
                result = pipeline.ingest(paths, db, on_file=lambda _: bar.update(1))
        else:
            result = pipeline.ingest(paths, db)
    except FileNotFoundError as error:
        raise click.UsageError(str(error)) from None
    finally:
        db.close()
    click.echo(summary(result))
    for failure in result.failures:
        click.echo(f"failed: {failure.path}: {failure.error}", err=True)
    return result


def summary(result: pipeline.IngestResult) -> str:
    """One line saying what an ingest did."""
    line = (
        f"{result.files} archive files: {result.read} read, {result.skipped} unchanged, "
        f"{len(result.failures)} failed; {result.documents} documents, "
        f"{result.posts} embedded posts ({result.new_posts} new posts, "
        f"{result.new_articles} new articles)"
    )
    return line


def _existing_db(db_path: Path) -> Database:
    try:
        return open_readonly(db_path)
    except FileNotFoundError:
        raise click.UsageError(f"no database at {db_path}: run `monitor ingest` first") from None


def _emit(
    rows: list[dict[str, object]],
    output_format: str | None,
    table: Callable[[list[dict[str, object]]], str],
) -> None:
    """Write rows as a table for people, or as CSV or JSON (with the stored values) for
    programs."""
    output_format = output_format or ("table" if sys.stdout.isatty() else "csv")
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        if not rows:
            return
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: " ".join(v) if isinstance(v, list) else v for k, v in row.items()})
        click.echo(out.getvalue(), nl=False)
    else:
        click.echo(table(rows))


def _posts_table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "No posts match."
    shown = pd.DataFrame(
        {
            "posted_at": [_short_time(row["posted_at"]) for row in rows],
            "platform": [row["platform"] for row in rows],
            "author": [f"@{row['author_handle'] or '?'}" for row in rows],
            "compound": [row["compound"] for row in rows],
            "articles": [row["articles"] for row in rows],
            "text": [_one_line(row["text"] or "") for row in rows],
        }
    )
    return shown.to_string(index=False, na_rep="")


def _short_time(value: object) -> str:
    """``2024-11-17T21:04:11+00:00`` -> ``2024-11-17 21:04``; a bare date stays a date."""
    text = str(value or "")
    return text[:16].replace("T", " ")


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _TABLE_TEXT_WIDTH:
        return flat
    return flat[: _TABLE_TEXT_WIDTH - 1] + "…"


def main() -> None:
    cli(prog_name="monitor")
