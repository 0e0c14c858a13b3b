"""The reaction monitor: the social posts that news articles embed, with their hashtags and
sentiment, in a SQLite file you can query.

    >>> import monitor
    >>> db = monitor.open_db("monitor.db")
    >>> result = monitor.ingest(["archive/"], db)
    >>> result.read, result.failures
    (5, [])
    >>> posts = monitor.load_posts(db, hashtag="ww3")
    >>> len(posts)
    5
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy_names import lazy_names

# Where each public name lives. They are imported when first used: the command line imports
# this package for every command, and pandas (the loaders) is a third of a second that an
# ingest does not need.
_HOMES = {
    "load_amplification": "analysis",
    "load_embeds": "analysis",
    "load_hashtags": "analysis",
    "load_outlet_shares": "analysis",
    "load_posts": "analysis",
    "load_trends": "analysis",
    "ArchiveError": "archives",
    "iter_documents": "archives",
    "Config": "config",
    "ConfigError": "config",
    "Topic": "config",
    "load_config": "config",
    "extract": "embeds",
    "SpikeCard": "explain",
    "explain_spike": "explain",
    "Article": "models",
    "Document": "models",
    "Embedding": "models",
    "Extraction": "models",
    "Post": "models",
    "ScoredPost": "models",
    "Scores": "models",
    "FileFailure": "pipeline",
    "IngestResult": "pipeline",
    "ingest": "pipeline",
    "open_db": "store",
    "open_readonly": "store",
    "TrendsResult": "trends",
    "compute_trends": "trends",
    "refresh_trends": "trends",
}


__getattr__, __dir__ = lazy_names(__name__, _HOMES, globals())


if TYPE_CHECKING:  # for type checkers and the API reference: the same names, eagerly
    from .analysis import (
        load_amplification,
        load_embeds,
        load_hashtags,
        load_outlet_shares,
        load_posts,
        load_trends,
    )
    from .archives import ArchiveError, iter_documents
    from .config import Config, ConfigError, Topic, load_config
    from .embeds import extract
    from .explain import SpikeCard, explain_spike
    from .models import Article, Document, Embedding, Extraction, Post, ScoredPost, Scores
    from .pipeline import FileFailure, IngestResult, ingest
    from .store import open_db, open_readonly
    from .trends import TrendsResult, compute_trends, refresh_trends

__all__ = [
    "ArchiveError",
    "Article",
    "Config",
    "ConfigError",
    "Document",
    "Embedding",
    "Extraction",
    "FileFailure",
    "IngestResult",
    "Post",
    "ScoredPost",
    "Scores",
    "SpikeCard",
    "Topic",
    "TrendsResult",
    "compute_trends",
    "explain_spike",
    "extract",
    "ingest",
    "iter_documents",
    "load_amplification",
    "load_config",
    "load_embeds",
    "load_hashtags",
    "load_outlet_shares",
    "load_posts",
    "load_trends",
    "open_db",
    "open_readonly",
    "refresh_trends",
]
