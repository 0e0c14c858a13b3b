"""The daily report opened in a real browser (Debian's Chromium, headless, driven by
Playwright): every chart decodes, nothing is fetched, and no script runs, even with a post
whose text, author and URL are hostile markup.

Skipped where /usr/bin/chromium is absent (``apt-get install chromium``). Set
``REPORT_SCREENSHOT=path.png`` to keep a full-page screenshot of the report it opened.
"""

from __future__ import annotations

import os

import pytest

from monitor.report import write_report

from .report_data import CONFIG, HOSTILE_TEXT, HOSTILE_URL, NOW, SPIKE_DAY, report_db
from .screenshot import CHROMIUM, CHROMIUM_ARGS, HEIGHT, WIDTH, demo_report, screenshot

# Set before the page's own content is parsed: records what the Content-Security-Policy had to
# block. With every value escaped there is nothing for it to block.
WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
STATE = """() => ({
    images: [...document.images].map((i) => [i.complete, i.naturalWidth, i.naturalHeight]),
    scripts: document.scripts.length,
    ran: window.__ran ?? null,
    violations: window.__violations,
    links: [...document.links].map((a) => [a.getAttribute("href"), a.rel]),
    quotes: [...document.querySelectorAll("blockquote")].map((b) => b.textContent),
    codes: [...document.querySelectorAll(".post .meta code")].map((c) => c.textContent),
})"""

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: apt-get install chromium"
)


def test_report_opens_in_chromium_with_every_image_and_no_script(tmp_path):
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: pip install '.[test]'"
    )
    files = write_report(report_db(tmp_path), SPIKE_DAY, tmp_path / "out", CONFIG, now=NOW)
    messages: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            # The probe works: a script in a page without the report's policy is seen running.
            page.set_content("<script>window.__ran = 'control'</script>")
            assert page.evaluate("window.__ran") == "control"
            page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
            page.on("request", lambda request: requests.append(request.url))
            page.add_init_script(WATCH_POLICY)
            page.goto(files.html.as_uri(), wait_until="load")
            state = page.evaluate(STATE)
            if os.environ.get("REPORT_SCREENSHOT"):
                page.screenshot(path=os.environ["REPORT_SCREENSHOT"], full_page=True)
        finally:
            browser.close()
    assert state["images"] == [[True, 1200, 390], [True, 1200, 390]]
    assert (state["scripts"], state["ran"], state["violations"]) == (0, None, [])
    assert messages == []
    # The page itself is the only thing loaded: the charts are data: URIs, nothing is fetched.
    assert [url for url in requests if not url.startswith("data:")] == [files.html.as_uri()]
    # Links: the contents' anchors, and posts' https URLs opened without referrer or opener.
    external = [link for link in state["links"] if not link[0].startswith("#")]
    assert external and all(
        href.startswith("https://") and rel == "noopener noreferrer" for href, rel in external
    )
    assert state["quotes"].count(HOSTILE_TEXT) == 2
    assert state["codes"] == [HOSTILE_URL, HOSTILE_URL]


def test_the_readme_picture_is_the_demo_report_as_chromium_shows_it(tmp_path):
    """The helper that takes the README's picture works, and the picture committed is one it
    took (same size; the pixels differ with fonts and the build time printed on it)."""
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    from .conftest import ROOT

    html = demo_report(tmp_path)
    assert html.name == "2024-11-21.html"
    screenshot(html, tmp_path / "report.png")
    for png in (tmp_path / "report.png", ROOT / "docs" / "images" / "report.png"):
        header = png.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        size = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
        assert size == (WIDTH, HEIGHT), png
