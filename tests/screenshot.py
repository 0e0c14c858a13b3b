"""The picture of the daily report in the README: the demo's report, opened in headless
Chromium (Debian's ``chromium``, driven by Playwright) and photographed.

    python -m tests.screenshot docs/images/report.png

It runs ``monitor demo`` in a temporary folder, so the picture is always of the report the
current code writes for the sample archive's latest day.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import cli

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and quiet: no sandbox (containers run as root), no GPU, no background traffic.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The report's first screen: scope, headline numbers, the two charts and the first tables.
WIDTH, HEIGHT = 1000, 1420


def demo_report(folder: Path) -> Path:
    """The HTML report ``monitor demo`` writes in ``folder``."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(
            cli, ["demo", "--db", "demo.db", "--out", "reports"], env={"MONITOR_CONFIG": None}
        )
    finally:
        os.chdir(previous)
    if result.exit_code != 0:
        raise RuntimeError(f"monitor demo failed: {result.output}")
    (html,) = (folder / "reports").glob("*.html")
    return html


def screenshot(html: Path, png: Path) -> None:
    """Photograph the first screen of ``html`` into ``png``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.goto(html.as_uri(), wait_until="load")
            page.screenshot(path=str(png))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("png", type=Path, help="where to write the picture")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        args.png.parent.mkdir(parents=True, exist_ok=True)
        screenshot(demo_report(Path(folder)), args.png)
    print(args.png)


if __name__ == "__main__":
    main()
