"""Hostile and odd inputs cost a bounded amount and are recorded: a line of a gigabyte in a
small gzip file, a page nested a hundred thousand deep, paths that are not files. The good
files beside them are stored, in one run."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor import ingest, open_db
from monitor.archives import iter_documents
from monitor.archives.errors import ArchiveError
from monitor.page import MAX_NESTING, PageTooBig, PageTooDeep, nesting_depth, parse_html

from .conftest import SAMPLE
from .test_jobs_daemon import page

MiB = 1 << 20


def jsonl_bomb(path: Path, line_mib: int) -> Path:
    """A gzipped JSON Lines file whose first record is one line of ``line_mib`` MiB (about
    1 KB of gzip per MiB), followed by a good record."""
    chunk = b"a" * MiB
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b'{"url": "https://example.com/bomb", "html": "')
        for _ in range(line_mib):
            out.write(chunk)
        out.write(b'"}\n{"url": "https://example.com/fine", "text": "A fine record."}\n')
    return path


def deep_page(path: Path, depth: int) -> Path:
    path.write_text(
        "<html><body>" + "<div>" * depth + "deep" + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )
    return path


def test_a_jsonl_line_longer_than_a_document_is_skipped_and_the_rest_read(tmp_path):
    bomb = jsonl_bomb(tmp_path / "bomb.jsonl.gz", 80)
    assert bomb.stat().st_size < MiB // 4
    documents = []
    with pytest.raises(ArchiveError) as raised:
        documents.extend(iter_documents(bomb))
    assert [(d.url, d.text, d.locator) for d in documents] == [
        ("https://example.com/fine", "A fine record.", "line=2")
    ]
    assert str(raised.value) == "1 bad record skipped: line 1: longer than 64 MiB, skipped unread"


def test_the_nesting_of_real_and_hostile_pages():
    assert nesting_depth("<html><body><div><p>a<p>b<ul><li>c<li>d</ul></div>") == 2
    # Void elements, "/>", and script contents (with "<" in code) do not nest.
    assert nesting_depth('<div><br><img src=x><svg><path d="M0"/></svg></div>') == 2
    assert nesting_depth("<div><script>for (i=0;i<n;i++) a<b;</SCRIPT><span>x</span></div>") == 2
    assert nesting_depth("<div>" * 5000, stop_after=100) == 101
    assert nesting_depth("<ul><li>" * 300) == 300


def test_a_page_too_deep_to_parse_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(PageTooDeep, match="nested more than 2,000 deep"):
        parse_html("<div>" * 100_000)
    with pytest.raises(PageTooDeep):
        parse_html(b"<ul><li>" * 50_000)
    assert time.perf_counter() - start < 1
    # As deep as allowed still parses.
    assert parse_html("<div>" * MAX_NESTING + "x").body is not None


def test_a_deep_page_is_recorded_and_the_file_beside_it_stored(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", archive / "good.html")
    deep_page(archive / "deep.html", 100_000)
    result = ingest([archive], open_db(tmp_path / "m.db"))
    assert [(Path(f.path).name, f.error) for f in result.failures] == [
        (
            "deep.html",
            "document: PageTooDeep: elements nested more than 2,000 deep: not parsed (the page "
            "is broken or hostile, and would take minutes to parse)",
        )
    ]
    assert (result.read, result.documents, result.posts) == (2, 1, 2)


def hostile_folder(folder: Path, *, bomb_mib: int, good: int) -> Path:
    """Good pages beside a link loop, a broken link, a FIFO, a JSON Lines bomb and a page
    nested 100,000 deep."""
    folder.mkdir()
    for n in range(good):
        (folder / f"good-{n}.html").write_text(page(n), encoding="utf-8")
    (folder / "loop-a.html").symlink_to("loop-b.html")
    (folder / "loop-b.html").symlink_to("loop-a.html")
    (folder / "broken.html").symlink_to("nowhere.html")
    os.mkfifo(folder / "fifo.html")
    jsonl_bomb(folder / "bomb.jsonl.gz", bomb_mib)
    deep_page(folder / "deep.html", 100_000)
    return folder


# Set MONITOR_FAULT_BOMB_MIB=1024 for the gigabyte line a release is checked with.
BOMB_MIB = int(os.environ.get("MONITOR_FAULT_BOMB_MIB", "128"))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_one_run_over_a_hostile_folder_stores_every_good_file(tmp_path, workers):
    folder = hostile_folder(tmp_path / "archive", bomb_mib=BOMB_MIB, good=6)
    db = tmp_path / "m.db"
    command = [sys.executable, "-m", "monitor", "ingest", str(folder), "--db", str(db)]
    start = time.monotonic()
    run = subprocess.run(
        [*command, "--workers", workers], capture_output=True, text=True, timeout=60
    )
    took = time.monotonic() - start
    assert run.returncode == 1, run.stderr
    assert took < 30
    assert run.stdout == (
        "12 archive files: 8 read, 0 unchanged, 6 failed; 7 documents, 12 embedded posts "
        "(2 new posts, 7 new articles); trends updated for 1 day\n"
    )
    real = folder.resolve()
    assert sorted(run.stderr.splitlines()) == [
        f"failed: {real}/bomb.jsonl.gz: 1 bad record skipped: line 1: longer than 64 MiB, "
        "skipped unread",
        f"failed: {real}/broken.html: cannot read file: a broken symbolic link (to "
        "'nowhere.html', which does not exist)",
        f"failed: {real}/deep.html: document: PageTooDeep: elements nested more than 2,000 "
        "deep: not parsed (the page is broken or hostile, and would take minutes to parse)",
        f"failed: {real}/fifo.html: not a regular file but a FIFO: not read",
        f"failed: {real}/loop-a.html: cannot read file: a loop of symbolic links",
        f"failed: {real}/loop-b.html: cannot read file: a loop of symbolic links",
    ]
    with open_db(db) as stored:
        assert stored.execute(
            "SELECT count(*) FROM archive_files WHERE path LIKE '%good-%' AND status = 'done'"
        ).fetchone() == (6,)
        assert stored.execute("SELECT count(*) FROM archive_files").fetchone() == (12,)
    # Run again: nothing is read, nothing fails anew, and the run succeeds.
    again = subprocess.run(
        [*command, "--workers", workers], capture_output=True, text=True, timeout=60
    )
    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout.startswith(
        "12 archive files: 0 read, 6 unchanged, 0 failed; 0 documents, 0 embedded posts "
        "(0 new posts, 0 new articles); 6 files that failed before, unchanged since, not read "
        "again (monitor files --failed)"
    )


# Runs the ingest and prints the peak memory of it alone (its parent has no other child).
_PEAK = """
import resource, subprocess, sys
run = subprocess.run([sys.executable, "-m", "monitor", "ingest", *sys.argv[1:]],
                     capture_output=True)
