"""Facebook posts and videos embedded in HTML pages: the post URL parser on every URL form,
the SDK divs with and without their fallbacks, plugin iframes, the widgets that are not
posts, and the real pages and WARCs of the shared corpus."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.archives import iter_documents
from monitor.embeds import extract
from monitor.embeds.facebook import PLATFORM, PostUrl, find_posts, parse_post_url
from monitor.embeds.registry import registered
from monitor.models import HTML, Document, Post

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "facebook"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FB = "https://www.facebook.com"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def posts_in(html: str) -> list[Post]:
    return find_posts(LexborHTMLParser(html))


# ---------------------------------------------------------------------------------------
# The URL parser


# (address, post id, URL on https://www.facebook.com, author handle, has media)
URL_FORMS = {
    "posts": (
        "https://www.facebook.com/wanyu.claire/posts/155510659249821",
        "155510659249821",
        "/wanyu.claire/posts/155510659249821",
        "wanyu.claire",
        False,
    ),
    "posts-colon-0": (
        "https://www.facebook.com/CHCoteBasque/posts/1920722881385983:0",
        "1920722881385983",
        "/CHCoteBasque/posts/1920722881385983",
        "CHCoteBasque",
        False,
    ),
    "developers-host-numeric-owner": (
        "https://developers.facebook.com/20531316728/posts/10154009990506729/",
        "10154009990506729",
        "/20531316728/posts/10154009990506729",
        "20531316728",
        False,
    ),
    "pfbid-tracking": (
        "https://m.facebook.com/Page-Name-1/posts/pfbid02Ab3Cd4Ef5Gh6Ij7Kl8Mn9?__cft__[0]=AZ",
        "pfbid02Ab3Cd4Ef5Gh6Ij7Kl8Mn9",
        "/Page-Name-1/posts/pfbid02Ab3Cd4Ef5Gh6Ij7Kl8Mn9",
        "Page-Name-1",
        False,
    ),
    "photos-album": (
        "https://www.facebook.com/CHCoteBasque/photos/a.182970021827953/1920722881385983/"
        "?type=3&theater",
        "1920722881385983",
        "/CHCoteBasque/photos/a.182970021827953/1920722881385983",
        "CHCoteBasque",
        True,
    ),
    "photos-old-album": (
        "https://www.facebook.com/JoeGordonLevitt/photos/a.645798388777162.1073741826."
        "192551487435190/729393357084331/?type=1",
        "729393357084331",
        "/JoeGordonLevitt/photos/a.645798388777162.1073741826.192551487435190/729393357084331",
        "JoeGordonLevitt",
        True,
    ),
    "photos-pcb": (
        "https://www.facebook.com/unialesznoks/photos/pcb.3485430601537621/3485430308204317",
        "3485430308204317",
        "/unialesznoks/photos/pcb.3485430601537621/3485430308204317",
        "unialesznoks",
        True,
    ),
    "photos-bare-no-scheme": (
        "facebook.com/somepage/photos/1565903230105976",
        "1565903230105976",
        "/somepage/photos/1565903230105976",
        "somepage",
        True,
    ),
    "videos": (
        "https://www.facebook.com/BocusedOrWinners/videos/1250395198386676/",
        "1250395198386676",
        "/BocusedOrWinners/videos/1250395198386676",
        "BocusedOrWinners",
        True,
    ),
    "videos-vb": (
        "https://web.facebook.com/hirtv/videos/vb.123456/1876302859054935/?type=2&theater",
        "1876302859054935",
        "/hirtv/videos/1876302859054935",
        "hirtv",
        True,
    ),
    "videos-slug": (
        "https://www.facebook.com/hirtv/videos/the-debate-tonight/1876037119081509/",
        "1876037119081509",
        "/hirtv/videos/1876037119081509",
        "hirtv",
        True,
    ),
    "permalink-php": (
        "https://www.facebook.com/permalink.php?story_fbid=2752304941492760&id=136700889742472"
        "&__tn__=K-R",
        "2752304941492760",
        "/permalink.php?story_fbid=2752304941492760&id=136700889742472",
        "136700889742472",
        False,
    ),
    "story-php-pfbid": (
        "https://m.facebook.com/story.php?story_fbid=pfbid0xyzXYZ0123456789abc&id=100064",
        "pfbid0xyzXYZ0123456789abc",
        "/story.php?story_fbid=pfbid0xyzXYZ0123456789abc&id=100064",
        "100064",
        False,
    ),
    "photo-php": (
        "https://www.facebook.com/photo.php?fbid=10207393772231779"
        "&set=a.1332832050135.2039779.1511060888&type=3",
        "10207393772231779",
        "/photo.php?fbid=10207393772231779",
        None,
        True,
    ),
    "photo-slash": (
        "https://www.facebook.com/photo/?fbid=10207393772231779&set=a.1",
        "10207393772231779",
        "/photo.php?fbid=10207393772231779",
        None,
        True,
    ),
    "watch": (
        "https://www.facebook.com/watch/?v=389521961526025&ref=sharing",
        "389521961526025",
        "/watch/?v=389521961526025",
        None,
        True,
    ),
    "video-php-protocol-relative": (
        "//www.facebook.com/video.php?v=389521961526025",
        "389521961526025",
        "/watch/?v=389521961526025",
        None,
        True,
    ),
    "reel": (
        "https://www.facebook.com/reel/1234567890123",
        "1234567890123",
        "/reel/1234567890123",
        None,
        True,
    ),
    "group-permalink": (
        "https://www.facebook.com/groups/pythonistas/permalink/3344556677/",
        "3344556677",
        "/groups/pythonistas/posts/3344556677",
        None,
        False,
    ),
}


@pytest.mark.parametrize(
    ("address", "post_id", "path", "handle", "media"), URL_FORMS.values(), ids=URL_FORMS.keys()
)
def test_parse_post_url(
    address: str, post_id: str, path: str, handle: str | None, media: bool
) -> None:
    assert parse_post_url(address) == PostUrl(post_id, FB + path, handle, media)


@pytest.mark.parametrize(
    "address",
    [
        None,
        "",
        "https://www.facebook.com/CHCoteBasque/",
        "https://www.facebook.com/profile.php?id=100004",
        "https://www.facebook.com/hashtag/covid19?source=feed_text",
        "https://www.facebook.com/CHCoteBasque/photos/a.182970021827953/",
        "https://www.facebook.com/media/set/?set=a.1332832050135",
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.com",
        "https://www.facebook.com/plugins/post.php?href=x",
        "https://www.facebook.com/pg/fradi.hu/posts/?ref=page_internal",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.facebook.com%2Fa%2Fposts%2F1",
        "https://www.notfacebook.com/a/posts/123",
        "https://example.com/facebook.com/a/posts/123",
        "https://www.facebook.com/a/posts/not-an-id",
        "https://www.facebook.com/events/123456789/",
        "https://www.facebook.com/photo.php?fbid=abc",
        "https://[broken/a/posts/1",
    ],
)
def test_parse_post_url_rejects_what_is_not_a_post(address: str | None) -> None:
    assert parse_post_url(address) is None


# ---------------------------------------------------------------------------------------
# Embeds

CH_COTE_BASQUE = Post(
    platform="facebook",
    post_id="1920722881385983",
    url=f"{FB}/CHCoteBasque/photos/a.182970021827953/1920722881385983",
    author_name="Centre Hospitalier de la Côte Basque",
    author_handle="CHCoteBasque",
    posted_at="2020-03-26",
    # The fallback loses line breaks: the sentence and the URL run together.
    text="Pays Basque #COVID-19 Le Centre Hospitalier de la Côte Basque lance une appel aux "
    "donshttps://www.ch-cote-basque.fr/appel-aux-dons",
    hashtags=("covid",),
    has_media=True,
)


def test_french_fallback_blockquote() -> None:
    assert posts_in(fixture("fallback_fr.html")) == [CH_COTE_BASQUE]


def test_every_form_in_page_order_each_post_once() -> None:
    assert posts_in(fixture("forms.html")) == [
        # Embedded again as an iframe at the end of the page: one post, with its text.
        Post(
            platform="facebook",
            post_id="10154009990506729",
            url=f"{FB}/20531316728/posts/10154009990506729",
            author_name="Facebook",
            author_handle="20531316728",
            posted_at="2015-08-27",
            text="A great day for #OpenSource: read more at example.org/news #happy",
            hashtags=("opensource", "happy"),
            links=("https://example.org/news",),
        ),
        Post(
            platform="facebook",
            post_id="549534915206877",
            url=f"{FB}/Roboraptorblog/posts/549534915206877",
            author_name="Roboraptor",
            author_handle="Roboraptorblog",
            posted_at="2016-02-28",
            text="Ezt azokra, akik Oscar-díjat kapta ma este ;)",
        ),
        # Only the attribution paragraph: no text.
        Post(
            platform="facebook",
            post_id="10153387632086406",
            url=f"{FB}/TheAcademy/posts/10153387632086406",
            author_name="The Academy",
            author_handle="TheAcademy",
            posted_at="2016-02-28",
        ),
        # "Post by Name.": neither text nor date.
        Post(
            platform="facebook",
            post_id="729393357084331",
            url=f"{FB}/JoeGordonLevitt/photos/a.645798388777162.1073741826.192551487435190/"
            "729393357084331",
            author_name="Joseph Gordon-Levitt",
            author_handle="JoeGordonLevitt",
            has_media=True,
        ),
        # A video: the title link is not the date; the date is plain text.
        Post(
            platform="facebook",
            post_id="1250395198386676",
            url=f"{FB}/BocusedOrWinners/videos/1250395198386676",
            author_name="Bocuse d'Or Winners",
            author_handle="BocusedOrWinners",
            posted_at="2017-01-24",
            text="What a final!",
            has_media=True,
        ),
        Post(
            platform="facebook",
            post_id="3485430308204317",
            url=f"{FB}/unialesznoks/photos/pcb.3485430601537621/3485430308204317",
            author_handle="unialesznoks",
            has_media=True,
        ),
        Post(
            platform="facebook",
            post_id="10207393772231779",
            url=f"{FB}/photo.php?fbid=10207393772231779",
            has_media=True,
        ),
        Post(
            platform="facebook",
            post_id="10156121765193467",
            url=f"{FB}/magyarinfo/videos/10156121765193467",
            author_handle="magyarinfo",
            has_media=True,
        ),
        # Lazy (data-lazy-src), href not the first parameter.
        Post(
            platform="facebook",
            post_id="2752304941492760",
            url=f"{FB}/permalink.php?story_fbid=2752304941492760&id=136700889742472",
            author_handle="136700889742472",
        ),
        # A versioned plugin path, the href encoded twice.
        Post(
            platform="facebook",
            post_id="155510659249821",
            url=f"{FB}/wanyu.claire/posts/155510659249821",
            author_handle="wanyu.claire",
        ),
        # A fallback without its div.
        Post(
            platform="facebook",
            post_id="2752181144838473",
            url=f"{FB}/fradi.hu/posts/2752181144838473",
            author_name="Ferencvárosi Torna Club",
            author_handle="fradi.hu",
            posted_at="2019-11-07",
            text="Hajrá Fradi!",
        ),
    ]


def test_handle_from_the_author_link_when_the_url_names_no_owner() -> None:
    html = (
        '<div class="fb-post" data-href="https://www.facebook.com/photo.php?fbid=123456789">'
        '<blockquote cite="https://www.facebook.com/photo.php?fbid=123456789" '
        'class="fb-xfbml-parse-ignore"><p>Sunset 🌅</p>Posted by '
        '<a href="https://www.facebook.com/profile.php?id=100004">Jane Doe</a> on '
        '<a href="https://www.facebook.com/photo.php?fbid=123456789">Monday, May 4, 2020</a>'
        "</blockquote></div>"
    )
    assert posts_in(html) == [
        Post(
            platform="facebook",
            post_id="123456789",
            url=f"{FB}/photo.php?fbid=123456789",
            author_name="Jane Doe",
            author_handle="100004",
            posted_at="2020-05-04",
            text="Sunset 🌅",
            has_media=True,
        )
    ]


def test_cite_when_the_div_has_no_data_href() -> None:
    html = (
        '<div class="fb-post"><blockquote class="fb-xfbml-parse-ignore" '
        'cite="https://www.facebook.com/atasz/posts/10160111146445234"><p>Szavazzatok!</p>'
        "</blockquote></div>"
    )
    [post] = posts_in(html)
    assert (post.post_id, post.author_handle, post.text) == (
        "10160111146445234",
        "atasz",
        "Szavazzatok!",
    )


def test_widgets_and_links_are_not_posts() -> None:
    # fb-like, fb-share-button, fb-page (with its own fallback blockquote), fb-comments,
    # the SDK script, like.php and page.php iframes, a post.php iframe on a page, a
    # look-alike plugin host, class names in CSS, post links in prose and in a site's
    # "comment on Facebook" box, fb-post divs naming a page or nothing.
    assert posts_in(fixture("traps.html")) == []


def test_every_fixture_holds_a_marker() -> None:
    [facebook] = [p for p in registered() if p.name == PLATFORM]
    for path in sorted(FIXTURES.glob("*.html")):
        assert facebook.may_occur_in(path.read_text(encoding="utf-8")), path.name


def test_pipeline_reads_facebook_embeds() -> None:
    extraction = extract(Document("page.html", fixture("fallback_fr.html"), HTML))
    assert [post for post in extraction.posts if post.platform == "facebook"] == [CH_COTE_BASQUE]


# ---------------------------------------------------------------------------------------
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


def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p.name for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv" and p.name not in WARCS
    )


def require_corpus() -> None:
    if not (CORPUS / "MANIFEST.tsv").exists():
        pytest.skip(f"{CORPUS} is absent: real-page tests need ../shared beside the repository")


@cache
def manifest() -> dict[str, int]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["local_file"]: int(row[PLATFORM] or 0) for row in rows}


@cache
def corpus_page(name: str) -> tuple[str, tuple[Post, ...]]:
    raw = (CORPUS / name).read_text(encoding="utf-8", errors="replace")
    return raw, tuple(find_posts(LexborHTMLParser(raw)))


@cache
def warc_posts(name: str) -> tuple[tuple[Post, ...], ...]:
    """The posts of each document of a WARC."""
    return tuple(
        tuple(find_posts(LexborHTMLParser(document.text)))
        for document in iter_documents(CORPUS / name)
    )


@pytest.mark.parametrize("name", corpus_files() or ["(corpus absent)"])
def test_corpus_page_counts_match_the_manifest(name: str) -> None:
    require_corpus()
    raw, posts = corpus_page(name)
    assert len(posts) == manifest()[name]
    if posts:
        [facebook] = [p for p in registered() if p.name == PLATFORM]
        assert facebook.may_occur_in(raw)


def test_corpus_tables_are_current() -> None:
    require_corpus()
    assert set(corpus_files()) | set(WARCS) == set(manifest())
    assert len(manifest()) == 60
    for name, (listed, _, _, _) in WARCS.items():
        assert manifest()[name] == listed, name


@pytest.mark.parametrize("name", sorted(WARCS))
def test_corpus_warc_counts(name: str) -> None:
    require_corpus()
    _, per_document, distinct, _ = WARCS[name]
    found = warc_posts(name)
    assert sum(len(posts) for posts in found) == per_document
    assert len({post.id for posts in found for post in posts}) == distinct


def test_corpus_french_post_field_by_field() -> None:
    require_corpus()
    assert corpus_page("fb_post_with_fallback_blockquote_fr.html")[1] == (CH_COTE_BASQUE,)
    assert corpus_page("fb_post_empty_div_pl.html")[1] == (
        Post(
            platform="facebook",
            post_id="3485430308204317",
            url=f"{FB}/unialesznoks/photos/pcb.3485430601537621/3485430308204317",
            author_handle="unialesznoks",
            has_media=True,
        ),
    )
    assert corpus_page("fb_plugins_iframe_aol.html")[1] == tuple(
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
        post.post_id: post for found in warc_posts("warc_hu_news_ngvmt.warc.gz") for post in found
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
