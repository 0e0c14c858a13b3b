"""The report's charts, drawn from the summary's daily series as PNG bytes.

Matplotlib's object API on the Agg canvas (never pyplot: no global state, safe in threads and
in the scheduler), with its bundled DejaVu Sans, so no font is ever fetched. Charts carry
dates and numbers only, never post text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..trends import NEGATIVE, POSITIVE

WIDTH, HEIGHT, DPI = 8.0, 2.6, 150  # 1200 × 390 pixels, shown at half size: sharp on any screen
BAR = "#7b9cc4"
DAY = "#1f4e89"
SPIKE = "#c0392b"
NEW = "#e67e22"
POSITIVE_COLOUR = "#2e8540"
NEGATIVE_COLOUR = "#c0392b"
NEUTRAL_COLOUR = "#7f8c8d"
BAND = "#dcdcdc"
INK = "#333333"
FONT = "DejaVu Sans"  # bundled with matplotlib


def volume_chart(series: Sequence[dict[str, Any]]) -> bytes:
    """Posts per day as bars, the last day (the report's) darker, spike days in red and new
    keys' bursts in orange."""
    figure, axes = _figure()
    colours = [
        SPIKE if row["spike_status"] == "spike" else NEW if row["spike_status"] == "new" else BAR
        for row in series
    ]
    if series and colours[-1] == BAR:
        colours[-1] = DAY
    counts = [row["posts"] for row in series]
    axes.bar(range(len(series)), counts, color=colours, width=0.75)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=2))
    axes.set_ylim(bottom=0, top=max([*counts, 1]) * 1.18)
    axes.set_ylabel("posts")
    if series:
        # The report's day carries its count, whatever its colour says.
        axes.annotate(
            f"{counts[-1]:,}",
            (len(series) - 1, counts[-1]),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            color=INK,
        )
    legend = [Patch(color=BAR, label="posts per day")]
    if DAY in colours:
        legend.append(Patch(color=DAY, label="report day"))
    if SPIKE in colours:
        legend.append(Patch(color=SPIKE, label="spike"))
    if NEW in colours:
        legend.append(Patch(color=NEW, label="new key's burst"))
    axes.legend(handles=legend, loc="upper left", frameon=False, fontsize=8, ncols=len(legend))
    _finish(axes, series, empty="No posts in these days" if not any(counts) else None)
    return _png(figure)


def sentiment_chart(series: Sequence[dict[str, Any]]) -> bytes:
    """Mean compound per day (days without scored posts left blank) over VADER's neutral
    band, -0.05 to 0.05."""
    figure, axes = _figure()
    # Faint tints say which side of VADER's neutral band a day fell on.
    axes.axhspan(POSITIVE, 1.05, color="#f2f8f3", zorder=0, linewidth=0)
    axes.axhspan(-1.05, NEGATIVE, color="#fcf2f1", zorder=0, linewidth=0)
    axes.axhspan(NEGATIVE, POSITIVE, color=BAND, zorder=0, linewidth=0, label="neutral (±0.05)")
    axes.axhline(0, color="#bbbbbb", linewidth=0.8, zorder=1)
    values = [row["mean_compound"] for row in series]
    xs = range(len(series))
    axes.plot(
        xs,
        [float("nan") if v is None else v for v in values],
        color="#8a9bb0",
        linewidth=1.2,
        zorder=2,
    )
    for x, value in zip(xs, values, strict=True):
        if value is None:
            continue
        colour = (
            POSITIVE_COLOUR
            if value >= POSITIVE
            else NEGATIVE_COLOUR
            if value <= NEGATIVE
            else NEUTRAL_COLOUR
        )
        last = x == len(series) - 1
        axes.scatter(
            [x],
            [value],
            s=46 if last else 20,
            color=colour,
            edgecolors=DAY if last else "none",
            linewidths=1.6,
            zorder=3,
        )
    if values and values[-1] is not None:
        axes.annotate(
            f"{values[-1]:+.2f}".replace("-", "−"),
            (len(series) - 1, values[-1]),
            xytext=(0, 8 if values[-1] >= 0 else -9),
            textcoords="offset points",
            ha="center",
            va="bottom" if values[-1] >= 0 else "top",
            fontsize=8,
            fontweight="bold",
            color=INK,
        )
    axes.set_ylim(-1.05, 1.05)
    axes.set_yticks([-1, -0.5, 0, 0.5, 1])
    axes.set_ylabel("mean compound")
    axes.legend(loc="upper left", frameon=False, fontsize=8)
    empty = all(v is None for v in values)
    _finish(axes, series, empty="No scored posts in these days" if empty else None)
    return _png(figure)


def _figure() -> tuple[Figure, Any]:
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _finish(axes: Any, series: Sequence[dict[str, Any]], *, empty: str | None) -> None:
    """Date ticks a week apart ending on the report's day; a note when there is nothing."""
    last = len(series) - 1
    ticks = list(range(last, -1, -7))[::-1]
    axes.set_xticks(ticks, [_label(series[i]["day"]) for i in ticks])
    axes.set_xlim(-0.7, last + 0.7)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#eeeeee", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(labelsize=8, colors=INK)
    for spine in axes.spines.values():
        spine.set_color("#999999")
    for text in (*axes.get_xticklabels(), *axes.get_yticklabels(), axes.yaxis.label):
        text.set_fontfamily(FONT)
    axes.yaxis.label.set_color(INK)
    if empty:
        axes.text(
            0.5,
            0.5,
            empty,
            transform=axes.transAxes,
            ha="center",
            va="center",
            color="#666666",
            fontsize=10,
            bbox={"facecolor": "white", "edgecolor": "#dddddd", "boxstyle": "round,pad=0.5"},
        )


def _label(day: str) -> str:
    return date.fromisoformat(day).strftime("%d %b").lstrip("0")


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    # No "Software" entry: the same summary gives the same bytes across matplotlib versions.
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
