"""Topics: groups of hashtags and phrases that mean one thing (``#ww3``, ``#wwiii``,
"world war 3" ...), matched against posts and kept in ``post_topics``.

A post belongs to a topic when it carries one of the topic's hashtags, or when its text says
one of its phrases as whole words, in any case and spacing ("World  War 3" matches "world war
3"; "world war 30" does not).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from sqlite_utils import Database

from .config import Topic

_BATCH = 5000


def fold(text: str) -> str:
    """Text as phrases are compared: NFKC (full-width letters are letters), case-folded
    ("Straße" and "STRASSE" alike), runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=256)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    # Longest first, so that "world war iii" is tried before "world war".
    alternatives = sorted({re.escape(p) for p in phrases}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


def matches(topic: Topic, text: str | None, hashtags: Iterable[str]) -> bool:
    """Whether a post with this text and these (normalised) hashtags is on ``topic``."""
    return bool(topics_of(text, hashtags, [topic]))


def topics_of(text: str | None, hashtags: Iterable[str], topics: Sequence[Topic]) -> list[str]:
    """The names of the topics a post is on, in configuration order."""
    tags = frozenset(hashtags)
    folded = fold(text) if text else ""
    names = []
    for topic in topics:
        pattern = _phrase_pattern(topic.phrases)
        if not topic.hashtags.isdisjoint(tags) or (pattern and pattern.search(folded)):
            names.append(topic.name)
    return names


def sync_topics(db: Database, topics: Sequence[Topic]) -> list[str]:
    """Bring the stored topic definitions in line with ``topics``: a new or changed topic's
    ``post_topics`` rows are recomputed over every post, a removed topic's rows deleted.

    :returns: the names of the topics added, changed or removed (their trends are stale).
    """
    stored = {row["name"]: row["aliases"] for row in db["topics"].rows}
    # Sorted: listing the same aliases in another order changes no match.
    wanted = {topic.name: json.dumps(sorted(topic.aliases)) for topic in topics}
    changed = [t for t in topics if stored.get(t.name) != wanted[t.name]]
    removed = [name for name in stored if name not in wanted]
    if not changed and not removed:
        return []
    with db.atomic():
        for name in removed:
            db.execute("DELETE FROM post_topics WHERE topic = ?", [name])
            db.execute("DELETE FROM topics WHERE name = ?", [name])
        for topic in changed:
            db.execute(
                "INSERT INTO topics (name, aliases) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET aliases = excluded.aliases",
                [topic.name, wanted[topic.name]],
            )
            db.execute("DELETE FROM post_topics WHERE topic = ?", [topic.name])
        assign_topics(db, changed)
    return [t.name for t in changed] + removed


def assign_topics(
    db: Database, topics: Sequence[Topic], where: str = "", params: Sequence[object] = ()
) -> int:
    """Match posts (all, or those selected by the SQL condition ``where`` on ``posts p``,
    with its bound ``params``) against ``topics`` and insert their ``post_topics`` rows.

    :returns: the number of rows inserted.
    """
    if not topics:
        return 0
    condition = f"WHERE {where}" if where else ""
    rows = db.conn.execute(
        f"""SELECT p.id, p.text,
               (SELECT group_concat(hashtag, ' ') FROM post_hashtags h WHERE h.post_id = p.id)
            FROM posts p {condition}""",
        list(params),
    )
    before = db.conn.total_changes
    # In batches: matching every post of a large database must not hold them all at once.
    while batch := rows.fetchmany(_BATCH):
        found = [
            (post_id, name)
            for post_id, text, tags in batch
            for name in topics_of(text, (tags or "").split(), topics)
        ]
        db.conn.executemany(
            "INSERT INTO post_topics (post_id, topic) VALUES (?, ?) ON CONFLICT DO NOTHING", found
        )
    return db.conn.total_changes - before
