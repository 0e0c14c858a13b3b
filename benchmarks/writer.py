"""The writer's capacity: how many articles a second the one process that writes can store when
the reading is done elsewhere (a cluster's workers), against how many articles one core reads.

On a cluster, one process plans and writes while the workers read, extract and score: the
workers are never kept waiting as long as the writer stores articles at least as fast as all
of them read. Each archive file is read once here, on one core (timed: the per-core reading
rate), its result kept pickled as a worker sends it; then the writer runs as ``ingest`` runs
it when the workers are ahead of it, with every result waiting (each unpickled as it is
written, as the results from a worker are), into a fresh database, with ``store_articles``
``"all"`` and ``"with-posts"``.

Usage: ``python -m benchmarks.writer [--articles 20000] [--aeb DIR --copies 30]``: the
synthetic archive in WARC files of 1,000 records and, when the folder of real news pages is
there (``../shared/aeb``), those pages ``--copies`` times over in WARC files of about 1,000,
each copy an article of its own (at an address of its own on the page's site, given as the
page's canonical link). It prints, for each archive, the per-core reading
rate, the writer's capacity both ways (best of ``--repeat``) and their ratio (the number of
workers the writer keeps up with), and the database's size per million articles read both
ways (compacted).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import pickle
import re
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database
from warcio.warcwriter import WARCWriter

from monitor import open_db
from monitor.pipeline import STORE_ARTICLES, IngestResult, _Ingest
from monitor.reading import FileRead, read_file

from . import archive as synthetic

_RECORDS_PER_WARC = 1000
# The workers a writer must keep up with: a cluster of 32 cores.
TARGET_RATIO = 30


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.writer", description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000, help="synthetic, in 1,000s")
    parser.add_argument("--aeb", type=Path, default=Path("../shared/aeb"))
    parser.add_argument("--copies", type=int, default=30, help="of the real pages")
    parser.add_argument("--root", type=Path, default=None, help="where archives are written")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    root = args.root or Path(tempfile.mkdtemp(prefix="monitor-writer-"))
    archives = {
        f"synthetic, {args.articles:,} articles": synthetic.generate(
            root / "synthetic", args.articles
        ).warc_files
    }
    if (args.aeb / "html").is_dir():
        name = f"real news pages ({args.aeb.name}) x{args.copies}"
        archives[name] = real_pages(args.aeb, args.copies, root / "real")
    else:
        print(f"no real news pages at {args.aeb}: the synthetic archive only")
    figures = {}
    for name, paths in archives.items():
        figures[name] = measure(paths, root, args.repeat)
        rate = figures[name]["reading, one core"]
        print(f"{name}: {figures[name]['articles']:,.0f} articles in {len(paths)} WARC files")
        print(f"  {rate:8,.0f} articles/s read, extracted and scored on one core")
        for store in STORE_ARTICLES:
            capacity = figures[name][f"writer, {store}"]
            ratio = capacity / rate
            verdict = "keeps up" if ratio >= TARGET_RATIO else "falls behind"
            print(f"  {capacity:8,.0f} articles/s stored by the writer, store_articles={store!r}:"
                  f" {ratio:.0f} cores' reading ({verdict} with {TARGET_RATIO})")  # fmt: skip
        for store in STORE_ARTICLES:
            size = figures[name][f"MB per million articles, {store}"]
            print(f"  {size:8,.0f} MB of database per million articles, store_articles={store!r}")
    return figures


def measure(paths: list[Path], root: Path, repeat: int) -> dict[str, float]:
    """Read each file once on this core, then write the results ``repeat`` times each way."""
    results: dict[str, bytes] = {}
    articles = 0
    ids: set[object] = set()
    start = time.perf_counter()
    for path in paths:
        read = read_file(str(path))
        assert read.error is None, read.error
        articles += len(read.documents)
        ids.update(document.article[0] for document in read.documents)  # type: ignore[union-attr]
        results[str(path)] = pickle.dumps(read)
    reading = time.perf_counter() - start
    figures = {"articles": float(articles), "reading, one core": articles / reading}
    for store in STORE_ARTICLES:
        best = 0.0
        for run in range(repeat):
            db_path = root / f"writer-{time.monotonic_ns()}-{run}.db"
            db = open_db(db_path)
            result = IngestResult(files=len(paths))
            start = time.perf_counter()
            _Ingest(db, result, _Replay(results), None, store_articles=store).run(paths)
            seconds = time.perf_counter() - start
            assert result.documents == articles and not result.failures, result
            # Rows written, not found: the articles are (all but a few) distinct, as the
            # copies of a real page must be, and each distinct one is a new row.
            assert len(ids) >= 0.999 * articles, (len(ids), articles)
            assert store != "all" or result.new_articles == len(ids), result
            best = max(best, articles / seconds)
            if run == 0:
                figures[f"MB per million articles, {store}"] = _size(db, db_path) / articles
            db.close()
            _remove(db_path)
        figures[f"writer, {store}"] = best
    return figures


def _size(db: Database, path: Path) -> float:
    """The database's size once compacted (``VACUUM``), in bytes."""
    compact = path.with_suffix(".vacuumed.db")
    db.execute("VACUUM INTO ?", [str(compact)])
    size = compact.stat().st_size
    compact.unlink()
    return size


