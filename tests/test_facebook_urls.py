"""Facebook post URLs: the parser on every URL form of a post, photo or video, and the
addresses that are not posts."""

from __future__ import annotations

import pytest

from monitor.embeds.facebook import PostUrl, parse_post_url

FB = "https://www.facebook.com"


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
