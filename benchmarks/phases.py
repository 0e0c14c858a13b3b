"""Where a page's time goes: each step of reading one HTML page, timed on its own.

Usage: ``python -m benchmarks.phases FOLDER [--limit N]``: the ``.html`` files under
``FOLDER`` (for instance ``pages/000`` of the synthetic archive that ``python -m benchmarks``
writes), each taken through the steps that ``monitor.ingest`` takes in a worker, in order,
in this one process. It prints the mean milliseconds per page of each step, and their sum.

The steps are the library's own functions, called as ``monitor.reading`` and
``monitor.embeds.extract`` call them. The first 50 pages are read once untimed, so that what
is loaded once per process (the language model, the public suffix list, htmldate) is not
counted; the sentiment cache then fills as it does in a long ingest. Compare the sum with
what the floor spends a page (``python -m benchmarks`` prints the parser's share).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from monitor import article, reading
from monitor.archives import iter_documents
from monitor.embeds import find_html_embeds
from monitor.embeds.context import place_in_html
from monitor.embeds.dedupe import posts_of
from monitor.embeds.hidden import may_hide_embeds
from monitor.models import Extraction
from monitor.page import find_elements

_WARM_UP = 50
STEPS = (
    ("read and hash", "the file read once, SHA-256 of it (for reruns)"),
    ("decode", "bytes to text"),
    ("parse", "lexbor builds the page's tree"),
    ("page elements", "metadata elements and embed candidates, by tag name"),
    ("hidden-embed check", "the raw text scanned for embed code in scripts and attributes"),
    ("embeds", "the platforms whose markers the candidates carry, read"),
    ("article metadata", "URL, outlet, title, date (htmldate where the page has none)"),
    ("language and sentiment", "each distinct post text once"),
    ("embed context", "where each embed stands, and the article's words around it"),
    ("framing", "VADER on those words"),
)


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.phases", description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=2000, help="pages to read (default 2000)")
    args = parser.parse_args(argv)
    paths = sorted(args.folder.rglob("*.html"))[: args.limit]
    if not paths:
        parser.error(f"no .html files under {args.folder}")
    for path in paths[:_WARM_UP]:
        _time_steps(path, Counter())
    spent: Counter[str] = Counter()
    for path in paths:
        _time_steps(path, spent)
    per_page = {name: spent[name] / len(paths) * 1000 for name, _ in STEPS}
    print(f"{len(paths)} pages under {args.folder}; milliseconds per page:")
    for name, meaning in STEPS:
        print(f"  {per_page[name]:6.3f}  {name}: {meaning}")
    print(f"  {sum(per_page.values()):6.3f}  in all")
    return per_page


def _time_steps(path: Path, spent: Counter[str]) -> None:
    """Take one page through the steps, adding each step's seconds to ``spent``."""
    clock = time.perf_counter
    start = clock()
    _, data = reading.read_and_hash(path)
    hashed = clock()
    document = next(iter_documents(path, data=data))
    decoded = clock()
    tree = LexborHTMLParser(document.utf8 if document.utf8 is not None else document.text)
    parsed = clock()
    page = find_elements(tree)
    found = clock()
    hides = may_hide_embeds(document.text)
    checked = clock()
    found_embeds = find_html_embeds(tree, document.text, page=page, may_hide=hides)
    embedded = clock()
    described = article.from_html(document, tree, page)
    dated = clock()
    extraction = Extraction(described, tuple(posts_of(found_embeds)))
    reading.analyse(extraction)
    scored = clock()
    placed = scored
    if found_embeds:
        places = [(node, method, post.post_id) for post, (node, method) in found_embeds]
        extraction = Extraction(described, extraction.posts, tuple(place_in_html(tree, places)))
        placed = clock()
        reading.frame(extraction)
    framed = clock()
    spent["read and hash"] += hashed - start
    spent["decode"] += decoded - hashed
    spent["parse"] += parsed - decoded
    spent["page elements"] += found - parsed
    spent["hidden-embed check"] += checked - found
    spent["embeds"] += embedded - checked
    spent["article metadata"] += dated - embedded
    spent["language and sentiment"] += scored - dated
    spent["embed context"] += placed - scored
    spent["framing"] += framed - placed


if __name__ == "__main__":
    main()
