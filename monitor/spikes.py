"""Spikes in sparse daily counts: an explainable default.

For each day, the count is compared with a robust baseline: the median of the trailing
:data:`WINDOW` days, not counting the day itself (a day without posts counts 0), and never
below :data:`BASELINE_FLOOR`. The surprise is the tail probability of a count at least this
high: Poisson with the baseline as its mean, or negative binomial (same mean, the window's
variance) when the window is overdispersed, as bursty hashtags are. ``spike_score`` is
``-log10`` of that probability. A day is a **spike** only when the probability is below
:data:`MAX_PROBABILITY`, the count is at least :data:`MIN_COUNT` and at least
:data:`MIN_RATIO` times the baseline. With fewer than :data:`MIN_HISTORY` days since the key
was first seen there is no baseline to speak of: a day that would pass the count and ratio
tests is called **new**, never a spike.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WINDOW = 14
BASELINE_FLOOR = 1.0
MAX_PROBABILITY = 1e-3
MIN_COUNT = 5
MIN_RATIO = 2.0
MIN_HISTORY = 7

SPIKE = "spike"
NEW = "new"


@dataclass(frozen=True, slots=True)
class DayScore:
    """How surprising one day's count is, and why."""

    count: int
    baseline: float
    probability: float
    score: float
    status: str | None  # "spike", "new" or None

    @property
    def ratio(self) -> float:
        return self.count / self.baseline

    @property
    def is_spike(self) -> bool:
        return self.status == SPIKE


def score_day(count: int, history: Sequence[int], days_known: int) -> DayScore:
    """Score one day.

    :param count: the day's count.
    :param history: the counts of the trailing days, oldest first, zeros included (at most
        :data:`WINDOW` are used).
    :param days_known: how many days before this one the key has existed (since its first
        post); fewer than :data:`MIN_HISTORY` makes a big day "new" rather than a spike.
    """
    window = list(history[-WINDOW:])
    baseline = max(statistics.median(window), BASELINE_FLOOR) if window else BASELINE_FLOOR
    probability = tail_probability(count, baseline, window)
    score = -math.log10(probability) if probability > 0 else math.inf
    big = count >= MIN_COUNT and count >= MIN_RATIO * baseline
    if big and days_known < MIN_HISTORY:
        status = NEW
    elif big and probability < MAX_PROBABILITY:
        status = SPIKE
    else:
        status = None
    return DayScore(count, float(baseline), probability, score, status)


def tail_probability(count: int, mean: float, window: Sequence[int]) -> float:
    """P(X >= count) for a count with this mean: negative binomial when the window's
    variance exceeds its mean (overdispersed), else Poisson."""
    if count <= 0:
        return 1.0
    # Imported here, and scipy.special rather than scipy.stats: the distributions' survival
    # functions are these special functions, and scipy.stats takes most of a second to
    # import, which every ingest would pay for its trends refresh.
    from scipy import special

    variance = statistics.variance(window) if len(window) >= 2 else 0.0
    # Overdispersed: more spread than a Poisson count of the window's own mean has; the
    # negative binomial keeps the robust baseline as its mean, so it needs variance > mean.
    if len(window) >= 2 and variance > max(statistics.fmean(window), mean):
        # Parametrised by mean and variance: size r = mean² / (variance - mean), success
        # probability p = r / (r + mean); P(X >= count) is the regularised incomplete beta
        # function I_{1-p}(count, r) (what scipy.stats.nbinom.sf computes).
        size = mean * mean / (variance - mean)
        return float(special.betainc(count, size, mean / (size + mean)))
    # P(X >= count) = P(X > count - 1): the Poisson survival function.
    return float(special.pdtrc(count - 1, mean))


def score_series(
    counts: Sequence[int], first_day_index: int = 0, days: Iterable[int] | None = None
) -> list[DayScore]:
    """Score the days of a daily series (index 0 is the first day, consecutive days).

    :param first_day_index: the index at which the key was first seen (usually the first
        non-zero count).
    :param days: the indices of the days to score, in the order wanted (default: every
        day); a day's score reads only the :data:`WINDOW` days before it, so a refresh
        scores the days it stores, not the empty days between them.
    """
    if days is None:
        days = range(len(counts))
    return [score_day(counts[i], counts[max(0, i - WINDOW) : i], i - first_day_index) for i in days]
