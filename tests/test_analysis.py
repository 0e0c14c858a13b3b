from __future__ import annotations

import pandas as pd
import pytest

from monitor import (
    Config,
    Topic,
    ingest,
    load_amplification,
    load_hashtags,
    load_outlet_shares,
    load_posts,
    load_trends,
    open_db,
    refresh_trends,
)

from .conftest import FIXTURES, SAMPLE

# The string dtype of the pandas in use: object before pandas 3, str from 3 on.
STR = str(pd.Series(["text"]).dtype)


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "m.db"
    with open_db(path) as db:
        ingest([SAMPLE], db)
    return path


def test_load_posts_dtypes(db_path):
    posts = load_posts(db_path)
    assert len(posts) == 8
    dtypes = {name: str(dtype) for name, dtype in posts.dtypes.items()}
    assert dtypes == {
        "id": STR,
        "platform": "category",
        "post_id": STR,
        "url": STR,
        "author_name": STR,
        "author_handle": STR,
        "posted_at": "datetime64[us, UTC]",
        "lang": STR,
        "lang_hint": STR,
        "text": STR,
        "compound": "float64",
        "pos": "float64",
        "neu": "float64",
        "neg": "float64",
        "scorer": STR,
        "has_media": "bool",
        "is_reply": "bool",
        "first_seen_at": "datetime64[us, UTC]",
        "hashtags": "object",
        "articles": "int64",
        "outlets": "int64",
    }
    assert list(posts.platform.cat.categories) == [
        "twitter",
        "bluesky",
        "mastodon",
        "threads",
        "instagram",
        "tiktok",
        "reddit",
        "facebook",
        "youtube",
    ]


def test_load_posts_filters_and_values(db_path):
    posts = load_posts(db_path, hashtag="#ATACMS", since="2024-11-18")
    assert posts[["posted_at", "author_handle", "hashtags", "articles", "outlets"]].to_dict(
        "records"
    ) == [
        {
            "posted_at": pd.Timestamp("2024-11-20T09:02:57Z"),
            "author_handle": "newsroomdesk",
            "hashtags": ["atacms", "ww3"],
            "articles": 1,
            "outlets": 1,
        },
        {
            "posted_at": pd.Timestamp("2024-11-18T08:15:45Z"),
            "author_handle": "petranovak",
            "hashtags": ["atacms"],
            "articles": 1,
            "outlets": 1,
        },
    ]
    dated = load_posts(db_path, until="2024-11-19", since="2024-11-19")
    assert list(dated.posted_at) == [pd.Timestamp("2024-11-19T00:00:00Z")] * 2


def test_load_posts_takes_an_open_database_and_rejects_bad_filters(db_path):
    with open_db(db_path) as db:
        assert len(load_posts(db, search="war", limit=2)) == 2
        with pytest.raises(ValueError, match="unknown platform 'myspace'"):
            load_posts(db, platform="myspace")
        with pytest.raises(ValueError, match="until must be a date"):
            load_posts(db, until="yesterday")


def test_reading_works_while_a_writer_holds_a_transaction(db_path):
    with open_db(db_path) as writer, writer.atomic():
        writer.execute("DELETE FROM post_hashtags")
        # The reader sees the last committed state, without waiting.
        assert len(load_posts(db_path, hashtag="ww3")) == 5


