"""Costs that must not grow with the database: the same work on a database of 5,000 articles
and on one of 50,000.

Usage: ``python -m benchmarks.growth [--repeat 5] [--workdir DIR]``. It writes the synthetic
archive (``benchmarks.archive``: a month of news, November 2024), ingests 5,000 of its
articles, and makes the big database from the small one as a long-running monitor would
have it: the same month's rows nine more times, each copy moved a month further back
(ids, paths and times shifted), so that both end on the same month at the same density and
differ only in history. On each, as a user runs them, it times (the fastest of
``--repeat``, each a process of its own, on one core):

* adding 10 new archive files of that month (``monitor ingest``, into a fresh copy);
* ``monitor spikes`` over the month, ``monitor report --date`` of one day of it, and
  ``monitor trends --hashtag`` over the month.

It prints each cost on both databases and their ratio (within 10% is the aim), the size of
each database per article and per post, and what the largest tables and indexes take; last,
one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from . import archive as synthetic
from .run import ONE_CORE, Timing, best_of_rounds, measure

SMALL, COPIES, NEW_FILES = 5000, 10, 10
MONTH = ("2024-11-01", "2024-11-30")
DAY = "2024-11-15"
HASHTAG = "ww3"


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.growth", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="where the archive and databases go")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.gettempdir()) / "monitor-benchmark-growth"
    workdir.mkdir(parents=True, exist_ok=True)
    archive = synthetic.generate(workdir / "archive", SMALL + synthetic.SHARD, seed=1)
    folders = synthetic.Archive(archive.root, SMALL + synthetic.SHARD).page_folders
    small = workdir / "small.db"
    ingest = [sys.executable, "-m", "monitor", "ingest", "--workers", "2"]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{small}{suffix}").unlink(missing_ok=True)
    measure([*ingest, "--db", str(small), *map(str, folders[:-1])], cpus=None, cwd=workdir)
    big = workdir / "big.db"
    grow(small, big, COPIES)
    new_files = sorted(folders[-1].rglob("*.html"))[:NEW_FILES]
    results: dict[str, object] = {"databases": {}}
    costs: dict[str, dict[str, float]] = {}
    for name, db in (("small", small), ("big", big)):
        results["databases"][name] = store_size(db)
        costs[name] = measure_costs(db, new_files, workdir / f"runs-{name}", args.repeat)
    ratios = {step: round(costs["big"][step] / costs["small"][step], 3) for step in costs["small"]}
    results.update(costs=costs, ratios=ratios, max_ratio=max(ratios.values()))
    print_report(results)
    print(json.dumps(results))
    return results


def grow(small: Path, big: Path, copies: int) -> None:
    """``big``: ``small`` and ``copies - 1`` copies of its rows, each a month further back."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{big}{suffix}").unlink(missing_ok=True)
    source = sqlite3.connect(small)
    target = sqlite3.connect(big)
    source.backup(target)
    source.close()
    with target:
        for copy in range(1, copies):
            days = f"-{30 * copy} days"
            mark = f"~{copy}"
            target.execute(
                "INSERT INTO archive_files SELECT path || ?1, size, mtime_ns, sha256, status, "
                "documents, posts, error, ingested_at FROM archive_files WHERE path NOT LIKE '%~%'",
                [mark],
            )
            target.execute(
                "INSERT INTO articles SELECT id || ?1, url || ?1, outlet, title, "
                f"{_shifted('published_at')}, lang, source_path || ?1, locator, "
                f"{_shifted('fetched_at')} FROM articles WHERE id NOT LIKE '%~%'",
                [mark, days],
            )
            target.execute(
                "INSERT INTO posts SELECT id || ?1, platform, post_id || ?1, url || ?1, "
                f"author_name, author_handle, {_shifted('posted_at')}, lang, lang_hint, text, "
                "compound, pos, neu, neg, scorer, mentions, links, has_media, is_reply, "
                "first_seen_at FROM posts WHERE id NOT LIKE '%~%'",
                [mark, days],
            )
            target.execute(
                "INSERT INTO article_posts SELECT article_id || ?1, post_id || ?1, position, "
                "method, placement, position_share, context_before, context_after, "
                "framing_lang, framing_compound, framing_pos, framing_neu, framing_neg, "
                "framing_scorer FROM article_posts WHERE post_id NOT LIKE '%~%'",
                [mark],
            )
            target.execute(
                "INSERT INTO post_hashtags SELECT post_id || ?1, hashtag FROM post_hashtags "
                "WHERE post_id NOT LIKE '%~%'",
                [mark],
            )
            target.execute(
                "INSERT INTO coverage SELECT source_path || ?1, CASE WHEN length(hour) = 13 "
                "THEN strftime('%Y-%m-%dT%H', hour || ':00', ?2) WHEN hour = '' THEN '' "
                "ELSE date(hour, ?2) END, outlet, platform, articles, posts FROM coverage "
                "WHERE source_path NOT LIKE '%~%'",
                [mark, days],
            )
        target.execute("DELETE FROM trends")
    target.execute("VACUUM")
    target.close()
    # The trends of every day, as the refreshes after each month's ingests left them.
    from monitor.store import open_db
    from monitor.trends import refresh_trends

    db = open_db(big)
    refresh_trends(db, full=True)
    db.close()


