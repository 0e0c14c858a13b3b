"""Bluesky posts embedded in HTML and Markdown pages: every markup variant, the traps that are
not embeds, and the real pages of the shared corpus."""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.archives import iter_documents
from monitor.embeds import extract
from monitor.embeds.bluesky import find_mentions, find_posts
from monitor.embeds.dom import inner_text
from monitor.embeds.registry import registered
from monitor.models import MARKDOWN, Document, Post

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bluesky"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ABSENT = f"{CORPUS} is absent: real-page tests need ../shared beside the repository"


def posts_in(html: str) -> list[Post]:
    return find_posts(LexborHTMLParser(html))


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


@pytest.mark.parametrize(
    ("html", "plain", "blank_lines"),
    [
        ("<p>a\n\nb</p>", "a b", "a\n\nb"),
        ("<p>a \n  \t\n\n b\nc</p>", "a b c", "a\n\nb c"),
        ("<p>\n\na<br>\n\n<br>b\n\n</p>", "a\n\nb", "a\n\nb"),
    ],
)
def test_inner_text_blank_lines_option(html: str, plain: str, blank_lines: str) -> None:
    paragraph = LexborHTMLParser(html).css_first("p")
    assert inner_text(paragraph) == plain
    assert inner_text(paragraph, blank_lines=True) == blank_lines


def bluesky_markers() -> tuple[str, ...]:
    return next(p.markers for p in registered() if p.name == "bluesky")


def test_every_fixture_page_holds_a_marker() -> None:
    for path in FIXTURES.iterdir():
        text = path.read_text(encoding="utf-8")
        assert posts_in(text), path.name
        assert any(marker in text for marker in bluesky_markers()), path.name


# --- The shared corpus ---------------------------------------------------------------------

BLUESKY_PAGES = ("bsky_why_rust_blog.md", "bsky_hyperv_blog.md", "bsky_mastodon_jj_blog.md")
# Where the distinct posts found differ from the manifest's count of embeds, and why.
DIFFERENCES = {
    "bsky_hyperv_blog.md": (
        7,
        "3llnz5asyms2c is embedded twice (its text edited in one): one post",
    ),
}


@cache
def manifest() -> dict[str, int]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return {
            row["local_file"]: int(row["bluesky"] or 0)
            for row in csv.DictReader(handle, delimiter="\t")
        }


def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return ["(corpus absent)"]
    return sorted(p.name for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv")


def corpus_texts(name: str) -> list[str]:
    """The raw text of each document in a corpus file (a WARC holds many)."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(ABSENT)
    if name.endswith((".warc", ".warc.gz")):
        return [document.text for document in iter_documents(path)]
    return [path.read_text(encoding="utf-8", errors="replace")]


def corpus_posts(name: str) -> list[Post]:
    return [post for text in corpus_texts(name) for post in posts_in(text)]


@pytest.mark.parametrize("name", corpus_files())
def test_corpus_counts_match_the_manifest_and_nothing_false_is_found(name: str) -> None:
    texts = corpus_texts(name)
    posts = [post for text in texts for post in posts_in(text)]
    expected = DIFFERENCES.get(name, (manifest().get(name, 0), ""))[0]
    assert len(posts) == expected
    assert len({post.id for post in posts}) == len(posts)
    if posts:
        assert all(any(m in text for m in bluesky_markers()) for text in texts)


def test_differences_table_is_current() -> None:
    if not CORPUS.is_dir():
        pytest.skip(ABSENT)
    for name, (found, reason) in DIFFERENCES.items():
        assert manifest()[name] != found, f"{name} now matches the manifest: drop its entry"
        assert reason


def test_corpus_spot_checks() -> None:
    why_rust = {post.post_id.split("/")[1]: post for post in corpus_posts(BLUESKY_PAGES[0])}
    assert why_rust["3lrl6qqcry222"] == ADAM
    assert why_rust["3lqkpq2jmk22s"] == KATHRYN
    assert why_rust["3lolw5vqo722z"] == ASTRA
    assert why_rust["3lozghbg3kk2i"] == Post(
        platform="bluesky",
        post_id="did:plc:cbkjy5n7bk3ax2wplmtjofq2/3lozghbg3kk2i",
        url="https://bsky.app/profile/did:plc:cbkjy5n7bk3ax2wplmtjofq2/post/3lozghbg3kk2i",
        author_name="Nick Gerakines",
        author_handle="ngerakines.me",
        posted_at="2025-05-13T02:22:25+00:00",
        lang="en",
        text="Rust has a lot of pros and cons, and I get that it isn't for everyone. I sure do "
        "@smokesignal.events being a single 48.7MB container for both the app and utilities "
        "though. #atprotocol #atdev",
        hashtags=("atprotocol", "atdev"),
        mentions=("smokesignal.events",),
    )
    # An empty <p lang="">, a mention, and media.
    goto = why_rust["3lnn6juga5622"]
    assert (goto.lang, goto.mentions, goto.has_media) == (
        None,
        ("krisajenkins.bsky.social",),
        True,
    )
    # Shown as "May 17, 2025 at 4:35 AM" by the embedder: the day before, in UTC.
    assert why_rust["3lpd54o4k5m42"].posted_at == "2025-05-16T23:02:03+00:00"
    # Emoji in names, and a name that is the handle.
    assert why_rust["3lpmz47d7z22n"].author_name == "🖤stellz🖤"
    assert why_rust["3lp33byqedk2g"].author_name == "sopwithpuppy.bsky.social"
    # Every "[image or embed]" placeholder (some wrapped over two lines) is media, not text.
    [text] = corpus_texts(BLUESKY_PAGES[0])
    assert sum(post.has_media for post in why_rust.values()) == text.count("[image") == 10
    assert not any("[image" in (post.text or "") for post in why_rust.values())
    assert all(post.text and post.author_name for post in why_rust.values())


# The visible date at the end of each real embed, with the record key in the link before it.
_VISIBLE_DATE = re.compile(r'/post/(?P<rkey>\w+)\?ref_src=embed">(?P<date>[^<]+)</a></blockquote>')
# The embedder of all three pages was at UTC+5:30 (India). The visible time is the post's own
# creation time, written by the client, which can trail its record key by a few minutes.
EMBEDDER_OFFSET = timedelta(hours=5, minutes=30)


@pytest.mark.parametrize("name", BLUESKY_PAGES)
def test_corpus_tid_times_agree_with_the_visible_dates(name: str) -> None:
    [text] = corpus_texts(name)
    posts = {post.post_id.split("/")[1]: post for post in posts_in(text)}
    shown = {m["rkey"]: " ".join(m["date"].split()) for m in _VISIBLE_DATE.finditer(text)}
    assert set(shown) == set(posts)
    for rkey, date in shown.items():
        local = datetime.strptime(date, "%B %d, %Y at %I:%M %p")
        utc = datetime.fromisoformat(posts[rkey].posted_at or "").replace(tzinfo=None)
        assert abs(local - EMBEDDER_OFFSET - utc) < timedelta(minutes=5), (rkey, date)


def test_corpus_duplicate_embed_keeps_the_first_copy() -> None:
    posts = corpus_posts("bsky_hyperv_blog.md")
    [first] = [post for post in posts if post.post_id.endswith("/3llnz5asyms2c")]
    assert first.text == (
        "trying to make a Hyper-V VM with NixOS so i can rice my laptop without turning it on"
    )
