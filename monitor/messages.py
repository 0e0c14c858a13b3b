"""Messages for people: one line each, safe to print to a terminal or a log.

File names, URLs and the bytes of damaged records come from the archives, not from the
monitor: printed raw, an escape sequence in them would rewrite the user's terminal, and a
line break would pass for another message.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL: everything a terminal may act on rather than show.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """``text`` with every control character (line breaks included) written as an escape
    (``\\x1b``, ``\\n``), so that it prints as one inert line."""
    value = str(text)
    if not _CONTROL.search(value):
        return value
    return _CONTROL.sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(character, f"\\x{ord(character):02x}")


def counted(number: int, noun: str) -> str:
    """``number`` with ``noun``, plural unless one: ``counted(1, "document")`` is
    "1 document", ``counted(3, "new post")`` "3 new posts"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
