"""``monitor files``: what was read and how each file went; the failed ones listed, and read
again on request. And the usage errors that once returned nothing in silence."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from monitor.cli import cli

from .conftest import SAMPLE


def run(*args: str):
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def archive_with_a_bad_file(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", archive / "good.html")
    (archive / "junk.html").write_bytes(b"\x00\x01binary")
    return archive


def test_files_lists_what_was_read_and_the_failures(tmp_path):
    archive = archive_with_a_bad_file(tmp_path)
    db = tmp_path / "m.db"
    assert run("ingest", archive, "--db", db).exit_code == 1
    listed = run("files", "--db", db, "--format", "json")
    rows = [
        {key: value for key, value in row.items() if key != "ingested_at"}
        for row in json.loads(listed.output)
    ]
    real = archive.resolve()
    assert rows == [
        {"path": f"{real}/good.html", "status": "done", "documents": 1, "posts": 2,
         "error": None},
        {"path": f"{real}/junk.html", "status": "failed", "documents": 0, "posts": 0,
         "error": "not text: binary content (NUL bytes)"},
    ]  # fmt: skip
    table = run("files", "--db", db, "--failed", "--format", "table").output.splitlines()
    assert table[0].split() == ["status", "documents", "posts", "ingested_at", "path", "error"]
    assert len(table) == 2
    assert table[1].startswith("failed  0          0      ")
    assert table[1].endswith(f"{real}/junk.html  not text: binary content (NUL bytes)")


def test_a_bad_file_fails_one_run_and_is_retried_on_request(tmp_path):
    archive = archive_with_a_bad_file(tmp_path)
    db = tmp_path / "m.db"
    assert run("ingest", archive, "--db", db).exit_code == 1
    again = run("ingest", archive, "--db", db)
    assert (again.exit_code, again.output) == (
        0,
        "2 archive files: 0 read, 1 unchanged, 0 failed; 0 documents, 0 embedded posts "
        "(0 new posts, 0 new articles); 1 file that failed before, unchanged since, not read "
        "again (monitor files --failed); trends updated for 0 days\n",
    )
    retried = run("files", "--db", db, "--retry", "--format", "csv")
    assert retried.exit_code == 1
    assert retried.stdout.splitlines()[0] == (
        "1 archive file: 1 read, 0 unchanged, 1 failed; 0 documents, 0 embedded posts "
        "(0 new posts, 0 new articles); trends updated for 0 days"
    )
    assert retried.stdout.splitlines()[1] == "path,status,documents,posts,error,ingested_at"
    # Fixed in place: read by --retry, and nothing is left failing.
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", archive / "junk.html")
    fixed = run("ingest", archive, "--db", db, "--retry-failed")
    assert fixed.exit_code == 0
    assert run("files", "--db", db, "--failed", "--format", "table").output == (
        "No archive files match.\n"
    )
    assert run("files", "--db", db, "--retry").output == "No failed files to read again.\n"


def test_usage_errors_that_used_to_return_nothing(tmp_path):
    db = tmp_path / "m.db"
    run("ingest", SAMPLE, "--db", db)
    backwards = run("trends", "--db", db, "--since", "2024-11-20", "--until", "2024-11-01")
    assert (backwards.exit_code, backwards.output.splitlines()[-1]) == (
        2,
        "Error: --since 2024-11-20 is after --until 2024-11-01: nothing can match",
    )
    unknown = run("trends", "--db", db, "--topic", "ww3")
    assert (unknown.exit_code, unknown.output.splitlines()[-1]) == (
        2,
        "Error: no topic named 'ww3' in the configuration; configured topics: none (add them "
        "under [topics])",
    )
    config = tmp_path / "monitor.toml"
    config.write_text('[topics]\natacms = ["#atacms"]\n', encoding="utf-8")
    unknown = run("trends", "--db", db, "--topic", "ww3", "--config", config)
    assert unknown.output.splitlines()[-1] == (
        "Error: no topic named 'ww3' in the configuration; configured topics: atacms"
    )
    spikes = run("spikes", "--db", db, "--since", "2024-12-01", "--until", "2024-11-01")
    assert spikes.exit_code == 2
