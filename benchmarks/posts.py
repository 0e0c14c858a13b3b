"""A pool of social posts and the embed code of each platform, as editors paste it.

The markup follows the real forms (the shared EMBEDS.md guide and the test fixtures): the
publish.twitter.com blockquote with its dash and status link, WordPress figures, Bluesky's
blockquote with its AT URI, Mastodon 4.3 blockquotes and legacy iframes, Threads and Instagram
blockquotes (v7 with a caption, v14 without), TikTok's section, Reddit's widget, Facebook's
fb-post with its fallback and plugin iframes, YouTube iframes. Ids encode the post's time the
way each platform does, so the monitor decodes real-looking times from them.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from . import prose

# How often each platform is embedded, roughly as in news pages.
PLATFORM_WEIGHTS = {
    "twitter": 40,
    "youtube": 15,
    "instagram": 12,
    "facebook": 8,
    "tiktok": 7,
    "bluesky": 6,
    "reddit": 5,
    "mastodon": 4,
    "threads": 3,
}
_TWITTER_EPOCH_MS = 1288834974657
_INSTAGRAM_EPOCH_MS = 1314220021721
_SHORTCODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_TID = "234567abcdefghijklmnopqrstuvwxyz"
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_YOUTUBE = _SHORTCODE
_START = datetime(2024, 11, 1, tzinfo=UTC)
_INSTANCES = ("mastodon.social", "hachyderm.io", "types.pl", "mstdn.social", "fosstodon.org")
_SUBREDDITS = ("worldnews", "europe", "ukraine", "news", "politics", "economics")


@dataclass(frozen=True, slots=True)
class PoolPost:
    """One post that articles may embed."""

    key: str  # "platform:native id", as the monitor keys it
    platform: str
    native_id: str
    name: str
    handle: str
    text: str | None
    lang: str
    posted: datetime
    extra: str = ""  # per platform: a DID, an instance, a subreddit


def make_pool(size: int, rng: random.Random) -> list[PoolPost]:
    """``size`` posts of mixed platforms, the most embedded first."""
    platforms = list(PLATFORM_WEIGHTS)
    weights = list(PLATFORM_WEIGHTS.values())
    pool = []
    for _ in range(size):
        platform = rng.choices(platforms, weights)[0]
        posted = _START + timedelta(seconds=rng.randrange(30 * 86400))
        name, handle = prose.person(rng)
        text, lang = prose.post_text(rng)
        native, extra = _native_id(platform, posted, rng)
        if platform in ("mastodon", "threads", "youtube"):
            text = None  # their embed code carries no text
        key = f"{platform}:{native}"
        pool.append(PoolPost(key, platform, native, name, handle, text, lang, posted, extra))
    return pool


def embed(post: PoolPost, rng: random.Random) -> str:
    """The embed code of ``post`` in one of its platform's real forms."""
    return _RENDER[post.platform](post, rng)


