"""Spike alerts delivered for real on the loopback interface: an SMTP server (aiosmtpd) taking
the e-mail card and an HTTP server taking the JSON webhook's; once per spike and destination,
never again on a rerun or a restart, late to a destination that was down, hostile post text
arriving as text."""

from __future__ import annotations

import dataclasses
import email
import json
import re
import shutil
import socket
import threading
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from jobs import Jobs
from monitor import ingest, open_db, refresh_trends
from monitor.alerts import check_alerts
from monitor.cards import render_card
from monitor.cli import cli
from monitor.config import Alerts, ConfigError, parse_config
from monitor.explain import explain_spike

from .conftest import ROOT, SAMPLE
from .report_data import CONFIG, HOSTILE_TEXT, SPIKE_DAY, report_db, write_burst

pytest.importorskip("apprise", reason="the alerts extra is not installed")
smtp = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")

NOW = datetime(2024, 12, 1, 7, 0, tzinfo=UTC)
SERIES = [("all", "all"), ("hashtag", "ww3"), ("topic", "ww3")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An SMTP server on the loopback interface, keeping every message it takes."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = free_port()
        self.controller = smtp.Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=monitor@example.org&to=desk@example.org"


class Webhook:
    """An HTTP server on the loopback interface taking JSON posts (started when asked)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.port = free_port()
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"


@pytest.fixture
def mailbox():
    box = Mailbox()
    box.controller.start()
    yield box
    box.controller.stop()


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.stop()


@pytest.fixture(scope="module")
def spiked_db(tmp_path_factory):
    """The report's test database, built once: each test takes a copy (see spiked)."""
    return report_db(tmp_path_factory.mktemp("spiked"))


@pytest.fixture
def spiked(spiked_db):
    def copy(folder):
        shutil.copy(spiked_db, folder / "report.db")
        return folder / "report.db"

    return copy


def configured(*urls: str, **settings) -> object:
    # The whole month may alert: the test's "now" is the morning after the spike.
    return dataclasses.replace(CONFIG, alerts=Alerts(urls=urls, max_age_days=30, **settings))


def titles(webhook: Webhook) -> list[str]:
    return [message["title"] for message in webhook.received]


def test_a_month_with_a_spike_alerts_once_per_series_and_destination(
    tmp_path, spiked, mailbox, webhook
):
    webhook.start()
    db = open_db(spiked(tmp_path))
    config = configured(mailbox.url, webhook.url)
    run = check_alerts(db, config, now=NOW)
    expected = [
        "Spike: all posts on 2024-11-30 (13 posts, 13× baseline)",
        "Spike: hashtag #ww3 on 2024-11-30 (12 posts, 12× baseline)",
        "Spike: topic ww3 on 2024-11-30 (12 posts, 12× baseline)",
    ]
    assert titles(webhook) == expected
    assert [message["Subject"] for message in mailbox.messages] == expected
    assert (len(run.sent), run.failed) == (6, [])
    # A rerun, and a restart (a new connection, as a new process has), send nothing more.
    assert check_alerts(db, config, now=NOW + timedelta(hours=1)).sent == []
    db.close()
    again = open_db(tmp_path / "report.db")
    assert check_alerts(again, config, days=["2024-11-30"], now=NOW + timedelta(days=1)).sent == []
    assert (len(webhook.received), len(mailbox.messages)) == (3, 3)
    rows = list(again.query("SELECT day, dimension, key, status, result, attempts FROM alerts"))
    assert sorted((r["dimension"], r["key"], r["result"], r["attempts"]) for r in rows) == sorted(
        (dimension, key, "sent", 1) for dimension, key in SERIES for _ in range(2)
    )


def test_the_card_says_what_spiked_against_what_and_what_drove_it(tmp_path, spiked, webhook):
    webhook.start()
    db = open_db(spiked(tmp_path))
    check_alerts(db, configured(webhook.url, dimensions=("hashtag",)), now=NOW)
    (message,) = webhook.received
    assert message["type"] == "info"
    assert message["message"] == (
        "Spike: hashtag #ww3 on 2024-11-30\n"
        "12 posts against a baseline of 1 a day (the median of the 14 days before, never below"
        " 1): 12 times as many. Chance of a count this high on an ordinary day: about 1 in 1.2"
        " billion.\n"
        "Sentiment: mean −0.47 against −0.44 on the days before; negative 100% of posts against"
        " 80%.\n"
        "Embedded in 2 articles by 2 outlets: example.com (67% of the embeds, 8 posts),"
        " example.org (33% of the embeds, 4 posts).\n"
        "Most of it comes from one outlet: example.com.\n"
        "\n"
        "Top posts (most embedded first):\n"
        + "".join(
            f"{n + 1}. User {n} (@ucom{n}) on twitter, 2024-11-30 12:00 UTC, in 1 article:\n"
            f'   "{text}"\n'
            f"   https://twitter.com/u/status/{1862828924728246272 + n}\n"
            for n, text in enumerate(
                (
                    "Alarming news tonight. #WW3",
                    "This is terrifying, I can't sleep #WW3",
                    "Stay calm: nobody wants a wider war #WW3",
                    "Markets are falling on war fears #WW3",
                    "Alarming news tonight. #WW3",
                )
            )
        )
        + "\n"
        "Report: reports/2024-11-30.html"  # apprise trims the body's last newline
    )


def test_hostile_post_text_arrives_as_text_in_every_body(tmp_path, spiked, mailbox):
    db = open_db(spiked(tmp_path))
    check_alerts(db, configured(mailbox.url, dimensions=("all",)), now=NOW)
    (message,) = mailbox.messages
    html = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/html"
    )
    assert "<script" not in html and "onerror=" not in html.replace("onerror=&#34;", "")
    assert "&lt;script&gt;window.__ran = 1&lt;/script&gt;" in html
    assert "javascript:" not in html.split("&lt;")[0] and 'href="javascript' not in html
    card = explain_spike(db, SPIKE_DAY, "all", "all", CONFIG)
    markdown = render_card(card, "md")
    assert "\\[click\\](javascript:alert(1))" in markdown  # shown, not a link
    assert "](javascript" not in markdown.replace("\\](javascript", "")
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    text = render_card(card, "txt")
    assert " ".join(HOSTILE_TEXT.split()) in text  # plain text is the text itself
    assert "javascript:alert(document.domain)" not in text  # a script address is no link


