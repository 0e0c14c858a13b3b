"""Embeds hidden in a page's scripts and attribute values: oEmbed JSON in a CMS's state,
HTML escaped into JSON or attributes (once or several times), posts both live and hidden,
scripts that only mention embeds, and the real pages of the shared corpus."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

import monitor.embeds
from monitor.embeds import extract, find_html_posts
from monitor.embeds.hidden import hidden_fragments, may_hide_embeds
from monitor.embeds.registry import registered
from monitor.models import Document, Post

from .corpus import corpus_document, corpus_documents, corpus_files, require_corpus
from .test_twitter_html import DIANNA

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hidden"


def posts_in_fixture(name: str) -> list[Post]:
    path = FIXTURES / name
    return list(extract(Document(str(path), path.read_text(encoding="utf-8"))).posts)


def posts_in(page: str) -> list[Post]:
    return list(extract(Document("page.html", page)).posts)


MARKS = Post(
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
ELON_EMBED = (
    '<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">First line'
    "<br><br>Second &amp; last</p>&mdash; Elon Musk (@elonmusk) "
    '<a href="https://x.com/elonmusk/status/2077361679034118271?ref_src=twsrc%5Etfw">'
    "July 15, 2026</a></blockquote>"
)
ELON = Post(
    platform="twitter",
    post_id="2077361679034118271",
    url="https://twitter.com/elonmusk/status/2077361679034118271",
    author_name="Elon Musk",
    author_handle="elonmusk",
    posted_at="2026-07-15T11:56:34+00:00",
    lang="en",
    text="First line\n\nSecond & last",
)
FILM_FATALE = Post(
    platform="twitter",
    post_id="550812077208924160",
    url="https://twitter.com/FilmFatale_NYC/status/550812077208924160",
    author_name="Film Fatale",
    author_handle="FilmFatale_NYC",
    posted_at="2015-01-02T00:33:27+00:00",
    text="NOOOOOOOOOOOOOOOOOOOOOOOOOOO -> Joseph Gordon-Levitt Is Married "
    "http://t.co/r0gXGsKldA via @PeopleMag",
    mentions=("PeopleMag",),
    links=("http://t.co/r0gXGsKldA",),
)


# ---------------------------------------------------------------------------------------
# The forms seen in real pages, as small fixtures


def test_oembed_json_in_an_application_json_script() -> None:
    assert posts_in_fixture("oembed_application_json.html") == [DIANNA]


def test_oembed_html_in_a_javascript_state_assignment_with_unicode_escapes() -> None:
    # window.__STATE__ = {...}; with "<" written as \u003c, as server-side JSON escapers do.
    assert posts_in_fixture("window_state.html") == [MARKS]


def test_html_escaped_embed_code_in_a_data_attribute() -> None:
    assert posts_in_fixture("escaped_in_attribute.html") == [ELON]


def test_embed_code_escaped_in_json_inside_an_attribute() -> None:
    # The Daily Beast's form: JSON in a data- attribute, so the embed code's quotes are \&quot;
    # and its entities &amp;mdash; / &amp;gt;.
    assert posts_in_fixture("json_in_attribute.html") == [FILM_FATALE]


def test_a_tweet_both_live_and_in_the_json_state_is_one_post() -> None:
    # Arc/Fusion pages render the embeds and keep them in their state too. The live
    # blockquote is kept; the live id-only iframe gives way to the state's copy with text.
    assert posts_in_fixture("live_and_state.html") == [DIANNA, MARKS]


@pytest.mark.parametrize(
    ("live_text", "hidden_text", "expected_text"),
    [
        ("As rendered", "As stored", "As rendered"),
        (None, "As stored", "As stored"),
    ],
    ids=["live-wins", "hidden-text-fills-an-empty-live-embed"],
)
def test_live_sighting_wins_unless_only_the_hidden_copy_has_text(
    live_text: str | None, hidden_text: str, expected_text: str
) -> None:
    link = '<a href="https://twitter.com/h/status/1196501054197649413">November 18, 2019</a>'

    def embed(text: str | None) -> str:
        paragraph = f"<p>{text}</p>&mdash; Name (@h) " if text else ""
        return f'<blockquote class="twitter-tweet">{paragraph}{link}</blockquote>'

    page = (
        f"<body>{embed(live_text)}<script>window.__STATE__ = "
        f"{json.dumps({'html': embed(hidden_text)})};</script></body>"
    )
    [post] = posts_in(page)
    assert (post.post_id, post.text) == ("1196501054197649413", expected_text)


def test_scripts_and_styles_that_only_mention_embeds_hold_no_post() -> None:
    # Selectors in CSS and JavaScript, JavaScript that builds an embed from variables, and
    # JSON templates with {{placeholders}}: no post id, so no post.
    assert posts_in_fixture("scripts_that_only_mention.html") == []


def test_embed_written_by_document_write_in_a_single_quoted_string() -> None:
    page = f"<body><script>document.write('{ELON_EMBED}');</script></body>"
    assert posts_in(page) == [ELON]


def test_hidden_instagram_embed_is_read_by_the_instagram_extractor() -> None:
    if "instagram" not in {platform.name for platform in registered()}:
        pytest.skip("no Instagram extractor is registered")
    expected = Post(
        platform="instagram",
        post_id="Ci22crtrcRL",
        url="https://www.instagram.com/p/Ci22crtrcRL/",
        author_name="Chateau La Coste",
        author_handle="chateaulacoste",
        posted_at="2022-09-23T17:07:38+00:00",
        has_media=True,
    )
    assert posts_in_fixture("hidden_instagram.html") == [expected]


# ---------------------------------------------------------------------------------------
# Every layer of escaping, one embed at a time

_AS_JSON = json.dumps({"html": ELON_EMBED})
# "<" escaped as server-side JSON escapers write it, and in JavaScript's \xHH form.
_AS_JSON_U003C = _AS_JSON.replace("<", "\\u003c")
_AS_JS_X3C = _AS_JSON.replace("<", "\\x3c")


@pytest.mark.parametrize(
    "page",
    [
        f'<script type="application/json">{_AS_JSON}</script>',
        f"<script>var s = {_AS_JSON_U003C};</script>",
        f"<script>var s = {_AS_JS_X3C};</script>",
        # JavaScript's \' escape inside a double-quoted string.
        '<script>var s = "<blockquote class=\\"twitter-tweet\\"><p lang=\\\'en\\\'>'
        "First line<br><br>Second &amp; last</p>&mdash; Elon Musk (@elonmusk) "
        '<a href=\\"https://x.com/elonmusk/status/2077361679034118271\\">July 15, 2026</a>'
        '</blockquote>";</script>',
        # A JSON string that holds JSON.
        f"<script>window.__DATA__ = {json.dumps({'state': _AS_JSON})};</script>",
        # JSON, then HTML-escaped, in a script: unescaped before it is decoded.
        f'<script type="text/x-state">{html.escape(_AS_JSON)}</script>',
        # Attributes: escaped once, twice, JSON escaped once, JSON in a JSON string.
        f'<div data-embed="{html.escape(ELON_EMBED)}"></div>',
        f'<div data-embed="{html.escape(html.escape(ELON_EMBED))}"></div>',
        f'<div data-state="{html.escape(json.dumps([{"snippet": ELON_EMBED}]))}"></div>',
        f'<div data-state="{html.escape(json.dumps({"state": _AS_JSON}))}"></div>',
        # Raw markup in a single-quoted attribute, and an iframe's srcdoc.
        f"<div data-embed='{ELON_EMBED}'></div>",
        f'<iframe srcdoc="{html.escape(ELON_EMBED)}"></iframe>',
    ],
    ids=[
        "json-script",
        "json-u003c",
        "js-x3c",
        "js-escaped-single-quotes",
        "json-in-json",
        "json-then-entities-in-script",
        "attribute-entities",
        "attribute-entities-twice",
        "attribute-json",
        "attribute-json-in-json",
        "attribute-single-quoted-markup",
        "iframe-srcdoc",
    ],
)
def test_every_layer_of_escaping_is_peeled(page: str) -> None:
    page = f"<html><head><title>t</title></head><body><p>Article.</p>{page}</body></html>"
    assert posts_in(page) == [ELON]
    tree = LexborHTMLParser(page)
    assert find_html_posts(tree, page) == find_html_posts(tree) == [ELON]


def test_each_fragment_is_parsed_once() -> None:
    # The same embed code in three places of the state is one fragment.
    state = json.dumps({"a": ELON_EMBED, "b": ELON_EMBED, "c": {"d": ELON_EMBED}})
    page = f"<body><script>window.__STATE__ = {state};</script></body>"
    tree = LexborHTMLParser(page)
    [(holder, fragment)] = hidden_fragments(tree, page)
    assert fragment.css_first("blockquote.twitter-tweet") is not None
    assert holder.tag == "script"  # where the code is held: the first of its places


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"<body>{ELON_EMBED}<script async src='https://platform.x.com/widgets.js'>", False),
        ('<iframe src="https://www.youtube.com/embed/abc" allowfullscreen></iframe>', False),
        ("<style>blockquote.twitter-tweet{margin:0}</style></blockquote></iframe>", False),
        ("<script>$('blockquote.twitter-tweet').each(fit)</script>", False),
        ("<p>The blockquote and iframe elements.</p><blockquotes><iframe-wrapper>", False),
        ('{"html":"<blockquote class=\\"twitter-tweet\\">"}', True),
        ('{"html":"\\u003cblockquote class=\\u0022twitter-tweet\\u0022\\u003e"}', True),
        ("<div data-x='&lt;iframe src=&quot;https://www.youtube.com/embed/a&quot;&gt;'>", True),
        ("<div data-x='&amp;lt;blockquote class=&amp;quot;twitter-tweet&amp;quot;'>", True),
        ("<script>document.write('<blockquote class=\"twitter-tweet\">')</script>", True),
    ],
)
def test_may_hide_embeds_looks_for_escaped_or_quoted_tags(raw: str, expected: bool) -> None:
    assert may_hide_embeds(raw) is expected


def test_pages_whose_source_hides_nothing_are_not_walked() -> None:
    page = f'<body><div data-embed="{html.escape(ELON_EMBED)}"></div></body>'
    tree = LexborHTMLParser(page)
    assert hidden_fragments(tree, "<body>a page without escaped embed tags</body>") == []
    assert len(hidden_fragments(tree)) == 1  # without the source, the tree is walked


# ---------------------------------------------------------------------------------------
# Real pages (../shared/corpus)


def test_liberation_oembed_json_in_the_fusion_state() -> None:
    # The live DOM of this Arc/Fusion page has no embed at all.
    posts = extract(corpus_document("tw_variant_oembed_json_in_script_liberation.html")).posts
    assert [(post.author_handle, post.post_id) for post in posts] == [
        ("NorwayMFA", "1720047757610631317"),
        ("libe", "1720048529790410996"),
        ("UNHumanRights", "1719783887633527153"),
    ]
    assert all(post.text and post.author_name and post.posted_at for post in posts)
    assert posts[0] == Post(
        platform="twitter",
        post_id="1720047757610631317",
        url="https://twitter.com/NorwayMFA/status/1720047757610631317",
        author_name="Norway MFA",
        author_handle="NorwayMFA",
        posted_at="2023-11-02T11:58:37+00:00",
        lang="en",
        text="Saddened & disturbed by the death of 33 journalists in the war between Israel & "
        "Hamas. They took great personal risk to ensure the flow of information. Norway is "
        "committed to protecting and supporting journalists all over the world - "
        "@EspenBarthEide #EndImpunity pic.twitter.com/4ZfF5U7pI3",
        hashtags=("endimpunity",),
        mentions=("EspenBarthEide",),
        links=("https://t.co/4ZfF5U7pI3",),
        has_media=True,
    )
    assert (posts[1].author_name, posts[1].lang, posts[1].text.split("\n")[0]) == (
        "Libération",
        "fr",
        "«Antisémitisme couscous», les musulmans et les «explosifs sur les chantiers»... "
        "Les sorties racistes se multiplient à la télé.",
    )


def test_dailybeast_embed_code_escaped_in_json_in_an_attribute() -> None:
    posts = extract(corpus_document("tw_variant_escaped_in_json_dailybeast.html")).posts
    assert list(posts) == [
        FILM_FATALE,
        Post(
            platform="twitter",
            post_id="550471671485046784",
            url="https://twitter.com/slb79/status/550471671485046784",
            author_name="stacia l. brown",
            author_handle="slb79",
            posted_at="2015-01-01T02:00:48+00:00",
            text="2014 had to steal just one more dream before the ball-drop: "
            "http://t.co/1dHg1xyJlo.",
            links=("http://t.co/1dHg1xyJlo",),
        ),
    ]


def test_hidden_posts_in_the_corpus_are_only_those_of_the_two_hidden_variant_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    require_corpus()
    documents = {name: corpus_documents(name) for name in corpus_files()}
    assert len(documents) == 60

    def posts_per_file() -> dict[str, list[Post]]:
        return {
            name: [post for document in found for post in extract(document).posts]
            for name, found in documents.items()
        }

    with_hidden = posts_per_file()
    monkeypatch.setattr(monitor.embeds, "hidden_fragments", lambda tree, raw=None, **_: [])
    live_only = posts_per_file()

    added = {
        name: len(with_hidden[name]) - len(live_only[name])
        for name in documents
        if with_hidden[name] != live_only[name]
    }
    assert added == {
        "tw_variant_escaped_in_json_dailybeast.html": 2,
        "tw_variant_oembed_json_in_script_liberation.html": 3,
    }
    negatives = [name for name in documents if name.startswith(("neg_", "warc_neg_"))]
    assert negatives
    assert all(with_hidden[name] == live_only[name] for name in negatives)