def _native_id(platform: str, posted: datetime, rng: random.Random) -> tuple[str, str]:
    ms = int(posted.timestamp() * 1000) + rng.randrange(1000)
    if platform == "twitter":
        return str(((ms - _TWITTER_EPOCH_MS) << 22) | rng.getrandbits(22)), ""
    if platform == "mastodon":
        return str((ms << 16) | rng.getrandbits(16)), rng.choice(_INSTANCES)
    if platform == "tiktok":
        return str(((ms // 1000) << 32) | rng.getrandbits(32)), ""
    if platform in ("instagram", "threads"):
        return _encode(((ms - _INSTAGRAM_EPOCH_MS) << 23) | rng.getrandbits(23), _SHORTCODE), ""
    if platform == "bluesky":
        rkey = _encode((ms * 1000 << 10) | rng.getrandbits(10), _TID).rjust(13, "2")
        did = "did:plc:" + "".join(rng.choice(_TID) for _ in range(24))
        return f"{did}/{rkey}", did
    if platform == "reddit":
        return _encode(rng.randrange(36**6, 36**7), _BASE36), rng.choice(_SUBREDDITS)
    if platform == "facebook":
        return str(rng.randrange(10**15, 10**16)), ""
    return "".join(rng.choice(_YOUTUBE) for _ in range(11)), ""


def _encode(value: int, alphabet: str) -> str:
    base = len(alphabet)
    digits = []
    while value:
        value, digit = divmod(value, base)
        digits.append(alphabet[digit])
    return "".join(reversed(digits)) or alphabet[0]


def _twitter_text(text: str, host: str) -> str:
    """Tweet text as the embed code has it: hashtags and mentions are links."""
    words = []
    for word in html.escape(text, quote=False).split(" "):
        if word.startswith("#") and len(word) > 1:
            words.append(
                f'<a href="https://{host}/hashtag/{word[1:]}?src=hash&amp;ref_src=twsrc%5Etfw">'
                f"{word}</a>"
            )
        else:
            words.append(word)
    return " ".join(words)


def _date(posted: datetime) -> str:
    return f"{posted:%B} {posted.day}, {posted.year}"


def _twitter(post: PoolPost, rng: random.Random) -> str:
    form = rng.random()
    if form < 0.05:
        return (
            f'<amp-twitter width="375" height="472" layout="responsive" '
            f'data-tweetid="{post.native_id}"></amp-twitter>'
        )
    host = "x.com" if form > 0.8 else "twitter.com"
    text = _twitter_text(post.text or "", host)
    if rng.random() < 0.2:
        code = rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGH") * 2 + str(rng.randrange(10**7))
        text += f' <a href="https://t.co/{code}">pic.{host}/{code}</a>'
    link = (
        f'<a href="https://{host}/{post.handle}/status/{post.native_id}?ref_src=twsrc%5Etfw">'
        f"{_date(post.posted)}</a>"
    )
    name = html.escape(post.name, quote=False)
    if form < 0.35:  # WordPress: a literal dash, the attribution in its own paragraph
        return (
            '<figure class="wp-block-embed is-type-rich is-provider-twitter '
            'wp-block-embed-twitter"><div class="wp-block-embed__wrapper">\n'
            f'<blockquote class="twitter-tweet" data-width="550" data-dnt="true">\n'
            f'<p lang="{post.lang}" dir="ltr">{text}</p>\n'
            f"<p>— {name} (@{post.handle}) {link}</p></blockquote>\n"
            '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8">'
            "</script>\n</div></figure>"
        )
    script = "platform.x.com" if host == "x.com" else "platform.twitter.com"
    dnt = ' data-dnt="true"' if host == "x.com" else ""
    return (
        f'<blockquote class="twitter-tweet"{dnt}>'
        f'<p lang="{post.lang}" dir="ltr">{text}</p>&mdash; {name} (@{post.handle}) {link}'
        f'</blockquote> <script async src="https://{script}/widgets.js" charset="utf-8"></script>'
    )


def _bluesky(post: PoolPost, rng: random.Random) -> str:
    did, rkey = post.native_id.split("/")
    url = f"https://bsky.app/profile/{did}/post/{rkey}"
    media = ""
    if rng.random() < 0.3:
        media = f'<br><br><a href="{url}?ref_src=embed">[image or embed]</a>'
    posted = post.posted
    hour = posted.hour % 12 or 12
    shown = f"{posted:%B} {posted.day}, {posted.year} at {hour}:{posted:%M %p}"
    cid = "bafyrei" + "".join(rng.choice(_TID) for _ in range(52))
    return (
        f'<blockquote class="bluesky-embed" data-bluesky-uri="at://{did}/app.bsky.feed.post/'
        f'{rkey}" data-bluesky-cid="{cid}" data-bluesky-embed-color-mode="system">'
        f'<p lang="{post.lang}">{html.escape(post.text or "", quote=False)}{media}</p>&mdash; '
        f"{html.escape(post.name, quote=False)} "
        f'(<a href="https://bsky.app/profile/{did}?ref_src=embed">@{post.handle}.bsky.social</a>)'
        f' <a href="{url}?ref_src=embed">{shown}</a></blockquote>'
        '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'
    )


def _mastodon(post: PoolPost, rng: random.Random) -> str:
    url = f"https://{post.extra}/@{post.handle}/{post.native_id}"
    if rng.random() < 0.4:
        return (
            f'<iframe src="{url}/embed" class="mastodon-embed" style="max-width: 100%; '
            'border: 0" width="400" allowfullscreen="allowfullscreen"></iframe>'
            '<script src="https://mastodon.social/embed.js" async="async"></script>'
        )
    return (
        f'<blockquote class="mastodon-embed" data-embed-url="{url}/embed" style="background: '
        "#FCF8FF; border-radius: 8px; border: 1px solid #C9C4DA; margin: 0; max-width: 540px; "
        f'min-width: 270px; overflow: hidden; padding: 0;"> <a href="{url}" style="align-items:'
        " center; color: #1C1A25; display: flex; flex-direction: column; font-family: system-ui;"
        ' font-size: 15px; justify-content: center; padding: 24px;" target="_blank"> <svg '
        'xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 79 75"><path '
        'd="M63 45.3v-20c0-4.1-1-7.3-3.2-9.7-2.1-2.4-5-3.7-8.5-3.7-4.1 0-7.2 1.6-9.3 4.7l-2 '
        "3.3-2-3.3c-2-3.1-5.1-4.7-9.2-4.7-3.5 0-6.4 1.3-8.6 3.7-2.1 2.4-3.1 5.6-3.1 9.7v20h8V25.9"
        "c0-4.1 1.7-6.2 5.2-6.2 3.8 0 5.8 2.5 5.8 7.4V37.7H44V27.1c0-4.9 1.9-7.4 5.8-7.4 3.5 0 "
        '5.2 2.1 5.2 6.2V45.3h8Z" fill="currentColor"/></svg> <div style="color: #787588; '
        f'margin-top: 16px;">Post by @{post.handle}@{post.extra}</div> <div style="font-weight: '
        '500;">View on Mastodon</div> </a> </blockquote> <script data-allowed-prefixes='
        f'"https://{post.extra}/" async src="https://{post.extra}/embed.js"></script>'
    )


def _threads(post: PoolPost, rng: random.Random) -> str:
    host = rng.choice(("www.threads.net", "www.threads.com"))
    url = f"https://{host}/@{post.handle}/post/{post.native_id}"
    return (
        f'<blockquote class="text-post-media" data-text-post-permalink="{url}" '
        f'data-text-post-version="0" id="ig-tp-{post.native_id}" style=" background:#FFF; '
        "border-width: 1px; border-style: solid; border-color: #00000026; border-radius: 16px; "
        f'max-width:540px; margin: 1px; min-width:270px; padding:0; width:99.375%;"> <a href="'
        f'{url}" style=" background:#FFFFFF; line-height:0; padding:0 0; text-align:center; '
        "text-decoration:none; width:100%; font-family: -apple-system, BlinkMacSystemFont, "
        'sans-serif;" target="_blank"> <div style=" padding: 40px; display: flex; '
        'flex-direction: column; align-items: center;"><div style=" display:flex; '
        'flex-direction:column; align-items:center;"> <svg aria-label="Threads" height="17px" '
        'role="img" viewBox="0 0 192 192" width="17px" xmlns="http://www.w3.org/2000/svg"><path '
        'd="M141.537 88.9883C140.71 88.5919 139.87 88.2104 139.019 87.8451C137.537 60.5382 '
        '122.616 44.905 97.5619 44.745C97.4484 44.7443 97.3355 44.7443 97.222 44.7443Z" '
        f'/></svg></div> <div style=" font-size: 15px; line-height: 21px; color: #999999; '
        f'font-weight: 400; padding: 0 24px; margin-top: 8px;"> Post by @{post.handle}</div> '
        '<div style=" font-size: 15px; line-height: 21px; color: #000000; font-weight: 600; '
        'padding: 0 24px; margin-top: 4px;"> View on Threads</div></div></a></blockquote>'
        f'<script async src="https://{host}/embed.js"></script>'
    )


def _instagram(post: PoolPost, rng: random.Random) -> str:
    url = f"https://www.instagram.com/p/{post.native_id}/"
    style = (
        ' style=" background:#FFF; border:0; border-radius:3px; box-shadow:0 0 1px 0 '
        "rgba(0,0,0,0.5),0 1px 10px 0 rgba(0,0,0,0.15); margin: 1px; max-width:540px; "
        'min-width:326px; padding:0; width:99.375%;"'
    )
    script = '<script async src="//www.instagram.com/embed.js"></script>'
    if rng.random() < 0.3 and post.text:  # v7: the caption and a time element
        return (
            f'<blockquote class="instagram-media" data-instgrm-captioned '
            f'data-instgrm-version="7"{style}><div style="padding:8px;"><div style="background:'
            "#F8F8F8; line-height:0; margin-top:40px; padding:50.0% 0; text-align:center; "
            'width:100%;"></div><p style=" margin:8px 0 0 0; padding:0 4px;"><a href="'
            f'{url}" style=" color:#000; font-family:Arial,sans-serif;" target="_blank">'
            f'{html.escape(post.text, quote=False)}</a></p><p style=" color:#c9c8cd; '
            'font-family:Arial,sans-serif;">A post shared by '
            f'{html.escape(post.name, quote=False)} (@{post.handle}) on <time style=" '
            f'font-family:Arial,sans-serif;" datetime="{post.posted.isoformat()}">'
            f"{post.posted:%b} {post.posted.day}, {post.posted.year}</time></p></div>"
            f"</blockquote>\n{script}"
        )
    permalink = f"{url}?utm_source=ig_embed&amp;utm_campaign=loading"
    return (
        f'<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="'
        f'{permalink}" data-instgrm-version="14"{style}><div style="padding:16px;"> <a href="'
        f'{permalink}" style=" background:#FFFFFF; line-height:0; padding:0 0; '
        'text-align:center; text-decoration:none; width:100%;" target="_blank"> <div style=" '
        'display: flex; flex-direction: row; align-items: center;"> <div style="background-color:'
        " #F4F4F4; border-radius: 50%; flex-grow: 0; height: 40px; margin-right: 14px; width: "
        '40px;"></div></div><div style="padding: 19% 0;"></div> <div style="padding-top: 8px;">'
        ' <div style=" color:#3897f0; font-family:Arial,sans-serif; font-size:14px; '
        'font-style:normal; font-weight:550; line-height:18px;">View this post on Instagram'
        '</div></div></a><p style=" color:#c9c8cd; font-family:Arial,sans-serif; font-size:14px;'
        " line-height:17px; margin-bottom:0; margin-top:8px; overflow:hidden; padding:8px 0 7px;"
        f' text-align:center; text-overflow:ellipsis; white-space:nowrap;"><a href="{permalink}"'
        ' style=" color:#c9c8cd; font-family:Arial,sans-serif; font-size:14px; '
        'font-style:normal; font-weight:normal; line-height:17px; text-decoration:none;" '
        f'target="_blank">A post shared by {html.escape(post.name, quote=False)} '
        f"(@{post.handle})</a></p></div></blockquote>\n{script}"
    )


def _tiktok(post: PoolPost, rng: random.Random) -> str:
    url = f"https://www.tiktok.com/@{post.handle}/video/{post.native_id}"
    words = []
    for word in html.escape(post.text or "", quote=False).split(" "):
        if word.startswith("#") and len(word) > 1:
            tag = word[1:]
            words.append(
                f'<a title="{tag.lower()}" target="_blank" '
                f'href="https://www.tiktok.com/tag/{tag.lower()}?refer=embed">{word}</a>'
            )
        else:
            words.append(word)
    return (
        f'<blockquote class="tiktok-embed" cite="{url}" data-video-id="{post.native_id}" '
        'data-embed-from="oembed" style="max-width: 605px;min-width: 325px;"> <section> '
        f'<a target="_blank" title="@{post.handle}" href="https://www.tiktok.com/@{post.handle}'
        f'?refer=embed">@{post.handle}</a> <p>{" ".join(words)}</p> <a target="_blank" '
        f'title="♬ original sound - {post.handle}" href="https://www.tiktok.com/music/'
        f'original-sound-{post.native_id[:12]}?refer=embed">♬ original sound - {post.handle}'
        '</a> </section> </blockquote> <script async src="https://www.tiktok.com/embed.js">'
        "</script>"
    )


def _reddit(post: PoolPost, rng: random.Random) -> str:
    slug = "_".join((post.text or "post").lower().split()[:6])
    slug = "".join(c for c in slug if c.isalnum() or c == "_")
    return (
        '<blockquote class="reddit-embed-bq" data-embed-height="500">\n'
        f'  <a href="https://www.reddit.com/r/{post.extra}/comments/{post.native_id}/{slug}/">'
        f"{html.escape(post.text or '', quote=False)}</a>\n"
        f'  <br>by <a href="https://www.reddit.com/user/{post.handle}/">u/{post.handle}</a> in '
        f'<a href="https://www.reddit.com/r/{post.extra}/">r/{post.extra}</a>\n</blockquote>\n'
        '<script async src="https://embed.reddit.com/widgets.js" charset="UTF-8"></script>'
    )


def _facebook(post: PoolPost, rng: random.Random) -> str:
    page = post.handle.replace("_", "")
    url = f"https://www.facebook.com/{page}/posts/{post.native_id}"
    if rng.random() < 0.3:
        href = url.replace(":", "%3A").replace("/", "%2F")
        return (
            f'<iframe src="https://www.facebook.com/plugins/post.php?href={href}&amp;'
            'show_text=true&amp;width=500" width="500" height="498" style="border:none;'
            'overflow:hidden" scrolling="no" frameborder="0" allowfullscreen="true" allow='
            '"autoplay; clipboard-write; encrypted-media; picture-in-picture; web-share">'
            "</iframe>"
        )
    posted = f"{post.posted:%A}, {post.posted:%B} {post.posted.day}, {post.posted.year}"
    return (
        f'<div class="fb-post" data-href="{url}" data-width="750" data-show-text="true">'
        f'<blockquote cite="{url}" class="fb-xfbml-parse-ignore"><p>'
        f'{html.escape(post.text or "", quote=False)}</p>Posted by <a href="https://www.'
        f'facebook.com/{page}/">{html.escape(post.name, quote=False)}</a> on <a href="{url}">'
        f"{posted}</a></blockquote></div>"
    )


def _youtube(post: PoolPost, rng: random.Random) -> str:
    if rng.random() < 0.25:
        return (
            f'<iframe class="lazyload" data-src="https://www.youtube.com/embed/{post.native_id}'
            '?rel=0" width="640" height="360" frameborder="0" allowfullscreen></iframe>'
        )
    return (
        f'<iframe width="560" height="315" src="https://www.youtube.com/embed/{post.native_id}'
        '?feature=oembed" title="YouTube video player" frameborder="0" allow="accelerometer; '
        'autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>'
    )


_RENDER = {
    "twitter": _twitter,
    "bluesky": _bluesky,
    "mastodon": _mastodon,
    "threads": _threads,
    "instagram": _instagram,
    "tiktok": _tiktok,
    "reddit": _reddit,
    "facebook": _facebook,
    "youtube": _youtube,
}
