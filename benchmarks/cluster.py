"""The cost of the cluster and of reading over HTTP: the same WARC files of 1,000 records read
through the local process pool, through a ``LocalCluster`` of 1 and 2 workers, and through
the process pool from a real HTTP server on the loopback interface; and a projection of a
year of CC-NEWS from the per-core rate measured. A cluster is started once, as a long-lived
one is, and its start is timed apart.

Usage: ``python -m benchmarks.cluster [--articles 4000] [--root DIR]`` (the cluster and remote
extras). Each run writes a fresh database; the best of ``--repeat`` runs counts. It prints
articles a second for each way, the cluster's overhead against the pool at the same number
of workers, the writer's capacity against the per-core reading rate (see
:mod:`benchmarks.writer`), and the projection.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from monitor import ingest, open_db
from monitor.cluster import connect
from monitor.pipeline import STORE_ARTICLES

from . import archive as synthetic
from . import writer

# CC-NEWS: about 140 million articles a year.
YEAR_OF_NEWS = 140_000_000


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cluster", description=__doc__)
    parser.add_argument("--articles", type=int, default=4000, help="in WARCs of 1,000")
    parser.add_argument("--root", type=Path, default=None, help="where the archive is written")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    root = args.root or Path(tempfile.mkdtemp(prefix="monitor-cluster-"))
    archive = synthetic.generate(root / "archive", args.articles)
    warcs = [str(path) for path in archive.warc_files]
    rates: dict[str, float] = {}
    rates["pool, 1 worker"] = best_rate(args.repeat, root, warcs, workers=1)
    rates["pool, 2 workers"] = best_rate(args.repeat, root, warcs, workers=2)
    # A cluster is started once and serves many ingests: its start is timed apart.
    for workers in (1, 2):
        start = time.perf_counter()
        client, owned = connect(f"local:{workers}")
        started = time.perf_counter() - start
        try:
            name = f"LocalCluster, {workers} worker{'s' if workers > 1 else ''}"
            rates[name] = best_rate(args.repeat, root, warcs, cluster=client)
        finally:
            for item in owned:
                item.close()
        print(f"LocalCluster of {workers}: started in {started:.1f} s")
    with _served(root / "archive" / "warc") as base:
        addresses = [f"{base}/{Path(path).name}" for path in warcs]
        rates["HTTP, pool, 2 workers"] = best_rate(args.repeat, root, addresses, workers=2)
    print(f"{args.articles} articles in {len(warcs)} WARC files; articles a second (best of "
          f"{args.repeat}):")  # fmt: skip
    for name, rate in rates.items():
        print(f"  {rate:8.0f}  {name}")
    overhead = 1 - rates["LocalCluster, 2 workers"] / rates["pool, 2 workers"]
    remote = 1 - rates["HTTP, pool, 2 workers"] / rates["pool, 2 workers"]
    print(f"cluster overhead at 2 workers: {overhead:.1%}; HTTP against local files: {remote:.1%}")
    # The writer against the cluster: what one process stores of these same files, against
    # what one core reads (python -m benchmarks.writer for the details, and real pages).
    figures = writer.measure(warcs, root, args.repeat)
    for store in STORE_ARTICLES:
        capacity = figures[f"writer, {store}"]
        ratio = capacity / figures["reading, one core"]
        print(f"writer, store_articles={store!r}: {capacity:,.0f} articles/s, {ratio:.0f} cores'"
              " reading")  # fmt: skip
    per_core = rates["pool, 1 worker"]
    for cores in (8, 32, 128):
        hours = YEAR_OF_NEWS / (per_core * cores) / 3600
        print(f"a year of CC-NEWS ({YEAR_OF_NEWS:,} articles) on {cores} cores: {hours:.1f} h")
    return rates


def best_rate(repeat: int, root: Path, paths: list[str], **options: object) -> float:
    """The most articles a second that `ingest` of ``paths`` reached in ``repeat`` runs,
    each into a fresh database (removed after)."""
    best = 0.0
    for run in range(repeat):
        db_path = root / f"run-{time.monotonic_ns()}-{run}.db"
        db = open_db(db_path)
        start = time.perf_counter()
        result = ingest(paths, db, **options)  # type: ignore[arg-type]
        seconds = time.perf_counter() - start
        db.close()
        db_path.unlink()
        assert not result.failures, result.failures
        best = max(best, result.documents / seconds)
    return best


class _served:
    """A static file server on the loopback interface that serves byte ranges, as the servers
    archives live on do."""

    def __init__(self, folder: Path) -> None:
        handler = type("Handler", (_Ranges,), {"folder": folder})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Ranges(BaseHTTPRequestHandler):
    folder: Path

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, *, body: bool) -> None:
        path = self.folder / self.path.lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        size = path.stat().st_size
        start, end = 0, size - 1
        wanted = self.headers.get("Range", "")
        if wanted.startswith("bytes="):
            first, _, last = wanted.removeprefix("bytes=").partition("-")
            start = int(first or 0)
            end = min(int(last), size - 1) if last else size - 1
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        if body:
            with path.open("rb") as handle:
                handle.seek(start)
                self.wfile.write(handle.read(end - start + 1))

    def log_message(self, *args: object) -> None:
        pass


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main()
