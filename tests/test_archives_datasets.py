"""Datasets of articles, one a row: Parquet and CSV files written with pandas from the
sample archive's pages give what the pages give; columns of other names are named with
--columns; truncated, corrupt and empty files say so."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from monitor import ingest, open_db
from monitor.archives import ArchiveError, iter_documents
from monitor.archives.columns import ColumnsError, parse_columns

SAMPLE = Path(__file__).resolve().parents[1] / "monitor" / "data" / "sample"


def sample_rows() -> pd.DataFrame:
    """The sample archive's documents as a dataset would hold them: a page's HTML in
    ``html``, a text's words in ``maintext``."""
    rows = []
    for path in sorted(SAMPLE.iterdir()):
        for document in iter_documents(path):
            page = document.media_type == "text/html"
            rows.append(
                {
                    "url": document.url,
                    "html": document.text if page else None,
                    "maintext": None if page else document.text,
                    "title": document.title,
                }
            )
    return pd.DataFrame(rows)


def found(archive: Path, tmp_path: Path, **options) -> dict[str, list[tuple]]:
    """The posts, hashtags and embeds an ingest of ``archive`` stores."""
    with open_db(tmp_path / f"{archive.name}.db") as db:
        ingest([str(archive)], db, **options)
        return {
            "posts": db.execute(
                "SELECT id, platform, url, author_handle, posted_at, lang, text, compound"
                " FROM posts ORDER BY id"
            ).fetchall(),
            "hashtags": db.execute("SELECT * FROM post_hashtags ORDER BY 1, 2").fetchall(),
            "embeds": db.execute(
                "SELECT a.url, ap.post_id, ap.position, ap.method, ap.placement,"
                " ap.position_share, ap.context_before, ap.context_after, ap.framing_compound"
                " FROM article_posts ap JOIN articles a ON a.id = ap.article_id"
                " ORDER BY 2, 1, 3, 7"
            ).fetchall(),
        }


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".csv.gz"])
def test_a_dataset_of_the_sample_pages_gives_what_the_pages_give(suffix, tmp_path):
    dataset = tmp_path / f"sample{suffix}"
    rows = sample_rows()
    if suffix == ".parquet":
        rows.to_parquet(dataset, row_group_size=2)  # read a batch at a time, across groups
    else:
        rows.to_csv(dataset, index=False)
    assert found(dataset, tmp_path) == found(SAMPLE, tmp_path)
    documents = list(iter_documents(dataset))
    assert [d.locator for d in documents] == [f"row={n}" for n in range(1, 7)]
    assert [d.media_type for d in documents] == [
        "text/html", "text/html", "text/plain", "text/plain", "text/html", "text/html",
    ]  # fmt: skip


def test_columns_of_other_names_are_named_on_the_command_line(tmp_path):
    rows = sample_rows().rename(columns={"url": "link", "html": "page", "maintext": "words"})
    dataset = tmp_path / "odd.parquet"
    rows.to_parquet(dataset)
    command = [
        sys.executable,
        "-m",
        "monitor",
        "ingest",
        str(dataset),
        "--db",
        str(tmp_path / "m.db"),
    ]
    failed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
    assert failed.stderr == (
        f"failed: {dataset}: no column holds the articles: expected one named html, raw_html, "
        "content, text or maintext; name it with --columns html=NAME or text=NAME (and "
        "--retry-failed to read this file again); the columns are link, page, words, title\n"
    )
    named = [*command, "--columns", "html=page,text=words,url=link", "--retry-failed"]
    done = subprocess.run(named, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert "6 documents, 12 embedded posts" in done.stdout
    assert found(dataset, tmp_path, columns={"html": "page", "text": "words", "url": "link"}) == (
        found(SAMPLE, tmp_path)
    )
    # A file already read is not read again for another mapping: a new database here.
    fresh = [*command[:-1], str(tmp_path / "fresh.db"), "--columns", "html=body"]
    wrong = subprocess.run(fresh, capture_output=True, text=True, timeout=120)
    assert "no column 'body' (for html); the columns are link, page, words, title" in wrong.stderr


def test_a_mapping_is_field_equals_column():
    assert parse_columns("url=link, html = body") == {"url": "link", "html": "body"}
    assert parse_columns(None) == {}
    with pytest.raises(ColumnsError, match="unknown field 'htm'"):
        parse_columns("htm=body")
    with pytest.raises(ColumnsError, match="'html' is not FIELD=COLUMN"):
        parse_columns("html")


def test_truncated_corrupt_and_empty_datasets(tmp_path):
    rows = sample_rows()
    parquet = tmp_path / "cut.parquet"
    rows.to_parquet(parquet)
    whole = parquet.read_bytes()
    parquet.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ArchiveError, match="not a Parquet file, or cut off or corrupt"):
        list(iter_documents(parquet))
    gz = tmp_path / "cut.csv.gz"
    rows.to_csv(gz, index=False)
    data = gz.read_bytes()
    gz.write_bytes(data[: len(data) // 2])
    read = []
    with pytest.raises(ArchiveError, match="truncated or corrupt gzip stream after"):
        read.extend(iter_documents(gz))
    assert 0 < len(read) < 6  # the rows before the cut are kept
    junk_parquet = tmp_path / "junk.parquet"
    junk_parquet.write_bytes(b"PAR1 not a Parquet file at all" * 20)
    with pytest.raises(ArchiveError, match="not a Parquet file, or cut off or corrupt"):
        list(iter_documents(junk_parquet))
    junk = tmp_path / "junk.csv"
    junk.write_bytes(gzip.compress(b"binary") * 50)
    with pytest.raises(ArchiveError, match="no column holds the articles"):
        list(iter_documents(junk))
    for name in ("empty.parquet", "empty.csv", "empty.csv.gz"):
        (tmp_path / name).write_bytes(b"")
        assert list(iter_documents(tmp_path / name)) == []
