"""Spike alerts delivered to people through `apprise <https://appriseit.com>`_ (e-mail, Slack,
Teams, Discord, Telegram, Matrix, ntfy, JSON webhooks and more; the ``alerts`` extra).

Each day, series and status alerts at most once per destination, ever: the ``alerts`` table
records every delivery and its result, so that restarts, reruns and catch-up send nothing
twice. A delivery that fails is tried again on later runs, waiting longer each time, and
given up after :data:`GIVE_UP_AFTER`; a failure never stops the ingest that found the spike.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from .cards import card_title, render_card
from .config import Config
from .explain import SpikeCard, explain_spike
from .timestamps import now_utc

SENT = "sent"
FAILED = "failed"
GAVE_UP = "gave-up"
FIRST_RETRY = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)
GIVE_UP_AFTER = timedelta(days=3)
# apprise's formats, and the card written in each.
_KINDS = {"text": "txt", "markdown": "md", "html": "html"}

log = logging.getLogger("monitor.alerts")


@dataclass(slots=True)
class AlertsRun:
    """What one check of the alerts did."""

    sent: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    failed: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)


def check_alerts(
    db: Database,
    config: Config,
    *,
    days: Iterable[str | date] | None = None,
    now: datetime | None = None,
) -> AlertsRun:
    """Send the alerts due: the spikes (and new keys' bursts) of ``days`` (default: every day
    within ``max_age_days`` of today) that pass ``[alerts]`` and have not been sent to a
    destination yet, and the failed deliveries whose next try has come.

    :param days: the days whose trends just changed (the scheduled jobs pass those);
        days older than ``max_age_days`` are left out.
    """
    settings = config.alerts
    run = AlertsRun()
    if not settings.urls:
        return run
    now = now or datetime.fromisoformat(now_utc())
    today = now.astimezone(config.zone).date()
    oldest = today - timedelta(days=settings.max_age_days - 1)
    wanted = (
        sorted({_iso(day) for day in days if _iso(day) >= oldest.isoformat()})
        if days is not None
        else [(oldest + timedelta(days=n)).isoformat() for n in range((today - oldest).days + 1)]
    )
    destinations = [_Destination(url) for url in settings.urls]
    due = _candidates(db, config, wanted) + _retries_due(db, now)
    for spike in sorted(set(due)):
        card: SpikeCard | None = None
        for destination in destinations:
            record = _record(db, spike, destination.name)
            if record and (
                record["result"] in (SENT, GAVE_UP) or record["next_try_at"] > now.isoformat()
            ):
                continue
            if card is None:
                card = explain_spike(db, *spike[:3], config)
            error = destination.send(card, config.timezone)
            _remember(db, spike, destination.name, record, error, now)
            if error is None:
                run.sent.append((*spike, destination.name))
            else:
                run.failed.append((*spike, destination.name, error))
                log.warning("alert for %s %s %s to %s failed: %s", *spike[:3],
                            destination.name, error)  # fmt: skip
    return run


def send_test(config: Config, db: Database | None = None) -> list[tuple[str, str | None]]:
    """Send a test card to every configured destination: the card of the latest spike in
    ``db`` (titled as a test), or a line saying what the destination will receive when
    there is none. Nothing is recorded. Each destination's name and its error (``None``
    when it was sent)."""
    latest = None
    if db is not None and db["trends"].exists():
        latest = db.execute(
            "SELECT period, dimension, key FROM spikes ORDER BY period DESC, spike_score DESC "
            "LIMIT 1"
        ).fetchone()
    card = explain_spike(db, *latest, config) if latest else None
    results = []
    for url in config.alerts.urls:
        destination = _Destination(url)
        if card is None:
            error = destination.notify(
                "Test from the reaction monitor",
                "This destination will receive the monitor's spike alerts.",
                "text",
            )
        else:
            error = destination.send(card, config.timezone, title=f"Test: {card_title(card)}")
        results.append((destination.name, error))
    return results


def _candidates(db: Database, config: Config, days: Sequence[str]) -> list[tuple[str, ...]]:
    settings = config.alerts
    if not days:
        return []
    marks = ", ".join("?" for _ in days)
    return [
        tuple(row)
        for row in db.execute(
            "SELECT period, dimension, key, spike_status FROM spikes "
            f"WHERE period IN ({marks}) "
            f"AND spike_status IN ({', '.join('?' for _ in settings.on)}) "
            f"AND dimension IN ({', '.join('?' for _ in settings.dimensions)}) "
            "AND posts >= ? ORDER BY period, dimension, key",
            [*days, *settings.on, *settings.dimensions, settings.min_posts],
        )
    ]


def _retries_due(db: Database, now: datetime) -> list[tuple[str, ...]]:
    """The spikes (still spikes) of deliveries that failed and whose next try has come,
    whatever their day: a destination that was down gets them when it is back."""
    return [
        tuple(row)
        for row in db.execute(
            "SELECT DISTINCT a.day, a.dimension, a.key, a.status FROM alerts a "
            "JOIN spikes s ON s.period = a.day AND s.dimension = a.dimension "
            "AND s.key = a.key AND s.spike_status = a.status "
            "WHERE a.result = ? AND a.next_try_at <= ?",
            [FAILED, now.isoformat()],
        )
    ]


def _record(db: Database, spike: Sequence[str], destination: str) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM alerts WHERE day = ? AND dimension = ? AND key = ? AND status = ? "
            "AND destination = ?",
            [*spike, destination],
        )
    )
    return rows[0] if rows else None


def _remember(
    db: Database,
    spike: Sequence[str],
    destination: str,
    record: dict | None,
    error: str | None,
    now: datetime,
) -> None:
    attempts = (record["attempts"] if record else 0) + 1
    first = record["first_tried_at"] if record else now.isoformat()
    result, next_try = SENT, None
    if error is not None:
        wait = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)
        given_up = now - datetime.fromisoformat(first) >= GIVE_UP_AFTER
        result = GAVE_UP if given_up else FAILED
        next_try = None if given_up else (now + wait).isoformat()
    with db.atomic():
        db["alerts"].upsert(
            {
                "day": spike[0],
                "dimension": spike[1],
                "key": spike[2],
                "status": spike[3],
                "destination": destination,
                "result": result,
                "attempts": attempts,
                "error": error,
                "first_tried_at": first,
                "last_tried_at": now.isoformat(),
                "next_try_at": next_try,
            },
            pk=("day", "dimension", "key", "status", "destination"),
        )


class _Destination:
    """One apprise URL: where a card goes, in the format the service takes."""

    def __init__(self, url: str) -> None:
        import apprise

        self.url = url
        self.service = apprise.Apprise.instantiate(url)
        # Named without its secrets (passwords, tokens), as it is recorded and shown.
        self.name = self.service.url(privacy=True) if self.service else url.split("://")[0]

    def send(self, card: SpikeCard, timezone: str, title: str | None = None) -> str | None:
        # The service's own format (some take several, the richest first: e-mail's HTML and
        # text), so that apprise converts nothing.
        formats = getattr(self.service, "notify_format", "text")
        if not isinstance(formats, tuple | list):
            formats = (formats,)
        names = [str(getattr(name, "value", name)) for name in formats]
        kind = next((name for name in names if name in _KINDS), "text")
        body = render_card(card, _KINDS[kind], timezone)
        return self.notify(title or card_title(card), body, kind)

    def notify(self, title: str, body: str, body_format: str) -> str | None:
        """Send; ``None`` when sent, else what went wrong, in a line."""
        import apprise

        if self.service is None:
            return "not a destination apprise can send to"
        sender = apprise.Apprise()
        # A service of its own for each message: apprise spaces out the messages one
        # service object sends (5.5 s for e-mail), and a run sends a few cards, not a flood.
        sender.add(self.url)
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:
            sent = sender.notify(body=body, title=title, body_format=body_format)
        if sent:
            return None
        lines = [line.strip() for line in logs.getvalue().splitlines() if line.strip()]
        return " ".join(lines[-2:])[:500] or "the destination did not accept it"


def _iso(day: str | date) -> str:
    return day.isoformat() if isinstance(day, date) else day
