from __future__ import annotations

import gzip
import json

import pytest

from monitor import ingest, open_db
from monitor.archives import ArchiveError, iter_documents
from monitor.models import HTML, PLAIN, Document

NEWS_PLEASE = {
    "authors": ["Jane Doe"],
    "date_download": "2024-11-19 08:00:12",
    "date_modify": None,
    "date_publish": "2024-11-18 21:30:00",
    "description": "Reactions",
    "language": "en",
    "source_domain": "www.example-news.co.uk",
    "title": "How readers reacted",
    "url": "https://www.example-news.co.uk/world/reactions",
    "maintext": "Readers were alarmed.\n\nThis is terrifying. #WW3\n\n"
    "— Dana Miller (@danamiller_) November 17, 2024\n\nMore soon.",
}
WITH_HTML = {
    "url": "https://blog.example.org/p/1",
    "html": '<html lang="de"><head><title>Blog</title></head><body>'
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Hello</p>&mdash; A (@a) '
    '<a href="https://twitter.com/a/status/1196501054197649413">x</a></blockquote></body></html>',
}


def write_lines(path, lines: list[str], compress: bool = False) -> None:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)


def test_news_please_records_and_html_records(tmp_path):
    path = tmp_path / "export.jsonl"
    write_lines(path, [json.dumps(NEWS_PLEASE), "", json.dumps(WITH_HTML)])
    assert list(iter_documents(path)) == [
        Document(
            source_path=str(path),
            text=NEWS_PLEASE["maintext"],
            media_type=PLAIN,
            locator="line=1",
            url="https://www.example-news.co.uk/world/reactions",
            fetched_at="2024-11-19T08:00:12",
            title="How readers reacted",
            published_at="2024-11-18T21:30:00",
            lang="en",
        ),
        Document(
            source_path=str(path),
            text=WITH_HTML["html"],
            media_type=HTML,
            locator="line=3",
            url="https://blog.example.org/p/1",
        ),
    ]


def test_gzipped_and_ndjson_suffixes(tmp_path):
    for name in ("a.jsonl.gz", "a.ndjson.gz"):
        write_lines(tmp_path / name, [json.dumps(WITH_HTML)], compress=True)
        assert [d.locator for d in iter_documents(tmp_path / name)] == ["line=1"]
    write_lines(tmp_path / "a.ndjson", [json.dumps({"text": "plain", "url": None})])
    assert [(d.text, d.url) for d in iter_documents(tmp_path / "a.ndjson")] == [("plain", None)]


def test_bad_lines_are_skipped_then_reported(tmp_path):
    path = tmp_path / "export.jsonl"
    write_lines(path, ["{broken", json.dumps(WITH_HTML), "[1, 2]", "null", '"text"'])
    documents = []
    with pytest.raises(ArchiveError) as raised:
        documents.extend(iter_documents(path))
    assert [d.locator for d in documents] == ["line=2"]
    assert str(raised.value) == (
        "4 bad records skipped: line 1: not JSON (Expecting property name enclosed in double "
        "quotes); line 3: not a JSON object; line 4: not a JSON object and 1 more"
    )


def test_truncated_gzip_keeps_the_records_before_the_cut(tmp_path):
    path = tmp_path / "export.jsonl.gz"
    lines = [json.dumps({**WITH_HTML, "url": f"https://x.example/{n}"}) for n in range(400)]
    write_lines(path, lines, compress=True)
    path.write_bytes(path.read_bytes()[:-200])
    documents = []
    with pytest.raises(ArchiveError, match=r"^truncated or corrupt gzip stream after \d+ records"):
        documents.extend(iter_documents(path))
    assert 0 < len(documents) < 400
    assert [d.locator for d in documents] == [f"line={n}" for n in range(1, len(documents) + 1)]


def test_record_metadata_wins_and_posts_are_found(tmp_path):
    path = tmp_path / "export.jsonl"
    write_lines(path, [json.dumps(NEWS_PLEASE), json.dumps(WITH_HTML)])
    db = open_db(tmp_path / "m.db")
    result = ingest([path], db)
    assert (result.documents, result.posts, result.failures) == (2, 2, [])
    articles = db.execute(
        "SELECT url, outlet, title, published_at, lang, locator FROM articles ORDER BY locator"
    ).fetchall()
    assert articles == [
        (
            "https://www.example-news.co.uk/world/reactions",
            "example-news.co.uk",
            "How readers reacted",
            "2024-11-18T21:30:00",
            "en",
            "line=1",
        ),
        ("https://blog.example.org/p/1", "example.org", "Blog", None, "de", "line=2"),
    ]
    assert db.execute("SELECT author_handle, posted_at FROM posts ORDER BY 1").fetchall() == [
        ("a", "2019-11-18T18:50:55+00:00"),
        ("danamiller_", "2024-11-17"),
    ]
