"""The bound on a document's time (monitor.deadline), with real timer signals: it stops
Python code, a regular expression and code that swallows errors; it leaves nothing armed
behind it; where it cannot hold (a thread, a program's own alarm), the code runs unbounded."""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time

import pytest

from monitor.deadline import TooSlow, time_limit


def spin_for(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_an_endless_loop_that_swallows_errors_is_stopped():
    start = time.monotonic()
    with pytest.raises(TooSlow), time_limit(0.2):
        while True:
            with contextlib.suppress(Exception):  # a library's fallback: not the bound's
                spin_for(1.0)
    assert 0.2 <= time.monotonic() - start < 2


def test_a_runaway_regular_expression_is_stopped():
    with pytest.raises(TooSlow), time_limit(0.2):
        re.match(r"(a+)+$", "a" * 40 + "b")  # backtracks for hours


def test_a_block_that_ends_in_time_leaves_nothing_armed():
    with time_limit(0.2):
        spin_for(0.05)
    spin_for(0.4)  # past the bound: no TooSlow now
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_in_a_thread_the_block_runs_unbounded():
    finished = []

    def run() -> None:
        with time_limit(0.05):
            spin_for(0.3)
        finished.append(True)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert finished == [True]


def test_a_programs_own_alarm_is_left_alone():
    rang = []
    previous = signal.signal(signal.SIGALRM, lambda number, frame: rang.append(number))
    try:
        with time_limit(0.05):
            spin_for(0.2)
        assert signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL
        assert rang == []  # no timer was set: the program's handler never ran
    finally:
        signal.signal(signal.SIGALRM, previous)
