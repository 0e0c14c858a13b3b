"""The elements picked out of every parsed page: the same as the CSS selectors they stand in
for."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.archives import iter_documents
from monitor.page import find_elements

from .conftest import SHARED, parse
from .corpus import ABSENT_FILES, corpus_files, corpus_texts

# What find_elements() replaces: the CSS queries that found each kind of element.
CANDIDATES = (
    "blockquote, iframe, figure, embed, object, amp-twitter, amp-instagram, amp-reddit, "
    "amp-youtube, lite-youtube, twitter-widget, div.fb-post, div.fb-video, div.reddit-embed, "
    "div.rll-youtube-player, .fb-xfbml-parse-ignore"
)
PAGE = """<!DOCTYPE html><html lang="en-GB"><head>
<title>Head title</title>
<meta charset="utf-8"><meta name="description" content="Summary">
<link rel="stylesheet" href="/s.css"><link rel="canonical">
<link rel="Canonical" href="https://example.com/a"><link rel="canonical" href="https://example.com/b">
<script type="application/LD+JSON">{"headline": "H"}</script><script src="/app.js"></script>
</head><body>
<title>Body title</title>
<time datetime="2024-11-01">1 Nov</time><time>no datetime</time>
<article><time datetime="2024-11-02">2 Nov</time></article>
<figure class="wp-block-image"><img src="a.jpg" alt=""></figure>
<blockquote class="Twitter-Tweet" data-lang="en"><a href="https://twitter.com/a/status/1">x</a>
</blockquote>
<div class="fb-post" data-href="https://www.facebook.com/x/posts/1"></div>
<div class="share fb-share"></div><span class="reddit-embed">not a div</span>
<p class="note fb-xfbml-parse-ignore">fallback</p>
<iframe src="https://www.youtube.com/embed/abc" allowfullscreen></iframe>
<meta itemprop="datePublished" content="2024-11-03">
</body></html>"""


def test_metadata_and_embed_candidates_are_picked_out():
    page = find_elements(parse(PAGE))
    assert page.html is not None and page.html.attributes["lang"] == "en-GB"
    assert [node.attributes for node in page.meta] == [
        {"name": "description", "content": "Summary"},
        {"itemprop": "datePublished", "content": "2024-11-03"},
    ]
    assert page.canonical is not None
    assert page.canonical.attributes["href"] == "https://example.com/a"
    assert page.head_title is not None and page.head_title.text() == "Head title"
    assert page.title is page.head_title
    assert [node.text() for node in page.json_ld] == ['{"headline": "H"}']
    assert [node.attributes["datetime"] for node in page.times] == ["2024-11-01", "2024-11-02"]
    assert page.signatures == [
        "blockquote class=twitter-tweet data-lang=en",
        "iframe src=https://www.youtube.com/embed/abc allowfullscreen=none",
        "figure class=wp-block-image",
        "div class=fb-post data-href=https://www.facebook.com/x/posts/1",
        "p class=note fb-xfbml-parse-ignore",
    ]


def test_rel_and_type_match_as_css_matches_them():
    # In HTML, CSS compares rel and type regardless of case (PAGE has them in mixed case).
    tree = parse(PAGE)
    page = find_elements(tree)
    assert page.canonical is not None
    assert page.canonical.mem_id == tree.css_first('link[rel="canonical"][href]').mem_id
    assert [n.mem_id for n in page.json_ld] == [
        n.mem_id for n in tree.css('script[type="application/ld+json"]')
    ]


def test_a_title_outside_the_head_is_the_fallback():
    page = find_elements(parse("<html><body><p>x</p><title>Late</title></body></html>"))
    assert page.head_title is None
    assert page.title is not None and page.title.text() == "Late"


def test_an_empty_document():
    page = find_elements(parse(""))
    assert (page.meta, page.json_ld, page.times, page.signatures) == ([], [], [], [])


def _real_pages() -> list[str]:
    """The corpus files and a sample of the AEB pages; none where the material is absent."""
    aeb = sorted((SHARED / "aeb" / "html").glob("*"))[:60] if SHARED.is_dir() else []
    return corpus_files() + [f"aeb/{path.name}" for path in aeb]


@pytest.mark.parametrize("name", _real_pages() or ABSENT_FILES)
def test_the_same_elements_as_the_css_selectors_on_real_pages(name: str):
    if name.startswith("aeb/"):
        texts = [d.text for d in iter_documents(SHARED / "aeb" / "html" / Path(name).name)]
    else:
        texts = corpus_texts(name)
    for text in texts:
        tree = parse(text)
        page = find_elements(tree)
        # Same elements in the same order (lexbor's node ids), for every kind; lexbor gives
        # an element that two selectors of a list match twice, find_elements once, and its
        # candidates grouped by tag name.
        candidates = {node.mem_id: node for node in tree.css(CANDIDATES)}.values()
        assert sorted(page.signatures) == sorted(
            f"{node.tag} {' '.join(f'{k}={v}' for k, v in node.attributes.items())}".lower()
            for node in candidates
        )
        assert [node.mem_id for node in page.meta] == [n.mem_id for n in tree.css("meta[content]")]
        assert [node.mem_id for node in page.json_ld] == [
            n.mem_id for n in tree.css('script[type="application/ld+json"]')
        ]
        assert [node.mem_id for node in page.times] == [
            n.mem_id for n in tree.css("time[datetime]")
        ]
        for mine, theirs in (
            (page.canonical, tree.css_first('link[rel="canonical"][href]')),
            (page.head_title, tree.css_first("head title")),
            (page.title, tree.css_first("title")),
            (page.html, tree.css_first("html")),
        ):
            assert (mine.mem_id if mine else None) == (theirs.mem_id if theirs else None)
