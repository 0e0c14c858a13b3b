"""TikTok videos embedded in HTML pages: the embed forms, the caption without the author and
sound lines, hashtags from glued tag links, the traps that are not embeds, and the corpus,
which holds none."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.embeds import extract
from monitor.embeds.tiktok import find_posts
from monitor.models import Document, Post

from .conftest import parse
from .corpus import (
    ABSENT_FILES,
    corpus_files,
    corpus_texts,
    manifest,
    registered_platform,
    require_corpus,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tiktok"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


def id_only(video_id: str, posted_at: str, handle: str | None = None) -> Post:
    url = (
        f"https://www.tiktok.com/@{handle}/video/{video_id}"
        if handle
        else f"https://www.tiktok.com/embed/v2/{video_id}"
    )
    return Post(
        platform="tiktok",
        post_id=video_id,
        url=url,
        author_handle=handle,
        posted_at=posted_at,
        has_media=True,
    )


# tiktok_nfc_implant_blog.md (EMBEDS.md §6), the tags that the guide elides restored from the
# same embed rendered as text (§10).
CHESTER = Post(
    platform="tiktok",
    post_id="7046586326728101126",
    url="https://www.tiktok.com/@chesterbr/video/7046586326728101126",
    author_handle="chesterbr",
    posted_at="2021-12-28T03:13:50+00:00",
    text="I am now a #cyborg 😁 #bodymodification #nfc #chipimplant #electronics",
    hashtags=("cyborg", "bodymodification", "nfc", "chipimplant", "electronics"),
    has_media=True,
)


def test_caption_without_the_author_link_and_the_music_line() -> None:
    assert posts_in(fixture("nfc_implant.html")) == [CHESTER]


def test_oembed_form_in_a_wordpress_figure_with_glued_hashtags() -> None:
    assert posts_in(fixture("oembed_wordpress.html")) == [
        Post(
            platform="tiktok",
            post_id="7069206986822356229",
            url="https://www.tiktok.com/@formip/video/7069206986822356229",
            author_handle="formip",
            posted_at="2022-02-27T02:13:32+00:00",
            # The text as the page has it; the tag is the link's text, not the glued words.
            text="Vos e-mails partout 📧 merci @misterimap ! "
            "#MisterIMAPE-mailsSynchronisésDJDesE-mails#astuce #productivité",
            hashtags=("misterimap", "astuce", "productivité"),
            mentions=("misterimap",),
            has_media=True,
        ),
        # Only the author and the sound: no text, nothing to score.
        id_only("7046586326728101126", "2021-12-28T03:13:50+00:00", handle="chesterbr"),
    ]


def test_id_only_forms_and_a_figure_holding_only_the_url() -> None:
    assert posts_in(fixture("id_only.html")) == [
        # The figure and the player iframe show the same video: one post, with its handle.
        id_only("7046586326728101126", "2021-12-28T03:13:50+00:00", handle="chesterbr"),
        id_only("7069206986822356229", "2022-02-27T02:13:32+00:00", handle="formip"),
        id_only("7000000000000000000", "2021-08-24T14:15:05+00:00"),
    ]


def test_figure_around_an_embed_is_read_once_from_the_embed() -> None:
    posts = posts_in(fixture("oembed_wordpress.html"))
    assert [post.post_id for post in posts].count("7069206986822356229") == 1
    assert posts[0].text is not None


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        # The handle comes from the cite URL when the author link is missing; a leading
        # mention link is then part of the caption.
        (
            '<a title="@friend" href="https://www.tiktok.com/@friend">@friend</a> look!',
            ("chesterbr", "@friend look!", (), ("friend",)),
        ),
        # The music line found by its sign when its link has no /music/ path; a plain-text
        # mention ends before a full stop.
        (
            '<a title="@chesterbr" href="https://www.tiktok.com/@chesterbr">@chesterbr</a> '
            "thanks @some.one. #Tag "
            '<a title="♬ original sound" href="https://www.tiktok.com/x">♬ original sound</a>',
            ("chesterbr", "thanks @some.one. #Tag", ("tag",), ("some.one",)),
        ),
    ],
)
def test_author_caption_and_sound_edge_cases(
    section: str, expected: tuple[str, str, tuple[str, ...], tuple[str, ...]]
) -> None:
    html = (
        '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@chesterbr/video/'
        f'7046586326728101126"><section>{section}</section></blockquote>'
    )
    [post] = posts_in(html)
    assert (post.author_handle, post.text, post.hashtags, post.mentions) == expected


def test_css_creator_embeds_short_links_and_links_in_prose_are_not_embeds() -> None:
    assert posts_in(fixture("traps.html")) == []


def test_every_fixture_holds_a_marker() -> None:
    tiktok = registered_platform("tiktok")
    for path in sorted(FIXTURES.glob("*.html")):
        assert tiktok.may_occur_in(path.read_text(encoding="utf-8")), path.name


def test_registered_and_run_by_extract() -> None:
    document = Document(source_path="nfc_implant.html", text=fixture("nfc_implant.html"))
    posts = [post for post in extract(document).posts if post.platform == "tiktok"]
    assert posts == [CHESTER]


# ---------------------------------------------------------------------------------------
# Real pages (../shared/corpus): no page there embeds a TikTok video; two name the class
# .tiktok-embed in their CSS (neg_trap_css_newsweek.html, neg_trap_css_metro_co_uk.html),
# and others mention TikTok in prose. None may give a post.


@pytest.mark.parametrize("name", corpus_files() or ABSENT_FILES)
def test_corpus_pages_hold_no_tiktok_posts(name: str) -> None:
    require_corpus()
    texts = corpus_texts(name)
    found = sum(len(find_posts(LexborHTMLParser(text))) for text in texts)
    assert found == manifest("tiktok")[name] == 0