def test_a_destination_that_is_down_gets_the_alert_on_a_later_run(tmp_path, spiked, webhook):
    db = open_db(spiked(tmp_path))
    config = configured(webhook.url, dimensions=("topic",))
    first = check_alerts(db, config, now=NOW)  # nothing listens yet
    assert (first.sent, len(first.failed)) == ([], 1)
    assert first.failed[0][5].startswith("A Connection error occurred sending JSON notification")
    webhook.start()
    too_soon = check_alerts(db, config, days=[], now=NOW + timedelta(minutes=4))
    assert (too_soon.sent, too_soon.failed, webhook.received) == ([], [], [])
    later = check_alerts(db, config, days=[], now=NOW + timedelta(minutes=6))
    assert (len(later.sent), later.failed) == (1, [])
    assert titles(webhook) == ["Spike: topic ww3 on 2024-11-30 (12 posts, 12× baseline)"]
    (row,) = db.query("SELECT result, attempts, next_try_at FROM alerts")
    assert row == {"result": "sent", "attempts": 2, "next_try_at": None}


def test_a_destination_down_for_days_is_given_up(tmp_path, spiked):
    db = open_db(spiked(tmp_path))
    config = configured(f"json://127.0.0.1:{free_port()}/hook", dimensions=("topic",))
    check_alerts(db, config, now=NOW)
    waits = []
    when = NOW
    for _ in range(20):
        (row,) = db.query("SELECT result, next_try_at FROM alerts")
        if row["result"] == "gave-up":
            break
        waits.append(datetime.fromisoformat(row["next_try_at"]) - when)
        when = datetime.fromisoformat(row["next_try_at"])
        check_alerts(db, config, days=[], now=when)
    assert waits[:4] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert max(waits) == timedelta(hours=6)
    assert row["result"] == "gave-up" and when - NOW >= timedelta(days=3)


def test_only_the_configured_statuses_dimensions_and_sizes_alert(tmp_path, spiked, webhook):
    webhook.start()
    db = open_db(spiked(tmp_path))
    check_alerts(db, configured(webhook.url, dimensions=("outlet", "platform")), now=NOW)
    assert titles(webhook) == [
        "Spike: outlet example.com on 2024-11-30 (9 posts, 9× baseline)",
        "Spike: platform twitter on 2024-11-30 (13 posts, 13× baseline)",
    ]
    webhook.received.clear()
    check_alerts(db, configured(webhook.url, min_posts=14), now=NOW + timedelta(days=1))
    check_alerts(db, configured(webhook.url, on=("new",)), now=NOW + timedelta(days=1))
    assert webhook.received == []
    # Days older than max_age_days (a backfill's) never alert.
    old = dataclasses.replace(CONFIG, alerts=Alerts(urls=(webhook.url,), max_age_days=2))
    assert check_alerts(db, old, now=NOW + timedelta(days=3)).sent == []


