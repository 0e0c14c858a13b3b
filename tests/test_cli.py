from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from monitor.cli import cli

from .conftest import SAMPLE


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_prints_a_summary_and_exits_0(tmp_path):
    result = run("ingest", str(SAMPLE), "--db", str(tmp_path / "m.db"))
    assert result.exit_code == 0
    assert result.output == (
        "5 archive files: 5 read, 0 unchanged, 0 failed; 6 documents, 12 embedded posts "
        "(8 new posts, 6 new articles); trends updated for 5 days\n"
    )
    again = run("ingest", str(SAMPLE), "--db", str(tmp_path / "m.db"))
    assert again.output == (
        "5 archive files: 0 read, 5 unchanged, 0 failed; 0 documents, 0 embedded posts "
        "(0 new posts, 0 new articles); trends updated for 0 days\n"
    )


def test_db_defaults_to_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "from-env.db"))
    assert run("ingest", str(SAMPLE / "2024-11-19-escalation.txt")).exit_code == 0
    assert (tmp_path / "from-env.db").exists()


def test_unreadable_input_is_printed_and_exits_1(tmp_path):
    shutil.copy(SAMPLE / "2024-11-19-escalation.txt", tmp_path / "good.txt")
    (tmp_path / "junk.html").write_bytes(b"\x00\x00\x00\x00")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 1
    assert result.stdout == (
        "2 archive files: 2 read, 0 unchanged, 1 failed; 1 document, 2 embedded posts "
        "(2 new posts, 1 new article); trends updated for 1 day\n"
    )
    assert result.stderr == (
        f"failed: {tmp_path / 'junk.html'}: not text: binary content (NUL bytes)\n"
    )


def test_missing_path_is_a_usage_error(tmp_path):
    result = run("ingest", str(tmp_path / "nothing-here"), "--db", str(tmp_path / "m.db"))
    assert result.exit_code == 2
    assert "nothing-here" in result.output


