"""The benchmark's machinery on a tiny archive (the benchmark itself runs outside the tests:
``python -m benchmarks``): the synthetic pages hold exactly the embeds their manifest lists,
in WARC form too, the floor and the naive script run, and the JSON line has every figure."""

from __future__ import annotations

import json
import sqlite3

import pytest

from benchmarks import archive as synthetic
from benchmarks import floor, phases
from benchmarks import run as benchmark
from monitor import extract, iter_documents

FIGURES = (
    "articles_per_s",
    "mb_per_s",
    "speedup_vs_naive",
    "ratio_to_floor",
    "two_worker_speedup",
    "rerun_s",
    "peak_rss_mb",
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> synthetic.Archive:
    return synthetic.generate(tmp_path_factory.mktemp("bench") / "archive", 20)


def test_pages_hold_exactly_the_posts_of_their_manifest(tiny):
    entries = list(tiny.manifest())
    assert len(entries) == 20 and any(entry["posts"] for entry in entries)
    by_url = {}
    for entry in entries:
        [document] = iter_documents(tiny.root / entry["path"])
        extraction = extract(document)
        assert sorted(post.id for post in extraction.posts) == sorted(entry["posts"])
        assert extraction.article.url == entry["url"]
        assert 30_000 <= entry["bytes"] <= 200_000
        by_url[entry["url"]] = len(document.text)
    [warc] = tiny.warc_files
    assert {d.url: len(d.text) for d in iter_documents(warc)} == by_url


def test_the_archive_is_the_same_for_the_same_seed(tiny, tmp_path):
    again = synthetic.generate(tmp_path / "again", 20)
    for entry in tiny.manifest():
        path = entry["path"]
        assert (again.root / path).read_bytes() == (tiny.root / path).read_bytes()


def test_the_floor_parses_every_page_and_stores_every_row(tiny, tmp_path):
    assert floor.run(tiny, str(tmp_path / "floor.db"), "selectolax-lexbor (bytes)") == 20
    db = sqlite3.connect(tmp_path / "floor.db")
    links = sum(len(entry["posts"]) for entry in tiny.manifest())
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (20,)
    assert db.execute("SELECT count(*) FROM article_posts").fetchone() == (links,)


def test_the_phases_of_a_page_are_each_timed(tiny, capsys):
    per_page = phases.main([str(tiny.page_folders[0])])
    assert list(per_page) == [name for name, _ in phases.STEPS]
    assert all(seconds >= 0 for seconds in per_page.values())
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"20 pages under {tiny.page_folders[0]}; milliseconds per page:"
    assert len(lines) == len(phases.STEPS) + 2 and lines[-1].endswith("in all")


def test_the_naive_script_stores_articles_and_posts(tiny, tmp_path):
    pytest.importorskip("bs4")
    from benchmarks import naive

    naive.main(str(tmp_path / "naive.db"), [str(folder) for folder in tiny.page_folders])
    db = sqlite3.connect(tmp_path / "naive.db")
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (20,)
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] > 0


def test_the_last_line_is_json_with_every_figure_for_every_size(tiny, monkeypatch, capsys):
    pytest.importorskip("psutil")
    # Timing is not what is tested here: every command "takes" one second.
    monkeypatch.setattr(benchmark, "measure", lambda command, **_: benchmark.Run(1.0, 100.0))
    monkeypatch.setattr(benchmark, "same_rows", lambda first, second: True)
    workdir = tiny.root.parent
    line = benchmark.main(
        ["--sizes", "20", "--headline", "20", "--workdir", str(workdir), "--repeat", "1"]
    )
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == line
    for figure in FIGURES:
        assert figure in line
        assert figure in line["sizes"]["20"]


def test_rounds_run_every_timing_in_turn_and_a_slow_one_in_the_first_rounds_only(
    monkeypatch, tmp_path
):
    ran = []
    seconds = iter([3.0, 2.0, 9.0, 1.0, 4.0, 8.0, 5.0])

    def measure(command, **_):
        ran.append(command[0])
        return benchmark.Run(next(seconds), 10.0)

    monkeypatch.setattr(benchmark, "measure", measure)
    database = tmp_path / "naive.db"
    database.write_bytes(b"left by an earlier run")
    timings = {
        "one": benchmark.Timing(["one"], None, tmp_path),
        "two": benchmark.Timing(["two"], None, tmp_path),
        "naive": benchmark.Timing(["naive"], None, tmp_path, [database]),
    }
    best = benchmark.best_of_rounds(3, timings, {"naive": 1})
    assert ran == ["one", "two", "naive", "one", "two", "one", "two"]
    assert {name: run.seconds for name, run in best.items()} == {
        "one": 1.0,
        "two": 2.0,
        "naive": 9.0,
    }
    assert not database.exists()  # each run of a timing starts without its databases
