"""Spike scoring of sparse daily counts: baseline, tail probability, and the three rules."""

from __future__ import annotations

import math
import statistics
from typing import Any

import numpy as np
import pytest
from scipy import stats

from monitor import spikes
from monitor.spikes import DayScore, score_day, score_series, tail_probability

STEADY = [3, 2, 3, 4, 3, 2, 3, 3, 4, 3, 2, 3, 3, 3]  # median 3, variance 0.38: Poisson


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-9)


def poisson_tail(count: int, mean: float) -> float:
    """P(X >= count), summed from the probability mass function over the upper tail."""
    return float(stats.poisson.pmf(np.arange(count, count + 1000), mean).sum())


def expected(count: int, baseline: float, probability: float, status: str | None) -> DayScore:
    """The DayScore to expect, its probability and score compared with a relative 1e-9."""
    score = -math.log10(probability)
    return DayScore(count, baseline, approx(probability), approx(score), status)


def test_a_clear_spike_after_a_steady_baseline() -> None:
    assert statistics.variance(STEADY) < 3  # not overdispersed: the Poisson path
    scored = score_day(15, STEADY, days_known=30)
    assert scored == expected(15, 3.0, poisson_tail(15, 3.0), "spike")
    assert scored.probability == approx(6.703859112405596e-07)
    assert (scored.ratio, scored.is_spike) == (5.0, True)


def test_an_ordinary_day_after_a_steady_baseline() -> None:
    assert score_day(4, STEADY, days_known=30) == expected(4, 3.0, poisson_tail(4, 3.0), None)


def test_a_quiet_period_is_never_flagged() -> None:
    counts = [0] * 10 + [1, 2, 1, 0, 1, 2, 3, 1, 0, 0, 2, 1, 4, 0, 1]
    assert [s.status for s in score_series(counts)] == [None] * len(counts)
    assert [s.baseline for s in score_series(counts)[:12]] == [1.0] * 12


def test_a_zero_day() -> None:
    assert score_day(0, STEADY, days_known=30) == DayScore(0, 3.0, 1.0, 0.0, None)


def test_with_the_shipped_thresholds_the_smallest_spike_is_six() -> None:
    # At the lowest possible baseline (the floor, 1.0) a count of 5 is not improbable
    # enough, so the count rule never decides alone with the shipped thresholds.
    quiet = [0] * 14
    assert score_day(5, quiet, 30) == expected(5, 1.0, poisson_tail(5, 1.0), None)
    assert poisson_tail(5, 1.0) > spikes.MAX_PROBABILITY
    assert score_day(6, quiet, 30) == expected(6, 1.0, poisson_tail(6, 1.0), "spike")


def test_the_count_rule_blocks_a_count_of_four(monkeypatch: pytest.MonkeyPatch) -> None:
    # Loosen the probability rule so that only the count rule stands in the way.
    monkeypatch.setattr(spikes, "MAX_PROBABILITY", 0.05)
    quiet = [0] * 14
    four = score_day(4, quiet, 30)
    assert four == expected(4, 1.0, poisson_tail(4, 1.0), None)
    assert (four.probability < 0.05, four.ratio) == (True, 4.0)
    assert score_day(5, quiet, 30).status == "spike"


def test_the_ratio_rule_blocks_an_improbable_count_below_twice_the_baseline() -> None:
    busy = [50] * 14
    scored = score_day(99, busy, 30)
    assert scored == expected(99, 50.0, poisson_tail(99, 50.0), None)
    assert scored.probability < 1e-9
    assert scored.ratio == 1.98
    # Exactly twice the baseline passes.
    assert score_day(100, busy, 30) == expected(100, 50.0, poisson_tail(100, 50.0), "spike")


def test_the_probability_rule_blocks_a_big_ratio_on_a_high_baseline() -> None:
    # Ratio 2 and a count of 8 at baseline 4: bigger, but not improbable enough.
    scored = score_day(8, [4] * 14, 30)
    assert scored == expected(8, 4.0, poisson_tail(8, 4.0), None)
    assert scored.probability > spikes.MAX_PROBABILITY


@pytest.mark.parametrize("history", [[0] * 14, [0, 0, 0, 1, 1, 0, 0], [], [0]])
def test_the_baseline_floor(history: list[int]) -> None:
    scored = score_day(7, history, 30)
    assert scored == expected(7, 1.0, poisson_tail(7, 1.0), "spike")
    assert scored.ratio == 7.0


def test_a_half_median() -> None:
    assert score_day(3, [2, 3], 30) == expected(3, 2.5, poisson_tail(3, 2.5), None)


def test_the_day_is_not_in_its_own_baseline() -> None:
    scored = score_series([4, 100])
    # With the day itself, the median of [4, 100] would be 52.
    assert scored[1].baseline == 4.0
    assert scored[1] == expected(100, 4.0, poisson_tail(100, 4.0), "new")
    assert scored[0] == expected(4, 1.0, poisson_tail(4, 1.0), None)


def test_score_series_passes_the_trailing_days() -> None:
    counts = [1, 0, 2, 5, 0, 0, 3, 1, 9, 0, 0, 2, 1, 1, 4, 0, 30, 2, 1, 0]
    assert score_series(counts, first_day_index=2) == [
        score_day(count, counts[max(0, i - 14) : i], i - 2) for i, count in enumerate(counts)
    ]


def test_score_series_scores_only_the_days_asked_for_in_their_order() -> None:
    counts = [1, 0, 2, 5, 0, 0, 3, 1, 9, 0, 0, 2, 1, 1, 4, 0, 30, 2, 1, 0]
    every = score_series(counts, first_day_index=2)
    assert score_series(counts, first_day_index=2, days=[16, 3, 0]) == [
        every[16],
        every[3],
        every[0],
    ]
    assert score_series(counts, days=[]) == []


