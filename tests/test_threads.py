"""Threads posts embedded in HTML pages: both domains, short links, the traps that are not
embeds, and the pages of the shared corpus (none of which embeds Threads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.embeds.threads import find_posts
from monitor.models import Post

from .conftest import parse
from .corpus import ABSENT_FILES, corpus_files, corpus_texts, registered_platform

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "threads"


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# The real embed of EMBEDS.md §4 (Feb 2024); its shortcode decodes to 2024-02-17.
CCOSTES = Post(
    platform="threads",
    post_id="C3bbjL_tLiD",
    url="https://www.threads.com/@ccostes3/post/C3bbjL_tLiD",
    author_handle="ccostes3",
    posted_at="2024-02-17T00:32:23+00:00",
)


def test_threads_net_embed_is_id_only() -> None:
    # "Post by @ccostes3" and "View on Threads" are boilerplate, never text.
    assert posts_in(fixture("threads_net_2024.html")) == [CCOSTES]


def test_threads_com_embeds_short_links_and_missing_post_by() -> None:
    assert posts_in(fixture("threads_com_2025.html")) == [
        # No "Post by" line: the handle comes from the permalink; the query is dropped.
        Post(
            platform="threads",
            post_id="DIFk5f1yA5H",
            url="https://www.threads.com/@zuck/post/DIFk5f1yA5H",
            author_handle="zuck",
            posted_at="2025-04-06T01:44:28+00:00",
        ),
        # A short /t/ link: the handle comes from "Post by", lower-cased.
        Post(
            platform="threads",
            post_id="CuW6-7KyCme",
            url="https://www.threads.com/@mosseri/post/CuW6-7KyCme",
            author_handle="mosseri",
            posted_at="2023-07-06T13:48:18+00:00",
        ),
        # Neither: no handle, and the short URL.
        Post(
            platform="threads",
            post_id="C8H5FiCtESk",
            url="https://www.threads.com/t/C8H5FiCtESk",
            posted_at="2024-06-12T17:02:38+00:00",
        ),
    ]


def test_code_from_the_element_id_and_the_same_post_twice() -> None:
    html = (
        '<blockquote class="text-post-media" id="ig-tp-C3bbjL_tLiD"><a>'
        "<div>Post by @ccostes3</div><div>View on Threads</div></a></blockquote>"
        '<blockquote class="text-post-media" data-text-post-permalink='
        '"https://threads.net/@ccostes3/post/C3bbjL_tLiD"></blockquote>'
    )
    assert posts_in(html) == [CCOSTES]


def test_a_link_to_another_post_does_not_lend_its_handle() -> None:
    html = (
        '<blockquote class="text-post-media" data-text-post-permalink='
        '"https://www.threads.net/t/C3bbjL_tLiD"><a href="https://www.threads.net/@someone/'
        'post/DIFk5f1yA5H">x</a></blockquote>'
    )
    [post] = posts_in(html)
    assert (post.post_id, post.author_handle) == ("C3bbjL_tLiD", None)


def test_traps_are_not_embeds() -> None:
    # CSS, prose links, an editorial blockquote, the class on other elements and on a
    # blockquote with no permalink, a share link.
    assert posts_in(fixture("traps.html")) == []


def test_every_fixture_page_with_posts_holds_a_marker() -> None:
    markers = registered_platform("threads").markers
    for path in FIXTURES.iterdir():
        text = path.read_text(encoding="utf-8")
        if posts_in(text):
            assert any(marker in text for marker in markers), path.name


@pytest.mark.parametrize("name", corpus_files() or ABSENT_FILES)
def test_no_corpus_page_yields_a_threads_post(name: str) -> None:
    texts = corpus_texts(name)
    assert [post for text in texts for post in posts_in(text)] == []
