"""Reading single-document archive files: HTML, text and Markdown, plain and gzipped."""

from __future__ import annotations

import gzip
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.archives import (
    SUPPORTED_SUFFIXES,
    ArchiveError,
    expand_paths,
    files,
    iter_documents,
    open_binary,
    reader,
    registry,
)
from monitor.models import HTML, MARKDOWN, PLAIN, Document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "archives"

NOTE = "Did #Biden just start World War III? #WW3 #ATACMS\n— Watcher (@kyiv_watch) Nov 18, 2024\n"
MARKDOWN_NOTE = (
    "# Reactions\n\n> Did #Biden just start World War III? #WW3\n\n— Watcher (@kyiv_watch)\n"
)


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def page() -> str:
    """The text of page.html, a plain UTF-8 file."""
    return (FIXTURES / "page.html").read_bytes().decode("utf-8")


def read_until_error(path: str | Path) -> tuple[list[Document], ArchiveError]:
    """The documents yielded before the ArchiveError that must follow them."""
    documents: list[Document] = []
    with pytest.raises(ArchiveError) as raised:
        for document in iter_documents(path):
            documents.append(document)
    return documents, raised.value


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (
        ".csv",
        ".csv.gz",
        ".htm",
        ".htm.gz",
        ".html",
        ".html.gz",
        ".jsonl",
        ".jsonl.gz",
        ".markdown",
        ".markdown.gz",
        ".md",
        ".md.gz",
        ".mht",
        ".mht.gz",
        ".mhtml",
        ".mhtml.gz",
        ".ndjson",
        ".ndjson.gz",
        ".parquet",
        ".tar",
        ".tar.gz",
        ".tgz",
        ".txt",
        ".txt.gz",
        ".wacz",
        ".warc",
        ".warc.gz",
        ".xhtml",
        ".xhtml.gz",
        ".zip",
    )


def test_html_file():
    path = fixture("page.html")
    assert list(iter_documents(path)) == [Document(source_path=path, text=page())]
    # The page's UTF-8 bytes are kept for the HTML parser, which need not encode it again.
    assert next(iter_documents(path)).utf8 == Path(path).read_bytes()
    assert page().startswith('<!doctype html>\n<html lang="en">')
    assert "café owners and analysts alike 🚀" in page()


def test_htm_file():
    path = fixture("page.htm")
    assert list(iter_documents(path)) == [
        Document(path, "<html><body><p>Short page</p></body></html>\n", HTML)
    ]


def test_documents_are_streamed():
    documents = iter_documents(fixture("page.html"))
    assert isinstance(documents, Iterator)
    assert next(documents).text == page()
    assert next(documents, None) is None


@pytest.mark.parametrize(
    ("name", "text", "media_type"),
    [
        ("note.txt", NOTE, PLAIN),
        ("note.md", MARKDOWN_NOTE, MARKDOWN),
        ("note.markdown", MARKDOWN_NOTE, MARKDOWN),
    ],
)
def test_text_and_markdown_files(name: str, text: str, media_type: str):
    path = fixture(name)
    assert list(iter_documents(path)) == [
        Document(source_path=path, text=text, media_type=media_type)
    ]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("page.html.gz", HTML), ("note.txt.gz", PLAIN), ("note.md.gz", MARKDOWN)],
)
def test_gzipped_files(name: str, media_type: str):
    path = fixture(name)
    text = {HTML: page(), PLAIN: NOTE, MARKDOWN: MARKDOWN_NOTE}[media_type]
    assert list(iter_documents(path)) == [Document(path, text, media_type)]


