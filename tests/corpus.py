"""The shared corpus of real pages and WARCs (``../shared/corpus``) and its MANIFEST.tsv, as
the tests of the embed extractors read them, and the registered platforms whose markers those
tests check. What reads the corpus skips the test where the corpus is absent."""

from __future__ import annotations

import csv
import json
from collections.abc import Collection
from functools import cache

from monitor.archives import iter_documents
from monitor.embeds.registry import HtmlExtractor, Platform, registered
from monitor.models import PLAIN, Document, Post

from .conftest import SHARED, parse, shared_path

CORPUS = SHARED / "corpus"
# Stands in for the file names of a parametrized test where the corpus is absent, so that the
# test is still collected, and skips with the reason.
ABSENT_FILES = ["(corpus absent)"]


def corpus_files(*, exclude: Collection[str] = ()) -> list[str]:
    """The names of the corpus files but MANIFEST.tsv and ``exclude``; none where it is absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        path.name
        for path in CORPUS.iterdir()
        if path.name != "MANIFEST.tsv" and path.name not in exclude
    )


def require_corpus() -> None:
    """Skip the test where the corpus is absent."""
    shared_path("corpus", "MANIFEST.tsv")


@cache
def manifest_rows() -> tuple[dict[str, str], ...]:
    """The rows of MANIFEST.tsv: a file's name (``local_file``) and its embeds per platform."""
    with shared_path("corpus", "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle, delimiter="\t"))


@cache
def manifest(column: str) -> dict[str, int]:
    """One column of MANIFEST.tsv (a platform's embeds) per file."""
    return {row["local_file"]: int(row[column] or 0) for row in manifest_rows()}


def corpus_text(name: str) -> str:
    """The raw text of a corpus file."""
    return shared_path("corpus", name).read_text(encoding="utf-8", errors="replace")


def corpus_texts(name: str) -> list[str]:
    """The raw text of each document of a corpus file: a WARC holds many, any other file
    (HTML, Markdown with raw embed HTML, text, JSON) is one."""
    if name.endswith((".warc", ".warc.gz")):
        return [document.text for document in iter_documents(shared_path("corpus", name))]
    return [corpus_text(name)]


def corpus_document(name: str) -> Document:
    """A one-page corpus file as an HTML document."""
    return Document(str(CORPUS / name), corpus_text(name))


def corpus_documents(name: str) -> list[Document]:
    """The documents of a corpus file as ``monitor ingest`` reads them: the archive readers,
    except for a benchmark's human-extracted article bodies (JSON keyed by page), plain text."""
    path = shared_path("corpus", name)
    if path.suffix == ".json":
        entries = json.loads(path.read_text(encoding="utf-8"))
        return [
            Document(str(path), entry["articleBody"], PLAIN, locator=key)
            for key, entry in entries.items()
        ]
    return list(iter_documents(path))


@cache
def corpus_page(find_posts: HtmlExtractor, name: str) -> tuple[str, tuple[Post, ...]]:
    """A one-page corpus file's raw text, and the posts that ``find_posts`` finds in it."""
    raw = corpus_text(name)
    return raw, tuple(find_posts(parse(raw)))


@cache
def posts_per_document(find_posts: HtmlExtractor, name: str) -> tuple[tuple[Post, ...], ...]:
    """The posts that ``find_posts`` finds in each document of a corpus file."""
    return tuple(tuple(find_posts(parse(text))) for text in corpus_texts(name))


def warc_counts(find_posts: HtmlExtractor, name: str) -> tuple[int, int]:
    """Posts in a WARC: the sum of each document's posts (what MANIFEST counts, page by
    page) and the distinct posts over the whole file (a page crawled twice counts once)."""
    found = posts_per_document(find_posts, name)
    return sum(len(posts) for posts in found), len({p.id for posts in found for p in posts})


def registered_platform(name: str) -> Platform:
    """The registered extractor of a platform, with its markers."""
    [platform] = [platform for platform in registered() if platform.name == name]
    return platform
