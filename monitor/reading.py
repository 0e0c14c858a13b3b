"""Reading one archive file into the rows of its documents: the work that ingest's workers do.

Plain functions of plain data (paths in, rows out), so that they run the same in this
process or in a worker process, whose results are pickled back to the writer.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from . import language, sentiment
from .archives import ArchiveError, iter_documents
from .archives.files import cannot_read, open_regular
from .archives.remote import is_remote
from .deadline import TooSlow, time_limit
from .embeds import extract
from .models import (
    NOT_FRAMED,
    UNSCORED,
    Document,
    Extraction,
    Framing,
    Plain,
    ScoredPost,
    Scores,
)
from .store.rows import DocumentRows, rows_of

# Files up to this size are hashed in one read; bigger ones a megabyte at a time.
_WHOLE_READ_BYTES = 4 * 1024 * 1024

DOCUMENT_SECONDS = 30.0
"""The longest one document (a page, a WARC record, a dataset's row) may take to be
extracted and scored; one that takes longer is recorded as its file's error, and the file's
other documents are stored. Real pages take milliseconds (the slowest seen, 1.5 MB, about
50 ms). Where the bound holds: :mod:`monitor.deadline`."""


@dataclass(frozen=True, slots=True)
class FileRead(Plain):
    """What reading one archive file gave: each document's rows (or why it could not be
    read, as a message), the error that stopped the reading if one did, and the file's
    SHA-256."""

    documents: tuple[DocumentRows | str, ...]
    error: str | None
    sha256: str | None


def analyse(extraction: Extraction) -> list[ScoredPost]:
    """Each post of ``extraction`` with its text's language and sentiment."""
    analysed = []
    for post in extraction.posts:
        if post.text is None:
            analysed.append(ScoredPost(post, None, UNSCORED))
            continue
        lang, scores = language_and_scores(post.text, post.lang)
        analysed.append(ScoredPost(post, lang, scores, sentiment.SCORER_VERSION))
    return analysed


def frame(extraction: Extraction) -> list[Framing]:
    """For each post of ``extraction``, the language and sentiment of the article's words
    around it (see :func:`frame_words`).

    The words are the article's own, in the language its page declares; where it declares
    none, the language detected in the first context that tells is the article's.
    Detecting it in every context would cost more than scoring them."""
    framed = []
    lang = language.normalise(extraction.article.lang)
    for embedding in extraction.embeds:
        framing = frame_words(embedding.context_before, embedding.context_after, lang)
        lang = lang or framing.lang
        framed.append(framing)
    return framed


def frame_words(before: str | None, after: str | None, lang: str | None) -> Framing:
    """The language and sentiment of an article's words before and after an embed, as one
    text, scored as post text is (see :mod:`monitor.sentiment`: English only; unscored
    where there are no words).

    :param lang: the words' language when known (the article's); else it is detected.
    """
    words = "\n\n".join(part for part in (before, after) if part)
    if not words:
        return NOT_FRAMED
    if lang is None:
        lang = language.detect(words)
    return Framing(lang, _framing_scores(words, lang), sentiment.SCORER_VERSION)


def analyse_document(document: Document) -> DocumentRows | str:
    """A document's rows (its extraction with its posts and their framing scored, as the
    tables take them), or a message saying why it could not be read (one odd document must
    not cost its archive): an error, or taking longer than :data:`DOCUMENT_SECONDS`."""
    try:
        with time_limit(DOCUMENT_SECONDS):
            extraction = extract(document)
            return rows_of(extraction, analyse(extraction), frame(extraction))
    except TooSlow:
        return f"document{_at(document)}: took longer than {DOCUMENT_SECONDS:g} s to read"
    except Exception as error:
        return f"document{_at(document)}: {type(error).__name__}: {error}"


def _at(document: Document) -> str:
    return f" at {document.locator}" if document.locator else ""


def analyse_documents(documents: list[Document]) -> list[DocumentRows | str]:
    """:func:`analyse_document` for each of ``documents``."""
    return [analyse_document(document) for document in documents]


Columns = tuple[tuple[str, str], ...]
"""The columns a user named for datasets of articles, as ``(field, column)`` pairs (see
:mod:`monitor.archives.columns`): plain tuples, to cross to the workers."""

ReadJob = tuple[str, str | None, Columns | None]
"""What a worker is given to read a file: its path, its digest when known, the columns."""


def read_file(
    path: str, *, sha256: str | None = None, columns: Mapping[str, str] | None = None
) -> FileRead:
    """Read, extract and score every document of one archive file.

    :param path: the archive file.
    :param sha256: the file's digest when already known; else it is computed here.
    :param columns: for a dataset of articles (Parquet, CSV), the column of each field where
        their names are not the usual ones.
    """
    data = None
    # A remote file is streamed once, never hashed: its version stands in (see
    # monitor.archives.remote).
    if sha256 is None and not is_remote(path):
        try:
            sha256, data = read_and_hash(path)
        except OSError as error:
            return FileRead((), cannot_read(error, path), None)
    documents: list[DocumentRows | str] = []
    try:
        for document in iter_documents(path, data=data, columns=columns):
            documents.append(analyse_document(document))
    except (ArchiveError, OSError, EOFError) as error:
        return FileRead(tuple(documents), str(error) or type(error).__name__, sha256)
    except Exception as error:
        # A reader's own failure on a file it did not expect: one file's, not the ingest's.
        return FileRead(tuple(documents), f"{type(error).__name__}: {error}", sha256)
    return FileRead(tuple(documents), None, sha256)


def read_files(jobs: list[ReadJob]) -> list[FileRead]:
    """:func:`read_file` for each ``(path, sha256, columns)`` of ``jobs``."""
    return [
        read_file(path, sha256=digest, columns=dict(columns) if columns else None)
        for path, digest, columns in jobs
    ]


@lru_cache(maxsize=65_536)
def language_and_scores(text: str, hint: str | None) -> tuple[str | None, Scores]:
    """Each distinct text (with its platform's language tag) is read once per process: the
    same post embedded by many articles costs a dictionary lookup after the first."""
    lang = language.detect(text, hint)
    # Undetermined (too short to tell, no hint) is scored: losing short English posts
    # is the worse error, and a platform hint that says otherwise has already decided.
    return lang, sentiment.score(text, lang=lang or "und")


@lru_cache(maxsize=4_096)
def _framing_scores(words: str, lang: str | None) -> Scores:
    """Two embeds in a row share the words around them: they are scored once."""
    return sentiment.score(words, lang=lang or "und")


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's contents, in hex."""
    return read_and_hash(path)[0]


def read_and_hash(path: str | os.PathLike[str]) -> tuple[str, bytes | None]:
    """The SHA-256 of a file's contents, in hex, and the contents when the file is small
    enough to be read whole (most archive files are single pages), so that they are read
    once for both hashing and reading."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= _WHOLE_READ_BYTES:
            # One read, no buffer to allocate per file (hashlib.file_digest's costs more
            # than hashing a page, in worker processes).
            data = handle.read()
            return hashlib.sha256(data).hexdigest(), data
        digest = hashlib.sha256()
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
        return digest.hexdigest(), None
