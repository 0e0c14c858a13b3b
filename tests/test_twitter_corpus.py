"""Tweets in the real pages of the shared corpus (``../shared/corpus``): counts against
MANIFEST.tsv, and field-by-field checks."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.embeds import extract
from monitor.embeds.twitter import find_posts
from monitor.models import Post

from .conftest import parse
from .corpus import (
    ABSENT_FILES,
    corpus_document,
    corpus_files,
    corpus_text,
    manifest,
    require_corpus,
)
from .test_twitter_html import DIANNA

# Where the number of distinct tweets found differs from MANIFEST.tsv's "twitter" column,
# on purpose. Every other tw_/neg_ page must match the manifest exactly. The counts are those
# of the full extraction, so tweets hidden in scripts and attributes count too (their forms
# are tested in test_hidden_embeds.py).
DIFFERENCES = {
    "tw_takagi_hiromitsu_jp_2019.html": (
        15,
        "16 blockquotes, but one ITmedia tweet is embedded twice: 15 distinct tweets",
    ),
    "tw_goose3_small.html": (
        1,
        "3 blockquotes, all the same Derek Greene tweet (a parser test page): 1 distinct tweet",
    ),
}


def corpus_pages() -> list[str]:
    return [name for name in corpus_files() if re.match(r"(tw|neg)_.*\.html$", name)]


def read_corpus_page(name: str) -> LexborHTMLParser:
    return parse(corpus_text(name))


def corpus_tweets(name: str) -> list[Post]:
    """The tweets that the whole extraction finds in a corpus page, live or hidden."""
    posts = extract(corpus_document(name)).posts
    return [post for post in posts if post.platform == "twitter"]


@pytest.mark.parametrize("name", corpus_pages() or ABSENT_FILES)
def test_corpus_page_counts_match_the_manifest(name: str) -> None:
    require_corpus()
    posts = corpus_tweets(name)
    expected = DIFFERENCES.get(name, (manifest("twitter")[name], ""))[0]
    assert len(posts) == expected
    assert len({post.id for post in posts}) == len(posts)


def test_differences_table_is_current() -> None:
    require_corpus()
    for name, (found, reason) in DIFFERENCES.items():
        assert manifest("twitter")[name] != found, (
            f"{name} now matches the manifest: drop its entry"
        )
        assert reason


def test_corpus_nj_tweet_field_by_field() -> None:
    posts = find_posts(read_corpus_page("tw_aeb_nj_meth_2019.html"))
    assert posts[0] == DIANNA
    assert [post.author_handle for post in posts] == [
        "diannaeanderson",
        "MikeBeauvais",
        "_orabora",
        "govkristinoem",
        "cooperlund",
    ]


def test_corpus_marks_and_spencer_tweet_and_replies() -> None:
    posts = find_posts(read_corpus_page("tw_thepoke_waddingham_2023.html"))
    assert posts[0] == Post(
        platform="twitter",
        post_id="1719621634984759346",
        url="https://twitter.com/marksandspencer/status/1719621634984759346",
        author_name="M&S",
        author_handle="marksandspencer",
        posted_at="2023-11-01T07:45:21+00:00",
        lang="en",
        text="Sound the klaxon, our clothing and home Christmas ad for 2023 is here! "
        "#LoveThismasNotThatmas pic.twitter.com/uI0tKNnIGc",
        hashtags=("lovethismasnotthatmas",),
        links=("https://t.co/uI0tKNnIGc",),
        has_media=True,
    )
    assert sum(post.is_reply for post in posts) == 4


def test_corpus_takagi_duplicate_and_numeric_entities() -> None:
    posts = find_posts(read_corpus_page("tw_takagi_hiromitsu_jp_2019.html"))
    assert [post.post_id for post in posts].count("1092262735423856642") == 1
    assert posts[0].author_name == "ニュースウオッチ９"
    assert posts[0].hashtags == ("iot機器", "サイバー攻撃", "nhk", "nw9")
    assert {post.lang for post in posts} == {"ja"}


def test_corpus_placeholder_and_empty_embeds_have_no_text() -> None:
    for name in ("tw_mashable_postlight.html", "tw_diez_hn_empty_bq.html"):
        posts = find_posts(read_corpus_page(name))
        assert posts
        assert {(post.text, post.author_name) for post in posts} == {(None, None)}
        assert all(post.author_handle and post.posted_at for post in posts)


def test_corpus_missing_date_and_mistaken_language() -> None:
    parallels = find_posts(read_corpus_page("tw_parallels_blog.html"))
    assert (parallels[1].author_name, parallels[1].posted_at) == (
        "Sebastin Rothe",
        "2016-12-22T13:47:10+00:00",
    )
    [fortress] = find_posts(read_corpus_page("tw_fortressofsolitude_lang_tl.html"))
    assert (fortress.lang, fortress.text, fortress.hashtags) == (
        "tl",
        "Showtime, Mama. #EffortMaximal #Deadpool2 pic.twitter.com/ZKLrucXJO4",
        ("effortmaximal", "deadpool2"),
    )
