"""The ingest benchmark: ``monitor ingest`` against the naive way and against the floor.

For each size (1,000, 5,000 and 10,000 articles by default) it generates the synthetic
archive (HTML pages and the same pages as WARC files; see ``benchmarks.archive``) and, on the
same data, times:

* ``monitor ingest`` of the pages from an empty database on one worker (pinned to one core),
  then again with nothing changed (the rerun), then on two workers (two cores), and the
  same for the WARC files;
* the naive script (``benchmarks.naive``) and the floor (``benchmarks.floor``), each pinned
  to one core.

Every run is a separate process, timed from start to exit as a user would see it; each
timing is the fastest of three runs (``--repeat``; the naive script's, which takes ten times
as long, of ``--naive-repeat``, as many by default). The runs go in rounds, each round
running every timing once, so that a machine that is slower for a few minutes weighs on all
figures of a size alike, not on one of them: the naive script's time is the one that varies
most from run to run (a fifth of it waits for the disk, a commit per row). Peak
memory: for a one-worker run the kernel's peak resident set of the process (``wait4``); for a
two-worker run the peak of the summed resident set, and of the summed proportional set (PSS,
which counts pages shared between the processes once), of the process and its workers,
sampled every 20 ms.

It prints a table and, last, one line of JSON: the figures for the headline size, and the
same figures for every size under ``"sizes"``. With ``--real SHARED`` it then measures the
real pages beside the repository as ``benchmarks.real`` does, under ``"real"``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import archive as synthetic
from . import floor

REPO = Path(__file__).resolve().parents[1]
TIME_COLUMNS = {"ingested_at", "first_seen_at"}
ONE_CORE = {0}


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_rss_mb: float
    peak_pss_mb: float | None = None
    output: str = ""


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,10000", help="archive sizes, comma-separated")
    parser.add_argument("--headline", type=int, default=5000, help="the size the JSON leads with")
    parser.add_argument("--workdir", type=Path, help="where archives and databases go")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive script")
    parser.add_argument("--no-warc", action="store_true", help="skip the WARC ingests")
    parser.add_argument(
        "--real",
        type=Path,
        metavar="SHARED",
        help="also the real pages of this folder (its corpus/ and aeb/): benchmarks.real",
    )
    add_repeat_options(parser)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.headline not in sizes:
        parser.error(f"--headline {args.headline} is not one of --sizes")
    workdir = args.workdir or Path(tempfile.gettempdir()) / "monitor-benchmark"
    workdir.mkdir(parents=True, exist_ok=True)
    cores = len(os.sched_getaffinity(0))
    archive = synthetic.generate(workdir / "archive", max(sizes), seed=args.seed)
    parser_name, parse_times = fastest_parser(synthetic.Archive(archive.root, min(sizes)))
    print(f"{cores} cores; floor parser: {parser_name}", flush=True)
    print("parsers (ms per page): " + ", ".join(f"{n} {t:.3f}" for n, t in parse_times.items()))
    results: dict[int, dict[str, object]] = {}
    rows: list[tuple[str, ...]] = []
    for size in sizes:
        figures, table = measure_size(
            synthetic.Archive(archive.root, size), workdir, parser_name, args
        )
        results[size] = figures
        rows += table
    print_table(rows)
    line = {**results[args.headline], "floor_parser": parser_name, "cores": cores}
    line["sizes"] = {str(size): results[size] for size in sizes}
    if args.real:
        from . import real

        options = ["--repeat", str(args.repeat), "--naive-repeat", str(naive_repeat(args))]
        options += ["--no-naive"] if args.no_naive else []
        line["real"] = real.main([str(args.real), *options])
    print(json.dumps(line))
    return line


def measure_size(
    archive: synthetic.Archive, workdir: Path, parser_name: str, args: argparse.Namespace
) -> tuple[dict[str, object], list[tuple[str, ...]]]:
    size = archive.articles
    megabytes = archive.size_bytes() / 1e6
    pages = [str(folder) for folder in archive.page_folders]
    warcs = [str(path) for path in archive.warc_files]
    runs = workdir / f"runs-{size}"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir()

    def ingest(db: str, paths: list[str], workers: int, *, fresh: bool = True) -> Timing:
        command = [sys.executable, "-m", "monitor", "ingest", "--workers", str(workers)]
        command += ["--db", str(runs / db), *paths]
        cpus = ONE_CORE if workers == 1 else None
        return Timing(command, cpus, runs, [runs / db] if fresh else [])

    def step(db: str, workers: int) -> Timing:
        command = [sys.executable, "-m", "benchmarks.ingest_step", str(runs / db), str(workers)]
        return Timing(command + pages, ONE_CORE if workers == 1 else None, REPO, [runs / db])

    floor_arguments = [str(archive.root), str(size), str(runs / "floor.db"), parser_name]
    timings = {
        "one": ingest("one.db", pages, 1),
        # Right after "one" in every round: the same files again, nothing changed.
        "rerun": ingest("one.db", pages, 1, fresh=False),
        "two": ingest("two.db", pages, 2),
        "step": step("step.db", 1),
        "step_two": step("step2.db", 2),
        "startup": Timing([sys.executable, "-m", "monitor", "--version"], ONE_CORE, runs),
        "floor": Timing(
            [sys.executable, "-m", "benchmarks.floor", *floor_arguments],
            ONE_CORE,
            REPO,
            [runs / "floor.db"],
        ),
    }
    if not args.no_warc:
        timings["warc_one"] = ingest("warc-one.db", warcs, 1)
        timings["warc_two"] = ingest("warc-two.db", warcs, 2)
    if not args.no_naive:
        naive_command = [sys.executable, "-m", "benchmarks.naive", str(runs / "naive.db"), *pages]
        timings["naive"] = Timing(naive_command, ONE_CORE, REPO, [runs / "naive.db"])
    print(f"\n{size} articles, {megabytes:.0f} MB of HTML", flush=True)
    best = best_of_rounds(args.repeat, timings, {"naive": naive_repeat(args)})
    one, rerun, two, base = best["one"], best["rerun"], best["two"], best["floor"]
    print(f"  ingest, 1 worker: {one.seconds:.2f} s; rerun: {rerun.seconds:.2f} s")
    print(f"  ingest, 2 workers: {two.seconds:.2f} s")
    print(f"  ingest step alone: {best['step'].seconds:.2f} s, 2 workers ", end="")
    print(f"{best['step_two'].seconds:.2f} s; start-up: {best['startup'].seconds:.2f} s")
    print(f"  floor: {base.seconds:.2f} s", flush=True)
    table = [
        row(size, "monitor ingest, 1 worker", one, size, megabytes),
        row(size, "monitor ingest, rerun unchanged", rerun, size, megabytes),
        row(size, "monitor ingest, 2 workers", two, size, megabytes),
        row(size, "ingest step alone (no trends), 1 worker", best["step"], size, megabytes),
        row(size, "ingest step alone (no trends), 2 workers", best["step_two"], size, megabytes),
        row(size, "monitor --version (start-up)", best["startup"], size, megabytes),
    ]
    figures: dict[str, object] = {
        "articles": size,
        "articles_per_s": round(size / one.seconds, 1),
        "mb_per_s": round(megabytes / one.seconds, 2),
        "ingest_s": round(one.seconds, 3),
        "two_worker_s": round(two.seconds, 3),
        "two_worker_speedup": round(one.seconds / two.seconds, 3),
        "rerun_s": round(rerun.seconds, 3),
        "peak_rss_mb": round(one.peak_rss_mb, 1),
        "two_worker_peak_rss_mb": round(two.peak_rss_mb, 1),
        "two_worker_peak_pss_mb": round(two.peak_pss_mb or 0, 1),
        "identical_one_and_two_workers": same_rows(runs / "one.db", runs / "two.db"),
    }
    if not args.no_warc:
        warc_one, warc_two = best["warc_one"], best["warc_two"]
        print(f"  WARC: {warc_one.seconds:.2f} s, 2 workers {warc_two.seconds:.2f} s")
        table += [
            row(size, "monitor ingest WARC, 1 worker", warc_one, size, megabytes),
            row(size, "monitor ingest WARC, 2 workers", warc_two, size, megabytes),
        ]
        figures["warc_articles_per_s"] = round(size / warc_one.seconds, 1)
        figures["warc_two_worker_speedup"] = round(warc_one.seconds / warc_two.seconds, 3)
        figures["warc_peak_rss_mb"] = round(warc_one.peak_rss_mb, 1)
    table.append(row(size, "floor", base, size, megabytes))
    figures["floor_s"] = round(base.seconds, 3)
    figures["ratio_to_floor"] = round(one.seconds / base.seconds, 3)
    figures["ingest_step_s"] = round(best["step"].seconds, 3)
    figures["ingest_step_ratio_to_floor"] = round(best["step"].seconds / base.seconds, 3)
    figures["ingest_step_two_worker_speedup"] = round(
        best["step"].seconds / best["step_two"].seconds, 3
    )
    figures["startup_s"] = round(best["startup"].seconds, 3)
    if not args.no_naive:
        naive = best["naive"]
        print(f"  naive: {naive.seconds:.2f} s", flush=True)
        table.append(
            row(size, "naive (BeautifulSoup, VADER per post, row inserts)", naive, size, megabytes)
        )
        figures["naive_s"] = round(naive.seconds, 3)
        figures["speedup_vs_naive"] = round(naive.seconds / one.seconds, 2)
    return figures, table


@dataclass(frozen=True, slots=True)
class Timing:
    """A command to time: on which cores, from which folder, with which databases deleted
    before each run (none: it runs on what the previous command left)."""

    command: list[str]
    cpus: set[int] | None
    cwd: Path
    fresh: list[Path] = field(default_factory=list)


def add_repeat_options(parser: argparse.ArgumentParser) -> None:
    """``--repeat`` and ``--naive-repeat``, as every benchmark of the ingest takes them."""
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each timing, the fastest kept (default 3)"
    )
    parser.add_argument(
        "--naive-repeat",
        type=int,
        help="runs of the naive script, the fastest kept (default: as many as --repeat)",
    )


def naive_repeat(args: argparse.Namespace) -> int:
    return args.repeat if args.naive_repeat is None else args.naive_repeat


def best_of_rounds(
    repeat: int, timings: dict[str, Timing], rounds: dict[str, int] | None = None
) -> dict[str, Run]:
    """Each timing's fastest run, the timings run in turn ``repeat`` times over: a machine
    that slows down or speeds up for a while then weighs on every figure alike, rather than
    on the ratios between them.

    :param rounds: for some timings, how many rounds they run in (the first ones), when not
        every round
    """
    rounds = rounds or {}
    runs: dict[str, list[Run]] = {name: [] for name in timings}
    for number in range(max(1, repeat, *rounds.values())):
        for name, timing in timings.items():
            if number >= max(1, rounds.get(name, repeat)):
                continue
            for database in timing.fresh:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{database}{suffix}").unlink(missing_ok=True)
            runs[name].append(measure(timing.command, cpus=timing.cpus, cwd=timing.cwd))
    return {name: _fastest(done) for name, done in runs.items()}


def _fastest(runs: list[Run]) -> Run:
    """The fastest of ``runs`` (the others were slowed by something else), with the highest
    peak memory of them all."""
    fastest = min(runs, key=lambda run: run.seconds)
    pss = [run.peak_pss_mb for run in runs if run.peak_pss_mb]
    return Run(
        fastest.seconds,
        max(run.peak_rss_mb for run in runs),
        max(pss) if pss else None,
        fastest.output,
    )


def measure(command: list[str], *, cpus: set[int] | None, cwd: Path) -> Run:
    """Run ``command`` to its end; its wall time and peak memory.

    :param cpus: the cores the process (and any it starts) may use; all when ``None``.
    """
    # As a user runs it: no monitor settings from this shell, and bytecode cached (where
    # the shell says not to write it, every run would compile the monitor's modules anew).
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MONITOR_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    environment["PYTHONPATH"] = str(REPO)
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )
        peaks = {"rss": 0.0, "pss": 0.0}
        running = threading.Event()
        running.set()
        sampler = threading.Thread(target=_sample, args=(process.pid, peaks, running))
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        running.clear()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode not in (0,):
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{text}")
    # ru_maxrss is in KiB on Linux: the peak of the process (or of its largest child).
    own_peak = usage.ru_maxrss / 1024
    return Run(seconds, max(own_peak, peaks["rss"]), peaks["pss"] or None, text)


def _sample(pid: int, peaks: dict[str, float], running: threading.Event) -> None:
    """Track the peak summed RSS of the process and its workers every 0.1 s (from statm:
    cheap), and their peak summed PSS every 0.5 s while workers run (reading smaps costs the
    measured processes time). The list of workers is refreshed every 0.5 s: listing them
    scans /proc, which would cost the measured run a few per cent of the machine."""
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    processes = [root]
    last_scan = 0.0
    while running.is_set():
        try:
            now = time.monotonic()
            if now - last_scan >= 0.5:
                last_scan = now
                processes = [root, *root.children(recursive=True)]
                if len(processes) > 1:
                    pss = sum(process.memory_full_info().pss for process in processes)
                    peaks["pss"] = max(peaks["pss"], pss / 2**20)
            rss = sum(process.memory_info().rss for process in processes)
            peaks["rss"] = max(peaks["rss"], rss / 2**20)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
        time.sleep(0.1)


def fastest_parser(sample: synthetic.Archive) -> tuple[str, dict[str, float]]:
    """The parser of ``benchmarks.floor`` that parses the sample's pages fastest here."""
    paths = [path for folder in sample.page_folders for path in sorted(folder.rglob("*.html"))]
    pages = [path.read_bytes() for path in paths[:500]]
    times = {}
    for name, parse in floor.available_parsers().items():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for page in pages:
                parse(page)
            best = min(best, time.perf_counter() - start)
        times[name] = best / len(pages) * 1000
    return min(times, key=times.__getitem__), times