def test_alert_settings_are_checked_and_errors_name_the_key():
    settings = parse_config(
        {"alerts": {"urls": ["json://127.0.0.1:8080/hook"], "on": ["spike"], "min_posts": 3}}
    ).alerts
    assert settings == Alerts(("json://127.0.0.1:8080/hook",), ("spike",), min_posts=3)
    for table, message in (
        ({"urls": ["nonsense://x"]}, "alerts.urls[0]: not a destination apprise can send to"),
        ({"on": ["spike", "dip"]}, "alerts.on[1]: expected one of spike, new, got 'dip'"),
        ({"dimensions": ["tag"]}, "alerts.dimensions[0]: expected one of all, topic,"),
        ({"min_posts": 0}, "alerts.min_posts: must be at least 1, got 0"),
        ({"url": []}, "alerts.url: unknown key (expected one of: dimensions, max_age_days,"),
    ):
        with pytest.raises(ConfigError, match="^" + re.escape(message)):
            parse_config({"alerts": table})


def test_the_jobs_deliver_a_spike_once(tmp_path, mailbox, webhook):
    """The scheduled jobs on an archive where a spike arrives: one card to the webhook and
    one e-mail; the next runs, and a restart, deliver nothing new."""
    webhook.start()
    archive = tmp_path / "archive"
    shutil.copytree(SAMPLE, archive)
    config = dataclasses.replace(
        CONFIG,
        archives=(str(archive),),
        db=tmp_path / "m.db",
        reports=tmp_path / "reports",
        alerts=Alerts(urls=(mailbox.url, webhook.url), dimensions=("hashtag",),
                      max_age_days=100_000),  # the spike is of 2024
    )  # fmt: skip
    jobs = Jobs(config, tmp_path / "m.db")
    jobs.ingest()
    assert jobs.trends()["alerts"] == {"sent": 0, "failed": []}
    write_burst(archive / "burst")  # the burst arrives
    jobs.ingest()
    assert jobs.trends()["alerts"] == {"sent": 2, "failed": []}
    assert titles(webhook) == ["Spike: hashtag #ww3 on 2024-11-30 (12 posts, 12× baseline)"]
    assert [message["Subject"] for message in mailbox.messages] == titles(webhook)
    jobs.ingest()
    assert jobs.trends()["alerts"] == {"sent": 0, "failed": []}
    again = Jobs(config, tmp_path / "m.db")
    again.ingest()
    assert again.trends()["alerts"] == {"sent": 0, "failed": []}
    assert (len(webhook.received), len(mailbox.messages)) == (1, 1)


