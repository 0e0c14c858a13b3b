"""The floor: the least work any tool must do to get the monitor's results from the archive.

Read every page and parse it once with the fastest HTML parser available, score each
distinct post text once with VADER, and store the rows with one bulk insert. It does not
look for the embeds: it takes them from the archive's manifest, so nothing is spent finding,
reading or checking them. No tool can do the job in less time than this.

Usage: ``python -m benchmarks.floor ARCHIVE ARTICLES DATABASE PARSER``, where ``PARSER`` is
one of :data:`PARSERS` (``python -m benchmarks`` picks the fastest by timing them).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from .archive import Archive


def _selectolax_bytes() -> Callable[[bytes], object]:
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser


def _selectolax_text() -> Callable[[bytes], object]:
    from selectolax.lexbor import LexborHTMLParser

    return lambda data: LexborHTMLParser(data.decode("utf-8"))


def _resiliparse_bytes() -> Callable[[bytes], object]:
    from resiliparse.parse.html import HTMLTree

    return HTMLTree.parse_from_bytes


def _resiliparse_text() -> Callable[[bytes], object]:
    from resiliparse.parse.html import HTMLTree

    return lambda data: HTMLTree.parse(data.decode("utf-8"))


def _lxml_bytes() -> Callable[[bytes], object]:
    import lxml.html

    return lxml.html.document_fromstring


PARSERS: dict[str, Callable[[], Callable[[bytes], object]]] = {
    "selectolax-lexbor (bytes)": _selectolax_bytes,
    "selectolax-lexbor (str)": _selectolax_text,
    "resiliparse-lexbor (bytes)": _resiliparse_bytes,
    "resiliparse-lexbor (str)": _resiliparse_text,
    "lxml (bytes)": _lxml_bytes,
}
"""The HTML parsers the floor can use, by name; each builds a full DOM of the page."""


def available_parsers() -> dict[str, Callable[[bytes], object]]:
    """The parsers of :data:`PARSERS` that are installed."""
    found = {}
    for name, load in PARSERS.items():
        try:
            found[name] = load()
        except ImportError:
            continue
    return found


def run(archive: Archive, db_path: str, parser: str) -> int:
    """Do the floor's work; the number of pages parsed."""
    parse = PARSERS[parser]()
    pages = 0
    for folder in archive.page_folders:
        for root, _, names in os.walk(folder):
            for name in names:
                with open(os.path.join(root, name), "rb") as page:
                    parse(page.read())
                pages += 1
    pool = archive.pool()
    manifest = list(archive.manifest())
    analyzer = SentimentIntensityAnalyzer()
    scores: dict[str, dict[str, float]] = {}
    for entry in manifest:
        for key in entry["posts"]:
            text = pool[key]["text"]
            if text is not None and text not in scores:
                scores[text] = analyzer.polarity_scores(text)
    posts = {}
    for entry in manifest:
        for key in entry["posts"]:
            text = pool[key]["text"]
            score = scores.get(text, {}) if text is not None else {}
            posts[key] = (key, pool[key]["platform"], text, score.get("compound"), score.get("pos"))
    conn = sqlite3.connect(db_path)
    conn.executescript(
        """
        CREATE TABLE articles (url TEXT PRIMARY KEY, path TEXT);
        CREATE TABLE posts (id TEXT PRIMARY KEY, platform TEXT, text TEXT, compound REAL,
                            pos REAL);
        CREATE TABLE article_posts (article TEXT, post TEXT, position INTEGER,
                                    PRIMARY KEY (article, post));
        """
    )
    with conn:
        conn.executemany(
            "INSERT INTO articles VALUES (?, ?)", [(e["url"], e["path"]) for e in manifest]
        )
        conn.executemany("INSERT INTO posts VALUES (?, ?, ?, ?, ?)", list(posts.values()))
        conn.executemany(
            "INSERT INTO article_posts VALUES (?, ?, ?)",
            [(e["url"], key, n) for e in manifest for n, key in enumerate(e["posts"])],
        )
    conn.close()
    return pages


if __name__ == "__main__":
    root, articles, db_path, parser = sys.argv[1:5]
    print(run(Archive(Path(root), int(articles)), db_path, parser))
