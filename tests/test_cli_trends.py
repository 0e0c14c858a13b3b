from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from monitor.cli import cli
from monitor.trends import TREND_COLUMNS

from .conftest import SAMPLE

CONFIG = """
timezone = "Europe/Kyiv"
[topics]
ww3 = ["#ww3", "#wwiii", "world war iii", "world war 3"]
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def sample_db(tmp_path) -> tuple[str, str]:
    db, config = str(tmp_path / "m.db"), tmp_path / "monitor.toml"
    config.write_text(CONFIG, encoding="utf-8")
    result = run("ingest", str(SAMPLE), "--db", db, "--config", str(config))
    assert result.output.endswith("; trends updated for 7 days\n")
    return db, str(config)


def test_trends_csv_columns_are_the_trends_table(tmp_path):
    db, config = sample_db(tmp_path)
    result = run("trends", "--db", db, "--config", config, "--topic", "ww3", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == TREND_COLUMNS
    assert [(r["period"], r["key"], r["posts"], r["mean_compound"]) for r in rows] == [
        ("2024-11-18", "ww3", "2", "-0.7547"),
        ("2024-11-19", "ww3", "1", "-0.8979"),
        ("2024-11-20", "ww3", "1", "-0.4404"),
        ("2024-11-21", "ww3", "1", "0.6597"),
    ]


def test_trends_table_json_and_filters(tmp_path):
    db, config = sample_db(tmp_path)
    table = run("trends", "--db", db, "--config", config, "--hashtag", "#ATACMS",
                "--since", "2024-11-18", "--until", "2024-11-20", "--format", "table")  # fmt: skip
    assert table.output.splitlines() == [
        "    period dimension    key  posts  articles  outlets  mean_compound  neg_share spike",
        "2024-11-18   hashtag atacms      2         2        2        -0.3157        0.5      ",
        "2024-11-20   hashtag atacms      1         1        1        -0.4404        1.0      ",
    ]
    weekly = run("trends", "--db", db, "--config", config, "--by", "week", "--format", "json")
    assert [(r["period"], r["granularity"], r["posts"]) for r in json.loads(weekly.output)] == [
        ("2024-11-11", "week", 1),
        ("2024-11-18", "week", 7),
    ]
    outlets = run("trends", "--db", db, "--config", config, "--outlet", "example.org",
                  "--format", "json")  # fmt: skip
    assert [(r["period"], r["posts"]) for r in json.loads(outlets.output)] == [("2024-11-18", 3)]


def test_trends_usage_errors_name_what_is_wrong(tmp_path):
    db, config = sample_db(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    for args, message in [
        (["--config", str(bad)], f"Error: {bad}: timezone: unknown time zone 'Mars/Olympus'"),
        (["--since", "soon"], "Error: since must be a date as YYYY-MM-DD, not 'soon'"),
        (["--by", "month"], "Error: Invalid value for '--by'"),
    ]:
        result = run("trends", "--db", db, *args)
        assert result.exit_code == 2
        assert result.output.splitlines()[-1].startswith(message)
    missing = run("trends", "--db", str(tmp_path / "none.db"), "--config", config)
    assert missing.output.splitlines()[-1] == (
        f"Error: no database at {tmp_path / 'none.db'}: run `monitor ingest` first"
    )


def test_spikes_lists_count_baseline_ratio_and_outlets(tmp_path):
    db = str(tmp_path / "m.db")
    run("ingest", str(SAMPLE), "--db", db)
    assert run("spikes", "--db", db, "--format", "table").output == "No spikes.\n"
    # A burst of reactions to one story, nine days after the sample's first post: twelve
    # posts on one day, from two outlets.
    archive = tmp_path / "burst"
    archive.mkdir()
    for outlet, count in (("example.com", 8), ("example.org", 4)):
        quotes = "".join(
            f'<blockquote class="twitter-tweet"><p lang="en">Alarming news #WW3</p>&mdash; '
            f'U (@u{outlet[8:11]}{n}) <a href="https://twitter.com/u/status/'
            f'{1862828924728246272 + n + (100 if outlet.endswith("org") else 0)}">x</a>'
            "</blockquote>"
            for n in range(count)
        )
        (archive / f"{outlet}.html").write_text(
            f'<html><head><link rel="canonical" href="https://{outlet}/burst"></head>'
            f"<body>{quotes}</body></html>",
            encoding="utf-8",
        )
    run("ingest", str(archive), "--db", db)
    result = run("spikes", "--db", db, "--format", "json")
    burst = {"period": "2024-11-30", "baseline": 1.0, "spike_status": "spike",
             "mean_compound": -0.128}  # fmt: skip
    assert json.loads(result.output) == [
        {
            **burst,
            "dimension": dimension,
            "key": key,
            "posts": 12,
            "ratio": 12.0,
            "spike_score": 9.0801,
            "articles": 2,
            "outlets": 2,
            "driven_by": "example.com (8), example.org (4)",
        }
        for dimension, key in (("all", "all"), ("hashtag", "ww3"), ("platform", "twitter"))
    ] + [
        # example.com's own series spikes too; example.org's four posts are too few.
        {
            **burst,
            "dimension": "outlet",
            "key": "example.com",
            "posts": 8,
            "ratio": 8.0,
            "spike_score": 4.9893,
            "articles": 1,
            "outlets": 1,
            "driven_by": "example.com (8)",
        }
    ]