def _remove(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


class _Replay:
    """A runner whose workers have already read everything: each task's results arrive at
    once, pickled as a worker's do, and are unpickled when the writer asks for them.

    The writer then works as it does when it is behind the workers, the case its capacity
    is about: results wait for it, and it writes them in transactions of up to 4,096
    documents (when it keeps up, it writes each file's as it comes).
    """

    workers = 1
    parallel = False

    def __init__(self, results: dict[str, bytes]) -> None:
        self.results = results

    def submit(self, function: object, argument: list[tuple[str, str | None]]) -> _Done:
        return _Done([self.results[path] for path, _ in argument])

    def wait_for_any(self, tasks: list[_Done]) -> None:
        pass


class _Done:
    def __init__(self, pickled: list[bytes]) -> None:
        self.pickled = pickled

    def done(self) -> bool:
        return True

    def result(self) -> list[FileRead]:
        return [pickle.loads(read) for read in self.pickled]


def real_pages(aeb: Path, copies: int, folder: Path) -> list[Path]:
    """The real news pages, ``copies`` times over, in WARC files of about 1,000 records: each
    copy of a page at its own address on the page's own site (so an outlet keeps its pages)."""
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted((aeb / "html").glob("*.html.gz"))
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    crawled = datetime(2024, 12, 2, 3, 0, tzinfo=UTC)
    records = [(copy, page) for copy in range(copies) for page in pages]
    for first in range(0, len(records), _RECORDS_PER_WARC):
        path = folder / f"real-{first // _RECORDS_PER_WARC:03d}.warc.gz"
        paths.append(path)
        if path.exists():
            continue
        partial = path.with_suffix(".part")
        with partial.open("wb") as out:
            writer = WARCWriter(out, gzip=True)
            for index, (copy, page) in enumerate(records[first : first + _RECORDS_PER_WARC]):
                url = truth[page.name.removesuffix(".html.gz")]["url"]
                url = f"{url}{'&' if '?' in url else '?'}copy={copy}"
                body = _canonical(gzip.decompress(page.read_bytes()), url)
                when = crawled + timedelta(seconds=first + index)
                synthetic.write_record(writer, url, body, when)
        partial.rename(path)
    return paths


def _canonical(page: bytes, url: str) -> bytes:
    """The page with ``url`` as its first canonical link, which the article's address (and
    so its id) is taken from: each copy is an article of its own."""
    link = f'<link rel="canonical" href="{html.escape(url)}">'.encode()
    head = re.search(rb"<head[^>]*>", page, re.IGNORECASE)
    at = head.end() if head else 0
    return page[:at] + link + page[at:]


if __name__ == "__main__":
    main()
