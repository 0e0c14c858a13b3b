"""The database opens in Datasette as it is: views, full-text search, no configuration."""

from __future__ import annotations

import asyncio

import pytest

from monitor import ingest, open_db

from .conftest import SAMPLE

datasette = pytest.importorskip("datasette.app", reason="datasette is in the test extra")


def test_views_and_full_text_search_in_datasette(tmp_path):
    path = tmp_path / "monitor.db"
    with open_db(path) as db:
        ingest([SAMPLE], db)

    async def get(url: str):
        # Datasette's own ASGI client: the real application, no server or socket.
        response = await datasette.Datasette([str(path)]).client.get(url)
        assert response.status_code == 200, url
        return response.json()

    async def check() -> None:
        database = await get("/monitor.json")
        assert {"post_amplification", "outlet_topic_share", "posts_with_hashtags", "spikes"} <= {
            view["name"] for view in database["views"]
        }
        posts = next(t for t in database["tables"] if t["name"] == "posts")
        assert posts["fts_table"] == "posts_fts"
        found = await get("/monitor/posts.json?_search=refugees&_shape=array&_col=author_handle")
        assert [row["author_handle"] for row in found] == ["lena_and_co"]
        amplified = await get(
            "/monitor/post_amplification.json?_shape=array&_sort_desc=articles&articles__gte=2"
            "&_col=post_id&_col=outlets"
        )
        assert len(amplified) == 4

    asyncio.run(check())
