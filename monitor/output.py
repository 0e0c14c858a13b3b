"""How the command line prints rows: aligned tables for people, CSV and JSON (with the
stored values, columns named as in the tables) for programs."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import click

from .messages import printable

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")
_TABLE_TEXT_WIDTH = 60


def emit(
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
        # Post text and names come from the pages: never let them drive the terminal.
        click.echo("\n".join(printable(line) for line in table(rows).split("\n")))


def posts_table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "No posts match."
    import pandas as pd  # its tables align the columns; only listings pay for it

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


def trends_table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "No trends match."
    import pandas as pd  # its tables align the columns; only listings pay for it

    shown = pd.DataFrame(rows)[
        [
            "period",
            "dimension",
            "key",
            "posts",
            "articles",
            "outlets",
            "mean_compound",
            "neg_share",
            "spike_status",
        ]
    ]
    shown = _blank_missing(shown.rename(columns={"spike_status": "spike"}))
    return shown.to_string(index=False, na_rep="")


def spikes_table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "No spikes."
    import pandas as pd  # its tables align the columns; only listings pay for it

    shown = pd.DataFrame(rows)[
        [
            "period",
            "dimension",
            "key",
            "spike_status",
            "posts",
            "baseline",
            "ratio",
            "spike_score",
            "driven_by",
        ]
    ]
    shown = shown.rename(columns={"spike_status": "status", "spike_score": "score"})
    return _blank_missing(shown).to_string(index=False, na_rep="")


def files_table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "No archive files match."
    columns = ("status", "documents", "posts", "ingested_at", "path", "error")
    cells = [
        [
            str(row["status"]),
            str(row["documents"]),
            str(row["posts"]),
            _short_time(row["ingested_at"]),
            str(row["path"]),
            _one_line(str(row["error"] or "")),
        ]
        for row in rows
    ]
    return _columns(columns, cells)


def alerts_table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "No alerts."
    columns = ("day", "series", "status", "result", "tried", "destination", "error")
    cells = [
        [
            str(row["day"]),
            f"{row['dimension']} {row['key']}",
            str(row["status"]),
            f"{row['result']} ({row['attempts']})" if row["attempts"] != 1 else str(row["result"]),
            _short_time(row["last_tried_at"]),
            str(row["destination"]).split("?", 1)[0],
            _one_line(str(row["error"] or "")),
        ]
        for row in rows
    ]
    return _columns(columns, cells)


def _columns(columns: Sequence[str], cells: list[list[str]]) -> str:
    widths = [max(len(name), *(len(line[i]) for line in cells)) for i, name in enumerate(columns)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [list(columns), *cells]
    )


def _blank_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text shown as blanks, not as "None" (numbers keep their alignment; use
    ``to_string(na_rep="")`` for them)."""
    text = frame.select_dtypes(exclude="number").columns
    return frame.assign(**{c: frame[c].astype(object).where(frame[c].notna(), "") for c in text})


def _short_time(value: object) -> str:
    """``2024-11-17T21:04:11+00:00`` -> ``2024-11-17 21:04``; a bare date stays a date."""
    text = str(value or "")
    return text[:16].replace("T", " ")


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _TABLE_TEXT_WIDTH:
        return flat
    return flat[: _TABLE_TEXT_WIDTH - 1] + "…"


def plain(value: object) -> object:
    """A pandas cell as a plain JSON-able value (NaN and None both become None)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value
