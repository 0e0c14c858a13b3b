"""Instagram posts embedded in HTML pages: every embed generation and id-only form, the traps
that are not embeds, and the real pages and WARCs of the shared corpus."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.archives import iter_documents
from monitor.embeds import extract
from monitor.embeds.instagram import find_posts
from monitor.models import Document, Post
from monitor.timestamps import from_instagram_shortcode, iso_utc

from .conftest import parse
from .corpus import (
    ABSENT_FILES,
    CORPUS,
    corpus_files,
    corpus_text,
    corpus_texts,
    manifest,
    posts_per_document,
    registered_platform,
    require_corpus,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "instagram"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


def id_only(code: str, posted_at: str, handle: str | None = None) -> Post:
    return Post(
        platform="instagram",
        post_id=code,
        url=f"https://www.instagram.com/p/{code}/",
        author_handle=handle,
        posted_at=posted_at,
        has_media=True,
    )


GAGA = Post(
    platform="instagram",
    post_id="BNpLF8LD0GD",
    url="https://www.instagram.com/p/BNpLF8LD0GD/",
    author_name="xoxo, Gaga",
    author_handle="ladygaga",
    posted_at="2016-12-05T17:10:10+00:00",
    text="At 30 Rockefeller center my charity the @btwfoundation also offers a place to send "
    "kind letters to people. @taylorkinney111 and my mom sent letters filled with kind words "
    "to soldiers fighting overseas. #ShareKindness",
    hashtags=("sharekindness",),
    mentions=("btwfoundation", "taylorkinney111"),
    has_media=True,
)

VRENI_FROST = Post(
    platform="instagram",
    post_id="BgPCX03nnZW",
    url="https://www.instagram.com/p/BgPCX03nnZW/",
    author_name="Vreni Frost",
    author_handle="vrenifrost",
    posted_at="2018-03-12T19:30:12+00:00",
    text="[Werbung]",
    has_media=True,
)


def test_v7_caption_attribution_and_time() -> None:
    assert posts_in(fixture("v7_caption_time.html")) == [GAGA]


def test_v12_german_linked_name_caption_in_the_second_paragraph() -> None:
    assert posts_in(fixture("v12_german.html")) == [
        VRENI_FROST,
        # The caption link is empty: the post has no caption, and no text.
        Post(
            platform="instagram",
            post_id="BgTRLkmnibM",
            url="https://www.instagram.com/p/BgTRLkmnibM/",
            author_name="Vreni Frost",
            author_handle="vrenifrost",
            posted_at="2018-03-14T10:56:33+00:00",
            has_media=True,
        ),
    ]


def test_v14_has_no_caption_and_its_ui_strings_are_never_text() -> None:
    assert posts_in(fixture("v14_localized.html")) == [
        # Inside a WordPress figure: read once, from the blockquote.
        Post(
            platform="instagram",
            post_id="Ci22crtrcRL",
            url="https://www.instagram.com/p/Ci22crtrcRL/",
            author_name="Chateau La Coste",
            author_handle="chateaulacoste",
            posted_at="2022-09-23T17:07:38+00:00",
            has_media=True,
        ),
        # German strings, blank &nbsp; paragraphs, a handle with a dot.
        Post(
            platform="instagram",
            post_id="CiPcwgQMMYL",
            url="https://www.instagram.com/p/CiPcwgQMMYL/",
            author_name="Mirja",
            author_handle="seiten.verkehrt",
            posted_at="2022-09-08T09:52:46+00:00",
            has_media=True,
        ),
        # "Instagram Beitrag": not even the author is left.
        id_only("BpWxLP7HzN3", "2018-10-25T12:16:24+00:00"),
    ]


def test_hungarian_v7_and_v8_attributions_name_first() -> None:
    assert posts_in(fixture("hungarian_v7_v8.html")) == [
        Post(
            platform="instagram",
            post_id="BPsmjrtDKhh",
            url="https://www.instagram.com/p/BPsmjrtDKhh/",
            author_name="Bocuse d'Or",
            author_handle="bocusedor",
            posted_at="2017-01-25T18:10:40+00:00",
            text="The best dish on a tray goes to Hungary #bocusedor #bocusedor30",
            hashtags=("bocusedor", "bocusedor30"),
            has_media=True,
        ),
        # No caption: the only paragraph, linked to the post, is the attribution.
        Post(
            platform="instagram",
            post_id="BPspZuOjA7n",
            url="https://www.instagram.com/p/BPspZuOjA7n/",
            author_name="Bocuse d'Or",
            author_handle="bocusedor",
            posted_at="2017-01-25T18:35:31+00:00",
            has_media=True,
        ),
        Post(
            platform="instagram",
            post_id="BO_sdXfD5S6",
            url="https://www.instagram.com/p/BO_sdXfD5S6/",
            author_name="Alexander Sjögren",
            author_handle="sjogren_alex",
            posted_at="2017-01-08T07:36:24+00:00",
            text="Ready for today's race.. #16daystogo #bocusedor #teamsweden #siktetmotlyon",
            hashtags=("16daystogo", "bocusedor", "teamsweden", "siktetmotlyon"),
            has_media=True,
        ),
        Post(
            platform="instagram",
            post_id="BhTvqmXDHjE",
            url="https://www.instagram.com/p/BhTvqmXDHjE/",
            author_name="Gábor Vágó",
            author_handle="vago.gabor",
            posted_at="2018-04-08T11:54:20+00:00",
            text="#szavaztam és #élveztem #lehetmas #lehetmasapolitika #kampány2018",
            hashtags=("szavaztam", "élveztem", "lehetmas", "lehetmasapolitika", "kampány2018"),
            has_media=True,
        ),
        # No <time>: the shortcode gives the time the visible "2016. Febr 28., 18:24 PST" shows.
        Post(
            platform="instagram",
            post_id="BCWnHB-yUH-",
            url="https://www.instagram.com/p/BCWnHB-yUH-/",
            author_name="The Academy",
            author_handle="theacademy",
            posted_at="2016-02-29T02:24:04+00:00",
            text="Here’s what happens in the production truck – taken in rehearsal this "
            "morning #oscars",
            hashtags=("oscars",),
            has_media=True,
        ),
    ]


def test_amp_iframes_and_reel_and_tv_links_share_one_url_form() -> None:
    assert posts_in(fixture("amp_and_iframes.html")) == [
        id_only("B1mHd6sHGXK", "2019-08-25T17:36:32+00:00"),
        id_only("CA_cG-LD4mc", "2020-06-03T23:23:15+00:00"),
        id_only("lEK-o7yUC8", "2014-03-03T03:21:30+00:00"),  # //instagram.com/p/…/embed/
        id_only("Ci22crtrcRL", "2022-09-23T17:07:38+00:00"),  # rendered, embed/captioned/
        id_only("CyZCJRjLf8T", "2023-10-14T19:34:56+00:00"),  # lazy data-src, /reel/
        id_only("B4VoYllpf1v", "2019-11-01T21:31:15+00:00"),  # blockquote, /tv/
    ]


def test_wordpress_figures_emoji_images_and_a_post_embedded_twice() -> None:
    assert posts_in(fixture("wordpress.html")) == [
        id_only("CZHDYGVNlEd", "2022-01-24T10:54:31+00:00"),
        id_only("Ceb7SsysPB8", "2022-06-05T20:04:53+00:00", handle="le_saint_chocolat"),
        # Embedded twice (v7, then v14): one post, the copy with the caption.
        Post(
            platform="instagram",
            post_id="BNpLF8LD0GD",
            url="https://www.instagram.com/p/BNpLF8LD0GD/",
            author_name="xoxo, Gaga",
            author_handle="ladygaga",
            posted_at="2016-12-05T17:10:10+00:00",
            text="So proud 😍 #ShareKindness",
            hashtags=("sharekindness",),
            has_media=True,
        ),
    ]


def test_visible_date_in_the_pages_locale_when_the_shortcode_encodes_no_time() -> None:
    posts = posts_in(fixture("fallback_dates.html"))
    assert [(post.author_handle, post.posted_at, post.text) for post in posts] == [
        ("vrenifrost", "2018-03-12", "Frühling!"),  # <time> without datetime, German
        ("theacademy", "2016-02-28", "Here’s what happens in the production truck"),
        # A <time datetime> without a zone is local time: the shortcode's UTC time is used.
        ("ladygaga", "2016-12-05T17:10:10+00:00", "Kind letters"),
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # An embed stripped of its attribution keeps its caption; the URL names the author.
        (
            '<blockquote class="instagram-media"><p><a href="https://instagram.com/ladygaga/p/'
            'BNpLF8LD0GD/">Kind letters</a></p><p>Share kindness</p></blockquote>',
            ("Kind letters\n\nShare kindness", "ladygaga", None),
        ),
        # A caption may start like an attribution line; only the attribution has a handle.
        (
            '<blockquote class="instagram-media"><p><a href="https://www.instagram.com/p/'
            'BNpLF8LD0GD/">Ein von mir gebackener Kuchen</a></p>'
            "<p>Ein Beitrag geteilt von Oma Inge (@oma.inge)</p></blockquote>",
            ("Ein von mir gebackener Kuchen", "oma.inge", "Oma Inge"),
        ),
        # Without paragraphs the attribution is still read from the text.
        (
            '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com'
            '/p/BNpLF8LD0GD/"><div>View this post on Instagram</div><div>A post shared by xoxo, '
            "Gaga (@ladygaga)</div></blockquote>",
            (None, "ladygaga", "xoxo, Gaga"),
        ),
        # French attribution: its handle wins over the one in the URL.
        (
            '<blockquote class="instagram-media"><p><a href="https://www.instagram.com/gaga/p/'
            'BNpLF8LD0GD/">Voir https://example.org/lettres. Merci @btw.fondation.</a></p>'
            "<p>Une publication partagée par xoxo, Gaga (@ladygaga)</p></blockquote>",
            ("Voir https://example.org/lettres. Merci @btw.fondation.", "ladygaga", "xoxo, Gaga"),
        ),
    ],
)
def test_caption_and_attribution_edge_cases(
    html: str, expected: tuple[str | None, str | None, str | None]
) -> None:
    [post] = posts_in(html)
    assert (post.text, post.author_handle, post.author_name) == expected


def test_links_and_mentions_with_dots() -> None:
    html = (
        '<blockquote class="instagram-media"><p><a href="https://www.instagram.com/p/BNpLF8LD0GD/">'
        "Voir https://example.org/lettres. Merci @btw.fondation. #Lettres</a></p>"
        "<p>A post shared by xoxo, Gaga (@ladygaga)</p></blockquote>"
    )
    [post] = posts_in(html)
    assert (post.links, post.mentions, post.hashtags) == (
        ("https://example.org/lettres",),
        ("btw.fondation",),
        ("lettres",),
    )


def test_css_scripts_and_links_in_prose_are_not_embeds() -> None:
    assert posts_in(fixture("traps.html")) == []


def test_every_fixture_holds_a_marker() -> None:
    instagram = registered_platform("instagram")
    for path in sorted(FIXTURES.glob("*.html")):
        assert instagram.may_occur_in(path.read_text(encoding="utf-8")), path.name


def test_registered_and_run_by_extract() -> None:
    document = Document(source_path="v7_caption_time.html", text=fixture("v7_caption_time.html"))
    posts = [post for post in extract(document).posts if post.platform == "instagram"]
    assert posts == [GAGA]


# ---------------------------------------------------------------------------------------
# Real pages (../shared/corpus)

# MANIFEST.tsv's "instagram" column counts embed elements page by page. For every corpus file
# the distinct posts of each document, summed over its documents, equal it: no page embeds
# the same post twice. Distinct post ids over a whole WARC can be fewer, because a crawl holds
# pages of one article under several URLs:
#
# | file                                      | manifest | summed per document | distinct |
# |-------------------------------------------|----------|---------------------|----------|
# | warc_hu_news_next_page_of_article.warc.gz | 14       | 14 (8 blockquotes,  | 13       |
# |                                           |          |  6 iframes)         |          |
# | warc_hu_news_ngvmt.warc.gz                | 2        | 2                   | 2        |
#
# 13: the iframe post lEK-o7yUC8 is on the 444.hu live blog's first page and on its ?page=4.
WARC_DISTINCT = {
    "warc_hu_news_next_page_of_article.warc.gz": 13,
    "warc_hu_news_ngvmt.warc.gz": 2,
}


@pytest.mark.parametrize("name", corpus_files() or ABSENT_FILES)
def test_corpus_counts_match_the_manifest(name: str) -> None:
    require_corpus()
    documents = posts_per_document(find_posts, name)
    for posts in documents:
        assert len({post.id for post in posts}) == len(posts)
    # Negatives and other platforms' pages give none; Instagram pages give what they embed.
    assert sum(len(posts) for posts in documents) == manifest("instagram")[name]
    if name in WARC_DISTINCT:
        distinct = {post.id for posts in documents for post in posts}
        assert len(distinct) == WARC_DISTINCT[name]


def test_corpus_warc_counts_per_page() -> None:
    require_corpus()
    found: Counter[str] = Counter()
    for name in WARC_DISTINCT:
        for document in iter_documents(CORPUS / name):
            posts = find_posts(LexborHTMLParser(document.text))
            if posts:
                found[document.url] += len(posts)
    assert found == {
        "https://444.hu/2014/03/02/mindjart-kezdodik-az-oscar-dij-atadas": 1,
        "https://444.hu/2014/03/02/mindjart-kezdodik-az-oscar-dij-atadas?page=4": 5,
        "https://divany.hu/offline/2017/01/24/bocuse_2017/": 4,
        "https://divany.hu/offline/2017/01/24/bocuse_2017/?p=3": 4,
        "https://merce.hu/2018/04/08/magyarorszag-valaszt/?loadall=1": 1,
        "https://24.hu/kultura/2016/02/29/oscar-meglehet-a-magyar-oscar/3/": 1,
    }


def test_corpus_lady_gaga_v7_post_whole() -> None:
    require_corpus()
    [[post]] = posts_per_document(find_posts, "ig_usmagazine_v7_caption_time.html")
    assert post == GAGA


def test_corpus_vreni_frost_v12_posts() -> None:
    require_corpus()
    [posts] = posts_per_document(find_posts, "ig_horizont_v12_de.html")
    assert posts[0] == VRENI_FROST
    assert [(post.post_id, post.text) for post in posts] == [
        ("BgPCX03nnZW", "[Werbung]"),
        ("Bgg9cWRnMzc", "[Werbung]"),
        ("BgTRLkmnibM", None),
    ]


def test_corpus_v14_posts_have_no_text_but_an_author_and_a_time() -> None:
    require_corpus()
    [beige] = posts_per_document(find_posts, "ig_beige_de_v14.html")
    [janewayne] = posts_per_document(find_posts, "ig_janewayne_de_v14.html")
    [goodnight] = posts_per_document(find_posts, "ig_goodnight_at_v14.html")
    assert [post.author_handle for post in beige] == [
        "chateaulacoste",
        "le_saint_chocolat",
        "lanostradeco",
        "airellesgordes",
        "frenchprovenceguide",
    ]
    assert beige[4].author_name == "French Provence Guide 🇫🇷"
    assert [post.author_name for post in janewayne][:3] == [
        "NIKE VAN DINTHER",
        "NIKE VAN DINTHER",
        "Mirja",
    ]
    # "Instagram Beitrag": the id is all there is.
    assert {(post.author_name, post.author_handle) for post in goodnight} == {(None, None)}
    for post in (*beige, *janewayne, *goodnight):
        assert post.text is None
        assert post.posted_at == from_instagram_shortcode(post.post_id or "")
        assert post.posted_at is not None


def test_corpus_amp_shortcodes_are_distinct_and_dated() -> None:
    require_corpus()
    [posts] = posts_per_document(find_posts, "ig_popsugar_amp_instagram_85.html")
    assert len({post.post_id for post in posts}) == 85
    assert all(post.posted_at and post.text is None for post in posts)
    assert posts[0] == id_only("B1mHd6sHGXK", "2019-08-25T17:36:32+00:00")


def test_corpus_time_elements_agree_with_the_shortcodes() -> None:
    """Every <time datetime> of a real embed is the time the shortcode encodes, to the second
    (EMBEDS.md §9), so the v14 and AMP posts, which have no <time>, are dated as exactly."""
    require_corpus()
    pages = [corpus_text(name) for name in corpus_files() if name.startswith("ig_")]
    pages += [text for name in WARC_DISTINCT for text in corpus_texts(name)]
    checked = {}
    for page in pages:
        for quote in LexborHTMLParser(page).css("blockquote.instagram-media"):
            time = quote.css_first("time[datetime]")
            if time is None:
                continue
            [post] = find_posts(LexborHTMLParser(quote.html or ""))
            stamped = iso_utc(datetime.fromisoformat(time.attributes["datetime"] or ""))
            assert post.posted_at == stamped == from_instagram_shortcode(post.post_id or "")
            checked[post.post_id] = stamped
    # Lady Gaga, three Vreni Frost posts, the eight of the Bocuse d'Or round-up, Gábor Vágó.
    assert len(checked) == 13
