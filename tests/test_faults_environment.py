"""The machine gets in the way: read-only mounts, a full disk, a file that is not a database,
an output folder that cannot be written. Each ends in one line and its own exit status, never
a traceback, and loses nothing; read commands work on a read-only database.

Real file systems: tmpfs mounts (a size limit makes a real full disk; ``remount,ro`` a real
read-only one). They need root, as CI and the development machines have; elsewhere the tests
skip and say why.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import open_db
from monitor.cli import cli
from monitor.exits import CANNOT_WRITE, UNREADABLE_INPUT, USAGE

from .conftest import SAMPLE
from .test_pipeline_workers import whole_tables


class Mount:
    """A tmpfs file system mounted at ``path``, unmounted at the end of the test."""

    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        path.mkdir()
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            text=True,
        )
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")

    def remount(self, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.path)], check=True)

    def unmount(self) -> None:
        subprocess.run(["umount", str(self.path)], check=True)


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[callable]:
    mounts: list[Mount] = []

    def make(name: str, size: str = "20m") -> Mount:
        mounts.append(Mount(tmp_path / name, size))
        return mounts[-1]

    yield make
    for mounted in mounts:
        mounted.unmount()


def monitor(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_database_in_a_read_only_folder(mount):
    readonly = mount("ro")
    readonly.remount("ro")
    db = readonly.path / "m.db"
    run = monitor("ingest", SAMPLE, "--db", db)
    assert (run.returncode, run.stdout) == (CANNOT_WRITE, "")
    assert run.stderr == (
        f"Error: cannot open the database {db}: its folder {readonly.path} is not writable "
        "(SQLite writes its journal beside it)\n"
    )
    # A database folder that cannot be created says which and why.
    deeper = readonly.path / "sub" / "m.db"
    run = monitor("ingest", SAMPLE, "--db", deeper)
    assert (run.returncode, run.stderr) == (
        CANNOT_WRITE,
        f"Error: cannot write {readonly.path / 'sub'}: the file system is read-only\n",
    )


def test_a_file_that_is_not_a_database(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Not a database, but a text file somebody gave as --db.\n" * 50)
    for command in (["ingest", SAMPLE], ["posts"], ["trends"], ["spikes"]):
        run = monitor(*command, "--db", notes)
        assert (run.returncode, run.stdout, run.stderr) == (
            CANNOT_WRITE,
            "",
            f"Error: the database {notes} is not a SQLite database (or is damaged or encrypted)\n",
        ), command
    assert notes.read_text().startswith("Not a database")


def test_a_full_disk_ends_in_one_line_and_a_rerun_with_room_loses_nothing(tmp_path, mount):
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(600):
        html = (SAMPLE / "2024-11-17-strikes-cleared.html").read_text(encoding="utf-8")
        (archive / f"page-{n:03d}.html").write_text(
            html.replace("long-range-strikes-cleared", f"page-{n}"), encoding="utf-8"
        )
    disk = mount("disk", "1m")
    db = disk.path / "m.db"
    run = monitor("ingest", archive, "--db", db, "--workers", "1")
    assert (run.returncode, run.stdout) == (CANNOT_WRITE, "")
    assert run.stderr == (
        f"Error: cannot write the database {db}: the disk is full (free some space, then run "
        "it again)\n"
    )
    disk.remount("size=50m")
    with open_db(db) as stopped:  # the disk filled up mid-ingest, not while creating tables
        assert 0 < stopped.execute("SELECT count(*) FROM archive_files").fetchone()[0] < 600
    run = monitor("ingest", archive, "--db", db, "--workers", "1")
    assert run.returncode == 0, run.stderr
    clean = tmp_path / "clean.db"
    assert monitor("ingest", archive, "--db", clean, "--workers", "1").returncode == 0
    with open_db(db) as recovered, open_db(clean) as expected:
        assert recovered.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert whole_tables(recovered) == whole_tables(expected)


def test_an_output_folder_that_cannot_be_written(tmp_path, mount):
    db = tmp_path / "m.db"
    assert monitor("ingest", SAMPLE, "--db", db).returncode == 0
    readonly = mount("ro")
    readonly.remount("ro")
    run = monitor("report", "--db", db, "--date", "2024-11-18", "--out", readonly.path / "out")
    assert (run.returncode, run.stderr) == (
        CANNOT_WRITE,
        f"Error: cannot write {readonly.path / 'out'}: the file system is read-only\n",
    )


def test_read_commands_work_on_a_read_only_database(tmp_path, mount):
    shared = mount("shared")
    db = shared.path / "m.db"
    assert monitor("ingest", SAMPLE, "--db", db).returncode == 0
    writable = tmp_path / "writable.db"
    shutil.copy(db, writable)
    expected = {
        command: CliRunner()
        .invoke(cli, [command, "--db", str(writable), "--format", "json"])
        .stdout
        for command in ("posts", "trends", "spikes")
    }
    shared.remount("ro")
    for command in ("posts", "trends", "spikes"):
        run = monitor(command, "--db", db, "--format", "json")
        assert (run.returncode, run.stderr) == (0, ""), command
        assert run.stdout == expected[command]
    run = monitor("report", "--db", db, "--date", "2024-11-18", "--out", tmp_path / "reports")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "reports" / "2024-11-18.html").exists()
    # With a topic the stored trends were not computed with, they are stale, and it says so.
    config = tmp_path / "monitor.toml"
    config.write_text('[topics]\nww3 = ["#ww3"]\n', encoding="utf-8")
    run = monitor("trends", "--db", db, "--topic", "ww3", "--config", config)
    assert run.returncode == 0
    assert run.stderr == (
        f"Note: {db} is read-only here, so its trends were not refreshed, and they may be "
        "stale: the configured topics differ from those they were computed with.\n"
    )
    # Writing commands say it is read-only, in one line.
    run = monitor("ingest", SAMPLE, "--db", db)
    assert run.returncode == CANNOT_WRITE
    assert run.stderr == (
        f"Error: cannot open the database {db}: its folder {shared.path} is not writable "
        "(SQLite writes its journal beside it)\n"
    )


def test_a_mistyped_archive_path_creates_nothing(tmp_path):
    db = tmp_path / "new" / "m.db"
    run = monitor("ingest", tmp_path / "no-such-folder", "--db", db)
    assert run.returncode == USAGE
    assert run.stderr.splitlines()[-1] == (
        f"Error: no such file or folder: '{tmp_path / 'no-such-folder'}'"
    )
    assert not (tmp_path / "new").exists()


def test_control_characters_in_names_and_records_are_escaped(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "evil\x1b[2J.html").write_bytes(b"\x00\x1b[31mbinary\x00")
    (archive / "record.warc").write_bytes(b"WARC/\x1b]0;owned\x07\r\nWARC-Type: response\r\n\r\n")
    run = monitor("ingest", archive, "--db", tmp_path / "m.db")
    assert run.returncode == UNREADABLE_INPUT
    assert "\x1b" not in run.stderr
    real = archive.resolve()
    assert run.stderr == (
        f"failed: {real}/evil\\x1b[2J.html: not text: binary content (NUL bytes)\n"
        f"failed: {real}/record.warc: corrupt WARC after 0 documents: at offset 0: Invalid "
        "WARC record, first line: WARC/\\x1b]0;owned\\x07\n"
    )
