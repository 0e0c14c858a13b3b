"""When a post was made: decoded from its id where the platform encodes it, else read from
the visible date, which is written in the embedding site's locale and carries no time zone.

Timestamps are ISO 8601 in UTC with seconds (``2019-11-18T18:50:54+00:00``); a visible date
gives only a date (``2019-11-18``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

_TWITTER_EPOCH_MS = 1288834974657
# Status ids below this were issued before snowflakes (2010-11-04) and encode no time.
_FIRST_SNOWFLAKE = 29_700_859_247


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_twitter_id(status_id: str | int) -> str | None:
    """UTC time of a tweet from its snowflake status id (``None`` for pre-2010 ids)."""
    try:
        value = int(status_id)
    except (TypeError, ValueError):
        return None
    if value < _FIRST_SNOWFLAKE:
        return None
    ms = (value >> 22) + _TWITTER_EPOCH_MS
    return iso_utc(datetime.fromtimestamp(ms / 1000, UTC))


# Escaped dots ("25\. September 2018", from html2text) and the Russian year mark confuse
# the parser; neither carries meaning.
_DATE_NOISE = re.compile(r"\\(?=[.\-])|\s+г\.?\s*$")


@lru_cache(maxsize=4096)
def parse_visible_date(text: str | None) -> str | None:
    """The date in a visible embed date such as ``November 18, 2019``, ``25. September
    2018``, ``16 мая 2018 г.`` or ``2014. március 3.``, as ``YYYY-MM-DD``; ``None`` when it
    holds no date. The language is detected from the string itself."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    cleaned = " ".join(_DATE_NOISE.sub("", text).split())
    if not cleaned:
        return None
    import dateparser  # imported here: it costs half a second and most runs never need it

    parsed = dateparser.parse(
        cleaned,
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date().isoformat() if parsed else None
