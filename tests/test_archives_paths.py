"""Expanding files, folders and glob patterns into the archive files to read."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from monitor.archives import expand_paths, paths_from


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in (
        "a.html",
        "b.warc.gz",
        "notes.pdf",
        "plain.gz",
        ".hidden.html",
        ".git/x.html",
        "sub/c.TXT",
        "sub/deeper/d.md.gz",
        "sub/.cache/e.html",
        "other/f.htm",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    return tmp_path


def test_folder_is_searched_recursively_for_archive_files(tree: Path):
    assert expand_paths([tree]) == [
        tree / "a.html",
        tree / "b.warc.gz",
        tree / "other/f.htm",
        tree / "sub/c.TXT",
        tree / "sub/deeper/d.md.gz",
    ]


def test_files_named_explicitly_are_kept_whatever_their_suffix(tree: Path):
    assert expand_paths([tree / "notes.pdf", tree / ".hidden.html"]) == [
        tree / ".hidden.html",
        tree / "notes.pdf",
    ]


def test_glob_patterns(tree: Path):
    assert expand_paths([f"{tree}/*.html"]) == [tree / "a.html"]
    assert expand_paths([f"{tree}/**/*.html"]) == [tree / "a.html"]
    assert expand_paths([f"{tree}/**/*.gz"]) == [tree / "b.warc.gz", tree / "sub/deeper/d.md.gz"]
    assert expand_paths([f"{tree}/s?b/**"]) == [tree / "sub/c.TXT", tree / "sub/deeper/d.md.gz"]


def test_glob_matching_folders_searches_them(tree: Path):
    assert expand_paths([f"{tree}/[os]*"]) == [
        tree / "other/f.htm",
        tree / "sub/c.TXT",
        tree / "sub/deeper/d.md.gz",
    ]


def test_result_is_sorted_and_each_file_once(tree: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tree)
    # Each file keeps the spelling it was first found under; paths sort as pathlib does.
    assert expand_paths(["sub", "a.html", "./a.html", "sub/../a.html", "*.html", tree]) == [
        tree / "b.warc.gz",
        tree / "other/f.htm",
        Path("a.html"),
        Path("sub/c.TXT"),
        Path("sub/deeper/d.md.gz"),
    ]


def test_relative_paths_stay_relative(tree: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tree / "sub")
    assert expand_paths(["."]) == [Path("c.TXT"), Path("deeper/d.md.gz")]


def test_a_single_path_is_accepted(tree: Path):
    assert expand_paths(str(tree / "sub")) == [tree / "sub/c.TXT", tree / "sub/deeper/d.md.gz"]


def test_empty_folder_is_not_an_error(tree: Path):
    assert expand_paths([tree / "empty"]) == []
    assert expand_paths([]) == []


def test_missing_path_is_an_error(tree: Path):
    with pytest.raises(FileNotFoundError) as raised:
        expand_paths([tree / "a.html", tree / "missing.warc"])
    assert str(raised.value) == f"no such file or folder: '{tree / 'missing.warc'}'"


@pytest.mark.parametrize("pattern", ["*.warc", "*.pdf", "empty/*"])
def test_glob_without_archive_files_is_an_error(tree: Path, pattern: str):
    with pytest.raises(FileNotFoundError, match=r"^no archive files match '.*' \(supported: "):
        expand_paths([f"{tree}/{pattern}"])


LISTING = """# CC-NEWS 2024-11, as published
crawl-data/CC-NEWS/2024/11/CC-NEWS-20241117012334-01161.warc.gz

crawl-data/CC-NEWS/2024/11/CC-NEWS-20241117030118-01162.warc.gz
/srv/mirror/extra.warc.gz
https://mirror.example/else.warc.gz
"""


def test_a_listing_names_its_paths_in_order(tmp_path: Path):
    plain = tmp_path / "warc.paths"
    plain.write_text(LISTING, encoding="utf-8")
    packed = tmp_path / "warc.paths.gz"
    packed.write_bytes(gzip.compress(LISTING.encode()))
    expected = [
        "crawl-data/CC-NEWS/2024/11/CC-NEWS-20241117012334-01161.warc.gz",
        "crawl-data/CC-NEWS/2024/11/CC-NEWS-20241117030118-01162.warc.gz",
        "/srv/mirror/extra.warc.gz",
        "https://mirror.example/else.warc.gz",
    ]
    assert paths_from(plain) == paths_from(packed) == expected


def test_a_base_goes_before_the_relative_lines_only(tmp_path: Path):
    listing = tmp_path / "warc.paths"
    listing.write_text(LISTING, encoding="utf-8")
    assert paths_from(listing, base="https://data.commoncrawl.org") == [
        "https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/11/"
        "CC-NEWS-20241117012334-01161.warc.gz",
        "https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/11/"
        "CC-NEWS-20241117030118-01162.warc.gz",
        "/srv/mirror/extra.warc.gz",
        "https://mirror.example/else.warc.gz",
    ]
    assert paths_from(listing, base="/data/cc")[:2] == [
        "/data/cc/crawl-data/CC-NEWS/2024/11/CC-NEWS-20241117012334-01161.warc.gz",
        "/data/cc/crawl-data/CC-NEWS/2024/11/CC-NEWS-20241117030118-01162.warc.gz",
    ]


def test_a_damaged_listing_is_an_error(tmp_path: Path):
    broken = tmp_path / "warc.paths.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(OSError, match="Not a gzipped file"):
        paths_from(broken)