def test_an_overdispersed_history_uses_the_negative_binomial() -> None:
    bursty = [1, 1, 2, 0, 1, 15, 1, 0, 2, 1, 20, 1, 1, 0]
    baseline, variance = 1.0, statistics.variance(bursty)
    assert (statistics.median(bursty), variance) == (1, approx(37.604395604395606))
    # The negative binomial with the baseline as its mean and the window's variance.
    size = baseline**2 / (variance - baseline)
    law = stats.nbinom(size, size / (size + baseline))
    assert (law.mean(), law.var()) == (approx(baseline), approx(variance))
    negative_binomial = float(law.sf(7))
    poisson = poisson_tail(8, baseline)
    assert (negative_binomial, poisson) == (approx(0.033021095336225555), approx(1.0249196674e-05))

    scored = score_day(8, bursty, 30)
    assert scored == expected(8, 1.0, negative_binomial, None)
    # Poisson would have flagged it: with a steady history of the same median it does.
    assert score_day(8, [1] * 14, 30) == expected(8, 1.0, poisson, "spike")


def test_tail_probability_chooses_by_variance_against_the_mean() -> None:
    assert tail_probability(8, 1.0, [1, 1, 2, 0, 1, 15]) > tail_probability(8, 1.0, [1, 1, 1])
    assert tail_probability(5, 2.0, [2]) == approx(poisson_tail(5, 2.0))
    assert tail_probability(5, 2.0, []) == approx(poisson_tail(5, 2.0))
    assert tail_probability(0, 2.0, [0, 9]) == 1.0


@pytest.mark.parametrize("days_known", [0, 3, 6])
def test_a_new_key_that_bursts_is_new_never_a_spike(days_known: int) -> None:
    scored = score_day(30, [0, 0, 1], days_known)
    assert scored == expected(30, 1.0, poisson_tail(30, 1.0), "new")
    assert scored.is_spike is False


def test_a_key_known_for_seven_days_can_spike() -> None:
    assert score_day(30, [0, 0, 1], 7) == expected(30, 1.0, poisson_tail(30, 1.0), "spike")


def test_a_new_key_needs_only_the_count_and_ratio_rules() -> None:
    # Probability 0.0037: not a spike for an old key, but "new" for a young one.
    assert score_day(5, [1, 1], 2) == expected(5, 1.0, poisson_tail(5, 1.0), "new")
    assert score_day(4, [0], 1).status is None
    assert score_day(5, [3, 3], 2).status is None


def test_a_new_key_in_a_series() -> None:
    counts = [0, 0, 0, 9, 1, 0, 8, 1, 0, 0, 1, 12, 1, 0]
    scored = score_series(counts, first_day_index=3)
    # Day 6 is "new" though not improbable (0.04): only the count and ratio rules apply.
    # Day 11 is seven days in, but the young key's own bursts make its window
    # overdispersed, and the negative binomial finds 12 unsurprising (0.02).
    assert [s.status for s in scored] == [None, None, None, "new", None, None, "new"] + [None] * 7
    assert scored[11].probability > spikes.MAX_PROBABILITY


# Thirty days, steady at 2-3 with one burst of 20 on day 20.
SERIES = [
    *(2, 3, 2, 2, 3, 2, 3, 2, 2, 3),
    *(2, 3, 2, 2, 3, 2, 2, 3, 2, 3),
    *(20, 2, 3, 2, 2, 2, 3, 2, 2, 3),
]


def test_score_series_statuses_at_every_index() -> None:
    scored = score_series(SERIES)
    assert len(SERIES) == 30
    assert [s.status for s in scored] == [None] * 20 + ["spike"] + [None] * 9
    assert scored[20] == expected(20, 2.0, poisson_tail(20, 2.0), "spike")
    assert [s.baseline for s in scored[:4]] == [1.0, 2.0, 2.5, 2.0]


def test_a_second_burst_soon_after_the_first_is_not_a_spike() -> None:
    # The first burst makes the window overdispersed, so the next one is judged by the
    # negative binomial while it is in the window.
    counts = [*SERIES[:25], 20]
    window = counts[11:25]
    assert statistics.variance(window) > 2.0
    size = 4.0 / (statistics.variance(window) - 2.0)
    probability = float(stats.nbinom.sf(19, size, size / (size + 2.0)))
    assert score_series(counts)[25] == expected(20, 2.0, probability, None)


def test_the_window_is_the_last_fourteen_days() -> None:
    # Fifteen big days then fourteen quiet ones: with all 29 days the median would be 100.
    history = [100] * 15 + [1] * 14
    assert score_day(6, history, 30) == score_day(6, [1] * 14, 30)
    assert score_day(6, history, 30) == expected(6, 1.0, poisson_tail(6, 1.0), "spike")


def test_score_series_window_slides() -> None:
    counts = [100] * 15 + [1] * 14 + [6]
    scored = score_series(counts)
    assert scored[29] == expected(6, 1.0, poisson_tail(6, 1.0), "spike")
    # The day after the big days, the window is fourteen of them; fourteen days later,
    # one of them is left and the median is already 1.
    assert [scored[i].baseline for i in (15, 28)] == [100.0, 1.0]
    assert scored[28].status is None


def test_infinite_score_when_the_probability_underflows() -> None:
    scored = score_day(5000, [1] * 14, 30)
    assert (scored.probability, scored.score, scored.status) == (0.0, math.inf, "spike")
