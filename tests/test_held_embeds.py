"""Embed code held back until the reader consents or clicks: in a ``<textarea>``, a
``<template>``, a script no browser runs (as is, or in base64), or an iframe whose address
waits in another attribute. Small pages written after the consent managers' documented
markup; the real pages are in ``test_wild``."""

from __future__ import annotations

import base64

import pytest

from monitor.embeds import extract
from monitor.models import Document, Post

TWEET = (
    '<blockquote class="twitter-tweet"><p lang="en">Held until consent #WW3</p>&mdash; Kyiv '
    'Watch (@kyiv_watch) <a href="https://twitter.com/kyiv_watch/status/1858254830695481345">'
    "November 17, 2024</a></blockquote>"
)
VIDEO = '<iframe width="560" height="315" {}="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'


def posts_in(body: str) -> list[Post]:
    page = f"<html><head><title>t</title></head><body><p>Before.</p>{body}</body></html>"
    return list(extract(Document("page.html", page)).posts)


@pytest.mark.parametrize(
    "holder",
    [
        "<textarea hidden>{}</textarea>",
        "<template>{}</template>",
        '<script type="text/plain" data-cookieconsent="marketing">{}</script>',
        '<script type="text/x-template">{}</script>',
        '<script type="TEXT/TEMPLATE">{}</script>',
    ],
)
def test_a_tweet_held_back_is_read_as_a_live_one(holder):
    [post] = posts_in(holder.format(TWEET))
    assert (post.id, post.author_handle, post.posted_at, post.text, post.hashtags) == (
        "twitter:1858254830695481345",
        "kyiv_watch",
        "2024-11-17T21:04:11+00:00",
        "Held until consent #WW3",
        ("ww3",),
    )


def test_entity_escaped_code_in_a_textarea_and_base64_in_a_template_script():
    escaped = TWEET.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert [p.id for p in posts_in(f"<textarea>{escaped}</textarea>")] == [
        "twitter:1858254830695481345"
    ]
    packed = base64.b64encode(f"<p>{TWEET}</p>".encode()).decode()
    held = f'<div class="BorlabsCookie"><script type="text/template">{packed}</script></div>'
    assert [p.id for p in posts_in(held)] == ["twitter:1858254830695481345"]


@pytest.mark.parametrize(
    "attribute",
    # The consent managers' names, then a site's own loader's (panamaamerica.com.pa).
    ["data-src", "data-cmp-src", "data-src-cmplz", "data-cookieblock-src", "data-artsrc"],
)
def test_an_iframe_whose_address_waits_for_consent(attribute):
    frame = VIDEO.format(attribute).replace("<iframe", '<iframe src="about:blank"')
    assert [p.id for p in posts_in(frame)] == ["youtube:dQw4w9WgXcQ"]


def test_an_iframe_without_an_address_but_a_loaders_is_read_once_with_the_named_first():
    frame = (
        '<iframe data-track="https://example.com/pixel" data-cmp-src="https://www.youtube.com/'
        'embed/dQw4w9WgXcQ" data-artsrc="https://www.youtube.com/embed/aaaaaaaaaaa"></iframe>'
    )
    assert [p.id for p in posts_in(frame)] == ["youtube:dQw4w9WgXcQ"]


def test_templates_and_scripts_that_hold_no_post_stay_empty():
    placeholders = TWEET.replace("1858254830695481345", "{{ tweet_id }}")
    assert posts_in(f"<template>{placeholders}</template>") == []
    dollar = TWEET.replace("1858254830695481345", "${id}")
    assert posts_in(f'<script type="text/x-template">{dollar}</script>') == []
    assert posts_in("<textarea>Write a comment with <b>HTML</b></textarea>") == []
    assert posts_in('<script type="text/template">bm90IGh0bWwgYXQgYWxs</script>') == []
    # A script that runs is code, not held markup: its strings are read only when escaped.
    assert posts_in(f"<script>var help = 'Paste {TWEET} here';</script>") == []


