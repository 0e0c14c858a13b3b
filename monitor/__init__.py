"""The reaction monitor: the social posts that news articles embed, with their hashtags and
sentiment, in a SQLite file you can query.

>>> import monitor
>>> db = monitor.open_db("monitor.db")  # doctest: +SKIP
>>> result = monitor.ingest(["archive/"], db)  # doctest: +SKIP
>>> posts = monitor.load_posts(db, hashtag="ww3")  # doctest: +SKIP
"""

from __future__ import annotations

from .analysis import load_posts
from .archives import ArchiveError, iter_documents
from .embeds import extract
from .models import Article, Document, Extraction, Post, ScoredPost, Scores
from .pipeline import FileFailure, IngestResult, ingest
from .store import open_db, open_readonly

__all__ = [
    "ArchiveError",
    "Article",
    "Document",
    "Extraction",
    "FileFailure",
    "IngestResult",
    "Post",
    "ScoredPost",
    "Scores",
    "extract",
    "ingest",
    "iter_documents",
    "load_posts",
    "open_db",
    "open_readonly",
]
