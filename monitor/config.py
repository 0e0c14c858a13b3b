"""Configuration: ``monitor.toml``, found through ``--config`` or ``$MONITOR_CONFIG``.

Every key is optional. An unknown key or a wrong type is an error that names the key, so a
typo never silently falls back to a default. Relative paths are relative to the file.

.. code-block:: toml

    db = "monitor.db"
    archives = ["archive/"]
    timezone = "UTC"
    reports = "reports"
    store_articles = "all"  # or "with-posts": only articles that embed posts get a row

    [schedule]
    ingest_interval = 900
    report_time = "07:00"
    catch_up_days = 7

    [topics]
    ww3 = ["#ww3", "#wwiii", "#worldwar3", "world war 3", "world war iii"]

    [cluster]
    address = "tcp://10.0.0.5:8786"  # or "local", "local:8": where the ingest job reads

    [alerts]  # the alerts extra; any apprise URL
    urls = ["mailtos://user:pass@smtp.example.org?to=desk@example.org"]
    on = ["spike", "new"]
    dimensions = ["topic", "hashtag", "all"]
    min_posts = 5
    max_age_days = 2
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENT_VARIABLE = "MONITOR_CONFIG"
_TOPIC_NAME = re.compile(r"[\w][\w.-]*")
_HH_MM = re.compile(r"\d\d:\d\d")
# A Dask scheduler's address, or a cluster of N worker processes started here.
_CLUSTER_ADDRESS = re.compile(r"local(?::[1-9]\d*)?|[a-z]+://\S+")


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the key and the file."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the scheduled jobs run."""

    ingest_interval: int = 900
    report_time: time = time(7, 0)
    catch_up_days: int = 7


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic: a name for a group of aliases, each a hashtag (``#ww3``) or a phrase
    (``world war 3``), that a post matches if it carries the hashtag or says the phrase."""

    name: str
    aliases: tuple[str, ...]

    @property
    def hashtags(self) -> frozenset[str]:
        from .hashtags import normalise

        return frozenset(normalise(a) for a in self.aliases if a.startswith(("#", "＃")))

    @property
    def phrases(self) -> tuple[str, ...]:
        """The phrase aliases, folded as post text is folded before matching."""
        from .topics import fold

        return tuple(fold(a) for a in self.aliases if not a.startswith(("#", "＃")))


ALERT_STATUSES = ("spike", "new")
ALERT_DIMENSIONS = ("all", "topic", "hashtag", "platform", "outlet")


@dataclass(frozen=True, slots=True)
class Alerts:
    """Where spike alerts go (apprise URLs), and which spikes alert."""

    urls: tuple[str, ...] = ()
    on: tuple[str, ...] = ALERT_STATUSES  # "spike", and "new": a new key's first burst
    dimensions: tuple[str, ...] = ("topic", "hashtag", "all")
    min_posts: int = 5  # never alert on fewer
    # Days further back than this are never alerted: a backfill or catch-up of old archives
    # finds old spikes, which are news to nobody.
    max_age_days: int = 2


@dataclass(frozen=True, slots=True)
class Config:
    """The monitor's settings; :func:`load_config` reads them from ``monitor.toml``."""

    db: Path = Path("monitor.db")
    archives: tuple[Path | str, ...] = ()
    timezone: str = "UTC"
    reports: Path = Path("reports")
    schedule: Schedule = field(default_factory=Schedule)
    topics: tuple[Topic, ...] = ()
    # Where the ingest job reads: a Dask scheduler's address or local / local:N; None: here.
    cluster: str | None = None
    # "all": every article read gets a row; "with-posts": only those that embed posts (every
    # one is counted in coverage either way).
    store_articles: str = "all"
    alerts: Alerts = field(default_factory=Alerts)
    source: Path | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Key:
    """One key of ``monitor.toml``: its dotted name, the value it takes, its default (as
    TOML) and what it means. :data:`KEYS` is the one list of them: the parser accepts these
    and no others, and the documentation's configuration reference is generated from it."""

    name: str
    value: str
    default: str
    meaning: str


KEYS = (
    Key("db", "a path", '"monitor.db"', "the database; `--db` and `$MONITOR_DB` win over it"),
    Key(
        "archives",
        "a list of paths and globs",
        "[]",
        "what the scheduled ingest reads: files, folders (recursively) and patterns; addresses "
        "(`https://`, `s3://`) with the remote extras",
    ),
    Key(
        "timezone",
        "an IANA time zone name",
        '"UTC"',
        "the zone of trend days, report days, the report time and times in reports "
        "(`Europe/Kyiv`); a change recomputes every day",
    ),
    Key("reports", "a path", '"reports"', "where `monitor report` and the report job write"),
    Key(
        "store_articles",
        '`"all"` or `"with-posts"`',
        '"all"',
        '`"with-posts"` keeps a row only for the articles that embed posts; every article '
        "read is counted in `coverage` either way",
    ),
    Key(
        "schedule.ingest_interval",
        "seconds, at least 1",
        "900",
        "how often `monitor jobs run` ingests (and at once on start)",
    ),
    Key(
        "schedule.report_time",
        '`"HH:MM"`, local',
        '"07:00"',
        "when `monitor jobs run` writes the daily report of the day before",
    ),
    Key(
        "schedule.catch_up_days",
        "days, at least 0",
        "7",
        "at most this many missed daily reports written on start",
    ),
    Key(
        "topics.NAME",
        "a list of hashtags (`#ww3`) and phrases (`world war 3`)",
        "none",
        "a topic: a post is on it when it carries one of the hashtags or says one of the "
        "phrases (whole words, any case); a name is letters, digits, `_`, `-` or `.`",
    ),
    Key(
        "cluster.address",
        '`"tcp://HOST:PORT"`, `"local"` or `"local:N"`',
        "none: read here",
        "the Dask cluster the scheduled ingest reads on (the cluster extra)",
    ),
    Key(
        "alerts.urls",
        "a list of apprise URLs",
        "[]",
        "where spike alerts go (the alerts extra): e-mail, chat, webhooks; none: no alerts",
    ),
    Key(
        "alerts.on",
        'a list of `"spike"` and `"new"`',
        '["spike", "new"]',
        'the spike statuses that alert; `"new"`: a new key\'s first burst',
    ),
    Key(
        "alerts.dimensions",
        "a list of " + ", ".join(f'`"{d}"`' for d in ALERT_DIMENSIONS),
        '["topic", "hashtag", "all"]',
        "the trend series that may alert",
    ),
    Key("alerts.min_posts", "a whole number, at least 1", "5", "never alert on fewer posts"),
    Key(
        "alerts.max_age_days",
        "days, at least 1",
        "2",
        "days further back never alert: a backfill's spikes are news to nobody",
    ),
)


def _known(table: str | None = None) -> frozenset[str]:
    """The keys :data:`KEYS` allows at the top level, or in one table."""
    if table is None:
        return frozenset(key.name.split(".")[0] for key in KEYS)
    return frozenset(key.name.split(".", 1)[1] for key in KEYS if key.name.startswith(f"{table}."))


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read the configuration.

    :param path: the TOML file; ``None`` means ``$MONITOR_CONFIG`` if set, else the defaults.
    :raises ConfigError: for a missing or malformed file, an unknown key, a wrong type or
        value; the message names the key.
    """
    if path is None:
        path = os.environ.get(ENVIRONMENT_VARIABLE) or None
        if path is None:
            return Config()
    # Absolute, so that the paths it anchors stay right whatever the working folder later is.
    path = Path(path).absolute()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return parse_config(data, base=path.parent, source=path)


def parse_config(
    data: Mapping[str, object], base: Path = Path("."), source: Path | None = None
) -> Config:
    """A :class:`Config` from already-parsed TOML (``base`` anchors relative paths)."""
    where = f"{source}: " if source else ""

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{where}{key}: {message}")

    def expect(key: str, value: object, kind: type | tuple[type, ...], name: str) -> None:
        # TOML booleans are ints to Python; a boolean is never a valid number here.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise fail(key, f"expected {name}, got {value!r}")
        if not isinstance(value, kind):
            raise fail(key, f"expected {name}, got {value!r}")

    known = _known()
    for key in data:
        if key not in known:
            raise fail(key, f"unknown key (expected one of: {', '.join(sorted(known))})")
    values: dict[str, object] = {"source": source}
    if "db" in data:
        expect("db", data["db"], str, "a path")
        values["db"] = base / str(data["db"])
    if "reports" in data:
        expect("reports", data["reports"], str, "a path")
        values["reports"] = base / str(data["reports"])
    if "archives" in data:
        archives = data["archives"]
        expect("archives", archives, list, "a list of paths or globs")
        for index, item in enumerate(archives):  # type: ignore[arg-type]
            expect(f"archives[{index}]", item, str, "a path or glob")
        values["archives"] = tuple(str(base / item) for item in archives)  # type: ignore[union-attr]
    if "timezone" in data:
        zone = data["timezone"]
        expect("timezone", zone, str, "an IANA time zone name such as 'Europe/Berlin'")
        try:
            ZoneInfo(str(zone))
        # A folder of the zone database ("Europe") is no zone: ZoneInfo raises OSError.
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise fail("timezone", f"unknown time zone {zone!r}") from None
        values["timezone"] = zone
    if "schedule" in data:
        values["schedule"] = _schedule(data["schedule"], fail, expect)
    if "topics" in data:
        values["topics"] = _topics(data["topics"], fail, expect)
    if "cluster" in data:
        values["cluster"] = _cluster(data["cluster"], fail, expect)
    if "store_articles" in data:
        stored = data["store_articles"]
        if stored not in ("all", "with-posts"):
            raise fail("store_articles", f"expected 'all' or 'with-posts', got {stored!r}")
        values["store_articles"] = stored
    if "alerts" in data:
        values["alerts"] = _alerts(data["alerts"], fail, expect)
    return Config(**values)  # type: ignore[arg-type]


def _alerts(table: object, fail, expect) -> Alerts:
    expect("alerts", table, dict, "a table")
    known = _known("alerts")
    values: dict[str, object] = {}
    for key, value in table.items():  # type: ignore[union-attr]
        name = f"alerts.{key}"
        if key not in known:
            raise fail(name, f"unknown key (expected one of: {', '.join(sorted(known))})")
        if key in ("min_posts", "max_age_days"):
            expect(name, value, int, "a whole number")
            if value < 1:
                raise fail(name, f"must be at least 1, got {value}")
            values[key] = value
            continue
        expect(name, value, list, "a list")
        allowed = {"on": ALERT_STATUSES, "dimensions": ALERT_DIMENSIONS}.get(key)
        for index, item in enumerate(value):
            expect(f"{name}[{index}]", item, str, "a string")
            if allowed is not None and item not in allowed:
                expected = ", ".join(allowed)
                raise fail(f"{name}[{index}]", f"expected one of {expected}, got {item!r}")
            if key == "urls" and (problem := _destination_problem(item)):
                raise fail(f"{name}[{index}]", problem)
        values[key] = tuple(value)
    return Alerts(**values)  # type: ignore[arg-type]


def _destination_problem(url: str) -> str | None:
    """Why ``url`` is not a destination alerts can be sent to, or ``None``."""
    try:
        import apprise
    except ImportError:
        return "sending alerts needs the alerts extra: pip install 'reaction-monitor[alerts]'"
    with apprise.LogCapture(level=logging.ERROR):  # its own complaint: ours is clearer
        service = apprise.Apprise.instantiate(url)
    if service is None:
        scheme = url.split("://", 1)[0] if "://" in url else url
        return f"not a destination apprise can send to (scheme {scheme!r}, or its form)"
    return None


def _cluster(table: object, fail, expect) -> str:
    expect("cluster", table, dict, "a table")
    for key in table:  # type: ignore[union-attr]
        if key not in _known("cluster"):
            raise fail(f"cluster.{key}", "unknown key (expected: address)")
    if "address" not in table:  # type: ignore[operator]
        raise fail("cluster.address", "missing: a scheduler's address, local or local:N")
    address = table["address"]  # type: ignore[index]
    expect("cluster.address", address, str, "a scheduler's address, local or local:N")
    if not _CLUSTER_ADDRESS.fullmatch(address):
        raise fail(
            "cluster.address",
            f"expected a scheduler's address (tcp://host:8786), local or local:N, got {address!r}",
        )
    return address


def _schedule(table: object, fail, expect) -> Schedule:
    expect("schedule", table, dict, "a table")
    known = _known("schedule")
    values: dict[str, object] = {}
    for key, value in table.items():  # type: ignore[union-attr]
        name = f"schedule.{key}"
        if key not in known:
            raise fail(name, f"unknown key (expected one of: {', '.join(sorted(known))})")
        if key == "report_time":
            expect(name, value, str, "a local time as 'HH:MM'")
            try:
                if not _HH_MM.fullmatch(value):
                    raise ValueError
                values[key] = time.fromisoformat(value)
            except ValueError:
                raise fail(name, f"expected a local time as 'HH:MM', got {value!r}") from None
        else:
            expect(name, value, int, "a whole number")
            minimum = 1 if key == "ingest_interval" else 0
            if value < minimum:
                raise fail(name, f"must be at least {minimum}, got {value}")
            values[key] = value
    return Schedule(**values)  # type: ignore[arg-type]


def _topics(table: object, fail, expect) -> tuple[Topic, ...]:
    expect("topics", table, dict, "a table of topic = [aliases]")
    topics = []
    for name, aliases in table.items():  # type: ignore[union-attr]
        key = f"topics.{name}"
        if not _TOPIC_NAME.fullmatch(name):
            raise fail(key, "a topic name is letters, digits, '_', '-' or '.'")
        expect(key, aliases, list, "a list of hashtags ('#ww3') and phrases ('world war 3')")
        cleaned = []
        for index, alias in enumerate(aliases):
            expect(f"{key}[{index}]", alias, str, "a hashtag or a phrase")
            body = alias.strip().lstrip("#＃")
            if not body:
                raise fail(f"{key}[{index}]", "an alias cannot be empty")
            if body != body.lstrip() or (alias.strip()[0] in "#＃" and " " in body):
                raise fail(f"{key}[{index}]", f"a hashtag has no spaces: {alias!r}")
            cleaned.append(alias.strip())
        if not cleaned:
            raise fail(key, "a topic needs at least one alias")
        topics.append(Topic(name, tuple(cleaned)))
    return tuple(topics)
