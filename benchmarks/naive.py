"""The naive way: the script a user would write to do what ``monitor ingest`` does.

BeautifulSoup (with lxml, its fastest tree builder) on every page, VADER on every post as it
is found, and one sqlite-utils insert per row. Written plainly, as a first attempt would be;
it finds the common embed forms only and has none of the monitor's care.

Usage: ``python -m benchmarks.naive DATABASE FOLDER...``
"""

from __future__ import annotations

import glob
import os
import re
import sys

import sqlite_utils
from bs4 import BeautifulSoup
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

EMBEDS = (
    "blockquote.twitter-tweet, blockquote.bluesky-embed, blockquote.instagram-media, "
    "blockquote.tiktok-embed, blockquote.reddit-embed-bq, blockquote.text-post-media, "
    "blockquote.mastodon-embed, div.fb-post, amp-twitter, iframe"
)
PLATFORMS = {
    "twitter": "twitter",
    "bluesky": "bluesky",
    "instagram": "instagram",
    "tiktok": "tiktok",
    "reddit": "reddit",
    "text-post-media": "threads",
    "mastodon": "mastodon",
    "fb-post": "facebook",
    "youtube": "youtube",
    "facebook": "facebook",
}


def platform_of(element) -> str | None:
    text = " ".join(element.get("class", [])) + " " + element.name + " " + str(element.attrs)
    for marker, platform in PLATFORMS.items():
        if marker in text:
            return platform
    return None


def main(db_path: str, folders: list[str]) -> None:
    db = sqlite_utils.Database(db_path)
    analyzer = SentimentIntensityAnalyzer()
    for folder in folders:
        for path in sorted(glob.glob(os.path.join(folder, "**", "*.html"), recursive=True)):
            with open(path, encoding="utf-8") as page:
                soup = BeautifulSoup(page.read(), "lxml")
            canonical = soup.find("link", rel="canonical")
            url = canonical["href"] if canonical else path
            published = soup.find("meta", property="article:published_time")
            db["articles"].insert(
                {
                    "url": url,
                    "title": soup.title.get_text(strip=True) if soup.title else None,
                    "published": published["content"] if published else None,
                    "path": path,
                },
                pk="url",
                replace=True,
            )
            for position, embed in enumerate(soup.select(EMBEDS)):
                platform = platform_of(embed)
                if platform is None:
                    continue  # an ad or analytics iframe, a pull quote
                links = embed.find_all("a", href=True)
                post_url = (
                    embed.get("data-instgrm-permalink")
                    or embed.get("data-text-post-permalink")
                    or embed.get("data-embed-url")
                    or embed.get("cite")
                    or embed.get("data-href")
                    or embed.get("src")
                    or embed.get("data-src")
                    or (links[-1]["href"] if links else None)
                    or embed.get("data-tweetid")
                )
                paragraph = embed.find("p")
                text = paragraph.get_text(" ", strip=True) if paragraph else None
                scores = analyzer.polarity_scores(text) if text else {}
                db["posts"].insert(
                    {"url": post_url, "platform": platform, "text": text, **scores},
                    pk="url",
                    replace=True,
                    alter=True,
                )
                db["article_posts"].insert(
                    {"article": url, "post": post_url, "position": position},
                    pk=("article", "post"),
                    replace=True,
                )
                for tag in re.findall(r"#(\w+)", text or ""):
                    db["hashtags"].insert(
                        {"post": post_url, "tag": tag.lower()}, pk=("post", "tag"), replace=True
                    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
