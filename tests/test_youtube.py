"""YouTube videos embedded in HTML pages: every markup form, the traps that are not
embeds, and the real pages and WARCs of the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.embeds import extract
from monitor.embeds.youtube import PLATFORM, find_posts
from monitor.models import HTML, Document, Post

from .conftest import parse
from .corpus import (
    ABSENT_FILES,
    corpus_files,
    corpus_page,
    manifest,
    registered_platform,
    require_corpus,
    warc_counts,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "youtube"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


def video(video_id: str) -> Post:
    """What is known of an embedded video: its id, hence its URL."""
    return Post(
        platform="youtube",
        post_id=video_id,
        url=f"https://www.youtube.com/watch?v={video_id}",
        has_media=True,
    )


def test_every_form_in_page_order_each_video_once() -> None:
    assert posts_in(fixture("forms.html")) == [
        video("JCeYq72Sko0"),  # the plain iframe (embedded again at the end of the page)
        video("NDlQrK_QAzY"),  # youtube-nocookie.com, with a "si" tracking parameter
        video("SuEAYod7QAg"),  # protocol-relative, WordPress's ?feature=oembed
        video("lGL7RgHn5f0"),  # lazysizes' data-src
        video("s_rw5fPHz2g"),  # WP Rocket's data-lazy-src behind src="about:blank"
        video("yL2lmLngiFg"),  # a stray encoded newline after the id
        video("h9WqULoQzuA"),  # a slash after the id
        video("mGENRKrdoGY"),  # amp-youtube
        video("ogfYd705cRs"),  # lite-youtube
        video("CX11yw6YL1w"),  # WP Rocket's placeholder div and its <noscript> iframe
        video("K7yr8Sg44cA"),  # a Flash <object> and its <embed>
    ]


def test_generic_iframe_title_is_not_text() -> None:
    html = (
        '<iframe src="https://www.youtube.com/embed/JCeYq72Sko0" '
        'title="Why this changes everything - an amazing talk"></iframe>'
    )
    assert posts_in(html) == [video("JCeYq72Sko0")]


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://www.youtube.com/watch?v=0JA6gYXEdwY">a link in prose</a>',
        '<a href="https://youtu.be/mhURLBMFbF0">a short link</a>',
        '<a href="https://www.youtube.com/embed/iAM4AXpvXJc?rel=0">a link to the player</a>',
        "<p>https://www.youtube.com/watch?v=0JA6gYXEdwY pasted as text</p>",
        '<iframe src="https://www.youtube.com/embed/videoseries?list=UU3sMBA3BdnsKSVI0WB9yVWQ">'
        "</iframe>",
        '<iframe src="https://www.youtube.com/embed/live_stream?channel=UCVxZlxikHMY8Lzspzin">'
        "</iframe>",
        '<iframe src="https://www.youtube.com/embed?listType=playlist&list=PL590L5WQmH8fJ5">'
        "</iframe>",
        '<iframe src="https://www.notyoutube.com/embed/JCeYq72Sko0"></iframe>',
        '<iframe src="https://www.youtube.com/embed/JCeYq72Sko0x"></iframe>',
        '<amp-youtube data-live-channelid="UCB8Kb4pxYzsDsHxzBfnid4Q"></amp-youtube>',
        '<div class="rll-youtube-player" data-id="videoseries" data-query="list=PL5"></div>',
        '<lite-youtube videoid="too-short"></lite-youtube>',
        "<style>.youtube-player, lite-youtube { aspect-ratio: 16 / 9; }</style>",
    ],
    ids=[
        "watch-link",
        "short-link",
        "player-link",
        "bare-url",
        "playlist",
        "live-stream",
        "list-type",
        "look-alike-host",
        "id-too-long",
        "amp-live-channel",
        "lazy-playlist",
        "bad-id",
        "css",
    ],
)
def test_links_playlists_and_lookalikes_are_not_videos(html: str) -> None:
    assert posts_in(html) == []


def test_traps_page_yields_nothing() -> None:
    assert posts_in(fixture("traps.html")) == []


def test_every_fixture_holds_a_marker() -> None:
    youtube = registered_platform(PLATFORM)
    for path in sorted(FIXTURES.glob("*.html")):
        assert youtube.may_occur_in(path.read_text(encoding="utf-8")), path.name


def test_pipeline_reads_youtube_embeds() -> None:
    extraction = extract(Document("page.html", fixture("forms.html"), HTML))
    youtube = [post for post in extraction.posts if post.platform == "youtube"]
    assert youtube[:2] == [video("JCeYq72Sko0"), video("NDlQrK_QAzY")]
    assert len(youtube) == 11


# ---------------------------------------------------------------------------------------
# Real pages (../shared/corpus): distinct videos per file against MANIFEST.tsv's "youtube"
# column, over all the corpus (negatives and other platforms' pages must yield none).

# Where the number of distinct videos found differs from the manifest, on purpose.
DIFFERENCES = {
    "tw_htmldate_testset_pt_1594316187.html": (
        0,
        "its only YouTube iframe is /embed/videoseries?list=UU...: a playlist (the site's "
        "channel uploads, in the right-hand sidebar), not a video",
    ),
}

# Per WARC: (manifest, distinct videos per document summed over documents, distinct videos
# over the whole WARC, why they differ).
WARCS = {
    "warc_hu_news_next_page_of_article.warc.gz": (5, 5, 5, ""),
    "warc_hu_news_ngvmt.warc.gz": (
        17,
        17,
        11,
        "the same pages crawled under several URLs: alfahir.hu's article three times "
        "(no page, ?page=1, ?page=5: 3 videos seen 8 times) and SuEAYod7QAg on both the "
        "first page and page /2/ of 24.hu's Oscar article",
    ),
    "warc_neg_jwarc_commoncrawl.warc.gz": (0, 0, 0, ""),
    "warc_neg_ukwa_wget.warc.gz": (0, 0, 0, ""),
    "warc_neg_warcio_example.warc.gz": (0, 0, 0, ""),
}


@pytest.mark.parametrize("name", corpus_files(exclude=WARCS) or ABSENT_FILES)
def test_corpus_page_counts_match_the_manifest(name: str) -> None:
    require_corpus()
    raw, posts = corpus_page(find_posts, name)
    assert len(posts) == DIFFERENCES.get(name, (manifest(PLATFORM)[name], ""))[0]
    assert len({post.id for post in posts}) == len(posts)
    if posts:
        youtube = registered_platform(PLATFORM)
        assert youtube.may_occur_in(raw)


def test_corpus_tables_are_current() -> None:
    require_corpus()
    assert set(corpus_files(exclude=WARCS)) | set(WARCS) == set(manifest(PLATFORM))
    assert len(manifest(PLATFORM)) == 60
    for name, (found, reason) in DIFFERENCES.items():
        assert manifest(PLATFORM)[name] != found and reason, name
    for name, (listed, _, _, _) in WARCS.items():
        assert manifest(PLATFORM)[name] == listed, name


@pytest.mark.parametrize("name", sorted(WARCS))
def test_corpus_warc_counts(name: str) -> None:
    require_corpus()
    _, per_document, distinct, _ = WARCS[name]
    assert warc_counts(find_posts, name) == (per_document, distinct)


def test_corpus_videos_field_by_field() -> None:
    require_corpus()
    assert list(corpus_page(find_posts, "yt_videos2_readability.html")[1]) == [
        video(video_id)
        for video_id in (
            "lGL7RgHn5f0",
            "s_rw5fPHz2g",
            "pADsuuPd79E",
            "kB15UFO5ebA",
            "OIS-P-0-cRk",
            "7HthiTi_IcI",
        )
    ]
    assert corpus_page(find_posts, "tw_fortressofsolitude_lang_tl.html")[1] == (
        video("CX11yw6YL1w"),
    )
    assert corpus_page(find_posts, "tw_telegraph_2014.html")[1] == (video("K7yr8Sg44cA"),)
    assert corpus_page(find_posts, "neg_trap_css_metro_co_uk.html")[1] == (video("wxjLdWeXk8A"),)
    hyperv = corpus_page(find_posts, "bsky_hyperv_blog.md")[1]
    assert [post.post_id for post in hyperv][-2:] == ["NDlQrK_QAzY", "0uixRE8xlbY"]