def _shifted(column: str) -> str:
    """SQL for ``column`` (an ISO time or date, or NULL) moved by the ``?2`` modifier."""
    return (
        f"CASE WHEN {column} IS NULL THEN NULL WHEN length({column}) <= 10 "
        f"THEN date({column}, ?2) "
        f"ELSE strftime('%Y-%m-%dT%H:%M:%S+00:00', {column}, ?2) END"
    )


def measure_costs(db: Path, new_files: list[Path], runs: Path, repeat: int) -> dict[str, float]:
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir(parents=True)
    copy = runs / "added.db"
    monitor = [sys.executable, "-m", "monitor"]
    reads = {
        "spikes": [*monitor, "spikes", "--db", str(db), "--since", MONTH[0], "--until", MONTH[1],
                   "--format", "csv"],
        "report": [*monitor, "report", "--db", str(db), "--date", DAY, "--out", str(runs)],
        "trends": [*monitor, "trends", "--db", str(db), "--hashtag", HASHTAG, "--since",
                   MONTH[0], "--until", MONTH[1], "--format", "csv"],
    }  # fmt: skip
    timings = {name: Timing(command, ONE_CORE, runs) for name, command in reads.items()}
    best = best_of_rounds(repeat, timings)
    added = []
    for _ in range(max(1, repeat)):
        shutil.copy(db, copy)
        command = [*monitor, "ingest", "--workers", "1", "--db", str(copy), *map(str, new_files)]
        added.append(measure(command, cpus=ONE_CORE, cwd=runs).seconds)
    costs = {name: round(run.seconds, 3) for name, run in best.items()}
    costs["add_10_files"] = round(min(added), 3)
    return costs


def store_size(path: Path) -> dict[str, object]:
    """The database's size per article and per post, and its largest tables and indexes."""
    conn = sqlite3.connect(path)
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    size = path.stat().st_size
    try:
        parts = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8"
        ).fetchall()
    except sqlite3.OperationalError:  # SQLite built without the dbstat table
        parts = []
    conn.close()
    return {
        "articles": articles,
        "posts": posts,
        "mb": round(size / 1e6, 2),
        "bytes_per_article": round(size / articles),
        "bytes_per_post": round(size / posts),
        "largest": {name: round(bytes_ / size, 3) for name, bytes_ in parts},
    }


def print_report(results: dict[str, object]) -> None:
    costs, ratios = results["costs"], results["ratios"]
    print(f"\n{'step':<14} {'5,000 articles':>15} {'50,000':>10} {'ratio':>7}")
    for step, ratio in ratios.items():
        print(
            f"{step:<14} {costs['small'][step]:>13.3f} s {costs['big'][step]:>8.3f} s {ratio:>7.3f}"
        )
    for name, size in results["databases"].items():
        print(
            f"\n{name}: {size['articles']:,} articles, {size['posts']:,} posts, {size['mb']} MB: "
            f"{size['bytes_per_article']:,} bytes per article, {size['bytes_per_post']:,} per post"
        )
        for part, share in size["largest"].items():
            print(f"  {share:6.1%}  {part}")


if __name__ == "__main__":
    main()
