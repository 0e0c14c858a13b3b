"""Archives read where they live: a real HTTP server on the loopback interface serving the
sample archive (ranges, ETag, Last-Modified), one that drops the connection mid-file, and
files it does not have. Read by this process and by worker processes, never whole."""

from __future__ import annotations

import hashlib
import html
import shutil
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import ingest, open_db
from monitor.archives.remote import has_wildcards
from monitor.cli import cli

from .conftest import SAMPLE

pytest.importorskip("fsspec", reason="the remote extra is not installed")
pytest.importorskip("aiohttp", reason="the remote extra is not installed")


class _Files(BaseHTTPRequestHandler):
    """Serves a folder as a static file server does: HEAD, GET, one byte range, ETag and
    Last-Modified. Under ``/drop/`` it announces a file whole and hangs up half way."""

    folder: Path
    requests: list[str]

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, *, body: bool) -> None:
        self.requests.append(f"{self.command} {self.path} {self.headers.get('Range', '')}")
        if self.path.startswith("/private/"):
            self.send_error(403)
            return
        name = self.path.removeprefix("/drop/").lstrip("/")
        path = self.folder / name
        if path.is_dir():
            if self.path.endswith("/"):
                self._index(path, body=body)
            else:  # as static file servers do
                self.send_response(301)
                self.send_header("Location", self.path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
            return
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start, end = 0, len(data) - 1
        wanted = self.headers.get("Range")
        if wanted and wanted.startswith("bytes="):
            first, _, last = wanted.removeprefix("bytes=").partition("-")
            start = int(first) if first else len(data) - int(last)
            end = min(int(last), len(data) - 1) if first and last else len(data) - 1
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()[:16]}"')
        self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
        self.end_headers()
        if not body:
            return
        part = data[start : end + 1]
        if self.path.startswith("/drop/"):
            self.wfile.write(part[: len(part) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(part)

    def _index(self, folder: Path, *, body: bool) -> None:
        """A folder's index page, as static file servers write them: a link to each entry."""
        links = "".join(
            f'<li><a href="{html.escape(entry.name)}{"/" if entry.is_dir() else ""}">'
            f"{html.escape(entry.name)}</a></li>"
            for entry in sorted(folder.iterdir())
        )
        page = f"<html><body><h1>Index</h1><ul>{links}</ul></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if body:
            self.wfile.write(page)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def server(tmp_path):
    folder = tmp_path / "served"
    shutil.copytree(SAMPLE, folder)
    handler = type("Handler", (_Files,), {"folder": folder, "requests": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", folder, handler.requests
    finally:
        httpd.shutdown()
        httpd.server_close()


NAMES = sorted(path.name for path in SAMPLE.iterdir())


def stored(db) -> dict[str, list[tuple]]:
    """What an ingest stored, each archive file named by its file name alone (a local path
    and an address of the same file store the same), and each article by where it was found
    rather than by its id (derived from its path where it has no URL)."""
    name = "replace(source_path, rtrim(source_path, replace(source_path, '/', '')), '')"
    queries = {
        "articles": f"SELECT url, outlet, title, published_at, lang, {name}, locator,"
        " fetched_at FROM articles",
        "posts": "SELECT * FROM posts",
        "article_posts": f"SELECT {name}, locator, post_id, position FROM article_posts"
        " JOIN articles ON articles.id = article_id",
        "post_hashtags": "SELECT * FROM post_hashtags",
        "coverage": f"SELECT {name}, hour, outlet, platform, articles, posts FROM coverage",
        "archive_files": "SELECT replace(path, rtrim(path, replace(path, '/', '')), ''),"
        " status, documents, posts, error FROM archive_files",
    }
    tables = {}
    for table, query in queries.items():
        cursor = db.execute(query)
        kept = [index for index, column in enumerate(cursor.description)
                if column[0] != "first_seen_at"]  # fmt: skip
        tables[table] = sorted((tuple(row[index] for index in kept) for row in cursor), key=repr)
    return tables


@pytest.mark.parametrize("workers", [1, 2])
def test_addresses_are_read_as_the_files_they_serve(server, tmp_path, workers):
    base, _, requests = server
    remote = open_db(tmp_path / "remote.db")
    result = ingest([f"{base}/{name}" for name in NAMES], remote, workers=workers)
    assert (result.files, result.read, result.failures) == (len(NAMES), len(NAMES), [])
    local = open_db(tmp_path / "local.db")
    ingest([SAMPLE / name for name in NAMES], local)
    assert stored(remote) == stored(local)
    assert len(stored(remote)["articles"]) == 6
    # Read in ranges, never fetched twice: each file is asked for its size once and read.
    assert all(line.startswith(("HEAD", "GET")) for line in requests)


def test_an_unchanged_address_is_not_read_again_and_a_changed_one_is(server, tmp_path):
    base, folder, requests = server
    db = open_db(tmp_path / "m.db")
    addresses = [f"{base}/{name}" for name in NAMES]
    ingest(addresses, db)
    requests.clear()
    again = ingest(addresses, db)
    assert (again.read, again.skipped) == (0, len(NAMES))
    assert all(line.startswith("HEAD") for line in requests)  # sizes and versions only
    page = folder / "2024-11-17-strikes-cleared.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>Updated.</p></body>"))
    changed = ingest(addresses, db)
    assert (changed.read, changed.skipped) == (1, len(NAMES) - 1)


def test_a_connection_dropped_mid_file_and_files_the_server_refuses_are_recorded(server, tmp_path):
    base, _, _ = server
    db = open_db(tmp_path / "m.db")
    dropped = f"{base}/drop/crawl-2024-11-20.warc.gz"
    missing = f"{base}/nothing-here.warc.gz"
    forbidden = f"{base}/private/crawl-2024-11-20.warc.gz"
    no_tls = base.replace("http://", "https://") + "/crawl-2024-11-20.warc.gz"
    good = f"{base}/2024-11-17-strikes-cleared.html"
    result = ingest([dropped, missing, forbidden, no_tls, good], db)
    failed = {failure.path: failure.error for failure in result.failures}
    port = base.rsplit(":", 1)[1]
    assert failed.pop(no_tls).startswith(
        f"cannot read file: cannot reach the server: Cannot connect to host 127.0.0.1:{port}"
    )
    assert failed == {
        dropped: "cannot read file: the connection failed mid-file (ClientPayloadError)",
        missing: "cannot read file: the server has no such file",
        forbidden: "cannot read file: the server answered 403 Forbidden",
    }
    assert db["archive_files"].get(good)["status"] == "done"
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1


def test_a_listing_of_addresses_through_the_command_line(server, tmp_path):
    base, _, _ = server
    listing = tmp_path / "warc.paths"
    listing.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    run = CliRunner().invoke(
        cli,
        ["ingest", "--db", str(tmp_path / "m.db"), "--paths-from", str(listing),
         "--base", base, "--workers", "1"],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    assert run.output.startswith(f"{len(NAMES)} archive files: {len(NAMES)} read, 0 unchanged")


def test_files_retry_asks_a_failed_address_again(server, tmp_path):
    base, folder, _ = server
    db_path = tmp_path / "m.db"
    late = f"{base}/late.html"
    ingest([late], open_db(db_path))  # not there yet: recorded as failed
    shutil.copy(SAMPLE / "2024-11-17-strikes-cleared.html", folder / "late.html")
    run = CliRunner().invoke(cli, ["files", "--retry", "--db", str(db_path), "--format", "csv"])
    assert run.exit_code == 0, run.output
    assert open_db(db_path)["archive_files"].get(late)["status"] == "done"


def test_a_pattern_of_addresses_reads_what_the_server_lists(server, tmp_path):
    base, folder, _ = server
    (folder / "2024-11").mkdir()
    shutil.move(folder / "2024-11-17-strikes-cleared.html", folder / "2024-11" / "a.html")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # listed, and no archive file
    db = open_db(tmp_path / "m.db")
    result = ingest([f"{base}/*.warc.gz", f"{base}/**/*.htm[l]", f"{base}/*.md"], db)
    assert [row["path"] for row in db["archive_files"].rows] == [
        f"{base}/crawl-2024-11-20.warc.gz",
        f"{base}/2024-11/a.html",
        f"{base}/2024-11-21-doomscrolling.md",
    ]  # in the order of the patterns
    assert (result.read, result.failures) == (3, [])
    with pytest.raises(FileNotFoundError, match=r"no archive files match '.*/\*\.pdf'"):
        ingest([f"{base}/*.pdf"], db)


def test_what_makes_an_address_a_pattern():
    assert [has_wildcards(address) for address in (
        "https://data.example.org/crawl/*.warc.gz",
        "s3://bucket/2024/**/CC-NEWS-2024[01]*.warc.gz",
        "http://[::1]:8080/crawl.warc.gz",  # a host in brackets
        "https://data.example.org/crawl.warc.gz?version=2",
    )] == [True, True, False, False]  # fmt: skip


def test_a_pattern_whose_listing_cannot_be_had_is_an_error_that_names_it(tmp_path):
    pattern = "http://127.0.0.1:9/archive/*.warc.gz"  # nothing listens on the discard port
    with pytest.raises(OSError, match=r"^cannot list 'http://127\.0\.0\.1:9/archive/\*\."):
        ingest([pattern], open_db(tmp_path / "m.db"))
    run = CliRunner().invoke(cli, ["ingest", "--db", str(tmp_path / "cli.db"), pattern])
    assert run.exit_code == 1
    assert run.output.startswith(f"Error: cannot list '{pattern}': ")
    assert len(run.output.splitlines()) == 1
    assert not (tmp_path / "cli.db").exists()
