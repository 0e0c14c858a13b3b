"""``ingest``: from archive paths to stored articles, posts, hashtags and scores.

Incremental and idempotent: an archive file whose size and modification time are unchanged
since it was last read is skipped (and one whose contents hash the same after a touch), and
every write is an upsert, so a rerun adds nothing. Each archive file's rows commit together
with its ``archive_files`` row: a crash leaves a file wholly in or wholly out. A file that
cannot be read is recorded with its error and the run goes on; documents read from it before
the failure are kept.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from . import language, sentiment
from .archives import ArchiveError, expand_paths, iter_documents
from .embeds import extract
from .models import UNSCORED, Extraction, ScoredPost
from .store import ArchiveFileRecord, record_archive_file, save_extraction

DONE = "done"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class FileFailure:
    """An archive file that could not be read, or not wholly."""

    path: str
    error: str


@dataclass(slots=True)
class IngestResult:
    """What one ingest did.

    ``posts`` counts post sightings (a post embedded by three articles counts three times);
    ``new_posts`` and ``new_articles`` count rows that did not exist before.
    """

    files: int = 0
    read: int = 0
    skipped: int = 0
    documents: int = 0
    posts: int = 0
    new_articles: int = 0
    new_posts: int = 0
    failures: list[FileFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every archive file was read in full."""
        return not self.failures


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    db: Database,
    *,
    on_file: Callable[[Path], None] | None = None,
) -> IngestResult:
    """Read archives into the database.

    :param paths: archive files, folders (read recursively) and glob patterns.
    :param db: a database from :func:`monitor.open_db`.
    :param on_file: called with each archive file after it is dealt with (for progress).
    :raises FileNotFoundError: when a path matches no file.
    """
    files = expand_paths(paths)
    result = IngestResult(files=len(files))
    articles_before, posts_before = _count(db, "articles"), _count(db, "posts")
    for path in files:
        record = _ingest_file(db, path.resolve(), result)
        if record is not None and record.status == FAILED:
            result.failures.append(FileFailure(record.path, record.error or "unknown error"))
        if on_file is not None:
            on_file(path)
    result.new_articles = _count(db, "articles") - articles_before
    result.new_posts = _count(db, "posts") - posts_before
    return result


def analyse(extraction: Extraction) -> list[ScoredPost]:
    """Each post of ``extraction`` with its text's language and sentiment."""
    analysed = []
    for post in extraction.posts:
        if post.text is None:
            analysed.append(ScoredPost(post, None, UNSCORED))
            continue
        lang = language.detect(post.text, post.lang)
        # Undetermined (too short to tell, no hint) is scored: losing short English posts
        # is the worse error, and a platform hint that says otherwise has already decided.
        scores = sentiment.score(post.text, lang=lang or "und")
        analysed.append(ScoredPost(post, lang, scores, sentiment.SCORER_VERSION))
    return analysed


def _ingest_file(db: Database, path: Path, result: IngestResult) -> ArchiveFileRecord | None:
    """Read one archive file unless it is unchanged; ``None`` when it was skipped."""
    key = str(path)
    try:
        stat = path.stat()
    except OSError as error:
        return _record_unreadable(db, key, error)
    known = db.execute(
        "SELECT size, mtime_ns, sha256, status FROM archive_files WHERE path = ?", [key]
    ).fetchone()
    if known and known[3] == DONE and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
        result.skipped += 1
        return None
    try:
        digest = _sha256(path)
    except OSError as error:
        return _record_unreadable(db, key, error)
    if known and known[3] == DONE and known[2] == digest:
        # Touched but not changed (copied, restored from backup): remember the new time.
        with db.atomic():
            db.execute(
                "UPDATE archive_files SET size = ?, mtime_ns = ? WHERE path = ?",
                [stat.st_size, stat.st_mtime_ns, key],
            )
        result.skipped += 1
        return None

    seen_at = _now()
    documents = posts = 0
    errors: list[str] = []
    with db.atomic():
        # Articles refer to their archive file, so its row comes first; it is finished below,
        # in the same transaction, so no reader ever sees it half done.
        record_archive_file(
            db, ArchiveFileRecord(key, stat.st_size, stat.st_mtime_ns, digest, FAILED)
        )
        try:
            for document in iter_documents(path):
                try:
                    extraction = extract(document)
                    scored = analyse(extraction)
                except Exception as error:  # one odd document must not cost the archive
                    where = f" at {document.locator}" if document.locator else ""
                    errors.append(f"document{where}: {type(error).__name__}: {error}")
                    continue
                save_extraction(db, extraction, scored, seen_at)
                documents += 1
                posts += len(scored)
        except (ArchiveError, OSError, EOFError) as error:
            errors.insert(0, str(error) or type(error).__name__)
        record = ArchiveFileRecord(
            path=key,
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            sha256=digest,
            status=FAILED if errors else DONE,
            documents=documents,
            posts=posts,
            error=_summarise(errors),
            ingested_at=seen_at,
        )
        record_archive_file(db, record)
    result.read += 1
    result.documents += documents
    result.posts += posts
    return record


def _record_unreadable(db: Database, key: str, error: OSError) -> ArchiveFileRecord:
    record = ArchiveFileRecord(
        path=key,
        size=0,
        mtime_ns=0,
        sha256=None,
        status=FAILED,
        error=f"cannot read file: {error.strerror or error}",
        ingested_at=_now(),
    )
    with db.atomic():
        record_archive_file(db, record)
    return record


def _summarise(errors: list[str]) -> str | None:
    if not errors:
        return None
    if len(errors) == 1:
        return errors[0]
    return f"{errors[0]} (and {len(errors) - 1} more errors)"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _count(db: Database, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
