"""Writing a day's report: ``D.html``, ``D.md``, ``D.json``, and beside them a folder ``D/``
with the charts (PNG) and a CSV file per chart and table."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..config import Config
from ..store import open_readonly
from .render import render_html, render_markdown
from .summary import build_summary


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """The files of one day's report."""

    html: Path
    markdown: Path
    json: Path
    charts: tuple[Path, ...]
    csvs: tuple[Path, ...]


_POST_COLUMNS = ("id", "platform", "author_name", "author_handle", "posted_at", "local_time",
                 "compound", "articles", "outlets", "hashtags", "url", "text")  # fmt: skip
_TREND_COLUMNS = ("posts", "median", "articles", "outlets", "mean_compound", "neg_share")

# Each CSV file: its name, where its rows are in the summary, and its columns.
TABLES: tuple[tuple[str, Callable[[dict[str, Any]], Sequence[dict]], tuple[str, ...]], ...] = (
    ("volume", lambda s: s["series"], ("day", "posts", "articles", "outlets", "spike_status")),
    ("sentiment", lambda s: s["series"],
     ("day", "mean_compound", "pos_share", "neg_share", "neu_share")),
    ("headline", lambda s: s["headline"], ("measure", "label", "value", "median", "change")),
    ("hashtags-top", lambda s: s["hashtags"]["top"],
     ("hashtag", *_TREND_COLUMNS, "spike_status")),
    ("hashtags-rising", lambda s: s["hashtags"]["rising"],
     ("hashtag", *_TREND_COLUMNS, "change", "spike_status")),
    ("topics", lambda s: s["topics"], ("topic", *_TREND_COLUMNS, "spike_status")),
    ("spikes", lambda s: s["spikes"]["day"],
     ("period", "dimension", "key", "spike_status", "posts", "baseline", "ratio", "spike_score",
      "mean_compound", "articles", "outlets", "drivers", "explanation")),
    ("amplified", lambda s: s["amplified"], (*_POST_COLUMNS, "first_outlet", "delay_hours")),
    ("negative", lambda s: s["negative"], _POST_COLUMNS),
    ("positive", lambda s: s["positive"], _POST_COLUMNS),
    ("outlets", lambda s: s["outlets"],
     ("outlet", "posts", "articles", "mean_compound", "neg_share", "framing_mean", "framing_gap",
      "framing_reading")),
    ("jobs", lambda s: s["health"]["jobs"],
     ("job", "runs", "ok", "failed", "running", "last_started_at", "last_status", "last_error")),
    ("failed-files", lambda s: s["health"]["failed_files"], ("path", "error", "ingested_at")),
)  # fmt: skip


def write_report(
    db: Database | str | os.PathLike[str],
    day: date | str,
    out: str | os.PathLike[str],
    config: Config | None = None,
    *,
    now: datetime | None = None,
) -> ReportFiles:
    """Write the daily report of ``day`` into the folder ``out``.

    Writes ``{day}.html`` (one self-contained page: charts embedded, no scripts, nothing
    fetched), ``{day}.md`` with its charts as PNG files in ``{day}/``, ``{day}.json`` (the
    summary both are rendered from) and, in ``{day}/``, a CSV file per chart and table.
    Each file is replaced whole, so a reader never sees half a report. It only reads the
    database: refresh the trends first (``monitor report`` does).

        >>> files = write_report("monitor.db", date(2024, 11, 21), "reports")
        >>> files.html
        PosixPath('reports/2024-11-21.html')

    :param db: the database, or its path (opened read-only).
    :param day: the local day to report on.
    :param out: the folder to write into (created if missing).
    :param config: time zone and watched topics (default: those of the stored trends).
    :param now: when the report is built (default: now).
    """
    day = date.fromisoformat(day) if isinstance(day, str) else day
    if isinstance(db, Database):
        summary = build_summary(db, day, config, now=now)
    else:
        reader = open_readonly(db)
        try:
            summary = build_summary(reader, day, config, now=now)
        finally:
            reader.close()
    return write_files(summary, out)


def write_files(summary: dict[str, Any], out: str | os.PathLike[str]) -> ReportFiles:
    """Render a summary (from :func:`build_summary`) into the report's files in ``out``."""
    out = Path(out)
    day = summary["day"]
    assets = out / day
    assets.mkdir(parents=True, exist_ok=True)
    # Matplotlib takes a third of a second to import: only writing a report pays for it.
    from .charts import sentiment_chart, volume_chart

    charts, images, links = [], {}, {}
    for name, draw in (("volume", volume_chart), ("sentiment", sentiment_chart)):
        png = draw(summary["series"])
        charts.append(_write(assets / f"{name}.png", png))
        images[name] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        links[name] = f"{day}/{name}.png"
    csvs = [
        _write(assets / f"{name}.csv", _csv(rows(summary), columns).encode("utf-8"))
        for name, rows, columns in TABLES
    ]
    text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    return ReportFiles(
        html=_write(out / f"{day}.html", render_html(summary, images).encode("utf-8")),
        markdown=_write(out / f"{day}.md", render_markdown(summary, links).encode("utf-8")),
        json=_write(out / f"{day}.json", text.encode("utf-8")),
        charts=tuple(charts),
        csvs=tuple(csvs),
    )


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_cell(row.get(column)) for column in columns)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list):
        # Spike drivers are {outlet, posts}; a post's outlets and hashtags are names.
        if value and isinstance(value[0], dict):
            return "; ".join(f"{item['outlet']} ({item['posts']})" for item in value)
        value = " ".join(str(item) for item in value)
    if isinstance(value, str):
        return inert_cell(value)
    return value


# What makes a spreadsheet read a cell as a formula (or as the start of one, after a tab or
# a carriage return): a post's text or author name, written as it is, could run one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(text: str) -> str:
    """``text`` as a spreadsheet shows it without running it: a leading ``'`` where it
    would start a formula (the OWASP advice for CSV files meant for spreadsheets)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _write(path: Path, data: bytes) -> Path:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return path