def same_rows(first: Path, second: Path) -> bool:
    """Whether two monitor databases hold the same rows (times of ingest aside)."""
    dumps = []
    for path in (first, second):
        conn = sqlite3.connect(path)
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
                "AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations'"
            )
        ]
        dump = {}
        for table in tables:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")]
            kept = ", ".join(f"[{c}]" for c in columns if c not in TIME_COLUMNS) or "1"
            dump[table] = sorted(map(repr, conn.execute(f"SELECT {kept} FROM [{table}]")))
        conn.close()
        dumps.append(dump)
    return dumps[0] == dumps[1]


def row(size: int, label: str, run: Run, articles: int, megabytes: float) -> tuple[str, ...]:
    pss = f"{run.peak_pss_mb:.0f}" if run.peak_pss_mb else ""
    return (
        f"{size:,}",
        label,
        f"{run.seconds:.2f}",
        f"{articles / run.seconds:,.0f}",
        f"{megabytes / run.seconds:.1f}",
        f"{run.peak_rss_mb:.0f}",
        pss,
    )


def print_table(rows: list[tuple[str, ...]]) -> None:
    header = ("articles", "run", "seconds", "articles/s", "MB/s", "peak RSS MB", "peak PSS MB")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print()
    for line in [header, tuple("-" * w for w in widths), *rows]:
        print(
            " | ".join(
                cell.ljust(w) if i < 2 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    print()
