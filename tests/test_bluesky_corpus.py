"""Bluesky posts in the real pages of the shared corpus (``../shared/corpus``): counts
against MANIFEST.tsv, field-by-field checks, and times against the visible dates."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from monitor.models import Post

from .corpus import ABSENT_FILES, corpus_files, corpus_texts, manifest, require_corpus
from .test_bluesky import ADAM, ASTRA, KATHRYN, bluesky_markers, posts_in

BLUESKY_PAGES = ("bsky_why_rust_blog.md", "bsky_hyperv_blog.md", "bsky_mastodon_jj_blog.md")
# Where the distinct posts found differ from the manifest's count of embeds, and why.
DIFFERENCES = {
    "bsky_hyperv_blog.md": (
        7,
        "3llnz5asyms2c is embedded twice (its text edited in one): one post",
    ),
}


def corpus_posts(name: str) -> list[Post]:
    return [post for text in corpus_texts(name) for post in posts_in(text)]


@pytest.mark.parametrize("name", corpus_files() or ABSENT_FILES)
def test_corpus_counts_match_the_manifest_and_nothing_false_is_found(name: str) -> None:
    texts = corpus_texts(name)
    posts = [post for text in texts for post in posts_in(text)]
    expected = DIFFERENCES.get(name, (manifest("bluesky").get(name, 0), ""))[0]
    assert len(posts) == expected
    assert len({post.id for post in posts}) == len(posts)
    if posts:
        assert all(any(m in text for m in bluesky_markers()) for text in texts)


def test_differences_table_is_current() -> None:
    require_corpus()
    for name, (found, reason) in DIFFERENCES.items():
        assert manifest("bluesky")[name] != found, (
            f"{name} now matches the manifest: drop its entry"
        )
        assert reason


def test_corpus_spot_checks() -> None:
    why_rust = {post.post_id.split("/")[1]: post for post in corpus_posts(BLUESKY_PAGES[0])}
    assert why_rust["3lrl6qqcry222"] == ADAM
    assert why_rust["3lqkpq2jmk22s"] == KATHRYN
    assert why_rust["3lolw5vqo722z"] == ASTRA
    assert why_rust["3lozghbg3kk2i"] == Post(
        platform="bluesky",
        post_id="did:plc:cbkjy5n7bk3ax2wplmtjofq2/3lozghbg3kk2i",
        url="https://bsky.app/profile/did:plc:cbkjy5n7bk3ax2wplmtjofq2/post/3lozghbg3kk2i",
        author_name="Nick Gerakines",
        author_handle="ngerakines.me",
        posted_at="2025-05-13T02:22:25+00:00",
        lang="en",
        text="Rust has a lot of pros and cons, and I get that it isn't for everyone. I sure do "
        "@smokesignal.events being a single 48.7MB container for both the app and utilities "
        "though. #atprotocol #atdev",
        hashtags=("atprotocol", "atdev"),
        mentions=("smokesignal.events",),
    )
    # An empty <p lang="">, a mention, and media.
    goto = why_rust["3lnn6juga5622"]
    assert (goto.lang, goto.mentions, goto.has_media) == (
        None,
        ("krisajenkins.bsky.social",),
        True,
    )
    # Shown as "May 17, 2025 at 4:35 AM" by the embedder: the day before, in UTC.
    assert why_rust["3lpd54o4k5m42"].posted_at == "2025-05-16T23:02:03+00:00"
    # Emoji in names, and a name that is the handle.
    assert why_rust["3lpmz47d7z22n"].author_name == "🖤stellz🖤"
    assert why_rust["3lp33byqedk2g"].author_name == "sopwithpuppy.bsky.social"
    # Every "[image or embed]" placeholder (some wrapped over two lines) is media, not text.
    [text] = corpus_texts(BLUESKY_PAGES[0])
    assert sum(post.has_media for post in why_rust.values()) == text.count("[image") == 10
    assert not any("[image" in (post.text or "") for post in why_rust.values())
    assert all(post.text and post.author_name for post in why_rust.values())


# The visible date at the end of each real embed, with the record key in the link before it.
_VISIBLE_DATE = re.compile(r'/post/(?P<rkey>\w+)\?ref_src=embed">(?P<date>[^<]+)</a></blockquote>')
# The embedder of all three pages was at UTC+5:30 (India). The visible time is the post's own
# creation time, written by the client, which can trail its record key by a few minutes.
EMBEDDER_OFFSET = timedelta(hours=5, minutes=30)


@pytest.mark.parametrize("name", BLUESKY_PAGES)
def test_corpus_tid_times_agree_with_the_visible_dates(name: str) -> None:
    [text] = corpus_texts(name)
    posts = {post.post_id.split("/")[1]: post for post in posts_in(text)}
    shown = {m["rkey"]: " ".join(m["date"].split()) for m in _VISIBLE_DATE.finditer(text)}
    assert set(shown) == set(posts)
    for rkey, date in shown.items():
        local = datetime.strptime(date, "%B %d, %Y at %I:%M %p")
        utc = datetime.fromisoformat(posts[rkey].posted_at or "").replace(tzinfo=None)
        assert abs(local - EMBEDDER_OFFSET - utc) < timedelta(minutes=5), (rkey, date)


def test_corpus_duplicate_embed_keeps_the_first_copy() -> None:
    posts = corpus_posts("bsky_hyperv_blog.md")
    [first] = [post for post in posts if post.post_id.endswith("/3llnz5asyms2c")]
    assert first.text == (
        "trying to make a Hyper-V VM with NixOS so i can rice my laptop without turning it on"
    )
