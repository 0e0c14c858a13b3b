"""Bundles and WACZ web archives read as they are: ZIP and tar files of the sample archive
give what its folder gives, a WACZ what its WARCs give; damaged members are recorded and
the others read; truncated, corrupt and empty files say so."""

from __future__ import annotations

import gzip
import io
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from monitor import ingest, open_db
from monitor.archives import ArchiveError, iter_documents

from .corpus import CORPUS, require_corpus

SAMPLE = Path(__file__).resolve().parents[1] / "monitor" / "data" / "sample"
WACZ = Path(__file__).parent / "fixtures" / "wacz"


def stored(archive: Path, tmp_path: Path) -> dict[str, list[tuple]]:
    """What an ingest of ``archive`` stores, without what says where it was read from
    (article ids of pages without an address come from it)."""
    db_path = tmp_path / f"{archive.name}.db"
    with open_db(db_path) as db:
        ingest([str(archive)], db)
        return {
            "articles": db.execute(
                "SELECT url, outlet, title, published_at, lang, fetched_at FROM articles"
                " ORDER BY 1, 2, 3"
            ).fetchall(),
            "posts": db.execute(
                "SELECT id, platform, url, author_handle, posted_at, lang, text, compound, pos,"
                " neu, neg FROM posts ORDER BY id"
            ).fetchall(),
            "embeds": db.execute(
                "SELECT a.url, a.title, ap.post_id, ap.position, ap.method, ap.placement,"
                " ap.position_share, ap.context_before, ap.context_after, ap.framing_compound"
                " FROM article_posts ap JOIN articles a ON a.id = ap.article_id ORDER BY 1, 2, 3"
            ).fetchall(),
            "hashtags": db.execute("SELECT * FROM post_hashtags ORDER BY 1, 2").fetchall(),
        }


def bundle(kind: str, root: Path, members: dict[str, bytes]) -> Path:
    """A ZIP or tar file holding ``members``."""
    path = root / f"bundle{kind}"
    if kind == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return path
    mode = "w:gz" if kind in (".tar.gz", ".tgz") else "w"
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def sample_members() -> dict[str, bytes]:
    return {f"sample/{path.name}": path.read_bytes() for path in sorted(SAMPLE.iterdir())}


@pytest.mark.parametrize("kind", [".zip", ".tar", ".tar.gz", ".tgz"])
def test_a_bundle_of_the_sample_archive_gives_what_its_folder_gives(kind, tmp_path):
    packed = bundle(kind, tmp_path, {**sample_members(), "sample/logo.png": b"\x89PNG..."})
    assert stored(packed, tmp_path) == stored(SAMPLE, tmp_path)
    locators = sorted(d.locator for d in iter_documents(packed))
    assert locators == [
        "sample/2024-11-17-strikes-cleared.html",
        "sample/2024-11-18-reactions.html.gz",
        "sample/2024-11-19-escalation.txt",
        "sample/2024-11-21-doomscrolling.md",
        "sample/crawl-2024-11-20.warc.gz offset=1307",
        "sample/crawl-2024-11-20.warc.gz offset=321",
    ]
    assert {d.source_path for d in iter_documents(packed)} == {str(packed)}


def test_a_damaged_member_is_named_and_the_others_are_read(tmp_path):
    members = sample_members()
    members["sample/broken.html.gz"] = b"\x1f\x8b\x08\x00 not gzip at all"
    members["sample/huge.txt"] = b"a" * (64 * 1024 * 1024 + 1)  # over the document limit
    packed = bundle(".zip", tmp_path, members)
    documents = []
    with pytest.raises(ArchiveError) as failed:
        for document in iter_documents(packed):
            documents.append(document)
    assert len(documents) == 6
    assert str(failed.value) == (
        "2 bad members skipped: sample/broken.html.gz: corrupt gzip stream: Error -3 while "
        "decompressing data: invalid distance too far back; sample/huge.txt: document too "
        "large: more than 64 MiB"
    )


