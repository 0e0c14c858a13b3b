"""Every embed in 60 real pages and WARCs, per file and platform, against MANIFEST.tsv.

The pages are read exactly as ``monitor ingest`` reads them (archive readers, then
``monitor.embeds.extract``). MANIFEST counts embed elements page by page; the count here is
the number of distinct posts in each document, summed over the documents of a file. Every
difference from MANIFEST is deliberate and explained in ``DIFFERENCES``.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from monitor.archives import iter_documents
from monitor.embeds import extract
from monitor.models import PLATFORMS

from .corpus import CORPUS, corpus_documents, manifest_rows

pytestmark = pytest.mark.skipif(
    not (CORPUS / "MANIFEST.tsv").exists(),
    reason=f"{CORPUS} is absent: the real-page tests need ../shared beside the repository",
)

# (file, platform) -> (posts found, why it differs from MANIFEST). None of these is a missed
# embed: MANIFEST counts elements, and these elements are repeats of one post or not posts.
DIFFERENCES: dict[tuple[str, str], tuple[int, str]] = {
    ("tw_takagi_hiromitsu_jp_2019.html", "twitter"): (
        15,
        "16 blockquotes, one ITmedia tweet embedded twice",
    ),
    ("tw_goose3_small.html", "twitter"): (1, "three blockquotes of the same tweet"),
    ("bsky_hyperv_blog.md", "bluesky"): (
        7,
        "post 3llnz5asyms2c is embedded twice (its text edited in one copy)",
    ),
    ("tw_htmldate_testset_pt_1594316187.html", "youtube"): (
        0,
        "its only YouTube iframe is a channel-uploads playlist (embed/videoseries) in the "
        "sidebar, not a video",
    ),
    ("warc_hu_news_ngvmt.warc.gz", "facebook"): (
        54,
        "MANIFEST's 11 fb-post count every class containing 'fb-post': two rangado.24.hu "
        "pages wrap their one div.fb-post in div.fb-post-embed and div.fb-post-url; "
        "7 div.fb-post + 47 plugin iframes = 54",
    ),
}

MINIMUM_SHARE_FOUND = 0.95


@cache
def found(name: str) -> Counter[str]:
    """Distinct posts per platform in each document of the file, summed over documents."""
    counts: Counter[str] = Counter()
    for document in corpus_documents(name):
        counts.update(post.platform for post in extract(document).posts)
    return counts


def cases() -> list[tuple[str, str, int]]:
    if not (CORPUS / "MANIFEST.tsv").exists():
        return []
    return [
        (row["local_file"], platform, int(row[platform]))
        for row in manifest_rows()
        for platform in PLATFORMS
        if int(row[platform]) or (row["local_file"], platform) in DIFFERENCES
    ]


@pytest.mark.parametrize(("name", "platform", "expected"), cases())
def test_posts_found_per_file_and_platform(name, platform, expected):
    explained = DIFFERENCES.get((name, platform))
    assert found(name)[platform] == (explained[0] if explained else expected)


@pytest.mark.parametrize("name", [row["local_file"] for row in manifest_rows()] if cases() else [])
def test_no_post_of_a_platform_the_manifest_does_not_list(name):
    row = next(row for row in manifest_rows() if row["local_file"] == name)
    unexpected = {
        platform: count
        for platform, count in found(name).items()
        if not int(row[platform]) and (name, platform) not in DIFFERENCES
    }
    assert unexpected == {}


def test_negative_pages_yield_no_posts():
    negatives = [row["local_file"] for row in manifest_rows() if "neg_" in row["local_file"]]
    assert len(negatives) == 10
    posts = {
        name: found(name)
        for name in negatives
        if name != "neg_trap_css_metro_co_uk.html"  # a real YouTube iframe on a trap page
    }
    assert posts == {name: Counter() for name in posts}
    assert found("neg_trap_css_metro_co_uk.html") == Counter({"youtube": 1})


def test_every_platform_finds_at_least_95_percent_of_the_manifest():
    """Shares of MANIFEST's embeds found, per platform, after the corrections above."""
    expected: Counter[str] = Counter()
    got: Counter[str] = Counter()
    for row in manifest_rows():
        name = row["local_file"]
        for platform in PLATFORMS:
            explained = DIFFERENCES.get((name, platform))
            wanted = explained[0] if explained else int(row[platform])
            expected[platform] += wanted
            got[platform] += min(found(name)[platform], wanted)
    shares = {p: got[p] / expected[p] for p in PLATFORMS if expected[p]}
    assert {p: s for p, s in shares.items() if s < MINIMUM_SHARE_FOUND} == {}


def test_hungarian_warcs_are_read_through_the_warc_path():
    for name, responses in [
        ("warc_hu_news_next_page_of_article.warc.gz", 25),
        ("warc_hu_news_ngvmt.warc.gz", 27),
    ]:
        read = list(iter_documents(CORPUS / name))
        assert len(read) == responses
        assert all(doc.locator.startswith("offset=") and doc.url for doc in read)
