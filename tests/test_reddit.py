"""Reddit posts and comments embedded in HTML pages: the widget, the old card, comment
embeds, id-only forms, the traps that are not embeds, and the real pages of the shared
corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.embeds import extract
from monitor.embeds.reddit import PLATFORM, find_posts
from monitor.models import MARKDOWN, Document, Post

from .conftest import parse
from .corpus import (
    ABSENT_FILES,
    corpus_files,
    corpus_page,
    corpus_texts,
    manifest,
    registered_platform,
    require_corpus,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reddit"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


SOULPY = Post(
    platform="reddit",
    post_id="1ri4d80",
    url="https://www.reddit.com/r/ollama/comments/1ri4d80/",
    author_handle="the_ai_scientist",
    text="soul.py — Persistent memory for any LLM in 10 lines (works with Ollama, no database)",
)


def test_widget_post_comment_and_rewrapped_title() -> None:
    assert posts_in(fixture("widget.html")) == [
        SOULPY,  # embedded twice: the copy with the author is kept, at the first place
        Post(
            platform="reddit",
            post_id="1e9iyof/leevgp2",
            url="https://www.reddit.com/r/godot/comments/1e9iyof/comment/leevgp2/",
            author_handle="Salt-Trash-269",
            is_reply=True,
        ),
        Post(
            platform="reddit",
            post_id="1fmi585",
            url="https://www.reddit.com/r/oddlysatisfying/comments/1fmi585/",
            author_handle="eIizabethdewitt",
            text="How the syrup flows down the flan",
        ),
    ]


def test_old_card_comment_embed_amp_and_iframes() -> None:
    assert posts_in(fixture("older_forms.html")) == [
        Post(
            platform="reddit",
            post_id="4wfdfc",
            url="https://www.reddit.com/r/Python/comments/4wfdfc/",
            text="Designing Pythonic APIs - learning from Requests",
        ),
        # A localized "Kommentar" label, and the old comment URL form (no "comment" segment).
        Post(
            platform="reddit",
            post_id="a90rx2/ecj2kji",
            url="https://www.reddit.com/r/PowerShell/comments/a90rx2/comment/ecj2kji/",
            is_reply=True,
        ),
        # The link's text is its own address, not a title.
        Post(
            platform="reddit",
            post_id="4lwccv",
            url="https://www.reddit.com/r/aww/comments/4lwccv/",
        ),
        Post(
            platform="reddit",
            post_id="52rmir",
            url="https://www.reddit.com/r/me_irl/comments/52rmir/",
        ),
        Post(
            platform="reddit",
            post_id="rbs51c",
            url="https://www.reddit.com/r/destiny2/comments/rbs51c/",
        ),
        # A post on a user's profile: the user is its author.
        Post(
            platform="reddit",
            post_id="1a2b3c",
            url="https://www.reddit.com/user/spez/comments/1a2b3c/",
            author_handle="spez",
        ),
    ]


def test_card_creation_time_is_not_the_post_time() -> None:
    html = (
        '<blockquote class="reddit-card" data-card-created="1471210275">'
        '<a href="https://www.reddit.com/r/Python/comments/4wfdfc/x/">Title</a> from '
        '<a href="http://www.reddit.com/r/Python">Python</a></blockquote>'
    )
    [post] = posts_in(html)
    assert post.posted_at is None


@pytest.mark.parametrize(
    ("href", "post_id", "url"),
    [
        (
            "https://np.reddit.com/r/AskReddit/comments/4U2IVD/what/d5MJO0N",
            "4u2ivd/d5mjo0n",
            "https://www.reddit.com/r/AskReddit/comments/4u2ivd/comment/d5mjo0n/",
        ),
        (
            "//www.reddit.com/r/news/comments/abc123/title_slug/?utm_source=share#top",
            "abc123",
            "https://www.reddit.com/r/news/comments/abc123/",
        ),
        (
            "https://reddit.com/comments/abc123/",
            "abc123",
            "https://www.reddit.com/comments/abc123/",
        ),
        (
            "https://www.reddit.com/u/someone/comments/abc123/slug/",
            "abc123",
            "https://www.reddit.com/user/someone/comments/abc123/",
        ),
    ],
    ids=["upper-case-old-comment", "protocol-relative", "no-subreddit", "profile-post"],
)
def test_permalink_forms(href: str, post_id: str, url: str) -> None:
    [post] = posts_in(f'<blockquote class="reddit-embed-bq"><a href="{href}">A title</a>')
    assert (post.post_id, post.url) == (post_id, url)


def test_subreddit_from_its_own_link_when_the_permalink_has_none() -> None:
    html = (
        '<blockquote class="reddit-embed-bq"><a href="https://www.reddit.com/comments/x1y2z3/">'
        'T</a><br>by <a href="https://www.reddit.com/u/a_b/">u/a_b</a> in '
        '<a href="https://www.reddit.com/r/science/">r/science</a></blockquote>'
    )
    assert posts_in(html) == [
        Post(
            platform="reddit",
            post_id="x1y2z3",
            url="https://www.reddit.com/r/science/comments/x1y2z3/",
            author_handle="a_b",
            text="T",
        )
    ]


def test_traps_page_yields_nothing() -> None:
    # Links to threads in prose and in an editorial quote, a subreddit iframe, a share
    # button, the widget script alone, the class names in CSS.
    assert posts_in(fixture("traps.html")) == []


def test_every_fixture_holds_a_marker() -> None:
    reddit = registered_platform(PLATFORM)
    for path in sorted(FIXTURES.glob("*.html")):
        assert reddit.may_occur_in(path.read_text(encoding="utf-8")), path.name


def test_pipeline_reads_the_widget_in_markdown() -> None:
    markdown = "# Launch\n\nIt went well.\n\n" + fixture("widget.html").split("<article>")[1]
    posts = extract(Document("post.md", markdown, MARKDOWN)).posts
    assert [post for post in posts if post.platform == "reddit"] == posts_in(fixture("widget.html"))


# ---------------------------------------------------------------------------------------
# Real pages (../shared/corpus): distinct posts per file against MANIFEST.tsv's "reddit"
# column, over all the corpus (negatives and other platforms' pages must yield none).
# The corpus has no page whose count differs from the manifest.

WARCS = (
    "warc_hu_news_next_page_of_article.warc.gz",
    "warc_hu_news_ngvmt.warc.gz",
    "warc_neg_jwarc_commoncrawl.warc.gz",
    "warc_neg_ukwa_wget.warc.gz",
    "warc_neg_warcio_example.warc.gz",
)


@pytest.mark.parametrize("name", corpus_files(exclude=WARCS) or ABSENT_FILES)
def test_corpus_page_counts_match_the_manifest(name: str) -> None:
    require_corpus()
    raw, posts = corpus_page(find_posts, name)
    assert len(posts) == manifest(PLATFORM)[name]
    if posts:
        reddit = registered_platform(PLATFORM)
        assert reddit.may_occur_in(raw)


@pytest.mark.parametrize("name", WARCS)
def test_corpus_warcs_hold_no_reddit_embed(name: str) -> None:
    require_corpus()
    assert manifest(PLATFORM)[name] == 0
    for text in corpus_texts(name):
        assert find_posts(LexborHTMLParser(text)) == []


def test_corpus_lists_every_file() -> None:
    require_corpus()
    assert set(corpus_files(exclude=WARCS)) | set(WARCS) == set(manifest(PLATFORM))
    assert len(manifest(PLATFORM)) == 60


def test_corpus_soulpy_post_field_by_field() -> None:
    require_corpus()
    assert corpus_page(find_posts, "reddit_soulpy_blog.md")[1] == (SOULPY,)