def test_load_trends_hashtags_and_amplification(db_path):
    with open_db(db_path) as db:
        refresh_trends(db, Config(timezone="Europe/Kyiv"))
    trends = load_trends(db_path, hashtag="#ATACMS")
    assert {name: str(dtype) for name, dtype in trends.dtypes.items()} == {
        "period": "datetime64[us, Europe/Kyiv]",
        "granularity": STR,
        "dimension": "category",
        "key": STR,
        "posts": "Int64",
        "articles": "Int64",
        "outlets": "Int64",
        "mean_compound": "float64",
        "pos_share": "float64",
        "neg_share": "float64",
        "neu_share": "float64",
        "spike_score": "float64",
        "is_spike": "boolean",
        "baseline": "float64",
        "spike_status": STR,
        "framing_mean": "float64",
        "ratio": "float64",
    }
    # 21:04 UTC on the 17th is still the 17th in Kyiv; 23:40 UTC is the 18th there.
    assert trends[["period", "posts", "mean_compound"]].to_dict("records") == [
        {"period": pd.Timestamp("2024-11-17", tz="Europe/Kyiv"), "posts": 1,
         "mean_compound": 0.5106},
        {"period": pd.Timestamp("2024-11-18", tz="Europe/Kyiv"), "posts": 2,
         "mean_compound": -0.3157},
        {"period": pd.Timestamp("2024-11-20", tz="Europe/Kyiv"), "posts": 1,
         "mean_compound": -0.4404},
    ]  # fmt: skip
    assert list(load_trends(db_path, dimension="outlet", since="2024-11-21")["key"]) == [
        "example.com"
    ]
    tags = load_hashtags(db_path, since="2024-11-20")
    assert tags[["hashtag", "post_id"]].values.tolist() == [
        ["atacms", "twitter:1859160489980985345"],
        ["ww3", "twitter:1859160489980985345"],
        ["ww3", "twitter:1859608890438713345"],
    ]
    amplified = load_amplification(db_path, min_articles=2)
    assert amplified[["author_handle", "articles", "outlets", "first_outlet"]].values.tolist() == [
        ["samokafor", 2, 2, "example.org"],
        ["danamiller_", 2, 2, "example.com"],
        ["jopark", 2, 1, "example.com"],
        ["kyiv_watch", 2, 1, "example.com"],
    ]
    assert str(amplified["first_embedded_at"].dtype) == "datetime64[us, UTC]"
    with pytest.raises(ValueError, match="unknown dimension 'month'"):
        load_trends(db_path, dimension="month")


def test_load_outlet_shares(db_path):
    with open_db(db_path) as db:
        refresh_trends(db, Config(topics=(Topic("ww3", ("#ww3", "world war iii")),)))
    shares = load_outlet_shares(db_path, topic="ww3")
    # ww3 posts are embedded 8 times: twice by each outlet, twice by text articles that
    # have no outlet (and so no share).
    assert shares.values.tolist() == [
        ["ww3", "example.com", 2, 0.3333],
        ["ww3", "example.net", 2, 0.3333],
        ["ww3", "example.org", 2, 0.3333],
    ]


LOADERS = {
    "load_posts": load_posts,
    "load_trends": load_trends,
    "load_hashtags": load_hashtags,
    "load_amplification": load_amplification,
    "load_outlet_shares": load_outlet_shares,
}


@pytest.mark.parametrize("name", LOADERS)
def test_every_loader_gives_the_same_dtypes_full_or_empty(db_path, tmp_path, name):
    config = Config(topics=(Topic("ww3", ("#ww3",)),))
    with open_db(db_path) as db:
        refresh_trends(db, config)
    empty = tmp_path / "empty.db"
    with open_db(empty) as db:
        refresh_trends(db, config)
    load = LOADERS[name]
    full, none = load(db_path), load(empty)
    assert len(full) > 0
    assert len(none) == 0
    assert dict(none.dtypes) == dict(full.dtypes)


def test_posts_without_hashtags_load_with_an_empty_list(tmp_path):
    # The seed article embeds a tweet without hashtags beside one with eleven.
    path = tmp_path / "m.db"
    with open_db(path) as db:
        ingest([FIXTURES / "text" / "seed.txt"], db)
    posts = load_posts(path)
    assert [] in list(posts.hashtags)
    assert all(isinstance(tags, list) for tags in posts.hashtags)
    assert dict(load_posts(path, hashtag="no-such-tag").dtypes) == dict(posts.dtypes)


def test_a_malformed_search_is_a_value_error_without_sql(db_path):
    with pytest.raises(ValueError) as raised:
        load_posts(db_path, search='"unbalanced')
    assert str(raised.value) == "invalid search query '\"unbalanced': unterminated string"
