"""The ingest on real pages: ``monitor ingest`` against the naive script, on copies of the
real news pages beside the repository.

Usage: ``python -m benchmarks.real [SHARED] [--corpus-copies 12] [--aeb-copies 4]
[--repeat 3] [--naive-repeat N] [--workdir DIR]``. ``SHARED`` (default ``../shared``) holds
two sets:

* ``corpus/``: the embed-heavy pages of the test corpus (its ``.html`` files, about 200 KB
  each, nearly every one embedding posts), 12 copies by default;
* ``aeb/html/``: the real news pages of the article-extraction benchmark (``.html.gz``,
  most embedding nothing, as in a real archive), decompressed, 4 copies by default.

Each copy is a folder of its own: the same pages again, as an archive holds the same
outlet's pages again and again (its posts are scored once per process, as in a long
ingest). On each set it times, each run a process of its own and the fastest of
``--repeat`` runs in rounds (see ``benchmarks.run``): ``monitor ingest`` on one worker pinned
to one core, on two workers (two cores), and the naive script (``benchmarks.naive``) pinned
to one core (the fastest of ``--naive-repeat`` runs, as many as ``--repeat`` by default, in
the same rounds). It checks that one and two workers store the same rows, and prints a
table and, last, one line of JSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
from pathlib import Path

from .run import (
    ONE_CORE,
    REPO,
    Timing,
    add_repeat_options,
    best_of_rounds,
    naive_repeat,
    print_table,
    row,
    same_rows,
)


def main(argv: list[str] | None = None) -> dict[str, dict[str, object]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.real", description=__doc__)
    parser.add_argument("shared", nargs="?", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--corpus-copies", type=int, default=12)
    parser.add_argument("--aeb-copies", type=int, default=4)
    add_repeat_options(parser)
    parser.add_argument("--workdir", type=Path, help="where the copies and databases go")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive script")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.gettempdir()) / "monitor-benchmark-real"
    sets = {
        "corpus": copies(
            "corpus", sorted((args.shared / "corpus").glob("*.html")), args.corpus_copies, workdir
        ),
        "aeb": copies(
            "aeb",
            sorted((args.shared / "aeb" / "html").glob("*.html.gz")),
            args.aeb_copies,
            workdir,
        ),
    }
    results: dict[str, dict[str, object]] = {}
    table = []
    for name, folder in sets.items():
        figures, rows = measure_set(name, folder, workdir, args)
        results[name] = figures
        table += rows
    print_table(table)
    print(json.dumps(results))
    return results


def copies(name: str, pages: list[Path], count: int, workdir: Path) -> Path:
    """``count`` copies of ``pages`` (decompressed), each in a folder of its own."""
    if not pages:
        raise SystemExit(f"no {name} pages found: pass the folder that holds corpus/ and aeb/")
    root = workdir / name
    shutil.rmtree(root, ignore_errors=True)
    for copy in range(count):
        folder = root / f"{copy:02d}"
        folder.mkdir(parents=True)
        for page in pages:
            data = page.read_bytes()
            if page.suffix == ".gz":
                data = gzip.decompress(data)
            (folder / page.name.removesuffix(".gz")).write_bytes(data)
    return root


def measure_set(
    name: str, folder: Path, workdir: Path, args: argparse.Namespace
) -> tuple[dict[str, object], list[tuple[str, ...]]]:
    pages = sorted(folder.rglob("*.html"))
    megabytes = sum(page.stat().st_size for page in pages) / 1e6
    runs = workdir / f"runs-{name}"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir(parents=True)

    def ingest(db: str, workers: int) -> Timing:
        command = [sys.executable, "-m", "monitor", "ingest", "--workers", str(workers)]
        command += ["--db", str(runs / db), str(folder)]
        return Timing(command, ONE_CORE if workers == 1 else None, runs, [runs / db])

    print(f"\n{name}: {len(pages)} pages, {megabytes:.0f} MB", flush=True)
    timings = {"one": ingest("one.db", 1), "two": ingest("two.db", 2)}
    if not args.no_naive:
        script = [sys.executable, "-m", "benchmarks.naive", str(runs / "naive.db"), str(folder)]
        timings["naive"] = Timing(script, ONE_CORE, REPO, [runs / "naive.db"])
    best = best_of_rounds(args.repeat, timings, {"naive": naive_repeat(args)})
    one, two = best["one"], best["two"]
    label = f"{name} ({len(pages)} pages)"
    table = [
        row(len(pages), f"{label}: monitor ingest, 1 worker", one, len(pages), megabytes),
        row(len(pages), f"{label}: monitor ingest, 2 workers", two, len(pages), megabytes),
    ]
    figures: dict[str, object] = {
        "pages": len(pages),
        "mean_kb": round(megabytes * 1000 / len(pages), 1),
        "ingest_s": round(one.seconds, 3),
        "ms_per_page": round(one.seconds / len(pages) * 1000, 2),
        "two_worker_s": round(two.seconds, 3),
        "two_worker_speedup": round(one.seconds / two.seconds, 3),
        "peak_rss_mb": round(one.peak_rss_mb, 1),
        "identical_one_and_two_workers": same_rows(runs / "one.db", runs / "two.db"),
    }
    if not args.no_naive:
        naive = best["naive"]
        table.append(row(len(pages), f"{label}: naive", naive, len(pages), megabytes))
        figures["naive_s"] = round(naive.seconds, 3)
        figures["speedup_vs_naive"] = round(naive.seconds / one.seconds, 2)
    print("  " + ", ".join(f"{key} {value}" for key, value in figures.items()), flush=True)
    return figures, table


if __name__ == "__main__":
    main()
