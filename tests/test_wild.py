"""Real pages from outside the corpus, one per embed form the wild holds (consent walls,
lazy placeholders, page builders, saved pages) and as many that must stay clean.

``fixtures/wild/MANIFEST.tsv`` names each page's source, licence and form, and the posts a
reader of the page sees there (or would see after agreeing to load them), checked by hand.
Every page is read exactly as ``monitor ingest`` reads it.
"""

from __future__ import annotations

import csv
from functools import cache

import pytest

from monitor.archives import iter_documents
from monitor.embeds import extract
from monitor.models import Post

from .conftest import FIXTURES

WILD = FIXTURES / "wild"


def manifest() -> list[dict[str, str]]:
    with (WILD / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@cache
def posts(name: str) -> tuple[Post, ...]:
    return tuple(post for doc in iter_documents(WILD / name) for post in extract(doc).posts)


@pytest.mark.parametrize("row", manifest(), ids=lambda row: row["file"])
def test_every_post_a_reader_sees_and_nothing_else(row):
    assert [post.id for post in posts(row["file"])] == row["expected"].split()


def test_the_manifest_names_every_fixture_with_its_source():
    rows = manifest()
    assert sorted(row["file"] for row in rows) == sorted(
        path.name for path in WILD.iterdir() if path.name != "MANIFEST.tsv"
    )
    assert all(row["repo"] and row["path"] and len(row["commit"]) == 40 for row in rows)
    assert all(row["license"] and row["form"] for row in rows)
    negatives = [row for row in rows if not row["expected"]]
    assert len(negatives) >= len(rows) - len(negatives)


def test_tweets_held_in_a_consent_textarea_read_as_live_ones():
    first, second = posts("amnesty.de-waffensysteme.html.gz")
    assert (first.url, first.author_handle, first.author_name, first.posted_at) == (
        "https://twitter.com/AgnesCallamard/status/1455512589295816707",
        "AgnesCallamard",
        "Agnes Callamard",
        "2021-11-02T12:30:18+00:00",
    )
    assert first.text.startswith("A machine should not be allowed to make a decision over life")
    assert second.hashtags == ("berlin", "killerrobots", "germany", "teamhuman", "keepctrl")


def test_instagram_posts_held_in_base64_by_a_consent_plugin():
    found = posts("1000things.at-Wellnessoasen.html.gz")
    assert [(post.url, post.posted_at) for post in found[:2]] == [
        ("https://www.instagram.com/p/Cl0Y-E5qoo9/", "2022-12-06T07:45:45+00:00"),
        ("https://www.instagram.com/p/Cvq2l0Yo5zV/", "2023-08-08T04:06:07+00:00"),
    ]