def test_source_path_is_the_path_as_given(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(FIXTURES)
    assert [d.source_path for d in iter_documents("./page.htm")] == ["./page.htm"]
    assert [d.source_path for d in iter_documents(Path("page.htm"))] == ["page.htm"]


def test_suffixes_match_whatever_their_case(tmp_path: Path):
    upper = tmp_path / "PAGE.HTML"
    upper.write_bytes(b"<p>Loud</p>")
    mixed = tmp_path / "Notes.Md.Gz"
    mixed.write_bytes(gzip.compress(b"# Loud", mtime=0))
    assert list(iter_documents(upper)) == [Document(str(upper), "<p>Loud</p>", HTML)]
    assert list(iter_documents(mixed)) == [Document(str(mixed), "# Loud", MARKDOWN)]


def test_multi_member_gzip_is_one_document(tmp_path: Path):
    path = tmp_path / "joined.txt.gz"
    path.write_bytes(gzip.compress(b"first, ", mtime=0) + gzip.compress(b"second", mtime=0))
    assert list(iter_documents(path)) == [Document(str(path), "first, second", PLAIN)]


@pytest.mark.parametrize("name", ["empty.html", "empty.warc.gz"])
def test_empty_file_yields_nothing(name: str):
    assert list(iter_documents(fixture(name))) == []


def test_empty_gzip_stream_yields_nothing(tmp_path: Path):
    path = tmp_path / "empty.html.gz"
    path.write_bytes(gzip.compress(b"", mtime=0))
    assert list(iter_documents(path)) == []


# Encodings, end to end (the rules themselves: test_archives_encoding.py)


@pytest.mark.parametrize(
    ("name", "text", "media_type"),
    [
        (
            "cp1251_meta.html",
            '<html><head><meta charset="windows-1251"></head>'
            "<body>Реакция: «Третья мировая?» #WW3</body></html>\n",
            HTML,
        ),
        (
            # Labelled iso-8859-1, read as windows-1252 like browsers do: curly quotes, euro.
            "latin1_http_equiv.html",
            '<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=iso-8859-1"><title>Café</title></head>'
            "<body>“Troisième guerre mondiale ?” coûte 100 €</body></html>\n",
            HTML,
        ),
        (
            "unknown_charset.html",
            '<html><head><meta charset="x-klingon"></head><body>Grüße</body></html>\n',
            HTML,
        ),
        ("utf16le_bom.html", "<p>Grüße #WW3</p>\n", HTML),
        ("utf16be_bom.txt", "Grüße #WW3\n", PLAIN),
        ("utf8_bom.html", '<meta charset="iso-8859-1"><p>Grüße</p>\n', HTML),
    ],
)
def test_encodings(name: str, text: str, media_type: str):
    path = fixture(name)
    assert list(iter_documents(path)) == [Document(path, text, media_type)]


def test_bad_utf8_bytes_are_replaced_not_fatal(tmp_path: Path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"caf\xc3 ok \xff")
    assert list(iter_documents(path)) == [Document(str(path), "caf\ufffd ok \ufffd", PLAIN)]


def test_text_files_ignore_meta_charset(tmp_path: Path):
    path = tmp_path / "about-html.md"
    path.write_bytes('<meta charset="windows-1251"> é'.encode())
    assert [d.text for d in iter_documents(path)] == ['<meta charset="windows-1251"> é']


# Files that cannot be read


def test_binary_junk_is_an_error():
    documents, error = read_until_error(fixture("junk.html"))
    assert documents == []
    assert str(error) == "not text: binary content (NUL bytes)"
    assert error.path == fixture("junk.html")


def test_gzip_data_without_gz_suffix_is_an_error_that_says_so(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_bytes(gzip.compress(b"<p>hello</p>", mtime=0))
    _, error = read_until_error(path)
    assert str(error) == "not text: gzip-compressed data (add .gz to the file name)"


def test_truncated_gzip_is_an_error():
    documents, error = read_until_error(fixture("truncated.html.gz"))
    assert documents == []
    assert str(error) == "truncated gzip stream: the file ends before the compressed data does"


def test_gz_suffix_without_gzip_data_is_an_error(tmp_path: Path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(b"<p>not compressed</p>")
    _, error = read_until_error(path)
    assert str(error) == "not gzip data, though the file name ends in .gz"


def test_corrupt_gzip_is_an_error(tmp_path: Path):
    data = bytearray(gzip.compress(b"<p>" + b"x" * 200 + b"</p>", mtime=0))
    data[-6] ^= 0xFF  # the CRC no longer matches
    path = tmp_path / "page.html.gz"
    path.write_bytes(bytes(data))
    _, error = read_until_error(path)
    assert (
        str(error) == "corrupt gzip stream: Error -3 while decompressing data: incorrect data check"
    )


def test_unsupported_suffix_is_an_error(tmp_path: Path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    _, error = read_until_error(path)
    assert str(error) == (
        "unsupported file type: 'report.pdf' does not end in one of "
        + ", ".join(SUPPORTED_SUFFIXES)
    )
    assert error.path == str(path)


def test_missing_file_is_an_error(tmp_path: Path):
    _, error = read_until_error(tmp_path / "gone.html")
    assert str(error) == "cannot read file: No such file or directory"


def test_folder_with_a_file_suffix_is_an_error(tmp_path: Path):
    (tmp_path / "odd.txt").mkdir()
    _, error = read_until_error(tmp_path / "odd.txt")
    assert str(error) == "cannot read file: not a regular file but a folder"


def test_oversized_document_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(files, "MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)
    small_gzip_big_text = tmp_path / "bomb.txt.gz"
    small_gzip_big_text.write_bytes(gzip.compress(b"a" * (11 * 1024 * 1024), mtime=0))
    _, error = read_until_error(small_gzip_big_text)
    assert str(error) == "document too large: more than 10 MiB"


def test_archive_error_survives_pickling():
    error = pickle.loads(pickle.dumps(ArchiveError("truncated gzip stream", "a.warc.gz")))
    assert (str(error), error.reason, error.path) == (
        "truncated gzip stream",
        "truncated gzip stream",
        "a.warc.gz",
    )


# The reader registry


def test_a_new_format_is_one_registered_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # Registering touches module state: give this test its own copy of it.
    monkeypatch.setattr(registry, "_READERS", dict(registry._READERS))
    monkeypatch.setattr(registry, "_SUFFIXES_BY_LENGTH", registry._SUFFIXES_BY_LENGTH)

    @reader(".lines")
    def read_lines(path: str, data: bytes | None = None) -> Iterator[Document]:
        with open_binary(path, data) as handle:
            for number, line in enumerate(handle, 1):
                yield Document(path, line.decode().strip(), PLAIN, locator=f"line={number}")

    path = tmp_path / "export.LINES"
    path.write_text("one\ntwo\n", encoding="utf-8")
    assert expand_paths([tmp_path]) == [path]
    expected = [
        Document(str(path), "one", PLAIN, locator="line=1"),
        Document(str(path), "two", PLAIN, locator="line=2"),
    ]
    assert list(iter_documents(path)) == expected
    # Bytes the caller has already read are read from there, not from the file again.
    assert list(iter_documents(path, data=b"one\ntwo\n")) == expected
    path.unlink()
    assert list(iter_documents(path, data=b"one\ntwo\n")) == expected


def test_registering_a_suffix_twice_or_without_dot_is_refused():
    with pytest.raises(ValueError, match=r"suffix '\.html' already has a reader"):
        reader(".html")(files.read_html)
    with pytest.raises(ValueError, match="suffix 'csv' must start with a dot"):
        reader("csv")(files.read_html)


def test_longest_suffix_wins():
    assert registry.suffix_of("page.HTML.gz") == ".html.gz"
    assert registry.suffix_of("crawl.warc.gz") == ".warc.gz"
    assert registry.suffix_of("crawl.gz") is None
    assert registry.suffix_of("README") is None