def test_posts_as_csv_has_the_stored_values(tmp_path):
    db = str(tmp_path / "m.db")
    run("ingest", str(SAMPLE), "--db", db)
    result = run("posts", "--db", db, "--hashtag", "#StopTheWar", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [{k: v for k, v in row.items() if k != "first_seen_at"} for row in rows] == [
        {
            "id": "twitter:hd52c513fcc384761",
            "platform": "twitter",
            "post_id": "",
            "url": "",
            "author_name": "Mark T.",
            "author_handle": "markt_1979",
            "posted_at": "2024-11-19",
            "lang": "en",
            "lang_hint": "",
            "text": "Reckless and dangerous escalation. Our leaders are gambling with millions "
            "of lives. #WW3 #StopTheWar",
            "compound": "-0.8979",
            "pos": "0.0",
            "neu": "0.502",
            "neg": "0.498",
            "scorer": rows[0]["scorer"],
            "has_media": "0",
            "is_reply": "0",
            "hashtags": "stopthewar ww3",
            "articles": "1",
            "outlets": "0",
        }
    ]


def test_posts_filters_and_json(tmp_path):
    db = str(tmp_path / "m.db")
    run("ingest", str(SAMPLE), "--db", db)

    def ids(*args: str) -> list[str]:
        result = run("posts", "--db", db, "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return [row["author_handle"] for row in json.loads(result.output)]

    assert ids("--hashtag", "WW3", "--since", "2024-11-19", "--until", "2024-11-20") == [
        "newsroomdesk",
        "markt_1979",
    ]
    assert ids("--search", "refugees OR terrifying") == ["lena_and_co", "danamiller_"]
    assert ids("--platform", "twitter", "--limit", "2") == ["jopark", "newsroomdesk"]
    assert ids("--platform", "bluesky") == []


def test_posts_table_and_empty_result(tmp_path):
    db = str(tmp_path / "m.db")
    run("ingest", str(SAMPLE), "--db", db)
    result = run("posts", "--db", db, "--hashtag", "nuclearwar", "--format", "table")
    assert result.output.splitlines() == [
        "       posted_at platform       author  compound  articles"
        "                                                         text",
        "2024-11-17 23:40  twitter @danamiller_     -0.91         2"
        " Did we just take a step closer to World War III? This is te…",
    ]
    nothing = run("posts", "--db", db, "--hashtag", "nope", "--format", "table")
    assert nothing.output == "No posts match.\n"


def test_posts_usage_errors(tmp_path):
    db = str(tmp_path / "m.db")
    missing = run("posts", "--db", db)
    assert (missing.exit_code, missing.output.splitlines()[-1]) == (
        2,
        f"Error: no database at {db}: run `monitor ingest` first",
    )
    run("ingest", str(SAMPLE), "--db", db)
    for args, message in [
        (["--since", "2024-13-01"], "Error: since must be a date as YYYY-MM-DD, not '2024-13-01'"),
        (["--search", '"open'],
         "Error: --search: invalid search query '\"open': unterminated string"),
        (["--since", "2024-11-20", "--until", "2024-11-19"],
         "Error: --since 2024-11-20 is after --until 2024-11-19: nothing can match"),
        (["--limit", "99999999999999999999999"], "Error: Invalid value for '--limit'"),
        (["--platform", "myspace"], "Error: Invalid value for '--platform'"),
    ]:  # fmt: skip
        result = run("posts", "--db", db, *args)
        assert result.exit_code == 2
        assert result.output.splitlines()[-1].startswith(message)


def test_demo_ingests_the_sample_into_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("MONITOR_DB")
    monkeypatch.chdir(tmp_path)
    result = run("demo")
    assert result.exit_code == 0
    assert (tmp_path / "monitor.db").exists()
    assert result.output.splitlines()[:3] == [
        "5 archive files: 5 read, 0 unchanged, 0 failed; 6 documents, 12 embedded posts "
        "(8 new posts, 6 new articles); trends updated for 5 days",
        "",
        "Reactions per day in monitor.db (UTC):",
    ]


def test_python_dash_m_runs_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--help"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("Usage: monitor [OPTIONS] COMMAND [ARGS]...")


def modules_a_command_loads(arguments: list[str], modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a ``monitor`` command run in a fresh process loads."""
    program = (
        "import json, sys\n"
        "from monitor.entry import main\n"
        f"sys.argv = ['monitor', *{arguments!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as end:\n"
        "    assert end.code == 0, end.code\n"
        f"print(json.dumps(sorted(set({modules!r}) & set(sys.modules))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


# What each kind of command does not need, and would cost its every start: pandas (a third
# of a second, through sqlite-utils), the ingest's parsers and models, the report's
# templates and charts, the reading commands' cards and explanations.
NOT_FOR_AN_INGEST = ("pandas", "monitor.cli_reads", "monitor.cards", "jinja2", "matplotlib")
NOT_FOR_A_LISTING = ("pandas", "monitor.pipeline", "monitor.embeds", "warcio", "jinja2")


def test_an_ingest_does_not_import_what_only_other_commands_need(tmp_path):
    ingest = ["ingest", "--db", str(tmp_path / "m.db"), str(SAMPLE)]
    assert modules_a_command_loads(ingest, NOT_FOR_AN_INGEST) == []


def test_a_listing_does_not_import_the_ingest_nor_the_report(tmp_path):
    db = str(tmp_path / "m.db")
    run("ingest", str(SAMPLE), "--db", db)
    for command in ("trends", "spikes", "posts"):
        listing = [command, "--db", db, "--format", "csv"]
        assert modules_a_command_loads(listing, NOT_FOR_A_LISTING) == [], command


def test_ingest_reads_the_paths_a_listing_names(tmp_path):
    listing = tmp_path / "paths.txt.gz"
    listing.write_bytes(
        gzip.compress(b"# the sample, twice over\n2024-11-17-strikes-cleared.html\n\n"
                      b"2024-11-18-reactions.html.gz\n")
    )  # fmt: skip
    runner = CliRunner()
    listed = runner.invoke(
        cli,
        ["ingest", "--db", str(tmp_path / "a.db"), "--paths-from", str(listing),
         "--base", str(SAMPLE)],
    )  # fmt: skip
    named = runner.invoke(
        cli,
        ["ingest", "--db", str(tmp_path / "b.db"), str(SAMPLE / "2024-11-17-strikes-cleared.html"),
         str(SAMPLE / "2024-11-18-reactions.html.gz")],
    )  # fmt: skip
    assert (listed.exit_code, named.exit_code) == (0, 0)
    assert listed.output.splitlines()[0] == named.output.splitlines()[0]
    assert listed.output.startswith("2 archive files: 2 read, 0 unchanged, 0 failed;")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Error: no archive paths: give some, or --paths-from FILE"),
        (["--base", "x", "a.html"], "Error: --base goes with --paths-from"),
        (["--paths-from", "nothere.txt"], "Error: --paths-from: [Errno 2] No such file or "
         "directory: 'nothere.txt'"),
    ],
)  # fmt: skip
def test_ingest_without_paths_or_a_listing_is_a_usage_error(tmp_path, arguments, message):
    result = CliRunner().invoke(cli, ["ingest", "--db", str(tmp_path / "m.db"), *arguments])
    assert (result.exit_code, result.output.splitlines()[-1]) == (2, message)
    assert not (tmp_path / "m.db").exists()


def test_ingest_on_a_terminal_shows_files_articles_rate_and_workers(tmp_path):
    """On a real pseudo-terminal: the progress bar counts files, and beside it the articles
    read so far, their rate and the workers; the summary goes to standard output."""
    import os
    import pty

    controller, terminal = pty.openpty()
    run = subprocess.Popen(
        [sys.executable, "-m", "monitor", "ingest", "--db", str(tmp_path / "m.db"),
         "--workers", "2", str(SAMPLE)],
        stdin=terminal, stdout=subprocess.PIPE, stderr=terminal, text=True,
    )  # fmt: skip
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert run.wait(timeout=60) == 0
    final = shown.decode().replace("\r\n", "\r").split("\r")[-2]
    assert re.search(r"Reading archives  \[#+\]  100%  6 articles, [0-9,]+/s, 2 workers", final)
    assert run.stdout.read().startswith("5 archive files: 5 read, 0 unchanged")
