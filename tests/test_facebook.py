"""Facebook posts and videos embedded in HTML pages: the SDK divs with and without their
fallbacks, plugin iframes, and the widgets that are not posts."""

from __future__ import annotations

from pathlib import Path

from monitor.embeds import extract
from monitor.embeds.facebook import PLATFORM, find_posts
from monitor.models import HTML, Document, Post

from .conftest import parse
from .corpus import registered_platform
from .test_facebook_urls import FB

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "facebook"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


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
    facebook = registered_platform(PLATFORM)
    for path in sorted(FIXTURES.glob("*.html")):
        assert facebook.may_occur_in(path.read_text(encoding="utf-8")), path.name


def test_pipeline_reads_facebook_embeds() -> None:
    extraction = extract(Document("page.html", fixture("fallback_fr.html"), HTML))
    assert [post for post in extraction.posts if post.platform == "facebook"] == [CH_COTE_BASQUE]