print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def ingest_peak(folder: Path, db: Path) -> tuple[int, int]:
    """``monitor ingest FOLDER`` on one worker: its exit status and peak memory, MiB."""
    run = subprocess.run(
        [sys.executable, "-c", _PEAK, str(folder), "--db", str(db), "--workers", "1"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    status, peak_mib = map(int, run.stdout.split())
    return status, peak_mib


def test_the_hostile_folder_costs_bounded_memory(tmp_path):
    folder = hostile_folder(tmp_path / "archive", bomb_mib=BOMB_MIB, good=2)
    status, peak_mib = ingest_peak(folder, tmp_path / "m.db")
    assert status == 1
    assert peak_mib < 500


def test_a_file_that_changes_while_it_is_read_is_read_again_next_run(tmp_path, readers):
    html_reader = readers.reader_for("page.html")
    appended = []

    @readers.reader(".growing")
    def read_while_a_crawler_appends(path: str, data: bytes | None = None):
        # As a crawler still writing its file: more arrives while the monitor reads it.
        if not appended:
            with open(path, "ab") as handle:
                handle.write(b"<!-- more -->")
            appended.append(path)
        yield from html_reader(path, None)

    archive = tmp_path / "archive"
    archive.mkdir()
    growing = archive / "page.growing"
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", growing)
    db = open_db(tmp_path / "m.db")
    first = ingest([archive], db)
    assert [(f.path, f.error) for f in first.failures] == [
        (str(growing.resolve()), "the file changed while it was being read: read again next run")
    ]
    assert first.documents == 1  # what was read is kept
    second = ingest([archive], db)
    assert (second.read, second.failures, second.known_failures) == (1, [], [])
    assert db["archive_files"].get(str(growing.resolve()))["status"] == "done"


def test_a_file_removed_while_it_is_read_is_recorded(tmp_path, readers):
    html_reader = readers.reader_for("page.html")

    @readers.reader(".vanishing")
    def read_while_someone_removes_it(path: str, data: bytes | None = None):
        yield from html_reader(path, None)
        os.unlink(path)

    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", archive / "page.vanishing")
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", archive / "other.html")
    result = ingest([archive], open_db(tmp_path / "m.db"))
    assert [(Path(f.path).name, f.error) for f in result.failures] == [
        ("page.vanishing", "the file disappeared while it was being read")
    ]
    assert (result.read, result.documents) == (2, 2)


# A page that takes seconds to read (240,000 elements; real pages take milliseconds), read
# with the bound on a document's time lowered to half a second, beside a good page; what a
# process loads on first use (htmldate, dateparser's languages) is loaded before (workers
# are forks of this process), so that only the slow page can take that long.
_SLOW_PAGE = (
    "<html><head><title>Slow</title></head><body>"
    + '<div class="c" data-x="1">a</div>' * 240_000
    + "</body></html>"
)
_BOUNDED_INGEST = """
import sys
from monitor import reading
from monitor.archives import iter_documents
from monitor.entry import main
for document in iter_documents(sys.argv[-1]):
    reading.analyse_document(document)
reading.DOCUMENT_SECONDS = 0.5
sys.argv.pop()
main()
"""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_document_that_takes_too_long_is_stopped_and_recorded(tmp_path, workers):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a-good.html").write_text(page(1), encoding="utf-8")
    (folder / "z-slow.html").write_text(_SLOW_PAGE, encoding="utf-8")
    (tmp_path / "warm.html").write_text(page(2), encoding="utf-8")
    db = tmp_path / "m.db"
    run = subprocess.run(
        [sys.executable, "-c", _BOUNDED_INGEST, "ingest", str(folder), "--db", str(db),
         "--workers", workers, str(tmp_path / "warm.html")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert run.stderr == (
        f"failed: {folder.resolve()}/z-slow.html: document: took longer than 0.5 s to read\n"
    )
    assert run.stdout.startswith(
        "2 archive files: 2 read, 0 unchanged, 1 failed; 1 document, 2 embedded posts "
        "(2 new posts, 1 new article)"
    )
    with open_db(db) as stored:
        assert stored.execute(
            "SELECT substr(path, -11), status, documents FROM archive_files ORDER BY path"
        ).fetchall() == [("a-good.html", "done", 1), ("z-slow.html", "failed", 0)]


def test_a_page_of_too_many_tags_is_refused_at_once():
    page_of_tags = "<html><body>" + "<b></b>" * 250_001 + "</body></html>"
    start = time.monotonic()
    with pytest.raises(PageTooBig) as raised:
        parse_html(page_of_tags)
    assert time.monotonic() - start < 1
    assert str(raised.value) == (
        "500,006 tags, more than 500,000: not parsed (the page is broken or hostile, and "
        "reading it would take hundreds of megabytes of memory)"
    )
    assert parse_html(page_of_tags[: 7 * 200_000]).root is not None  # fewer: parsed


def test_a_page_of_too_many_elements_costs_no_memory_and_the_good_file_is_stored(tmp_path):
    # 600,000 elements (20 MB): 1.1 GB of memory, were it read.
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a-good.html").write_text(page(1), encoding="utf-8")
    (folder / "z-big.html").write_text(
        "<html><body>" + '<div class="c" data-x="1">a</div>' * 600_000 + "</body></html>",
        encoding="utf-8",
    )
    status, peak_mib = ingest_peak(folder, tmp_path / "m.db")
    assert status == 1
    assert peak_mib < 250
    with open_db(tmp_path / "m.db") as stored:
        assert stored.execute(
            "SELECT substr(path, -10), status, documents, error FROM archive_files ORDER BY path"
        ).fetchall() == [
            ("-good.html", "done", 1, None),
            (
                "z-big.html",
                "failed",
                0,
                "document: PageTooBig: 1,200,004 tags, more than 500,000: not parsed (the page "
                "is broken or hostile, and reading it would take hundreds of megabytes of "
                "memory)",
            ),
        ]
