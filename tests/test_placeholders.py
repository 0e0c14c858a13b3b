"""Placeholders that a site's script turns into an embed: a div holding only the post's
address in a data attribute, and the lazy forms of the platforms' own embed code (the class
or the id waiting in another attribute). Small pages after the real ones in ``test_wild``,
which holds the pages themselves."""

from __future__ import annotations

import pytest

from monitor.embeds import extract
from monitor.embeds.registry import platform
from monitor.models import Document, Post

STATUS = "https://x.com/kyiv_watch/status/1858254830695481345"


def posts_in(body: str) -> list[Post]:
    page = f"<html><head><title>t</title></head><body><p>Before.</p>{body}</body></html>"
    return list(extract(Document("page.html", page)).posts)


def fields(post: Post) -> tuple:
    return (post.id, post.url, post.author_handle, post.posted_at, post.text)


KYIV_WATCH = (
    "twitter:1858254830695481345",
    "https://twitter.com/kyiv_watch/status/1858254830695481345",
    "kyiv_watch",
    "2024-11-17T21:04:11+00:00",
    None,
)


@pytest.mark.parametrize(
    "placeholder",
    [
        # Corriere della Sera: the platform named in another attribute, a space in the address.
        f'<div class="rcs_social-embed" data-social-embedded="twitter" data-href=" {STATUS}">'
        "</div>",
        # Die Welt: "oembed" in the attribute's name, an empty loading skeleton inside.
        f'<div class="c-oembed is-fallback" data-oembed-url="{STATUS}"><div class="c-skeleton">'
        '<h3 class="c-skeleton__header"><div class="is-fading"></div></h3></div></div>',
        # Cork Beo: the class says "tweet".
        f'<div class="tweet" data-mod="tweet" data-url="{STATUS}"></div>',
        # An address percent-encoded as a site's own oEmbed endpoint's parameter.
        '<div data-lazy-embed="/extras/embed?url=https%3A%2F%2Fx.com%2Fkyiv_watch%2Fstatus'
        '%2F1858254830695481345%3Flang%3Dde"></div>',
        # A consent note and a link to the post are what a reader sees until the post loads.
        f'<div class="embed-privacy-container" data-embed-url="{STATUS}"><p>Click to load '
        "this post from X. Your data goes to X when you do; see its privacy policy.</p>"
        f'<a href="{STATUS}">{STATUS}</a></div>',
    ],
)
def test_a_div_holding_a_posts_address_for_a_script_is_that_post(placeholder):
    [post] = posts_in(placeholder)
    assert fields(post) == KYIV_WATCH


def test_a_placeholder_reads_every_platform_with_an_address_form():
    found = posts_in(
        '<div data-extcontent_type="instagram" data-extcontent_url="https://graph.facebook.com/'
        'v8.0/instagram_oembed?url=https://www.instagram.com/p/Cjc7wvjIg0m/"></div>'
        '<div class="embedInner Youtube" data-provider="Youtube" '
        'data-resourceurl="https://www.youtube.com/watch?v=JUYnxw8vEws"></div>'
        '<div class="social-embed" data-url="https://www.tiktok.com/@scout2015/video/'
        '6718335390845095173"></div>'
        '<div class="embed" data-post="https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l">'
        "</div>"
    )
    # Posts come platform by platform, each platform's in page order.
    assert sorted(fields(post) for post in found) == [
        (
            "bluesky:bsky.app/3l6oveex3ii2l",
            "https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l",
            "bsky.app",
            "2024-10-17T07:06:51+00:00",
            None,
        ),
        (
            "instagram:Cjc7wvjIg0m",
            "https://www.instagram.com/p/Cjc7wvjIg0m/",
            None,
            "2022-10-08T12:05:12+00:00",
            None,
        ),
        (
            "tiktok:6718335390845095173",
            "https://www.tiktok.com/@scout2015/video/6718335390845095173",
            "scout2015",
            "2019-07-27T13:32:33+00:00",
            None,
        ),
        ("youtube:JUYnxw8vEws", "https://www.youtube.com/watch?v=JUYnxw8vEws", None, None, None),
    ]


