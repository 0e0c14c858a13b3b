"""When a post was made: decoded from its id where the platform encodes it, else read from
the visible date, which is written in the embedding site's locale and carries no time zone.

Timestamps are ISO 8601 in UTC with seconds (``2019-11-18T18:50:54+00:00``); a visible date
gives only a date (``2019-11-18``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache

_TWITTER_EPOCH_MS = 1288834974657
# Status ids below this were issued before snowflakes (2010-11-04) and encode no time.
_FIRST_SNOWFLAKE = 29_700_859_247
_INSTAGRAM_EPOCH_MS = 1314220021721
_INSTAGRAM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_INSTAGRAM_DIGITS = {ch: i for i, ch in enumerate(_INSTAGRAM_ALPHABET)}
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID_DIGITS = {ch: i for i, ch in enumerate(_TID_ALPHABET)}
_TID = re.compile(r"[2-7a-j][2-7a-z]{12}")

# No post can be older than its platform; a decoded time before this is not a time, but an
# id from an older scheme (early Mastodon servers counted 1, 2, 3 ...).
_LAUNCHED = {
    "mastodon": datetime(2016, 3, 1, tzinfo=UTC),
    "bluesky": datetime(2022, 11, 1, tzinfo=UTC),
    "tiktok": datetime(2016, 9, 1, tzinfo=UTC),
    "instagram": datetime(2012, 1, 1, tzinfo=UTC),
    "threads": datetime(2023, 7, 1, tzinfo=UTC),
}


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def now_utc() -> str:
    """The current time, as every time the monitor records (ISO 8601, UTC, seconds)."""
    return iso_utc(datetime.now(UTC))


# An RFC 2822 time with its zone: "Wed, 20 Nov 2019 08:02:00 GMT", "20 Nov 2019 08:02 +0100".
_MAIL_TIME = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?[0-3]?[0-9] "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
    r"[0-2][0-9]:[0-5][0-9](?::[0-6][0-9])? (?:GMT|UTC|[+-][0-9]{4})"
)


def normalise_time(value: str | None) -> str | None:
    """An ISO 8601 time in UTC when ``value`` has a zone (``2024-11-18T09:30:00-05:00`` or
    ``20 Nov 2019 08:02 GMT`` -> ``2024-11-18T14:30:00+00:00``), else as written but in ISO
    form (a date, or a local time such as ``2019-11-18 09:30:00`` ->
    ``2019-11-18T09:30:00``); ``None`` when it is neither an ISO time nor an RFC 2822 one."""
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        if not _MAIL_TIME.fullmatch(value):
            return None
        # The form of e-mail and RSS dates (RFC 2822), which some sites' JSON-LD has too.
        try:
            moment = parsedate_to_datetime(value)
        except ValueError:  # no such day (31 Feb)
            return None
    if moment.tzinfo is not None:
        return iso_utc(moment)
    if len(value) == 10:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


def _plausible(platform: str, seconds: float) -> str | None:
    """The ISO time, or ``None`` when it falls before the platform existed or after now."""
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if moment < _LAUNCHED[platform] or moment > datetime.now(UTC) + timedelta(days=1):
        return None
    return iso_utc(moment)


def from_mastodon_id(status_id: str | int) -> str | None:
    """UTC time of a Mastodon status from its id (``ms = id >> 16``; servers since 2.0)."""
    try:
        value = int(status_id)
    except (TypeError, ValueError):
        return None
    return _plausible("mastodon", (value >> 16) / 1000)


def from_bluesky_tid(rkey: str) -> str | None:
    """UTC time of a Bluesky post from its TID record key (13 base32-sortable characters;
    microseconds since the epoch in the top 53 bits)."""
    if not _TID.fullmatch(rkey or ""):
        return None
    value = 0
    for ch in rkey:
        value = value * 32 + _TID_DIGITS[ch]
    return _plausible("bluesky", (value >> 10) / 1_000_000)


def from_tiktok_id(video_id: str | int) -> str | None:
    """UTC time of a TikTok video from its id (``seconds = id >> 32``)."""
    try:
        value = int(video_id)
    except (TypeError, ValueError):
        return None
    return _plausible("tiktok", value >> 32)


def from_instagram_shortcode(code: str, platform: str = "instagram") -> str | None:
    """UTC time of an Instagram (or Threads: ``platform="threads"``) post from its
    shortcode: base64 digits ``A-Za-z0-9-_`` give the media id, whose top bits are
    milliseconds since 2011-08-24. Longer shortcodes (private posts) encode no time here."""
    if not code or len(code) > 11 or any(ch not in _INSTAGRAM_DIGITS for ch in code):
        return None
    value = 0
    for ch in code:
        value = value * 64 + _INSTAGRAM_DIGITS[ch]
    return _plausible(platform, ((value >> 23) + _INSTAGRAM_EPOCH_MS) / 1000)


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


# The English form most embed codes write ("November 18, 2019", "Monday, November 18, 2024",
# "June 14, 2025 at 8:12 PM"), read directly: dateparser reads them alike but takes
# milliseconds each, as it first works out the language.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ENGLISH_DATE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, )?"
    rf"({'|'.join(_MONTHS)}) ([1-9]|[12][0-9]|3[01]), ([0-9]{{4}})"
    r"(?: at (?:[1-9]|1[0-2]):[0-5][0-9] [AP]M)?"
)
_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS, 1)}

# Escaped dots ("25\. September 2018", from html2text) and the Russian year mark confuse
# the parser; neither carries meaning.
_DATE_NOISE = re.compile(r"\\(?=[.\-])|\s+г\.?\s*$")


DATE_LANGUAGE: ContextVar[str | None] = ContextVar("date_language", default=None)
"""The language the page being read declares (``de``), set while its embeds are read: the
first language tried for a visible date written in words."""


@contextmanager
def dates_in(language: str | None) -> Iterator[None]:
    """Read visible dates in ``language`` first (see :data:`DATE_LANGUAGE`) meanwhile."""
    token = DATE_LANGUAGE.set(language)
    try:
        yield
    finally:
        DATE_LANGUAGE.reset(token)


_DATE_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    # Not "relative-time": "3 hours ago" on a saved page counts from when it was saved,
    # which the page does not say; read from the ingest's clock, it made a rerun store
    # another date.
    "PARSERS": ["timestamp", "custom-formats", "absolute-time", "no-spaces-time"],
}


def parse_visible_date(text: str | None) -> str | None:
    """The date in a visible embed date such as ``November 18, 2019``, ``25. September
    2018``, ``16 мая 2018 г.`` or ``2014. március 3.``, as ``YYYY-MM-DD``; ``None`` when it
    holds no date. The language is the page's (:data:`DATE_LANGUAGE`) when that reads the
    date, else detected from the string itself."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    # Only a date in words is tried in the page's language first: digits alone read
    # differently by locale (05/10/2018), and are read as they always were.
    words = any(ch.isalpha() for ch in text)
    return _visible_date(text, DATE_LANGUAGE.get() if words else None)


@lru_cache(maxsize=4096)
def _visible_date(text: str, language: str | None) -> str | None:
    cleaned = " ".join(_DATE_NOISE.sub("", text).split())
    if not cleaned:
        return None
    english = _ENGLISH_DATE.fullmatch(cleaned)
    if english:
        month, day, year = english.groups()
        try:
            return datetime(int(year), _MONTH_NUMBERS[month], int(day)).date().isoformat()
        except ValueError:
            pass  # no such day (November 31): dateparser says so
    import dateparser  # imported here: it costs half a second and most runs never need it

    if language:
        # Detecting the language tries dateparser's languages one by one: a third of a
        # second the first time in a process. The page's own language is tried first.
        try:
            parsed = dateparser.parse(cleaned, languages=[language], settings=_DATE_SETTINGS)
        except ValueError:  # a language dateparser does not know
            parsed = None
        if parsed:
            return parsed.date().isoformat()
    parsed = dateparser.parse(cleaned, settings=_DATE_SETTINGS)
    return parsed.date().isoformat() if parsed else None
