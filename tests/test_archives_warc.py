"""Reading WARC files: which records become documents, where they are, and damaged files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from monitor.archives import ArchiveError, iter_documents, warc
from monitor.models import HTML, Document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "archives"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

FETCHED = "2024-11-19T08:00:00Z"
GZIPPED = "<html><body><p>Served gzipped</p></body></html>"
# The HTTP header says windows-1251, which wins over the page's wrong <meta>.
CYRILLIC = (
    '<html><head><meta charset="iso-8859-1"></head>'
    "<body>Реакция: «Третья мировая?» #WW3</body></html>"
)
XHTML = '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>XHTML</p></body></html>'

# Where the four HTML pages start in each form of the crawl fixture.
OFFSETS = {"crawl.warc.gz": (553, 1200, 2896, 4230), "crawl.warc": (733, 1660, 4104, 5946)}


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def crawl_documents(name: str) -> list[Document]:
    """The documents of crawl.warc[.gz] (or of a damaged copy with the same offsets)."""
    source = fixture(name)
    offsets = OFFSETS[name.replace("truncated", "crawl").replace("corrupt", "crawl")]
    page = (FIXTURES / "page.html").read_bytes().decode("utf-8")
    pages = [
        (page, "https://news.example/world/atacms"),
        (GZIPPED, "https://news.example/world/gzip"),
        (CYRILLIC, "https://news.example/ru"),
        (XHTML, "https://news.example/xhtml"),
    ]
    return [
        Document(source, text, HTML, locator=f"offset={offset}", url=url, fetched_at=FETCHED)
        for (text, url), offset in zip(pages, offsets, strict=True)
    ]


def read_until_error(path: str | Path) -> tuple[list[Document], ArchiveError | None]:
    documents: list[Document] = []
    try:
        for document in iter_documents(path):
            documents.append(document)
    except ArchiveError as error:
        return documents, error
    return documents, None


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_only_2xx_html_responses_become_documents(name: str):
    # Skipped: warcinfo, request, revisit, image/png, 404, metadata, resource, binary body
    # served as text/html, 301. Read: chunked, gzip-encoded, HTTP charset, XHTML.
    assert list(iter_documents(fixture(name))) == crawl_documents(name)
    # The same from the file's bytes, read by the caller.
    data = Path(fixture(name)).read_bytes()
    assert list(iter_documents(fixture(name), data=data)) == crawl_documents(name)


def test_chunked_and_gzip_encoded_bodies_are_decoded():
    chunked, gzipped, *_ = iter_documents(fixture("crawl.warc.gz"))
    assert chunked.text == (FIXTURES / "page.html").read_text(encoding="utf-8")
    assert gzipped.text == GZIPPED
    # UTF-8 bodies keep their bytes for the HTML parser.
    assert chunked.utf8 == (FIXTURES / "page.html").read_bytes()


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_locator_is_the_offset_warcio_can_seek_to(name: str):
    with open(fixture(name), "rb") as handle:
        for document in iter_documents(fixture(name)):
            handle.seek(int(document.locator.removeprefix("offset=")))
            record = next(iter(ArchiveIterator(handle)))
            assert record.rec_headers.get_header("WARC-Target-URI") == document.url


def test_binary_body_served_as_html_is_skipped_with_a_warning(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="monitor.archives.warc"):
        list(iter_documents(fixture("crawl.warc")))
    assert caplog.messages == [
        f"{fixture('crawl.warc')}: skipped https://news.example/mislabelled: "
        "not text: binary content (NUL bytes)"
    ]


def test_oversized_body_is_skipped(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(warc, "MAX_DOCUMENT_BYTES", 100)
    # All pages but the first are smaller than 100 bytes.
    assert [d.url for d in iter_documents(fixture("crawl.warc.gz"))] == [
        "https://news.example/world/gzip",
        "https://news.example/ru",
        "https://news.example/xhtml",
    ]


def test_truncated_warc_gz_yields_what_came_before_then_fails():
    documents, error = read_until_error(fixture("truncated.warc.gz"))
    assert documents == crawl_documents("truncated.warc.gz")[:3]
    assert str(error) == (
        "truncated gzip stream after 3 documents: the file ends inside the gzip member "
        "that starts at offset 4230"
    )
    assert error.path == fixture("truncated.warc.gz")


def test_truncated_warc_yields_what_came_before_then_fails():
    documents, error = read_until_error(fixture("truncated.warc"))
    assert documents == crawl_documents("truncated.warc")[:3]
    assert str(error) == (
        "truncated WARC after 3 documents: the record at offset 5946 is cut short "
        "(96 bytes missing)"
    )


def test_corrupt_warc_yields_what_came_before_then_fails():
    documents, error = read_until_error(fixture("corrupt.warc"))
    assert documents == crawl_documents("corrupt.warc")[:2]
    assert str(error) == (
        "corrupt WARC after 2 documents: at offset 3699: Invalid WARC record, first line: WARX/9.9"
    )


def test_gzip_trailer_cut_off_is_detected(tmp_path: Path):
    # Every record is whole; only the end of the last gzip member is missing.
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes((FIXTURES / "crawl.warc.gz").read_bytes()[:-4])
    documents, error = read_until_error(path)
    assert [d.url for d in documents] == [d.url for d in crawl_documents("crawl.warc.gz")]
    assert str(error) == (
        "truncated gzip stream after 4 documents: the file ends inside the gzip member "
        "that starts at offset 4230"
    )


def test_whole_file_gzip_is_refused_with_advice():
    documents, error = read_until_error(fixture("whole_file_gzip.warc.gz"))
    assert documents == []
    assert str(error) == (
        "unsupported WARC after 0 documents: the whole file is one gzip stream rather than "
        "one gzip member per record; rewrite it with `warcio recompress`"
    )


def test_not_a_warc_is_an_error(tmp_path: Path):
    path = tmp_path / "page.warc"
    path.write_bytes(b"<html><body>saved with the wrong name</body></html>\n")
    documents, error = read_until_error(path)
    assert documents == []
    assert str(error) == (
        "corrupt WARC after 0 documents: at offset 0: Invalid WARC record, first line: "
        "<html><body>saved with the wrong name</body></html>"
    )


def test_headers_warcio_trips_over_are_named_without_its_internals(tmp_path: Path):
    # No Content-Length: warcio fails with an AttributeError of its own.
    path = tmp_path / "page.warc"
    path.write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\n"
        b"Content-Type: application/http; msgtype=response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"
    )
    documents, error = read_until_error(path)
    assert documents == []
    assert str(error) == (
        "corrupt WARC after 0 documents: cannot parse the headers of the record at offset 0"
    )


def record_starts(path: Path) -> list[int]:
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        return [records.get_record_offset() for _ in records]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_every_cut_is_detected_and_located(name: str, tmp_path: Path):
    """Cut the file at many points: each cut inside a record is reported as a truncation
    naming that record's offset, after the documents that lie whole before the cut."""
    data = (FIXTURES / name).read_bytes()
    starts = record_starts(FIXTURES / name)
    ends = {start: end for start, end in zip(starts, [*starts[1:], len(data)], strict=True)}
    # The blank lines after an uncompressed record are not part of it.
    slack = 0 if name.endswith(".gz") else 4
    pages = [(d.locator, d.url, d.text) for d in crawl_documents(name)]
    offsets = OFFSETS[name]
    path = tmp_path / name
    cuts = {*range(1, len(data), 23), *(s + d for s in starts[1:] for d in (-5, -4, -1, 1))}
    for cut in sorted(cuts):
        path.write_bytes(data[:cut])
        documents, error = read_until_error(path)
        read = [(d.locator, d.url, d.text) for d in documents]
        whole = [p for p, o in zip(pages, offsets, strict=True) if ends[o] - slack <= cut]
        begun = [p for p, o in zip(pages, offsets, strict=True) if o < cut]
        assert read[: len(whole)] == whole, cut
        assert read == begun[: len(read)], cut
        inside = max(start for start in starts if start < cut)
        if error is None:
            # Only a cut between records, or in the blank lines after one, goes unnoticed.
            assert cut in starts or ends[inside] - slack <= cut, cut
            continue
        assert str(error).startswith("truncated "), (cut, str(error))
        assert f"offset {inside}" in str(error), (cut, str(error))