@pytest.mark.parametrize(
    "element",
    [
        # A share button: a link, and the address is a share intent's, not a post's.
        f'<a class="share-embed" data-href="{STATUS}">Share</a>',
        '<div class="social-share" data-url="https://twitter.com/intent/tweet?url=https%3A%2F'
        '%2Fexample.com%2Fa"></div>',
        # A follow widget: a profile, not a post.
        '<div class="social-follow" data-url="https://x.com/kyiv_watch"></div>',
        # Nothing says it is an embed: a site's own data.
        f'<div class="story" data-source="{STATUS}"></div>',
        # A card of prose that happens to carry the address: a reader sees the prose.
        f'<div class="tweet-card" data-url="{STATUS}"><p>'
        + "The minister answered the question at length and with some irritation. " * 4
        + "</p></div>",
        # A template's placeholder address is no post.
        '<div class="social-embed" data-url="https://x.com/{{ handle }}/status/{{ id }}"></div>',
    ],
)
def test_what_only_carries_an_address_is_no_post(element):
    assert posts_in(element) == []


def test_a_placeholder_holding_the_embed_code_is_that_embed_once():
    [post] = posts_in(
        f'<div class="social-embed" data-url="{STATUS}"><blockquote class="twitter-tweet">'
        f'<p lang="en">Held #WW3</p>&mdash; Kyiv Watch (@kyiv_watch) <a href="{STATUS}">'
        "November 17, 2024</a></blockquote></div>"
    )
    assert (post.id, post.text, post.author_name) == (
        "twitter:1858254830695481345",
        "Held #WW3",
        "Kyiv Watch",
    )


def test_placeholders_keep_their_place_among_the_platforms_other_embeds():
    found = posts_in(
        '<blockquote class="twitter-tweet"><a href="https://twitter.com/a/status/1">x</a>'
        "</blockquote>"
        '<div class="tweet" data-url="https://x.com/b/status/2"></div>'
        '<blockquote class="twitter-tweet"><a href="https://twitter.com/c/status/3">x</a>'
        "</blockquote>"
    )
    assert [post.id for post in found] == ["twitter:1", "twitter:2", "twitter:3"]


def test_a_blockquote_whose_embed_class_waits_in_a_data_attribute_is_embed_code():
    [post] = posts_in(
        '<blockquote class="lazy-content" data-loader="ContentLoader" '
        'data-twitter="twitter-tweet"><div class="exc" data-type="twitter"></div>'
        f'<a href="{STATUS}" rel="nofollow"></a></blockquote>'
    )
    assert fields(post) == KYIV_WATCH


def test_a_blockquote_quoting_a_sentence_is_not_made_an_embed_by_its_data():
    assert posts_in('<blockquote data-note="twitter"><p>A quote.</p></blockquote>') == []


def test_amp_twitter_with_the_tweets_address_for_its_id():
    [post] = posts_in(
        f'<amp-twitter width="400" height="500" layout="responsive" data-tweetid="{STATUS}">'
        "</amp-twitter>"
    )
    assert fields(post) == KYIV_WATCH


def test_a_platform_reading_placeholders_names_its_hosts_and_its_reader():
    with pytest.raises(ValueError, match="hosts and read_address go together"):
        platform("twitter", markers=("twitter",), hosts=("x.com",))


def test_embed_code_whose_class_a_cms_renamed_until_its_script_runs():
    # The Guardian's pages hold tweets as blockquote.nojs-tweet.
    [post] = posts_in(
        '<blockquote class="nojs-tweet"><p lang="uk" dir="ltr">Сьогодні у Лондоні '
        '<a href="https://twitter.com/ZelenskyyUa?ref_src=twsrc%5Etfw">@ZelenskyyUa</a></p>'
        '&mdash; Andriy Yermak (@AndriyYermak) <a href="https://twitter.com/AndriyYermak/status/'
        '1658064372659372032?ref_src=twsrc%5Etfw">May 15, 2023</a></blockquote>'
    )
    assert (post.id, post.author_name, post.author_handle, post.text, post.mentions) == (
        "twitter:1658064372659372032",
        "Andriy Yermak",
        "AndriyYermak",
        "Сьогодні у Лондоні @ZelenskyyUa",
        ("ZelenskyyUa",),
    )


