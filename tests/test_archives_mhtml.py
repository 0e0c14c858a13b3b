"""Pages saved by a browser as MHTML read as the pages themselves: headless Chromium saves
corpus pages (its frames served locally, as a browser would have rendered them), and the
posts, their places and the article are those of the page read as HTML.

Skipped where /usr/bin/chromium or Playwright is absent."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from monitor.archives import ArchiveError, iter_documents
from monitor.embeds import extract

from .corpus import CORPUS, require_corpus
from .screenshot import CHROMIUM, CHROMIUM_ARGS

# Pages whose embeds are frames (YouTube, rendered tweets, a saved page's frames) or code.
PAGES = (
    "tw_telegraph_2014.html",
    "tw_variant_rendered_iframe_breitbart.html",
    "tw_variant_saved_page_iframe_eltiempo.html",
    "tw_mashable_stansted_2014.html",
    "yt_videos2_readability.html",
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    """Each page of :data:`PAGES` saved by Chromium as MHTML, scripts off, every request but
    the page's own answered with a small page: a frame is saved with its address."""
    require_corpus()
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]'")
    root = tmp_path_factory.mktemp("mhtml")
    files = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name in PAGES:
            context = browser.new_context(java_script_enabled=False)
            context.route("**/*", _local)
            page = context.new_page()
            page.goto((CORPUS / name).as_uri(), wait_until="load")
            session = context.new_cdp_session(page)
            snapshot = session.send("Page.captureSnapshot", {"format": "mhtml"})["data"]
            files[name] = root / name.replace(".html", ".mhtml")
            files[name].write_text(snapshot, encoding="utf-8", newline="")
            context.close()
        browser.close()
    return files


def _local(route) -> None:
    # A protocol-relative frame of a page opened from a file is a file: URL with a host.
    if route.request.url.startswith("file:///"):
        route.continue_()
    else:
        route.fulfill(status=200, content_type="text/html", body="<html><body></body></html>")


@pytest.mark.parametrize("name", PAGES)
def test_a_page_saved_as_mhtml_gives_what_the_page_gives(saved, name):
    [page] = iter_documents(str(CORPUS / name))
    [mhtml] = iter_documents(str(saved[name]))
    assert mhtml.text.count("cid:frame-") == 0  # every frame has its address back
    from_page, from_mhtml = extract(page), extract(mhtml)
    assert from_mhtml.posts == from_page.posts
    assert from_mhtml.embeds == from_page.embeds
    assert from_mhtml.article.url == from_page.article.url
    assert from_mhtml.article.title == from_page.article.title
    assert from_mhtml.article.published_at == from_page.article.published_at
    assert mhtml.fetched_at.endswith("Z")  # the time the browser saved it, in UTC


def mhtml(*parts: str, start: str = "") -> bytes:
    """An MHTML message of ``parts`` (each a part's headers and body)."""
    boundary = "----MultipartBoundary--x"
    head = (
        "From: <Saved by Blink>\r\n"
        "Snapshot-Content-Location: https://news.example/story\r\n"
        "Subject: A story\r\n"
        "Date: Wed, 20 Nov 2024 10:15:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n'
        f"{start}\r\n\r\n"
    )
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts)
    return (head + body + f"--{boundary}--\r\n").encode()