@pytest.mark.parametrize(
    ("name", "documents", "first_url"),
    [
        (
            "warc_hu_news_next_page_of_article.warc.gz",
            25,
            "https://index.hu/kulfold/2011/02/03/harom_tengerig_nyulo_tervet_dedelgetunk/",
        ),
        (
            "warc_hu_news_ngvmt.warc.gz",
            27,
            "https://merce.hu/2018/04/08/magyarorszag-valaszt/?loadall=1",
        ),
        # One response, one revisit of it (skipped: no body).
        ("warc_neg_warcio_example.warc.gz", 1, "http://example.com/"),
        ("warc_neg_jwarc_commoncrawl.warc.gz", 1, "http://commoncrawl.org/"),
        # 16 responses, of which 2 are 2xx HTML (the rest: redirects, images, XML, text).
        ("warc_neg_ukwa_wget.warc.gz", 2, "https://archive.org/"),
    ],
)
def test_real_warcs(name: str, documents: int, first_url: str):
    path = SHARED / "corpus" / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the real-WARC tests need ../shared beside the repository")
    read = list(iter_documents(path))
    assert len(read) == documents
    assert read[0].url == first_url
    assert all(d.media_type == HTML and d.source_path == str(path) for d in read)
    assert all(d.locator and d.fetched_at and d.text for d in read)
