"""Scoring again what was stored: sentiment scored by an older scorer, and the context of
embeds stored before the monitor kept it (read again from their archive files).

Stored rows change only where they lack what this version gives: a post's scores where
another scorer than :data:`monitor.sentiment.SCORER_VERSION` made them (text that was not
scored, not being English, stays so), an embed's context where it has none. The days of
the posts concerned are queued for the next trends refresh.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from sqlite_utils import Database

from . import sentiment
from .archives import ArchiveError, iter_documents
from .archives.remote import is_remote
from .reading import analyse_document, frame_words, language_and_scores
from .store import immediate
from .store.rows import LINK_COLUMNS, DocumentRows

_FILL_CONTEXT = f"""
UPDATE article_posts SET {", ".join(f"{name} = ?" for name in LINK_COLUMNS[3:])}
WHERE article_id = ? AND post_id = ? AND method IS NULL
"""
_QUEUE_DAYS = """
INSERT INTO trend_dates (date)
SELECT DISTINCT substr(p.posted_at, 1, 10) FROM posts p
WHERE p.posted_at IS NOT NULL AND p.id IN (SELECT value FROM json_each(?))
ON CONFLICT DO NOTHING
"""


@dataclass
class RescoreResult:
    """What a rescore changed: posts and embeds scored again, embeds given their context,
    and the archive files that could not be read again (with why)."""

    posts: int = 0
    framings: int = 0
    contexts: int = 0
    missing: int = 0  # embeds still without context
    unreadable: dict[str, str] = field(default_factory=dict)


def rescore(db: Database, *, context: bool = False) -> RescoreResult:
    """Score again the posts and embeds scored by another scorer than this one; with
    ``context``, also read again the archive files of the articles whose embeds have no
    context, and store it (with its framing) where the file still gives it."""
    result = RescoreResult()
    touched: set[str] = set()
    with immediate(db):
        for post_id, text, hint in db.execute(
            "SELECT id, text, lang_hint FROM posts WHERE text IS NOT NULL AND scorer != ?",
            [sentiment.SCORER_VERSION],
        ).fetchall():
            lang, scores = language_and_scores(text, hint)
            db.execute(
                "UPDATE posts SET lang = ?, compound = ?, pos = ?, neu = ?, neg = ?, scorer = ?"
                " WHERE id = ?",
                [lang, scores.compound, scores.pos, scores.neu, scores.neg,
                 sentiment.SCORER_VERSION if scores.scored else None, post_id],
            )  # fmt: skip
            result.posts += 1
            touched.add(post_id)
        for article_id, post_id, before, after, lang in db.execute(
            "SELECT article_id, post_id, context_before, context_after, framing_lang"
            " FROM article_posts WHERE method IS NOT NULL"
            " AND (context_before IS NOT NULL OR context_after IS NOT NULL)"
            " AND framing_scorer != ?",
            [sentiment.SCORER_VERSION],
        ).fetchall():
            framing = frame_words(before, after, lang)
            scores = framing.scores
            db.execute(
                "UPDATE article_posts SET framing_lang = ?, framing_compound = ?,"
                " framing_pos = ?, framing_neu = ?, framing_neg = ?, framing_scorer = ?"
                " WHERE article_id = ? AND post_id = ?",
                [framing.lang, scores.compound, scores.pos, scores.neu, scores.neg,
                 framing.scorer if scores.scored else None, article_id, post_id],
            )  # fmt: skip
            result.framings += 1
            touched.add(post_id)
        _queue(db, touched)
    if context:
        _read_context_again(db, result)
    result.missing = db.execute(
        "SELECT count(*) FROM article_posts WHERE method IS NULL"
    ).fetchone()[0]
    return result


def _read_context_again(db: Database, result: RescoreResult) -> None:
    """Read again, file by file, the archives of the articles with embeds without context."""
    paths = [
        path
        for (path,) in db.execute(
            "SELECT DISTINCT a.source_path FROM article_posts ap"
            " JOIN articles a ON a.id = ap.article_id"
            " WHERE ap.method IS NULL ORDER BY a.source_path"
        ).fetchall()
    ]
    for path in paths:
        if not is_remote(path) and not os.path.exists(path):
            result.unreadable[path] = "the file is no longer there"
            continue
        rows: list[DocumentRows] = []
        try:
            for document in iter_documents(path):
                read = analyse_document(document)
                if isinstance(read, DocumentRows) and read.links:
                    rows.append(read)
        except (ArchiveError, OSError, EOFError) as error:
            result.unreadable[path] = str(error) or type(error).__name__
        with immediate(db):
            touched = set()
            for document in rows:
                for link in document.links:
                    changed = db.execute(_FILL_CONTEXT, [*link[3:], link[0], link[1]]).rowcount
                    if changed:
                        result.contexts += changed
                        touched.add(link[1])
            _queue(db, touched)


def _queue(db: Database, post_ids: set[str]) -> None:
    if post_ids:
        db.execute(_QUEUE_DAYS, [json.dumps(sorted(post_ids))])