def test_a_bundle_in_a_bundle_is_read_one_level_deep(tmp_path):
    inner = bundle(".zip", tmp_path, sample_members()).read_bytes()
    innermost = bundle(
        ".tar",
        tmp_path,
        {"deep/page.html": (SAMPLE / "2024-11-17-strikes-cleared.html").read_bytes()},
    )
    outer = tmp_path / "outer.tgz"
    with tarfile.open(outer, "w:gz") as archive:
        for name, data in (("in.zip", inner), ("deeper/in.tar", innermost.read_bytes())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    locators = [d.locator for d in iter_documents(outer)]
    assert sorted(locators)[0] == "deeper/in.tar/deep/page.html"
    assert "in.zip/sample/2024-11-19-escalation.txt" in locators
    assert len(locators) == 7


@pytest.mark.parametrize("kind", [".zip", ".tar", ".tar.gz", ".wacz"])
def test_a_truncated_bundle_keeps_what_was_read_and_says_so(kind, tmp_path):
    whole = (
        (WACZ / "valid_signed_example_1.wacz").read_bytes()
        if kind == ".wacz"
        else bundle(kind, tmp_path, sample_members()).read_bytes()
    )
    cut = tmp_path / f"cut{kind}"
    # A tar ends in blocks of zeros: cut inside its members (the third is 4,000 bytes in).
    cut.write_bytes(whole[:4000] if kind == ".tar" else whole[: len(whole) * 2 // 3])
    with pytest.raises(ArchiveError, match=r"not a ZIP file|cut off or corrupt"):
        list(iter_documents(cut))


@pytest.mark.parametrize("kind", [".zip", ".tar", ".tar.gz", ".wacz"])
def test_an_empty_bundle_holds_nothing_and_junk_is_no_bundle(kind, tmp_path):
    empty = tmp_path / f"empty{kind}"
    empty.write_bytes(b"")
    assert list(iter_documents(empty)) == []
    junk = tmp_path / f"junk{kind}"
    junk.write_bytes(b"<html>not a bundle</html>" * 40)
    with pytest.raises(ArchiveError, match=r"not a ZIP file|cut off or corrupt"):
        list(iter_documents(junk))


def test_real_wacz_files_give_their_pages_with_the_titles_of_their_index():
    documents = {
        path.name: [(d.locator, d.url, d.title, d.fetched_at) for d in iter_documents(path)]
        for path in sorted(WACZ.glob("*.wacz"))
    }
    assert documents == {
        "valid_example_1.wacz": [
            ("archive/example-collection.warc offset=845", "http://www.example.com/",
             "Example Domain", "2020-10-07T21:22:36Z"),
        ],
        "valid_example_2.wacz": [
            ("archive/example-collection.warc offset=845", "http://www.example.com/",
             "Example Domain", "2020-10-07T21:22:36Z"),
        ],
        "valid_signed_example_1.wacz": [
            ("archive/rec-20220118190009690949-crawl-scheduled-a78c5705-3aec-46be-9eec-"
             "66ac994f1f4a-273757mtjt.warc.gz offset=0", "https://example.com/",
             "Example Domain", "2022-01-18T19:00:09Z"),
        ],
    }  # fmt: skip


def test_a_wacz_made_from_the_corpus_warcs_gives_what_the_warcs_give(tmp_path):
    require_corpus()
    wacz = Path(sys.executable).with_name("wacz")
    if not wacz.exists():
        pytest.skip("the wacz tool is installed with the test extra")
    warcs = tmp_path / "warcs"
    warcs.mkdir()
    for name in ("warc_hu_news_ngvmt.warc.gz", "warc_hu_news_next_page_of_article.warc.gz"):
        shutil.copy(CORPUS / name, warcs)
    made = tmp_path / "hu.wacz"
    subprocess.run(
        [wacz, "create", "-o", str(made), *sorted(map(str, warcs.iterdir()))],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert stored(made, tmp_path) == stored(warcs, tmp_path)
    first = next(iter_documents(made))
    assert first.locator.startswith("archive/warc_hu_news_")
    assert " offset=" in first.locator


def test_gzip_members_of_a_tar_are_streamed(tmp_path):
    # A .warc.gz member of a .tar.gz: gzip in gzip, each undone as it is read.
    warc = (SAMPLE / "crawl-2024-11-20.warc.gz").read_bytes()
    packed = bundle(
        ".tar.gz", tmp_path, {"crawl.warc.gz": warc, "note.txt.gz": gzip.compress(b"a note")}
    )
    assert [(d.locator, d.media_type) for d in iter_documents(packed)] == [
        ("crawl.warc.gz offset=321", "text/html"),
        ("crawl.warc.gz offset=1307", "text/html"),
        ("note.txt.gz", "text/plain"),
    ]


def test_files_read_by_seeking_are_read_from_a_tar_too(tmp_path):
    # A tar is read as a stream; a WACZ (a ZIP) and a Parquet file need to seek: they are
    # held in memory, up to the document limit.
    pd = pytest.importorskip("pandas")
    table = tmp_path / "pages.parquet"
    pd.DataFrame(
        {"html": [(SAMPLE / "2024-11-17-strikes-cleared.html").read_text(encoding="utf-8")]}
    ).to_parquet(table)
    packed = bundle(
        ".tar",
        tmp_path,
        {
            "crawl.wacz": (WACZ / "valid_example_1.wacz").read_bytes(),
            "pages.parquet": table.read_bytes(),
        },
    )
    assert [(d.locator, d.title) for d in iter_documents(packed)] == [
        ("crawl.wacz archive/example-collection.warc offset=845", "Example Domain"),
        ("pages.parquet row=1", None),
    ]
