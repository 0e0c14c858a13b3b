"""Bluesky posts embedded in HTML and Markdown pages: every markup variant and the traps that
are not embeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.embeds import extract
from monitor.embeds.bluesky import find_mentions, find_posts
from monitor.models import MARKDOWN, Document, Post

from .conftest import parse
from .corpus import registered_platform

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bluesky"


def posts_in(html: str) -> list[Post]:
    return find_posts(parse(html))


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


KAT_DID = "did:plc:rwi65xn77uzhgyewkfbuuziz"

# The embed of EMBEDS.md §2, shown as "June 14, 2025 at 8:12 PM" by an embedder at UTC+5:30.
ADAM = Post(
    platform="bluesky",
    post_id="did:plc:3ohd5nodgvayjdegkhzayr6q/3lrl6qqcry222",
    url="https://bsky.app/profile/did:plc:3ohd5nodgvayjdegkhzayr6q/post/3lrl6qqcry222",
    author_name="Adam Chalmers",
    author_handle="adamchalmers.com",
    posted_at="2025-06-14T14:42:51+00:00",
    lang="en",
    text="on type safety",
    has_media=True,
)

# Line-wrapped by a formatter inside the name, the handle and the date; the name is
# HTML-escaped; the text has a blank line of its own.
KATHRYN = Post(
    platform="bluesky",
    post_id=f"{KAT_DID}/3lqkpq2jmk22s",
    url=f"https://bsky.app/profile/{KAT_DID}/post/3lqkpq2jmk22s",
    author_name="Kathryn<'u1f338>",
    author_handle="sakurakat.systems",
    posted_at="2025-06-01T16:48:51+00:00",
    lang="en",
    text="started working on game #3, spent 1 hour setting up, and then the next 7 hours "
    "battling quaternions and bevy, the compilation times are so atrocious JFC\n\n"
    "i almost considered starting over in godot",
)

ASTRA = Post(
    platform="bluesky",
    post_id="did:plc:r57wr33osex4c325lfjt5jeq/3lolw5vqo722z",
    url="https://bsky.app/profile/did:plc:r57wr33osex4c325lfjt5jeq/post/3lolw5vqo722z",
    author_name="AstraKernel 💫",
    author_handle="astrakernel.bsky.social",
    posted_at="2025-05-07T17:26:14+00:00",
    lang="en",
    text="B . E . V . Y\n\nRusting Everything...\n\n#rustlang #esp32 #bevy",
    hashtags=("rustlang", "esp32", "bevy"),
    has_media=True,
)


def test_official_embed_and_what_is_not_an_embed() -> None:
    # The page also has the class in CSS, a post link in prose, an editorial blockquote
    # linking to a post, and a profile link: none of them is an embed.
    assert posts_in(fixture("official.html")) == [ADAM]


def test_formatter_wrapped_markdown() -> None:
    assert posts_in(fixture("formatter_wrapped.md")) == [KATHRYN, ASTRA]


def test_markdown_document_is_read_as_html_by_the_pipeline() -> None:
    document = Document("why-rust.md", fixture("formatter_wrapped.md"), MARKDOWN)
    assert extract(document).posts == (KATHRYN, ASTRA)


def test_wordpress_figures_bare_url_wrapped_embed_and_linked_url() -> None:
    assert posts_in(fixture("wordpress.html")) == [
        # Only the URL, with the handle: the handle stands in for the unknown DID.
        Post(
            platform="bluesky",
            post_id="alex.zenla.io/3lbcgpqrfdc26",
            url="https://bsky.app/profile/alex.zenla.io/post/3lbcgpqrfdc26",
            author_handle="alex.zenla.io",
            posted_at="2024-11-19T12:28:25+00:00",
        ),
        # A figure around a real embed is that embed, once; the emoji image is its alt text.
        Post(
            platform="bluesky",
            post_id=f"{KAT_DID}/3lmmdyfqgrd22",
            url=f"https://bsky.app/profile/{KAT_DID}/post/3lmmdyfqgrd22",
            author_name="Kathryn<'u1f338>",
            author_handle="sakurakat.systems",
            posted_at="2025-04-12T10:43:19+00:00",
            lang="en",
            text="determinate-nix says hello 🐱",
            has_media=True,
        ),
        # The older "bluesky-social" slug, the URL as a link with a DID: no handle is known.
        Post(
            platform="bluesky",
            post_id="did:plc:k644h4rq5bjfzcetgsa6tuby/3lozkguapuk2g",
            url="https://bsky.app/profile/did:plc:k644h4rq5bjfzcetgsa6tuby/post/3lozkguapuk2g",
            author_handle="did:plc:k644h4rq5bjfzcetgsa6tuby",
            posted_at="2025-05-13T03:33:46+00:00",
        ),
        # (A figure holding a profile URL is no post.)
    ]


BRYAN = Post(
    platform="bluesky",
    post_id="did:plc:i3fhjvvkbmirhyu4aeihhrnv/3mid7foeks22b",
    url="https://bsky.app/profile/did:plc:i3fhjvvkbmirhyu4aeihhrnv/post/3mid7foeks22b",
    author_name="Bryan Grounds",
    author_handle="bagrounds.bsky.social",
    posted_at="2026-03-31T03:12:44+00:00",
    lang="en",
    text="Shipped the new publisher today. Thanks @obsidian.md for the plugin API! #obsidian #pkm",
    hashtags=("obsidian", "pkm"),
    mentions=("obsidian.md",),
)


def test_iframe_rendered_by_the_script_is_an_id_only_post() -> None:
    # What embed.js leaves in a page saved after it ran; beside a blockquote of the same
    # post, the blockquote's text wins.
    src = (
        f"https://embed.bsky.app/embed/{KAT_DID}/app.bsky.feed.post/3llqi6j53qd2g"
        "?id=123&ref_url=https%253A%252F%252Fexample.com"
    )
    rendered = (
        f'<div class="bluesky-embed"><iframe data-bluesky-id="123" src="{src}" width="100%">'
        "</iframe></div>"
    )
    post = Post(
        platform="bluesky",
        post_id=f"{KAT_DID}/3llqi6j53qd2g",
        url=f"https://bsky.app/profile/{KAT_DID}/post/3llqi6j53qd2g",
        author_handle=KAT_DID,
        posted_at="2025-04-01T08:43:46+00:00",
    )
    assert posts_in(rendered) == [post]
    with_uri = f'<iframe data-bluesky-uri="at://{KAT_DID}/app.bsky.feed.post/3llqi6j53qd2g">'
    assert posts_in(with_uri) == [post]
    quote = _embed("3llqi6j53qd2g", "April 1, 2025", inside="<p>DIFFERENT HASH</p>")
    [both] = posts_in(rendered + quote)
    assert both.text == "DIFFERENT HASH"


def test_unofficial_variant_with_name_and_handle_in_one_link_and_iso_date() -> None:
    assert posts_in(fixture("unofficial.html")) == [BRYAN]


def _embed(rkey: str, date: str, *, did: str = KAT_DID, inside: str = "<p>t</p>") -> str:
    post = f"https://bsky.app/profile/{did}/post/{rkey}?ref_src=embed"
    return (
        f'<blockquote class="bluesky-embed" data-bluesky-uri="at://{did}/app.bsky.feed.post/'
        f'{rkey}">{inside}&mdash; Kat (<a href="https://bsky.app/profile/{did}?ref_src=embed">'
        f'@sakurakat.systems</a>) <a href="{post}">{date}</a></blockquote>'
    )


@pytest.mark.parametrize(
    ("rkey", "date", "expected"),
    [
        # The TID wins over the visible date, which is the embedder's local time.
        ("3lpd54o4k5m42", "May 17, 2025 at 4:35 AM", "2025-05-16T23:02:03+00:00"),
        # Record keys that are not TIDs: the visible date, in whatever locale, else nothing.
        ("my-post", "20 novembre 2024 à 14:43", "2024-11-20"),
        ("my-post", "14 February 2025 at 08:22", "2025-02-14"),
        ("my-post", "June\n1, 2025 at 10:18\nPM", "2025-06-01"),
        ("my-post", "2026-03-31T05:12:44.000+02:00", "2026-03-31T03:12:44+00:00"),
        ("my-post", "2026-03-31T03:12:44", "2026-03-31"),
        ("my-post", "", None),
        # A TID-shaped key that decodes to before Bluesky existed is no time.
        ("2222222222222", "May 6, 2025 at 4:57 PM", "2025-05-06"),
    ],
)
def test_time_from_the_record_key_else_the_visible_date(
    rkey: str, date: str, expected: str | None
) -> None:
    [post] = posts_in(_embed(rkey, date))
    assert post.posted_at == expected


@pytest.mark.parametrize(
    ("inside", "expected"),
    [
        # Only media: no text, but media.
        (
            '<p lang=""><br><br><a href="https://bsky.app/profile/x/post/3lrl6qqcry222">'
            "[image or embed]</a></p>",
            (None, None, True),
        ),
        # Empty and "undetermined" language tags are no language.
        ('<p lang="">hello</p>', ("hello", None, False)),
        ('<p lang="und">hello</p>', ("hello", None, False)),
        ('<p lang="ja">こんにちは</p>', ("こんにちは", "ja", False)),
        # Several languages: the first is the post's main one.
        ('<p lang="en, ja">hi</p>', ("hi", "en", False)),
        # <br> is a newline; a single raw newline is a formatter's wrap.
        ("<p>one<br>two\nthree</p>", ("one\ntwo three", None, False)),
        # The words "[image or embed]" without the link are the post's own.
        ("<p>see [image or embed]</p>", ("see [image or embed]", None, False)),
        # WordPress emoji images, in the text.
        (
            '<p>love it <img class="wp-smiley" alt="😍" src="x.png"></p>',
            ("love it 😍", None, False),
        ),
        # autop gave the attribution a paragraph of its own.
        ("<p>text</p><p>", ("text", None, False)),
    ],
)
def test_text_language_and_media(inside: str, expected: tuple[str | None, ...]) -> None:
    [post] = posts_in(_embed("3lrl6qqcry222", "June 14, 2025 at 8:12 PM", inside=inside))
    assert (post.text, post.lang, post.has_media) == expected


def test_hashtags_and_mentions_are_plain_text_outside_display_urls() -> None:
    inside = (
        "<p>Read corrode.dev/blog/#foundat... and https://x.example/@a.example #RustLang "
        "with @Corrode.dev</p>"
    )
    [post] = posts_in(_embed("3lrl6qqcry222", "June 14, 2025", inside=inside))
    assert (post.hashtags, post.mentions) == (("rustlang",), ("corrode.dev",))


def test_stripped_paragraphs_text_before_the_attribution() -> None:
    html = (
        f'<blockquote class="bluesky-embed" data-bluesky-uri="at://{KAT_DID}/app.bsky.feed.post/'
        '3lloeoe3ylc2o">it works — finally<br><br><a href="https://bsky.app/profile/'
        f'{KAT_DID}/post/3lloeoe3ylc2o">[image or embed]</a> — Kat (he/they) '
        f'(<a href="https://bsky.app/profile/{KAT_DID}">@sakurakat.systems</a>) '
        f'<a href="https://bsky.app/profile/{KAT_DID}/post/3lloeoe3ylc2o">March 31, 2025</a>'
        "</blockquote>"
    )
    [post] = posts_in(html)
    assert (post.text, post.author_name, post.author_handle, post.has_media) == (
        "it works — finally",
        "Kat (he/they)",
        "sakurakat.systems",
        True,
    )


@pytest.mark.parametrize(
    ("attribution", "expected"),
    [
        # A name with parentheses of its own, and a handle in capitals.
        (
            "&mdash; Kat (she/her) (<a href='{profile}'>@SakuraKat.Systems</a>) ",
            ("Kat (she/her)", "sakurakat.systems"),
        ),
        # An empty display name.
        ("&mdash;  (<a href='{profile}'>@sakurakat.systems</a>) ", (None, "sakurakat.systems")),
        # A handle that no longer verifies: the DID stands in.
        ("&mdash; Kat (<a href='{profile}'>@handle.invalid</a>) ", ("Kat", KAT_DID)),
        # No attribution at all.
        ("", (None, KAT_DID)),
    ],
)
def test_name_and_handle(attribution: str, expected: tuple[str | None, str]) -> None:
    profile = f"https://bsky.app/profile/{KAT_DID}"
    html = (
        f'<blockquote class="bluesky-embed" data-bluesky-uri="at://{KAT_DID}/app.bsky.feed.post/'
        f'3llqi6j53qd2g"><p lang="en">DIFFERENT HASH</p>{attribution.format(profile=profile)}'
        f'<a href="{profile}/post/3llqi6j53qd2g">April 1, 2025 at 2:13 PM</a></blockquote>'
    )
    [post] = posts_in(html)
    assert (post.author_name, post.author_handle) == expected
    assert post.post_id == f"{KAT_DID}/3llqi6j53qd2g"


def test_identity_from_the_link_when_the_uri_is_missing_or_uses_a_handle() -> None:
    link_only = _embed("3llqi6j53qd2g", "April 1, 2025").replace(
        f'data-bluesky-uri="at://{KAT_DID}/app.bsky.feed.post/3llqi6j53qd2g"', ""
    )
    handle_uri = _embed("3llqi6j53qd2g", "April 1, 2025").replace(
        f"at://{KAT_DID}/", "at://sakurakat.systems/"
    )
    for html in (link_only, handle_uri):
        [post] = posts_in(html)
        assert (post.post_id, post.url) == (
            f"{KAT_DID}/3llqi6j53qd2g",
            f"https://bsky.app/profile/{KAT_DID}/post/3llqi6j53qd2g",
        )


def test_same_post_twice_is_one_post_the_one_with_text_first_place() -> None:
    empty = _embed("3llqi6j53qd2g", "April 1, 2025", inside="")
    full = _embed("3llqi6j53qd2g", "April 1, 2025", inside="<p>DIFFERENT HASH</p>")
    other = _embed("3llqitkdpyn2g", "April 1, 2025", inside="<p>HELL YEAH</p>")
    posts = posts_in(empty + other + full)
    assert [(post.post_id, post.text) for post in posts] == [
        (f"{KAT_DID}/3llqi6j53qd2g", "DIFFERENT HASH"),
        (f"{KAT_DID}/3llqitkdpyn2g", "HELL YEAH"),
    ]


@pytest.mark.parametrize(
    "html",
    [
        # A bluesky-embed blockquote with no post in it.
        '<blockquote class="bluesky-embed"><p>Loading…</p></blockquote>',
        # A link to a post in prose, and in a plain blockquote.
        '<p>See <a href="https://bsky.app/profile/natalie.sh/post/3lozkguapuk2g">this</a>.</p>',
        '<blockquote><a href="https://bsky.app/profile/natalie.sh/post/3lozkguapuk2g">x</a>'
        "</blockquote>",
        # A look-alike host and a figure of another provider.
        '<blockquote class="bluesky-embed"><a href="https://notbsky.app/profile/a.b/post/'
        '3lozkguapuk2g">x</a></blockquote>',
        '<figure class="wp-block-embed-twitter">https://bsky.app/profile/a.bc/post/3lozkguapuk2g'
        "</figure>",
        "<style>.bluesky-embed, figure.wp-block-embed-bluesky { margin: 0 }</style>",
    ],
)
def test_not_embeds(html: str) -> None:
    assert posts_in(html) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I sure do @smokesignal.events being small", ("smokesignal.events",)),
        ("Watch @KrisAJenkins.bsky.social explore.", ("krisajenkins.bsky.social",)),
        ("(@a.example) and @a.example again", ("a.example",)),
        # Not domains: a bare name, an e-mail address, a numeric last label, a URL.
        ("@home mail me@example.com or @1.2 https://x.example/@b.example/post", ()),
        ("ends with a dot @c.example.", ("c.example",)),
        (None, ()),
    ],
)
def test_find_mentions(text: str | None, expected: tuple[str, ...]) -> None:
    assert find_mentions(text) == expected


def bluesky_markers() -> tuple[str, ...]:
    return registered_platform("bluesky").markers


def test_every_fixture_page_holds_a_marker() -> None:
    for path in FIXTURES.iterdir():
        text = path.read_text(encoding="utf-8")
        assert posts_in(text), path.name
        assert any(marker in text for marker in bluesky_markers()), path.name
