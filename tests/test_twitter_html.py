"""Tweets embedded in HTML pages: every markup variant and the traps that are not embeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.embeds.twitter import find_posts
from monitor.models import Post

from .conftest import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "twitter"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


# The nj.com tweet (EMBEDS.md §1.1), written with each dash form seen in real embeds.
DIANNA = Post(
    platform="twitter",
    post_id="1196501054197649413",
    url="https://twitter.com/diannaeanderson/status/1196501054197649413",
    author_name="Dianna E. Anderson 🏳️\u200d🌈",
    author_handle="diannaeanderson",
    posted_at="2019-11-18T18:50:55+00:00",
    lang="en",
    text="Yes this is real and yes the state spent nearly half a million dollars on it: "
    "https://t.co/Nc0nKoXGBP",
    links=("https://t.co/Nc0nKoXGBP",),
)


@pytest.mark.parametrize(
    "dash",
    ["&mdash;", "—", "&#x2014;", "&#8212;", "&ndash;", "-"],
    ids=["mdash", "literal", "hex", "decimal", "ndash", "hyphen"],
)
def test_canonical_blockquote_with_every_dash_form(dash: str) -> None:
    html = (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Yes this is real and yes the '
        "state spent nearly half a million dollars on it: "
        '<a href="https://t.co/Nc0nKoXGBP">https://t.co/Nc0nKoXGBP</a></p>'
        f"{dash} Dianna E. Anderson 🏳️‍🌈 (@diannaeanderson) "
        '<a href="https://twitter.com/diannaeanderson/status/1196501054197649413'
        '?ref_src=twsrc%5Etfw">November 18, 2019</a></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )
    assert posts_in(html) == [DIANNA]


@pytest.mark.parametrize(
    ("inside", "expected"),
    [
        # The tweet's own text may quote someone in the attribution's shape.
        (
            "<p>So true — Jane (@jane) said it</p>&mdash; A - B (@h) ",
            ("So true — Jane (@jane) said it", "A - B", "h"),
        ),
        (
            "<p>t</p>Jean-Luc  Mélenchon\n (@JLMelenchon) ",
            ("t", "Jean-Luc Mélenchon", "JLMelenchon"),
        ),
        ("<p>t</p><p>&mdash; Name ( @h ) ", ("t", "Name", "h")),
        ("<p>t</p>", ("t", None, "h")),
        ("just text &mdash; Name (@h) ", ("just text", "Name", "h")),
    ],
)
def test_attribution_edge_cases(inside: str, expected: tuple[str, str | None, str]) -> None:
    link = '<a href="https://twitter.com/h/status/1196501054197649413">November 18, 2019</a>'
    [post] = posts_in(f'<blockquote class="twitter-tweet">{inside}{link}</blockquote>')
    assert (post.text, post.author_name, post.author_handle) == expected


def test_wordpress_autop_attribution_paragraph_and_ampersand_name() -> None:
    html = fixture("wordpress_autop_thepoke.html")
    assert posts_in(html) == [
        Post(
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
    ]


def test_wordpress_autop_splits_the_text_into_paragraphs() -> None:
    # autop turns the blank line inside a tweet into a paragraph break: all of it is text.
    html = fixture("wordpress_autop_split_text.html")
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="1067112604739534850",
            url="https://twitter.com/C_Holler/status/1067112604739534850",
            author_name="Feine Helene Fischerfilet",
            author_handle="C_Holler",
            posted_at="2018-11-26T17:47:25+00:00",
            lang="de",
            text="Wie lustig #Palmer meets Deutschlandhut wäre.\n\n"
            "„Höahn Sie auf mich zu filmen!“\n„STROFDOHD!“",
            hashtags=("palmer",),
        )
    ]


def test_x_era_form_keeps_line_breaks_and_normalises_the_url() -> None:
    html = (
        '<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">First line'
        "<br><br>Second &amp; last</p>&mdash; Elon Musk (@elonmusk) "
        '<a href="https://x.com/elonmusk/status/2077361679034118271?ref_src=twsrc%5Etfw">'
        "July 15, 2026</a></blockquote>"
        '<script async src="https://platform.x.com/widgets.js" charset="utf-8"></script>'
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="2077361679034118271",
            url="https://twitter.com/elonmusk/status/2077361679034118271",
            author_name="Elon Musk",
            author_handle="elonmusk",
            posted_at="2026-07-15T11:56:34+00:00",
            lang="en",
            text="First line\n\nSecond & last",
        )
    ]


def test_italian_embed_with_pic_x_com_media() -> None:
    html = fixture("x_com_italian_phpday.html")
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="863314622656458753",
            url="https://twitter.com/phpday/status/863314622656458753",
            author_name="phpDay by GrUSP",
            author_handle="phpday",
            posted_at="2017-05-13T08:47:00+00:00",
            lang="en",
            text="Are you wondering how the first day of the #phpDay went? That was amazing! "
            "pic.x.com/6630Zguq1Q",
            hashtags=("phpday",),
            links=("https://t.co/6630Zguq1Q",),
            has_media=True,
        )
    ]


def test_old_form_with_ui_lang_on_blockquote_and_statuses_link() -> None:
    # The blockquote's lang is the reader's UI language, not the tweet's.
    html = fixture("old_2014_hungarian.html")
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="440348456218279936",
            url="https://twitter.com/illionaire/status/440348456218279936",
            author_name="Anthony Osei",
            author_handle="illionaire",
            posted_at="2014-03-03T04:50:27+00:00",
            text="pic.twitter.com/jqoRxwfM0z",
            links=("http://t.co/jqoRxwfM0z",),
            has_media=True,
        )
    ]


def test_media_only_zxx_tweet_with_double_space_before_handle() -> None:
    html = (
        '<blockquote class="twitter-tweet" data-media-max-width="560"><p lang="zxx" dir="ltr">'
        '<a href="https://t.co/eeSw8gkJfp">pic.twitter.com/eeSw8gkJfp</a></p>&mdash; Lsong  '
        '(@lsongdev) <a href="https://twitter.com/lsongdev/status/1778771674772668494'
        '?ref_src=twsrc%5Etfw">April 12, 2024</a></blockquote>'
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="1778771674772668494",
            url="https://twitter.com/lsongdev/status/1778771674772668494",
            author_name="Lsong",
            author_handle="lsongdev",
            posted_at="2024-04-12T13:06:29+00:00",
            text="pic.twitter.com/eeSw8gkJfp",
            links=("https://t.co/eeSw8gkJfp",),
            has_media=True,
        )
    ]


def test_numeric_entities_in_japanese_text_tags_and_name() -> None:
    html = (
        '<blockquote class="twitter-tweet"><p lang="ja" dir="ltr">&#x5168;&#x56FD;&#x306E;'
        '&#x5BB6;&#x5EAD; <a href="https://twitter.com/hashtag/%E6%94%BF%E6%B2%BB?src=hash">'
        '#&#x653F;&#x6CBB;</a> <a href="https://t.co/5ejCsed1mz">https://t.co/5ejCsed1mz</a>'
        "</p>&#x2014; NHK&#x30CB;&#x30E5;&#x30FC;&#x30B9; (@nhk_news) "
        '<a href="https://twitter.com/nhk_news/status/1089840528357814278">'
        "2019&#x5E74;1&#x6708;28&#x65E5;</a></blockquote>"
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="1089840528357814278",
            url="https://twitter.com/nhk_news/status/1089840528357814278",
            author_name="NHKニュース",
            author_handle="nhk_news",
            posted_at="2019-01-28T11:00:04+00:00",
            lang="ja",
            text="全国の家庭 #政治 https://t.co/5ejCsed1mz",
            hashtags=("政治",),
            links=("https://t.co/5ejCsed1mz",),
        )
    ]


def test_missing_date_still_dated_from_the_id() -> None:
    html = (
        '<blockquote class="twitter-tweet" data-lang="ru"><p lang="en" dir="ltr">Thanks to '
        '<a href="https://twitter.com/ParallelsMac?ref_src=twsrc%5Etfw">@ParallelsMac</a> for '
        "making this unholy marriage so easy!</p>\n          &mdash; Sebastin Rothe (@port_noy) "
        '<a href="https://twitter.com/port_noy/status/811931086355832833?ref_src=twsrc%5Etfw">'
        "</a></blockquote>"
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="811931086355832833",
            url="https://twitter.com/port_noy/status/811931086355832833",
            author_name="Sebastin Rothe",
            author_handle="port_noy",
            posted_at="2016-12-22T13:47:10+00:00",
            lang="en",
            text="Thanks to @ParallelsMac for making this unholy marriage so easy!",
            mentions=("ParallelsMac",),
        )
    ]


def test_pre_2010_id_is_dated_from_the_visible_date_in_the_embedders_locale() -> None:
    html = (
        '<blockquote class="twitter-tweet" data-lang="it"><p lang="en" dir="ltr">just setting up'
        " my twttr</p>&mdash; jack (@jack) "
        '<a href="https://twitter.com/jack/status/20">21 marzo 2006</a></blockquote>'
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="20",
            url="https://twitter.com/jack/status/20",
            author_name="jack",
            author_handle="jack",
            posted_at="2006-03-21",
            lang="en",
            text="just setting up my twttr",
        )
    ]


def test_site_placeholder_for_a_deleted_tweet_has_no_text() -> None:
    html = fixture("placeholder_mashable.html")
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="808782171829891072",
            url="https://twitter.com/TomNamako/status/808782171829891072",
            author_handle="TomNamako",
            posted_at="2016-12-13T21:14:30+00:00",
        )
    ]


def test_placeholder_in_a_paragraph_is_not_text_either() -> None:
    html = (
        '<blockquote class="twitter-tweet"><p>Tweet may have been deleted</p>'
        '<a href="https://twitter.com/TomNamako/status/808782171829891072"></a></blockquote>'
    )
    assert [post.text for post in posts_in(html)] == [None]


def test_empty_blockquote_with_only_the_status_link() -> None:
    html = (
        '<blockquote class="twitter-tweet"> <a href="https://twitter.com/DiarioDiezHn/status/'
        '1519105091772596231"></a> </blockquote>'
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="1519105091772596231",
            url="https://twitter.com/DiarioDiezHn/status/1519105091772596231",
            author_handle="DiarioDiezHn",
            posted_at="2022-04-27T00:04:12+00:00",
        )
    ]


def test_stripped_embed_without_paragraphs_keeps_text_before_the_attribution() -> None:
    html = (
        '<blockquote class="twitter-tweet">Club statement — and more — <a href="https://t.co/x1">'
        "pic.twitter.com/x1</a> — Tottenham Hotspur (@SpursOfficial) "
        '<a href="https://mobile.twitter.com/SpursOfficial/status/1197040181657784320">'
        "November 20, 2019</a></blockquote>"
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="1197040181657784320",
            url="https://twitter.com/SpursOfficial/status/1197040181657784320",
            author_name="Tottenham Hotspur",
            author_handle="SpursOfficial",
            posted_at="2019-11-20T06:33:13+00:00",
            text="Club statement — and more — pic.twitter.com/x1",
            links=("https://t.co/x1",),
            has_media=True,
        )
    ]


def test_same_tweet_twice_is_one_post_the_richer_one_in_first_place() -> None:
    empty = (
        '<blockquote class="twitter-tweet"><a href="https://twitter.com/itmedia_news/status/'
        '1092262735423856642"></a></blockquote>'
    )
    other = (
        '<blockquote class="twitter-tweet"><p lang="en">Other</p>&mdash; Lsong (@lsongdev) '
        '<a href="https://twitter.com/lsongdev/status/1778771674772668494">x</a></blockquote>'
    )
    full = (
        '<blockquote class="twitter-tweet"><p lang="ja" dir="ltr">「NOTICE」サイト公開</p>'
        "&#x2014; ITmedia NEWS (@itmedia_news) "
        '<a href="https://twitter.com/itmedia_news/status/1092262735423856642">2019年2月4日</a>'
        "</blockquote>"
    )
    posts = posts_in(empty + other + full + empty)
    assert [post.post_id for post in posts] == ["1092262735423856642", "1778771674772668494"]
    assert posts[0] == Post(
        platform="twitter",
        post_id="1092262735423856642",
        url="https://twitter.com/itmedia_news/status/1092262735423856642",
        author_name="ITmedia NEWS",
        author_handle="itmedia_news",
        posted_at="2019-02-04T03:25:04+00:00",
        lang="ja",
        text="「NOTICE」サイト公開",
    )


def test_reply_shown_without_its_parent() -> None:
    html = (
        '<blockquote class="twitter-tweet" data-conversation="none"><p lang="en" dir="ltr">'
        "Sir, Hannah Waddingham is in another Christmas advert "
        '<a href="https://t.co/YW4JDEXv9w">pic.twitter.com/YW4JDEXv9w</a></p>'
        "<p>— Jonathan Eilbeck (@JonathanEilbeck) "
        '<a href="https://twitter.com/JonathanEilbeck/status/1720051618949775429'
        '?ref_src=twsrc%5Etfw">November 2, 2023</a></p></blockquote>'
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="1720051618949775429",
            url="https://twitter.com/JonathanEilbeck/status/1720051618949775429",
            author_name="Jonathan Eilbeck",
            author_handle="JonathanEilbeck",
            posted_at="2023-11-02T12:13:57+00:00",
            lang="en",
            text="Sir, Hannah Waddingham is in another Christmas advert pic.twitter.com/YW4JDEXv9w",
            links=("https://t.co/YW4JDEXv9w",),
            has_media=True,
            is_reply=True,
        )
    ]


def test_wordpress_smiley_images_keep_their_emoji() -> None:
    html = (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">No more queues '
        '<img src="https://s.w.org/images/core/emoji/11.2.0/72x72/274c.png" alt="❌" '
        'class="wp-smiley" style="height: 1em; max-height: 1em;" /> <a href="https://twitter.com/'
        'hashtag/WW3?src=hash">#WW3</a> <a href="https://twitter.com/ATACMS_fan">@ATACMS_fan</a>'
        '</p>— Peter Wittkamp<img class="emoji" alt="🐬" src="x.png"> (@diktator) '
        '<a href="https://www.twitter.com/diktator/status/1044502590266978309">'
        "25. September 2018</a></blockquote>"
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="1044502590266978309",
            url="https://twitter.com/diktator/status/1044502590266978309",
            author_name="Peter Wittkamp🐬",
            author_handle="diktator",
            posted_at="2018-09-25T08:23:18+00:00",
            lang="en",
            text="No more queues ❌ #WW3 @ATACMS_fan",
            hashtags=("ww3",),
            mentions=("ATACMS_fan",),
        )
    ]


def test_video_embed_and_escaped_handle_in_the_url() -> None:
    html = (
        '<blockquote class="twitter-video"><p lang="en" dir="ltr">Watch</p>&mdash; Brian '
        "Armstrong (@brian_armstrong) "
        '<a href="https://twitter.com/brian%5Farmstrong/status/1922967787309256807'
        '?ref%5Fsrc=twsrc%5Etfw">May 15, 2025</a></blockquote>'
    )
    assert posts_in(html) == [
        Post(
            platform="twitter",
            post_id="1922967787309256807",
            url="https://twitter.com/brian_armstrong/status/1922967787309256807",
            author_name="Brian Armstrong",
            author_handle="brian_armstrong",
            posted_at="2025-05-15T10:50:22+00:00",
            lang="en",
            text="Watch",
            has_media=True,
        )
    ]


def test_css_script_widgets_buttons_and_prose_links_are_not_embeds() -> None:
    html = fixture("traps.html")
    assert posts_in(html) == []


def test_id_only_forms() -> None:
    html = fixture("id_only.html")

    def id_only(post_id: str, posted_at: str, handle: str | None = None) -> Post:
        return Post(
            platform="twitter",
            post_id=post_id,
            url=f"https://twitter.com/{handle or 'i/web'}/status/{post_id}",
            author_handle=handle,
            posted_at=posted_at,
        )

    assert posts_in(html) == [
        id_only("1311697819384844290", "2020-10-01T16:01:44+00:00"),
        id_only("800384752746254337", "2016-11-20T17:06:10+00:00"),
        id_only("1521523341391282176", "2022-05-03T16:13:27+00:00"),
        id_only("1719621634984759346", "2023-11-01T07:45:21+00:00"),
        id_only("1196501054197649413", "2019-11-18T18:50:55+00:00"),
        id_only("636842709739659264", "2015-08-27T10:08:28+00:00", "reinventmag"),
        Post(
            platform="twitter",
            post_id="1164223698871771137",
            url="https://twitter.com/Miss_Snuffy/status/1164223698871771137",
            author_name="Snuffy",
            author_handle="Miss_Snuffy",
            posted_at="2019-08-21T17:12:14+00:00",
            lang="en",
            text="Snuffy says hello",
        ),
        id_only("1196557124622520320", "2019-11-18T22:33:44+00:00", "MikeBeauvais"),
        id_only("1778771674772668494", "2024-04-12T13:06:29+00:00", "lsongdev"),
        Post(
            platform="twitter",
            post_id="1212392185510924290",
            url="https://twitter.com/ddale8/status/1212392185510924290",
            author_name="Daniel Dale",
            author_handle="ddale8",
            posted_at="2020-01-01T15:16:36+00:00",
            lang="en",
            text="Trump has arrived at his golf club in West Palm Beach, Florida for the 13th "
            "consecutive day.",
        ),
    ]