def test_click_to_load_facades_and_placeholders():
    lyte = (
        "<div class=lyte-wrapper><div class=lyMe id=WYL_vV7J0JFH5oQ><div id=lyte_vV7J0JFH5oQ "
        'data-src="/lyteCache.php?origThumbUrl=%2F%2Fi.ytimg.com%2Fvi%2FvV7J0JFH5oQ%2F0.jpg" '
        "class=pL></div></div></div>"
    )
    thrive = (
        '<div class="thrv_responsive_video thrv_wrapper" data-type="youtube" '
        'data-url="https://www.youtube.com/watch?v=GTt-fyhTCzE" data-overlay="1"></div>'
    )
    tweet = (
        "<div class=js-tweet data-tweetid=1387304686957498370><a class=js-alt "
        "href=https://twitter.com/eucopresident/status/1387304686957498370></a></div>"
    )
    salient = (
        '<div class="nectar-video-box" data-play-button-size="default"><div class="inner-wrap">'
        '<a href="https://www.youtube.com/watch?v=xgzobho7aHk&amp;ab_channel=X" '
        'class="full-link" data-fancybox=""></a><img src="/thumb.jpg" alt=""></div></div>'
        '<div class="nectar-video-box"><a href="https://vimeo.com/1" data-fancybox></a></div>'
    )
    found = posts_in(lyte + thrive + tweet + salient)
    assert [(p.id, p.url, p.author_handle) for p in found] == [
        ("twitter:1387304686957498370",
         "https://twitter.com/eucopresident/status/1387304686957498370", "eucopresident"),
        ("youtube:vV7J0JFH5oQ", "https://www.youtube.com/watch?v=vV7J0JFH5oQ", None),
        ("youtube:GTt-fyhTCzE", "https://www.youtube.com/watch?v=GTt-fyhTCzE", None),
        ("youtube:xgzobho7aHk", "https://www.youtube.com/watch?v=xgzobho7aHk", None),
    ]  # fmt: skip
    assert found[0].posted_at == "2021-04-28T07:16:26+00:00"


@pytest.mark.parametrize(
    "body",
    [
        "<div class=lyMe id=WYL_></div><div class=lyte id=WYL_videoseries></div>",
        '<div class="thrv_responsive_video" data-type="vimeo" data-url="https://vimeo.com/1">',
        '<div class="thrv_responsive_video" data-type="youtube" '
        'data-url="https://www.youtube.com/channel/UCx"></div>',
        '<div data-tweetid="{{ id }}"></div><div data-tweet-id=""></div>',
        '<a class="js-tweets" href="https://twitter.com/intent/tweet?url=x">Tweet</a>',
    ],
)
def test_facades_and_placeholders_without_a_post_stay_empty(body):
    assert posts_in(body) == []


def test_wordpress_figures_whose_embed_code_is_gone_or_replaced():
    stripped = (
        '<figure class="wp-block-embed is-type-video is-provider-youtube '
        'wp-block-embed-youtube"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=fFylmLb3z-o\n</div></figure>"
    )
    placeholder = (
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper"><div '
        'class="js-socialembed instagram" data-feed="https://www.instagram.com/p/Cy6H6RGR4aK/">'
        "</div></div></figure>"
    )
    assert [p.id for p in posts_in(stripped + placeholder)] == [
        "instagram:Cy6H6RGR4aK",
        "youtube:fFylmLb3z-o",
    ]


def test_a_figure_holding_another_embed_lends_its_links_to_no_platform():
    vimeo = (
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper"><iframe '
        'src="https://player.vimeo.com/video/1"></iframe></div><figcaption>As '
        '<a href="https://twitter.com/a/status/1387304686957498370">she said</a>, see '
        "https://www.youtube.com/watch?v=fFylmLb3z-o</figcaption></figure>"
    )
    other_provider = (
        '<figure class="wp-block-embed wp-block-embed-vimeo"><div class="wp-block-embed__wrapper">'
        "https://vimeo.com/1 and https://www.instagram.com/p/Cy6H6RGR4aK/</div></figure>"
    )
    assert posts_in(vimeo + other_provider) == []