def test_the_alerts_commands(tmp_path, spiked, webhook):
    webhook.start()
    db_path = spiked(tmp_path)
    toml = tmp_path / "monitor.toml"
    toml.write_text(
        f'[alerts]\nurls = ["{webhook.url}", "json://127.0.0.1:{free_port()}/down"]\n'
        'dimensions = ["topic"]\nmax_age_days = 100000\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    test = runner.invoke(cli, ["alerts", "test", "--config", str(toml), "--db", str(db_path)])
    assert test.exit_code == 1
    lines = test.output.splitlines()
    assert lines[0].startswith(f"sent: json://127.0.0.1:{webhook.port}/hook")
    assert lines[1].startswith("failed: json://127.0.0.1:") and "Connection error" in lines[1]
    assert titles(webhook) == ["Test: Spike: all posts on 2024-11-30 (13 posts, 13× baseline)"]
    assert webhook.received[0]["message"].startswith("Spike: all posts on 2024-11-30\n13 posts")
    webhook.received.clear()
    runner.invoke(cli, ["alerts", "test", "--config", str(toml), "--db", str(tmp_path / "no.db")])
    assert titles(webhook) == ["Test from the reaction monitor"]  # no database: a line
    check = runner.invoke(cli, ["alerts", "check", "--db", str(db_path), "--config", str(toml)])
    assert check.exit_code == 1  # one destination failed
    assert check.output.splitlines()[0] == "1 alerts sent, 1 failed (tried again later)"
    listed = runner.invoke(cli, ["alerts", "--db", str(db_path), "--format", "json"])
    rows = json.loads(listed.output)
    assert sorted((row["key"], row["result"], row["attempts"]) for row in rows) == [
        ("ww3", "failed", 1),
        ("ww3", "sent", 1),
    ]
    explained = runner.invoke(
        cli, ["spikes", "--db", str(db_path), "--since", "2024-11-30", "--explain"]
    )
    assert explained.output.count("Spike: ") == 4  # no topics in this configuration
    assert "Spike: hashtag #ww3 on 2024-11-30\n12 posts against a baseline of 1 a day" in (
        explained.output
    )
    as_data = runner.invoke(cli, ["spikes", "--db", str(db_path), "--explain", "--format", "json"])
    cards = json.loads(as_data.output)
    assert [(c["dimension"], c["key"], c["posts"], c["articles"]) for c in cards] == [
        ("all", "all", 13, 2),  # the most surprising first, as monitor spikes lists them
        ("platform", "twitter", 13, 2),
        ("hashtag", "ww3", 12, 2),
        ("outlet", "example.com", 9, 1),
    ]


def test_the_report_shows_alerts_delivered_and_not(tmp_path, spiked, webhook):
    from monitor.report import write_report

    webhook.start()
    path = spiked(tmp_path)
    db = open_db(path)
    down = f"json://user:secret@127.0.0.1:{free_port()}/down"
    check_alerts(db, configured(webhook.url, down, dimensions=("topic",)), now=NOW)
    db.close()
    files = write_report(path, SPIKE_DAY, tmp_path / "reports", CONFIG, now=NOW)
    markdown = files.markdown.read_text(encoding="utf-8")
    section = markdown[markdown.index("### Alerts") : markdown.index("## Caveats")]
    assert section.splitlines()[:6] == [
        "### Alerts",
        "",
        "1 delivered, 1 not:",
        "",
        "| Day | Series | Destination | Result | Tries | Error |",
        "|---|---|---|---|---:|---|",
    ]
    row = section.splitlines()[6]
    assert row.startswith("| 2024-11-30 | topic ww3 | json://user:\\*\\*\\*\\*@127.0.0.1:")
    assert "secret" not in markdown  # a destination's password is never shown
    assert "| failed | 1 | A Connection error occurred" in row
    assert "<h3>Alerts</h3>" in files.html.read_text(encoding="utf-8")


def test_the_readme_shows_a_real_card(tmp_path, spiked):
    readme = (ROOT / "docs" / "alerts.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(Spike: topic ww3 on 2024-11-30\n.*?)```", readme, re.DOTALL)
    db = open_db(spiked(tmp_path))
    card = explain_spike(db, SPIKE_DAY, "topic", "ww3", CONFIG)
    assert shown is not None and shown.group(1) == render_card(card, "txt")


def test_a_day_in_progress_that_already_spikes_alerts_before_midnight(tmp_path, spiked, webhook):
    webhook.start()
    db = open_db(spiked(tmp_path))
    evening = datetime(2024, 11, 30, 21, 0, tzinfo=UTC)  # the burst was published at 20:00
    settings = Alerts(urls=(webhook.url,), dimensions=("hashtag",), max_age_days=1)
    run = check_alerts(db, dataclasses.replace(CONFIG, alerts=settings), now=evening)
    assert [item[:4] for item in run.sent] == [("2024-11-30", "hashtag", "ww3", "spike")]
    # The day goes on and the count grows: the spike has had its alert.
    settings = dataclasses.replace(settings, max_age_days=2)  # yesterday is considered too
    later = check_alerts(db, dataclasses.replace(CONFIG, alerts=settings), now=NOW)
    assert later.sent == [] and len(webhook.received) == 1


def test_a_new_keys_first_burst_alerts_as_new(tmp_path, webhook):
    """A hashtag first seen on the day of its burst has no baseline: its card says new, and
    it alerts only where "new" is asked for."""
    webhook.start()
    db = open_db(tmp_path / "m.db")
    ingest([str(write_burst(tmp_path / "burst"))], db)
    refresh_trends(db, CONFIG)
    card = explain_spike(db, SPIKE_DAY, "hashtag", "ww3", CONFIG)
    assert (card.status, card.posts, card.baseline_mean_compound) == ("new", 12, None)
    assert render_card(card, "txt").splitlines()[:3] == [
        "New: hashtag #ww3 on 2024-11-30",
        "12 posts, 12 times the baseline of 1 a day (the median of the 14 days before, never"
        " below 1); first seen less than 7 days before, too new for a baseline, so flagged as"
        " new, not as a spike.",
        "Sentiment: mean −0.47; negative 100% of posts (no posts on the days before to compare"
        " with).",
    ]
    spikes_only = configured(webhook.url, dimensions=("hashtag",), on=("spike",))
    assert check_alerts(db, spikes_only, now=NOW).sent == []
    check_alerts(db, configured(webhook.url, dimensions=("hashtag",), on=("new",)), now=NOW)
    assert titles(webhook) == ["New: hashtag #ww3 on 2024-11-30 (12 posts, 12× baseline)"]
