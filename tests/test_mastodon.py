"""Mastodon posts embedded in HTML pages: the 4.3 blockquote, the legacy iframe, the traps
that are not embeds, and the real pages of the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.embeds.mastodon import find_posts
from monitor.models import Post

from .conftest import parse
from .corpus import ABSENT_FILES, corpus_files, corpus_texts, manifest, registered_platform

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mastodon"


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


ANTHROCYPHER = Post(
    platform="mastodon",
    post_id="hachyderm.io/115198236194466811",
    url="https://hachyderm.io/@anthrocypher/115198236194466811",
    author_handle="anthrocypher@hachyderm.io",
    posted_at="2025-09-13T17:46:26+00:00",
)


def test_mastodon_4_3_blockquotes_in_a_ghost_card() -> None:
    assert posts_in(fixture("ghost_4_3.html")) == [
        # "Post by ..." and "View on Mastodon" are boilerplate: no text, no name.
        ANTHROCYPHER,
        # The handle shown names the account's domain, which is not the server's host; the
        # id is the host's. (The repeated embed of the first post is not a second post.)
        Post(
            platform="mastodon",
            post_id="mastodon.example.org/114461788446840271",
            url="https://mastodon.example.org/@Gargron/114461788446840271",
            author_handle="Gargron@example.org",
            posted_at="2025-05-06T16:18:05+00:00",
        ),
    ]


def test_legacy_iframes_with_and_without_the_class() -> None:
    assert posts_in(fixture("legacy_iframes.html")) == [
        Post(
            platform="mastodon",
            post_id="types.pl/109508264904537444",
            url="https://types.pl/@eed3si9n/109508264904537444",
            author_handle="eed3si9n@types.pl",
            posted_at="2022-12-13T20:31:54+00:00",
        ),
        Post(
            platform="mastodon",
            post_id="fosstodon.org/109321766391734119",
            url="https://fosstodon.org/@Kev/109321766391734119",
            author_handle="Kev@fosstodon.org",
            posted_at="2022-11-10T22:02:53+00:00",
        ),
        # A lazy-loaded iframe with the old /users/…/statuses/ URL and a capitalised host.
        Post(
            platform="mastodon",
            post_id="social.example.net/110084957323316263",
            url="https://social.example.net/@alice/110084957323316263",
            author_handle="alice@social.example.net",
            posted_at="2023-03-25T16:52:22+00:00",
        ),
    ]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # A remote account seen through another server: that server's id and URL.
        (
            "https://mastodon.social/@bob@example.com/109508264904537444/embed",
            ("mastodon.social/109508264904537444", "bob@example.com"),
        ),
        # A protocol-relative URL with a trailing slash and a query.
        (
            "//types.pl/@eed3si9n/109508264904537444/embed/?autoplay=1",
            ("types.pl/109508264904537444", "eed3si9n@types.pl"),
        ),
    ],
)
def test_iframe_url_forms(src: str, expected: tuple[str, str]) -> None:
    [post] = posts_in(f'<iframe src="{src}"></iframe>')
    assert (post.post_id, post.author_handle) == expected


def test_a_pre_2_0_status_id_encodes_no_time() -> None:
    [post] = posts_in('<iframe class="mastodon-embed" src="https://old.example/@a/12/embed">')
    assert (post.post_id, post.posted_at) == ("old.example/12", None)


def test_blockquote_without_the_embed_url_uses_its_link() -> None:
    html = (
        '<blockquote class="mastodon-embed"><a href="https://hachyderm.io/@anthrocypher/'
        '115198236194466811">Post by @anthrocypher@hachyderm.io View on Mastodon</a>'
        "</blockquote>"
    )
    assert posts_in(html) == [ANTHROCYPHER]


def test_traps_are_not_embeds() -> None:
    # CSS, prose links, an editorial blockquote, other sites' /embed iframes (video,
    # PeerTube, a blog, Pixelfed) and an iframe of a post page without /embed.
    assert posts_in(fixture("traps.html")) == []


def test_every_fixture_page_with_posts_holds_a_marker() -> None:
    markers = registered_platform("mastodon").markers
    for path in FIXTURES.iterdir():
        text = path.read_text(encoding="utf-8")
        if posts_in(text):
            assert any(marker in text for marker in markers), path.name


# --- The shared corpus ---------------------------------------------------------------------


@pytest.mark.parametrize("name", corpus_files() or ABSENT_FILES)
def test_corpus_counts_match_the_manifest_and_nothing_false_is_found(name: str) -> None:
    posts = [post for text in corpus_texts(name) for post in posts_in(text)]
    assert len(posts) == manifest("mastodon").get(name, 0)


def test_corpus_jj_blog_post() -> None:
    [text] = corpus_texts("bsky_mastodon_jj_blog.md")
    assert posts_in(text) == [
        Post(
            platform="mastodon",
            post_id="inuh.net/114461788446840271",
            url="https://inuh.net/@evmar/114461788446840271",
            author_handle="evmar@inuh.net",
            # EMBEDS.md §9: this id was checked against the post's own date, 2025-05-06.
            posted_at="2025-05-06T16:18:05+00:00",
        )
    ]