def test_a_quote_whose_class_names_tweets_but_holds_no_tweets_link_is_no_post():
    assert posts_in('<blockquote class="tweet-quote"><p>Said on X.</p></blockquote>') == []


def test_an_embed_services_frame_is_the_post_its_address_names():
    # Medium's Embedly frame; an Iframely frame (its own address names no platform).
    found = posts_in(
        '<iframe src="https://cdn.embedly.com/widgets/media.html?src=https%3A%2F%2Fwww.youtube'
        ".com%2Fembed%2FIAoy3ia2ivI%3Fstart%3D2527&amp;url=http%3A%2F%2Fwww.youtube.com%2Fwatch"
        '%3Fv%3DIAoy3ia2ivI&amp;schema=youtube" title="White House"></iframe>'
        '<iframe src="https://cdn.iframe.ly/api/iframe?url=https%3A%2F%2Fx.com%2Fkyiv_watch%2F'
        'status%2F1858254830695481345&amp;key=0f00"></iframe>'
    )
    assert [(post.id, post.url) for post in found] == [
        ("twitter:1858254830695481345", KYIV_WATCH[1]),
        ("youtube:IAoy3ia2ivI", "https://www.youtube.com/watch?v=IAoy3ia2ivI"),
    ]


def test_a_div_naming_the_post_around_an_embed_services_frame():
    [post] = posts_in(
        f'<div data-iframely-id="AL6KIQt" data-embedded-url="{STATUS}" class="article__embed '
        'article__embed--iframely"><div data-iframely-smart-iframe="true"><iframe '
        'data-iframely-url="//oembed.vice.com/AL6KIQt?app=1"></iframe></div></div>'
    )
    assert fields(post) == KYIV_WATCH


def test_a_frame_whose_address_only_mentions_a_page_is_no_post():
    assert (
        posts_in(
            '<iframe src="https://www.facebook.com/plugins/like.php?href=https%3A%2F%2Fexample'
            '.com%2Fa&amp;url=https%3A%2F%2Fexample.com%2Fa"></iframe>'
        )
        == []
    )


def test_a_sites_own_rendering_of_a_tweet_with_the_tweet_as_json():
    # Substack: the tweet's fields in data-attrs, and the site's rendering of it, linked to it.
    [post] = posts_in(
        '<div data-component-name="Twitter2ToDOM" class="tweet" data-attrs="{&quot;url&quot;:'
        f"&quot;{STATUS}&quot;,&quot;full_text&quot;:&quot;Held at the border #WW3\\n\\nDay two"
        " with <span class=\\&quot;tweet-fake-link\\&quot;>@ATACMS_fan</span>&quot;,&quot;"
        'username&quot;:&quot;kyiv_watch&quot;,&quot;name&quot;:&quot;Kyiv Watch&quot;}">'
        f'<a class="tweet-link-top" href="{STATUS}"><div class="tweet-header"><span '
        'class="tweet-author-name">Kyiv Watch</span><span class="tweet-author-handle">'
        '@kyiv_watch</span></div><div class="tweet-text">Held at the border #WW3 Day two with '
        "@ATACMS_fan, and a long account of what the convoy met on the road that night, which "
        "the site shows in full as the tweet itself.</div></a>"
        f'<a class="tweet-link-bottom" href="{STATUS}"><span class="tweet-date">9:04 PM ∙ Nov '
        "17, 2024</span></a></div>"
    )
    assert (*fields(post), post.author_name, post.hashtags, post.mentions) == (
        *KYIV_WATCH[:4],
        "Held at the border #WW3\n\nDay two with @ATACMS_fan",
        "Kyiv Watch",
        ("ww3",),
        ("ATACMS_fan",),
    )


def test_prose_that_links_off_the_platform_is_no_rendering_of_a_post():
    assert (
        posts_in(
            f'<div class="tweet-story" data-url="{STATUS}"><p>'
            + "The minister answered at length, as the full transcript shows. " * 4
            + f'<a href="{STATUS}">His post</a> and <a href="https://example.com/t">the '
            "transcript</a>.</p></div>"
        )
        == []
    )
