"""Facebook posts in the real pages and WARCs of the shared corpus (``../shared/corpus``)."""

from __future__ import annotations

import pytest

from monitor.embeds.facebook import PLATFORM, find_posts
from monitor.models import Post

from .corpus import (
    ABSENT_FILES,
    corpus_files,
    corpus_page,
    manifest,
    posts_per_document,
    registered_platform,
    require_corpus,
    warc_counts,
)
from .test_facebook import CH_COTE_BASQUE
from .test_facebook_urls import FB

# Real pages (../shared/corpus): distinct posts per file against MANIFEST.tsv's "facebook"
# column, over all the corpus (negatives and other platforms' pages must yield none). No
# page differs from the manifest; the WARCs do, as explained below.

# Per WARC: (manifest, distinct posts per document summed over documents, distinct posts
# over the whole WARC, why they differ).
WARCS = {
    "warc_hu_news_next_page_of_article.warc.gz": (5, 5, 5, ""),
    "warc_hu_news_ngvmt.warc.gz": (
        58,
        54,
        50,
        "the manifest counts 11 fb-post elements, but 4 of them are the wrappers of "
        "rangado.24.hu's 'comment on Facebook' box (div.fb-post-embed and div.fb-post-url "
        "around the real div.fb-post, on two pages): 7 fb-post divs and 47 iframes. Over "
        "the WARC, merce.hu's live blog is crawled twice (plain and ?loadall=1), and its "
        "4 embeds of the first page are also in the full one",
    ),
    "warc_neg_jwarc_commoncrawl.warc.gz": (0, 0, 0, ""),
    "warc_neg_ukwa_wget.warc.gz": (0, 0, 0, ""),
    "warc_neg_warcio_example.warc.gz": (0, 0, 0, ""),
}


@pytest.mark.parametrize("name", corpus_files(exclude=WARCS) or ABSENT_FILES)
def test_corpus_page_counts_match_the_manifest(name: str) -> None:
    require_corpus()
    raw, posts = corpus_page(find_posts, name)
    assert len(posts) == manifest(PLATFORM)[name]
    if posts:
        facebook = registered_platform(PLATFORM)
        assert facebook.may_occur_in(raw)


def test_corpus_tables_are_current() -> None:
    require_corpus()
    assert set(corpus_files(exclude=WARCS)) | set(WARCS) == set(manifest(PLATFORM))
    assert len(manifest(PLATFORM)) == 60
    for name, (listed, _, _, _) in WARCS.items():
        assert manifest(PLATFORM)[name] == listed, name


@pytest.mark.parametrize("name", sorted(WARCS))
def test_corpus_warc_counts(name: str) -> None:
    require_corpus()
    _, per_document, distinct, _ = WARCS[name]
    assert warc_counts(find_posts, name) == (per_document, distinct)


def test_corpus_french_post_field_by_field() -> None:
    require_corpus()
    assert corpus_page(find_posts, "fb_post_with_fallback_blockquote_fr.html")[1] == (
        CH_COTE_BASQUE,
    )
    assert corpus_page(find_posts, "fb_post_empty_div_pl.html")[1] == (
        Post(
            platform="facebook",
            post_id="3485430308204317",
            url=f"{FB}/unialesznoks/photos/pcb.3485430601537621/3485430308204317",
            author_handle="unialesznoks",
            has_media=True,
        ),
    )
    assert corpus_page(find_posts, "fb_plugins_iframe_aol.html")[1] == tuple(
        Post(
            platform="facebook",
            post_id=fbid,
            url=f"{FB}/photo.php?fbid={fbid}",
            has_media=True,
        )
        for fbid in ("10207393772231779", "10207375395892382", "10207351005242631")
    )


def test_corpus_hungarian_fallbacks_in_a_warc() -> None:
    require_corpus()
    posts = {
        post.post_id: post
        for found in posts_per_document(find_posts, "warc_hu_news_ngvmt.warc.gz")
        for post in found
    }
    assert posts["549518335208535"] == Post(
        platform="facebook",
        post_id="549518335208535",
        url=f"{FB}/Roboraptorblog/posts/549518335208535",
        author_name="Roboraptor",
        author_handle="Roboraptorblog",
        posted_at="2016-02-28",
        text="Egyszerűen nem hisszük el ami a Mad Max-szel történik! :O",
    )
    # "Közzétette" in Hungarian, "Posted by" in English, on one page.
    assert posts["10154491003121840"].text == (
        "Me watching the Oscarshttp://9gag.com/gag/anNRVWo?ref=fbp"
    )
    assert posts["10154491003121840"].posted_at == "2016-02-28"
