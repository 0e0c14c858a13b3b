"""The daily report's files, its safety with hostile post content, its summary's definitions and
the ``monitor report`` command."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from PIL import Image

from monitor import open_db, open_readonly
from monitor.cli import cli
from monitor.config import Config
from monitor.report import build_summary, write_report
from monitor.report.render import markdown_text, md_link, md_quote, web_url
from monitor.report.words import chance

from .conftest import SAMPLE, parse
from .report_data import (
    CONFIG,
    HOSTILE_HANDLE,
    HOSTILE_NAME,
    HOSTILE_TEXT,
    HOSTILE_URL,
    NOW,
    SPIKE_DAY,
    report_db,
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return report_db(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def spike_report(db_path, tmp_path_factory):
    return write_report(db_path, SPIKE_DAY, tmp_path_factory.mktemp("out"), CONFIG, now=NOW)


def test_files_are_the_summary_rendered(db_path, spike_report):
    out = spike_report.html.parent
    assert (spike_report.html, spike_report.markdown, spike_report.json) == (
        out / "2024-11-30.html",
        out / "2024-11-30.md",
        out / "2024-11-30.json",
    )
    assert [path.relative_to(out).as_posix() for path in spike_report.charts] == [
        "2024-11-30/volume.png",
        "2024-11-30/sentiment.png",
    ]
    tables = "volume sentiment headline hashtags-top hashtags-rising topics spikes amplified"
    tables += " negative positive outlets jobs failed-files"
    assert [path.name for path in spike_report.csvs] == [f"{n}.csv" for n in tables.split()]
    with open_readonly(db_path) as db:
        summary = build_summary(db, SPIKE_DAY, CONFIG, now=NOW)
    assert json.loads(spike_report.json.read_text(encoding="utf-8")) == summary
    for chart in spike_report.charts:
        with Image.open(chart) as image:
            assert (image.format, image.size) == ("PNG", (1200, 390))
    # No leftovers of the replace-whole writes.
    assert not list(out.rglob(".*.partial"))


def test_csv_files_hold_each_chart_and_table(spike_report):
    def rows(name: str) -> list[dict[str, str]]:
        [path] = [p for p in spike_report.csvs if p.name == f"{name}.csv"]
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    volume = rows("volume")
    assert (len(volume), volume[0]["day"], volume[-1]) == (
        30,
        "2024-11-01",
        {"day": "2024-11-30", "posts": "13", "articles": "2", "outlets": "2",
         "spike_status": "spike"},
    )  # fmt: skip
    assert rows("spikes")[0]["drivers"] == "example.com (9); example.org (5)"
    assert rows("spikes")[0]["explanation"] == (
        "13 posts against a baseline of 1 a day (the median of the 14 days before, never below "
        "1): 13 times as many. Chance of a count this high on an ordinary day: about 1 in 16 "
        "billion. Embedded by example.com (9), example.org (5)."
    )
    [hostile] = rows("amplified")
    # The CSV carries the stored values, untouched (escaping is the renderer's job), but for
    # a quote before a cell that a spreadsheet would run as a formula.
    assert (hostile["text"], hostile["author_name"], hostile["url"]) == (
        HOSTILE_TEXT,
        "'" + HOSTILE_NAME,
        HOSTILE_URL,
    )
    assert (hostile["outlets"], hostile["first_outlet"], hostile["delay_hours"]) == (
        "example.com example.org",
        "example.org",
        "8.0",
    )
    assert rows("failed-files") == [
        {"path": "/archive/broken.warc.gz", "error": "truncated gzip stream | <b>bad</b>",
         "ingested_at": "2024-12-01T03:00:00+00:00"}
    ]  # fmt: skip


def test_html_is_self_contained_and_shows_hostile_markup_as_text(spike_report):
    html = spike_report.html.read_text(encoding="utf-8")
    page = parse(html)
    assert page.css_first('meta[http-equiv="Content-Security-Policy"]').attributes == {
        "http-equiv": "Content-Security-Policy",
        "content": "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
    }
    assert page.css("script") == []
    handlers = [a for node in page.css("*") for a in node.attributes if a.startswith("on")]
    assert handlers == []
    images = page.css("img")
    assert len(images) == 2
    assert all(img.attributes["src"].startswith("data:image/png;base64,") for img in images)
    assert page.css("link") == [] and "@import" not in html and "url(" not in html
    for anchor in page.css("a"):
        href = anchor.attributes["href"]
        if not href.startswith("#"):
            assert href.startswith("https://twitter.com/")
            assert anchor.attributes["rel"] == "noopener noreferrer"
    # The hostile post, amplified and positive: its text, name and handle are text; its
    # javascript: URL is shown, never linked.
    quotes = [node.text() for node in page.css("blockquote")]
    assert quotes.count(HOSTILE_TEXT) == 2
    names = [node.text() for node in page.css(".post .meta strong")]
    assert names.count(HOSTILE_NAME) == 2
    assert "<script" not in html and HOSTILE_HANDLE not in html and HOSTILE_NAME not in html
    metas = [node.text() for node in page.css(".post .meta")]
    assert sum(f"@{HOSTILE_HANDLE}" in text for text in metas) == 2
    assert [node.text() for node in page.css(".post .meta code")] == [HOSTILE_URL] * 2
    assert "javascript:" not in "".join(a.attributes["href"] for a in page.css("a"))
    assert [node.text() for node in page.css("td.path")] == ["/archive/broken.warc.gz"]


def test_day_without_posts_in_an_empty_database(tmp_path):
    db = open_db(tmp_path / "empty.db")
    files = write_report(db, date(2024, 11, 25), tmp_path / "out", now=NOW)
    db.close()
    page = parse(files.html.read_text(encoding="utf-8"))
    assert page.css_first(".notice").text(strip=True).startswith("No posts were made on 2024-11-25")
    summary = json.loads(files.json.read_text(encoding="utf-8"))
    assert (summary["empty"], summary["scope"]["posts"], summary["topics"]) == (True, 0, [])
    assert [row["posts"] for row in summary["series"]] == [0] * 30
    for chart in files.charts:
        with Image.open(chart) as image:
            assert image.size == (1200, 390)


def test_a_day_is_a_local_day(tmp_path):
    """In Kyiv, a post made at 23:40 UTC on the 17th was made on the 18th."""
    path = tmp_path / "m.db"
    CliRunner().invoke(cli, ["ingest", str(SAMPLE), "--db", str(path)])
    kyiv = Config(timezone="Europe/Kyiv")
    with open_db(path) as db:
        from monitor import refresh_trends

        refresh_trends(db, kyiv)
        summary = build_summary(db, date(2024, 11, 18), kyiv, now=NOW)
    assert (summary["timezone"], summary["scope"]["posts"]) == ("Europe/Kyiv", 3)
    assert [(p["author_handle"], p["local_time"]) for p in summary["negative"]] == [
        ("danamiller_", "2024-11-18 01:40"),
        ("samokafor", "2024-11-18 14:30"),
    ]
    assert summary["series"][-1]["posts"] == 3  # the stored trends agree


def test_caveats_name_what_limits_the_day(db_path):
    with open_readonly(db_path) as db:
        summary = build_summary(db, date(2024, 11, 19), CONFIG, now=NOW)
        stale = build_summary(db, date(2024, 11, 19), Config(timezone="Asia/Tokyo"), now=NOW)
    assert summary["caveats"][3:] == [
        "2 of the day's posts are known only by their date (quoted in plain text without a "
        "link): they count on that date whatever the time zone."
    ]
    assert stale["caveats"][-1] == (
        "The stored trends were computed for days in UTC, not Asia/Tokyo: refresh them "
        "(monitor report does) before reading the charts and tables."
    )


def test_earlier_spikes_are_listed_after_the_spike_day(db_path):
    with open_readonly(db_path) as db:
        summary = build_summary(db, date(2024, 12, 2), None, now=NOW)
    assert summary["spikes"]["day"] == []
    assert [(s["period"], s["dimension"], s["key"]) for s in summary["spikes"]["earlier"]] == [
        ("2024-11-30", "all", "all"),
        ("2024-11-30", "hashtag", "ww3"),
        ("2024-11-30", "outlet", "example.com"),
        ("2024-11-30", "platform", "twitter"),
        ("2024-11-30", "topic", "ww3"),
    ]
    # Without a configuration, the watched topics are those the trends were computed with.
    assert [topic["topic"] for topic in summary["topics"]] == ["atacms", "ww3"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://twitter.com/u/status/1", "https://twitter.com/u/status/1"),
        ("http://example.com/a?b=c", "http://example.com/a?b=c"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//evil.example/x", None),
        ("https:///nohost", None),
        ("https://example.com/a b", None),
        ("https://example.com/\x00", None),
        (None, None),
    ],
)
def test_only_web_urls_become_links(url, expected):
    assert web_url(url) == expected


def test_markdown_shows_text_as_text():
    assert markdown_text("*a* _b_ `c` [d](e) <i>f</i> | &amp; & x~y\\") == (
        r"\*a\* \_b\_ \`c\` \[d\](e) \<i\>f\</i\> \| &amp;amp; & x\~y\\"
    )
    assert md_link("https://example.com/a_(b)<c>", "view [post]") == (
        "[view \\[post\\]](https://example.com/a_%28b%29%3Cc%3E)"
    )
    assert md_link("javascript:alert(1)", "view post") == "javascript:alert(1)"
    assert md_quote("# Not a heading\n1. not a list\n- nor this\n#WW3 stays", 3) == (
        "   > \\# Not a heading\n   > 1\\. not a list\n   > \\- nor this\n   > #WW3 stays"
    )


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (1.5, "about 1 in 32"),
        (5.95, "about 1 in 890,000"),
        (9.0801, "about 1 in 1.2 billion"),
        (10.2, "about 1 in 16 billion"),
        (99.0, "less than 1 in a trillion"),
    ],
)
def test_spike_chances_read_as_odds(score, expected):
    assert chance(score) == expected


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_report_command_refreshes_trends_and_writes_the_files(tmp_path):
    db = str(tmp_path / "m.db")
    run("ingest", str(SAMPLE), "--db", db)
    config = tmp_path / "monitor.toml"
    config.write_text('reports = "daily"\n[topics]\nww3 = ["#ww3"]\n', encoding="utf-8")
    result = run("report", "--db", db, "--config", str(config), "--date", "2024-11-18")
    daily = tmp_path / "daily"
    assert result.output == (
        f"Report for 2024-11-18: {daily / '2024-11-18.html'} and {daily / '2024-11-18.md'} "
        f"(2024-11-18.json, charts and CSV files in {daily / '2024-11-18'})\n"
    )
    summary = json.loads((daily / "2024-11-18.json").read_text(encoding="utf-8"))
    # The topic was configured after the ingest: the command refreshed the trends first.
    assert [(t["topic"], t["posts"]) for t in summary["topics"]] == [("ww3", 1)]


def test_report_command_defaults_to_yesterday_and_the_reports_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "m.db")
    run("ingest", str(SAMPLE), "--db", db)
    yesterday = datetime.now(ZoneInfo("UTC")).date() - timedelta(days=1)
    result = run("report", "--db", db)
    assert result.output.startswith(f"Report for {yesterday}: reports/{yesterday}.html and ")
    assert json.loads((tmp_path / "reports" / f"{yesterday}.json").read_text())["empty"] is True


def test_report_command_usage_errors(tmp_path):
    missing = run("report", "--db", str(tmp_path / "none.db"), "--date", "2024-11-18")
    assert (missing.exit_code, missing.output.splitlines()[-1]) == (
        2,
        f"Error: no database at {tmp_path / 'none.db'}: run `monitor ingest` first",
    )
    db = str(tmp_path / "m.db")
    run("ingest", str(SAMPLE), "--db", db)
    bad = run("report", "--db", db, "--date", "yesterday")
    assert (bad.exit_code, bad.output.splitlines()[-1]) == (
        2,
        "Error: date must be a date as YYYY-MM-DD, not 'yesterday'",
    )


def test_demo_ends_with_the_report_of_the_latest_day(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("demo", "--db", "m.db", "--out", "out")
    assert result.output.splitlines()[-1] == "Daily report for 2024-11-21: out/2024-11-21.html"
    assert (tmp_path / "out" / "2024-11-21.md").exists()
