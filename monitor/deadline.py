"""A bound on the time one document may take: past it, the document's reading is stopped.

Sizes and nesting are bounded where documents are read (``monitor.archives``); a page can
still slow its reading some other way (a library's regular expression on crafted text, a
quadratic walk nobody foresaw). :func:`time_limit` stops the code it runs when its time is
up, by a timer signal (``SIGALRM``) whose handler raises :class:`TooSlow` between two steps
of the Python code under way (regular expressions check for signals as they run; code in C
that does not is bounded by the sizes above).

A signal reaches only a process's main thread: the bound holds in ingest's worker processes
and where ``monitor ingest`` reads in its own process, not where reading runs in a thread
(the jobs daemon's ingest job, a Dask worker's tasks), nor where the platform has no
``setitimer`` (Windows), nor where the program already handles ``SIGALRM`` itself.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_armed = False


class TooSlow(BaseException):
    """A document took longer than its bound.

    A :class:`BaseException`, as KeyboardInterrupt is: the code it interrupts (a
    library's ``except Exception`` fallback) must not take it for an error of its own and
    carry on.
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block for ``seconds`` at most, else raise :class:`TooSlow` in it; without a
    bound where there can be none (see the module's text)."""
    global _armed
    if not _can_time():
        yield
        return
    try:
        _armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        # Disarmed first: a signal that arrived just now, its handler not run yet, must not
        # raise once the block is over.
        _armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)


def _can_time() -> bool:
    if not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    handler = signal.getsignal(signal.SIGALRM)
    if handler is _on_alarm:
        return True
    if handler is not signal.SIG_DFL:
        return False  # the program's own alarm: left alone
    signal.signal(signal.SIGALRM, _on_alarm)
    return True


def _on_alarm(number: int, frame: FrameType | None) -> None:
    if _armed:
        raise TooSlow
