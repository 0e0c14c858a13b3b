"""The commands that read archives: ``monitor ingest``, ``demo``, ``files`` (which reads
again the files that failed) and ``rescore``."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import click

from . import exits, pipeline
from .archives import expand_paths, paths_from
from .archives.columns import ColumnsError, parse_columns
from .archives.remote import RemoteUnavailable, is_remote
from .cli_options import (
    ON_INTERRUPT,
    config_option,
    configuration,
    database_path,
    db_option,
    existing_db,
    format_option,
)
from .config import Config
from .messages import counted, printable
from .output import emit, files_table
from .queries import iter_archive_files
from .rescore import rescore
from .store import open_db
from .trends import refresh_trends
from .workers import default_workers


@click.command()
@click.argument("paths", nargs=-1)
@db_option
@config_option
@click.option(
    "--paths-from",
    "listing",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also read the paths a file lists, one a line (.gz too), as CC-NEWS's warc.paths.gz.",
)
@click.option(
    "--base",
    default=None,
    metavar="FOLDER",
    help="Put before each relative path of --paths-from (the folder it is relative to).",
)
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
@click.option(
    "--cluster",
    metavar="ADDRESS",
    default=None,
    help=(
        "Read, extract and score on a Dask cluster: a scheduler's address "
        "(tcp://host:8786), or local / local:N for N worker processes here "
        "(needs the cluster extra)."
    ),
)
@click.option(
    "--columns",
    "columns_text",
    metavar="FIELD=COLUMN,...",
    default=None,
    help=(
        "For datasets of articles (Parquet, CSV) whose columns have other names: which "
        "holds each of url, html, text, title, date, language (url=link,html=body)."
    ),
)
def ingest(
    paths: tuple[str, ...],
    db_path: Path | None,
    config_path: Path | None,
    listing: Path | None,
    base: str | None,
    workers: int | None,
    retry_failed: bool,
    cluster: str | None,
    columns_text: str | None,
) -> None:
    """Read archives (files, folders, globs) into the database; update the trends."""
    config = configuration(config_path)
    try:
        columns = parse_columns(columns_text)
    except ColumnsError as error:
        raise click.UsageError(str(error)) from None
    db_path = database_path(db_path, config)
    if cluster is not None and workers is not None:
        raise click.UsageError("--workers and --cluster do not go together")
    if base is not None and listing is None:
        raise click.UsageError("--base goes with --paths-from")
    if listing is not None:
        try:
            paths = (*paths, *paths_from(listing, base=base))
        except (OSError, UnicodeDecodeError) as error:
            raise click.UsageError(f"--paths-from: {printable(error)}") from None
    if not paths:
        raise click.UsageError("no archive paths: give some, or --paths-from FILE")
    result = _ingest(
        paths,
        db_path,
        config,
        workers or default_workers(),
        retry_failed,
        cluster=cluster,
        columns=columns or None,
    )
    sys.exit(exits.OK if result.ok else exits.UNREADABLE_INPUT)


@click.command()
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
    config = configuration(config_path)
    db_path = database_path(db_path, config)
    from . import analysis  # pandas: what the demo shows, not what an ingest needs

    with as_file(files("monitor") / "data" / "sample") as sample:
        result = _ingest([str(sample)], db_path, config)
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


@click.command("files")
@db_option
@click.option("--failed", is_flag=True, help="Only the files that could not be read in full.")
@click.option(
    "--retry",
    is_flag=True,
    help="Read again every file that failed (those still there), then list what failed.",
)
@format_option
@config_option
def files_command(
    db_path: Path | None,
    failed: bool,
    retry: bool,
    output_format: str | None,
    config_path: Path | None,
) -> None:
    """List the archive files read so far and how each went (a failed one with its error)."""
    config = configuration(config_path)
    db_path = database_path(db_path, config)
    status = exits.OK
    if retry:
        db = existing_db(db_path)
        try:
            failed_paths = [row["path"] for row in iter_archive_files(db, failed_only=True)]
        finally:
            db.close()
        present = []
        for path in failed_paths:
            # An address is asked again: whether it is there is for the server to say.
            if is_remote(path) or os.path.lexists(path):
                present.append(path)
            else:
                click.echo(f"gone: {printable(path)} (its record is kept)", err=True)
        if present:
            result = _ingest(present, db_path, config, retry_failed=True)
            status = exits.OK if result.ok else exits.UNREADABLE_INPUT
        else:
            click.echo("No failed files to read again.")
        failed = True
    db = existing_db(db_path)
    try:
        rows = list(iter_archive_files(db, failed_only=failed))
    finally:
        db.close()
    emit(rows, output_format, files_table)
    sys.exit(status)


@click.command("rescore")
@db_option
@config_option
@click.option(
    "--context",
    is_flag=True,
    help="Also read again the archive files of embeds stored without their context, and "
    "store it with its framing.",
)
def rescore_command(db_path: Path | None, config_path: Path | None, context: bool) -> None:
    """Score again what an older version scored (posts, framing); with --context, give
    embeds stored before the monitor kept their context that context, from their archives."""
    config = configuration(config_path)
    db_path = database_path(db_path, config)
    existing_db(db_path).close()  # a usage error where there is no database
    with open_db(db_path) as db:
        result = rescore(db, context=context)
        refresh_trends(db, config)
    click.echo(
        f"posts rescored: {result.posts:,}; embeds' framing rescored: {result.framings:,}; "
        f"embeds given their context: {result.contexts:,}; "
        f"embeds without context: {result.missing:,}"
        + ("" if context or not result.missing else " (--context reads their archives again)")
    )
    for path, why in result.unreadable.items():
        click.echo(f"could not read again: {printable(path)}: {printable(why)}", err=True)
    sys.exit(exits.UNREADABLE_INPUT if result.unreadable else exits.OK)


def _ingest(
    paths: list[str] | tuple[str, ...],
    db_path: Path,
    config: Config,
    workers: int = 1,
    retry_failed: bool = False,
    *,
    cluster: str | None = None,
    columns: dict[str, str] | None = None,
) -> pipeline.IngestResult:
    try:
        # Before the database is created: a mistyped path leaves nothing behind.
        archive_files = expand_paths(paths)
    except FileNotFoundError as error:
        raise click.UsageError(printable(error)) from None
    except RemoteUnavailable as error:  # a pattern of addresses whose listing failed
        raise click.ClickException(printable(error)) from None
    click.get_current_context().meta[ON_INTERRUPT] = (
        "Interrupted: the archive files stored so far are kept; run the same command again "
        "to read the rest."
    )
    db = open_db(db_path)
    try:
        with _CtrlC() as ctrl_c:
            options = {
                "workers": workers,
                "retry_failed": retry_failed,
                "cluster": cluster,
                "store_articles": config.store_articles,
                "columns": columns,
                "on_file": ctrl_c.check,
            }
            if sys.stderr.isatty():
                with click.progressbar(
                    length=len(archive_files),
                    label="Reading archives",
                    file=sys.stderr,
                    item_show_func=lambda line: line,
                ) as bar:
                    result = pipeline.ingest(
                        archive_files, db, on_progress=_Progress(bar), **options
                    )
            else:
                result = pipeline.ingest(archive_files, db, **options)
            ctrl_c.check()
        trends = refresh_trends(db, config)
    finally:
        db.close()
    days = len(trends.days)
    click.echo(f"{summary(result)}; trends updated for {days} day{'' if days == 1 else 's'}")
    for failure in result.failures:
        click.echo(f"failed: {printable(failure.path)}: {printable(failure.error)}", err=True)
    return result


class _CtrlC:
    """Ctrl-C during an ingest, remembered as well as raised: the KeyboardInterrupt Python
    raises can land in a callback whose exceptions it ignores (the hooks it runs as it forks
    a worker process), and be lost. The ingest checks after each file, and at its end."""

    def __enter__(self) -> _CtrlC:
        self.pressed = False
        # Signal handlers belong to the main thread; elsewhere Ctrl-C is not this one's.
        self.installed = threading.current_thread() is threading.main_thread()
        if self.installed:
            self.previous = signal.signal(signal.SIGINT, self._press)
        return self

    def _press(self, number: int, frame: object) -> None:
        self.pressed = True
        raise KeyboardInterrupt

    def check(self, *_: object) -> None:
        if self.pressed:
            raise KeyboardInterrupt

    def __exit__(self, *exc_info: object) -> None:
        if self.installed:
            signal.signal(signal.SIGINT, signal.SIG_DFL if self.previous is None else self.previous)


class _Progress:
    """The progress bar's files, and beside it the articles read, how fast, and by how many
    workers."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.files = 0
        self.start = time.monotonic()

    def __call__(self, result: pipeline.IngestResult) -> None:
        rate = result.documents / max(time.monotonic() - self.start, 1e-3)
        workers = f"{result.workers} worker{'' if result.workers == 1 else 's'}"
        line = f"{result.documents:,} articles, {rate:,.0f}/s, {workers}"
        self.bar.update(result.dealt_with - self.files, current_item=line)
        self.files = result.dealt_with


def summary(result: pipeline.IngestResult) -> str:
    """One line saying what an ingest did."""
    line = (
        f"{counted(result.files, 'archive file')}: {result.read} read, "
        f"{result.skipped} unchanged, {len(result.failures)} failed; "
        f"{counted(result.documents, 'document')}, {counted(result.posts, 'embedded post')} "
        f"({counted(result.new_posts, 'new post')}, {counted(result.new_articles, 'new article')})"
    )
    if result.cluster is not None:
        line += f"; read on {result.workers} workers of a Dask cluster ({result.cluster})"
    known = len(result.known_failures)
    if known:
        line += (
            f"; {known} file{'' if known == 1 else 's'} that failed before, unchanged since, "
            "not read again (monitor files --failed)"
        )
    return line