def test_base64_parts_and_a_frame_that_holds_the_embed_code(tmp_path):
    page = (
        "<html><head><title>A story</title></head><body><p>Words before the post, long "
        'enough to be prose.</p><iframe src="cid:frame-1@mhtml.blink"></iframe><p>Words '
        "after the post, long enough to be prose too.</p></body></html>"
    )
    frame = (
        '<html><body><blockquote class="twitter-tweet"><p>In the frame #WW3</p>&mdash; A '
        '(@a) <a href="https://twitter.com/a/status/1859160489980985345">Nov 20, 2024</a>'
        "</blockquote></body></html>"
    )
    path = tmp_path / "story.mht"
    path.write_bytes(
        mhtml(
            "Content-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Location: https://news.example/story\r\n\r\n"
            + base64.encodebytes(page.encode()).decode(),
            "Content-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "Content-Location: https://platform.twitter.com/embed/Tweet.html?id=1859160489980985345"
            "\r\n\r\n" + frame.replace("=", "=3D"),
            "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Location: https://news.example/logo.png\r\n\r\niVBORw0KGgo=",
        )
    )
    [document] = iter_documents(str(path))
    assert (document.url, document.fetched_at) == (
        "https://news.example/story",
        "2024-11-20T09:15:00Z",
    )
    extraction = extract(document)
    [post] = extraction.posts
    assert (post.id, post.text, post.hashtags) == (
        "twitter:1859160489980985345",
        "In the frame #WW3",
        ("ww3",),
    )
    [embedding] = extraction.embeds
    # The frame's own words are not the article's: the context is the page's.
    assert (embedding.context_before, embedding.context_after) == (
        "Words before the post, long enough to be prose.",
        "Words after the post, long enough to be prose too.",
    )


def test_an_empty_file_holds_nothing_and_a_file_without_a_page_says_so(tmp_path):
    empty = tmp_path / "empty.mhtml"
    empty.write_bytes(b"")
    assert list(iter_documents(str(empty))) == []
    image_only = tmp_path / "image.mhtml"
    image_only.write_bytes(
        mhtml("Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=")
    )
    with pytest.raises(ArchiveError, match="not an MHTML page: no HTML part"):
        list(iter_documents(str(image_only)))
    junk = tmp_path / "junk.mht"
    junk.write_bytes(b"\x00\x01\x02 binary junk \xff" * 100)
    with pytest.raises(ArchiveError, match="not an MHTML page"):
        list(iter_documents(str(junk)))


def test_a_truncated_mhtml_keeps_the_parts_it_has(saved, tmp_path):
    whole = saved["tw_mashable_stansted_2014.html"].read_bytes()
    boundary = whole[whole.index(b"\n--") + 1 : whole.index(b"\n--") + 40]
    second = whole.index(boundary, whole.index(boundary) + 1)
    [page] = iter_documents(str(saved["tw_mashable_stansted_2014.html"]))
    # Cut inside a later part: the page is whole.
    cut = tmp_path / "cut.mhtml"
    cut.write_bytes(whole[: second + 200])
    [document] = iter_documents(str(cut))
    assert extract(document).posts == extract(page).posts
    # Cut inside the page: what the file holds of it is read.
    cut.write_bytes(whole[: second * 2 // 3])
    [document] = iter_documents(str(cut))
    assert 0 < len(extract(document).posts) < 11


def test_real_pages_saved_by_chrome():
    # Two news pages saved by Chrome (from ispras/dedoc's test data, Apache-2.0; see
    # fixtures/mhtml/MANIFEST.tsv): the article's address, the time it was saved ("-0000":
    # a zone not known, kept as is), and the page's own metadata and players.
    folder = Path(__file__).parent / "fixtures" / "mhtml"
    read = {}
    for path in sorted(folder.glob("*.mhtml.gz")):
        [document] = iter_documents(str(path))
        extraction = extract(document)
        read[path.name] = (
            document.url,
            document.fetched_at,
            extraction.article.published_at,
            [post.id for post in extraction.posts],
            [(e.method, e.placement) for e in extraction.embeds],
        )
    assert read == {
        "interfax-antivaxxers.mhtml.gz": (
            "https://www.interfax.ru/russia/802181", "2021-11-25T14:19:03",
            "2021-11-10T08:09:00+00:00", [], [],
        ),
        "znaj-nichiporenko.mhtml.gz": (
            "https://znaj.ua/ru/dossier/206-valentin-nichiporenko-kopromat-i-foto-deputata",
            "2023-01-24T08:47:46", "2019-08-07T10:16:46+00:00",
            ["youtube:co4z1_AIdxw", "youtube:ekuS0ESxVqc"],
            [("iframe", "end"), ("iframe", "end")],
        ),
    }  # fmt: skip
