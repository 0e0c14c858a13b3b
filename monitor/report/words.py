"""The sentences of the report that depend on the data: spike explanations and caveats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..spikes import BASELINE_FLOOR, MAX_PROBABILITY, MIN_COUNT, MIN_HISTORY, MIN_RATIO, WINDOW


def spike_rule() -> str:
    """When a day is a spike, in words (from :mod:`monitor.spikes`' settings)."""
    return (
        "A day spikes when a count that high would come by chance less than once in "
        f"{1 / MAX_PROBABILITY:,.0f} ordinary days, given its baseline (the median of the "
        f"{WINDOW} days before, never below {BASELINE_FLOOR:g}), and it has at least "
        f"{MIN_COUNT} posts and {MIN_RATIO:g} times the baseline. A key first seen less than "
        f"{MIN_HISTORY} days before has no baseline yet: a burst of it is marked new."
    )


def series_name(row: dict[str, Any]) -> str:
    """A trend series as a reader names it: ``all posts``, ``hashtag #ww3``, ``topic ww3``."""
    if row["dimension"] == "all":
        return "all posts"
    prefix = "#" if row["dimension"] == "hashtag" else ""
    return f"{row['dimension']} {prefix}{row['key']}"


def drivers_text(drivers: Sequence[dict[str, Any]], shown: int = 3) -> str:
    """``example.com (8), example.org (4)``: the outlets embedding most of a spike's posts."""
    text = ", ".join(f"{d['outlet']} ({d['posts']})" for d in drivers[:shown])
    return text + (f" and {len(drivers) - shown} more" if len(drivers) > shown else "")


def spike_explanation(row: dict[str, Any], drivers: Sequence[tuple[str, int]]) -> str:
    """Why a day's count was flagged, in a sentence or two a reader can check."""
    posts, baseline, ratio = row["posts"], row["baseline"], row["ratio"]
    per_day = (
        f"{baseline:g} a day (the median of the {WINDOW} days before, never below "
        f"{BASELINE_FLOOR:g})"
    )
    if row["spike_status"] == "spike":
        text = (
            f"{_posts(posts)} against a baseline of {per_day}: {ratio:g} times as many. "
            f"Chance of a count this high on an ordinary day: {chance(row['spike_score'])}."
        )
    else:
        text = (
            f"{_posts(posts)}, {ratio:g} times the baseline of {per_day}; first seen less than "
            f"{MIN_HISTORY} days before, too new for a baseline, so flagged as new, not as "
            "a spike."
        )
    if drivers:
        shown = ", ".join(f"{outlet} ({n})" for outlet, n in drivers[:3])
        more = f" and {len(drivers) - 3} more" if len(drivers) > 3 else ""
        text += f" Embedded by {shown}{more}."
    return text


def chance(score: float | None) -> str:
    """A spike score (``-log10`` of a probability) as odds: ``about 1 in 1.2 billion``."""
    if score is None:
        return "unknown"
    if score >= 12:
        return "less than 1 in a trillion"
    odds = 10**score
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if odds >= size:
            return f"about 1 in {_round(odds / size)} {word}"
    return f"about 1 in {float(f'{odds:.2g}'):,.0f}"


def _round(value: float) -> str:
    """Two significant figures: ``1.2``, ``16``, ``890``."""
    return f"{float(f'{value:.2g}'):g}"


def _posts(count: int) -> str:
    return f"{count} post{'' if count == 1 else 's'}"


def caveats(
    *,
    posts: int,
    unscored: int,
    dated_only: int,
    untimed: int,
    zone: str,
    trends_zone: str,
    trends_posts: int,
) -> list[str]:
    """What a reader should keep in mind: always the limits of the method, and the
    limits of this day's data where they apply."""
    notes = [
        "Sentiment is VADER's: a lexicon of English words and emoji, validated on tweets. "
        "Posts in other languages are not scored, and it reads words, not intent: it is "
        'blind to sarcasm and irony ("Great, just great." scores as positive).',
        "Embedded posts are the reactions that outlets chose to show their readers: a chosen "
        "sample of reactions, not a survey of everyone's.",
        "A post counts once however many articles embed it; how widely it was embedded is "
        "under Most amplified posts.",
    ]
    if unscored:
        notes.append(
            f"{unscored} of the day's {_posts(posts)} {'is' if unscored == 1 else 'are'} not "
            "scored (not English, or no words to read): they count in the volume, not in the "
            "sentiment."
        )
    if dated_only:
        one = dated_only == 1
        notes.append(
            f"{dated_only} of the day's posts {'is' if one else 'are'} known only by "
            f"{'its' if one else 'their'} date (quoted in plain text without a link): "
            f"{'it counts' if one else 'they count'} on that date whatever the time zone."
        )
    if untimed:
        notes.append(
            f"{_posts(untimed)} in the database carry no time (Reddit and YouTube embeds, for "
            "instance) and are in no day's numbers."
        )
    if trends_zone != zone:
        notes.append(
            f"The stored trends were computed for days in {trends_zone}, not {zone}: refresh "
            "them (monitor report does) before reading the charts and tables."
        )
    elif trends_posts != posts:
        notes.append(
            f"The stored trends count {_posts(trends_posts)} on this day but "
            f"{_posts(posts)} are stored: refresh the trends (monitor report does)."
        )
    return notes
