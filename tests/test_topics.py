"""Topics: matching posts by hashtag and phrase, and keeping post_topics in line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from monitor import topics as topics_module
from monitor.config import Topic, parse_config
from monitor.store import open_db
from monitor.topics import assign_topics, matches, sync_topics, topics_of

WW3 = Topic("ww3", ("#ww3", "#WWIII", "world war 3", "world war iii"))
ATACMS = Topic("atacms", ("#atacms", "atacms"))
NUCLEAR = Topic("nuclear", ("#nuclear", "nuclear strike"))


# Matching


@pytest.mark.parametrize("tags", [{"ww3"}, {"wwiii"}, {"other", "ww3"}])
def test_hashtag_alias_matches_a_normalised_hashtag(tags: set[str]) -> None:
    assert matches(WW3, None, tags) is True


@pytest.mark.parametrize("alias", ["#WW3", "#ww3", "＃ＷＷ３", "＃ww3", "##ww3"])
def test_hashtag_aliases_are_normalised_like_stored_hashtags(alias: str) -> None:
    assert matches(Topic("t", (alias,)), "", ["ww3"]) is True


def test_a_hashtag_alias_is_not_a_phrase() -> None:
    # "#ww3" is matched against the hashtags only: the word in the text is not enough.
    assert matches(Topic("t", ("#ww3",)), "ww3 is trending", []) is False


def test_a_phrase_alias_is_not_a_hashtag() -> None:
    assert matches(Topic("t", ("atacms",)), "nothing here", ["atacms"]) is False


def test_hashtags_are_compared_as_given() -> None:
    # The caller passes stored (normalised) hashtags; an unnormalised one does not match.
    assert matches(WW3, None, ["#ww3", "WW3"]) is False


@pytest.mark.parametrize(
    "text",
    [
        "world war 3",
        "World  War 3",
        "WORLD WAR 3 is coming",
        "is this world\nwar\t3?",
        "...world war iii!",
        "(World War III)",
        "«world war 3»",
        "they said 'world war 3'.",
    ],
)
def test_phrase_matches_whole_words_in_any_case_and_spacing(text: str) -> None:
    assert matches(WW3, text, ()) is True


@pytest.mark.parametrize(
    "text",
    [
        "world war 30",
        "worldwar 3",
        "world war 3rd",
        "underworld war 3",
        "world war 3_",
        "world war",
        "world-war 3",
        "",
        None,
    ],
)
def test_phrase_does_not_match_part_of_a_word(text: str | None) -> None:
    assert matches(WW3, text, ()) is False


def test_phrase_matches_anywhere_in_the_text() -> None:
    assert matches(ATACMS, "Ukraine used ATACMS overnight", ()) is True


def test_a_topic_with_only_hashtags_never_matches_text() -> None:
    assert matches(Topic("t", ("#ww3",)), "#ww3 world war 3", ()) is False


def test_topics_of_in_configuration_order() -> None:
    configured = [NUCLEAR, WW3, ATACMS]
    text = "ATACMS strikes: is this World War III? A nuclear strike next?"
    assert topics_of(text, [], configured) == ["nuclear", "ww3", "atacms"]
    assert topics_of(text, [], configured[::-1]) == ["atacms", "ww3", "nuclear"]


def test_topics_of_mixes_hashtags_and_phrases() -> None:
    assert topics_of("atacms fired", iter(["ww3"]), [NUCLEAR, WW3, ATACMS]) == ["ww3", "atacms"]


def test_topics_of_nothing() -> None:
    assert topics_of(None, [], [WW3, ATACMS]) == []
    assert topics_of("world war 3", ["ww3"], []) == []


def test_a_phrase_matches_its_own_spelling() -> None:
    assert matches(Topic("t", ("Straße",)), "Gesperrte Straße heute", ()) is True


# Storing


POSTS = [
    ("p1", "twitter", "Is this World War 3?"),
    ("p2", "bluesky", "ATACMS launched"),
    ("p3", "mastodon", "quiet day"),
    ("p4", "twitter", None),
]
HASHTAGS = [("p3", "ww3"), ("p4", "atacms"), ("p4", "news")]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    db = open_db(tmp_path / "monitor.db")
    add_posts(db, POSTS, HASHTAGS)
    return db


def add_posts(
    db: Database,
    posts: list[tuple[str, str, str | None]],
    hashtags: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> None:
    for post in posts:
        db.execute("INSERT INTO posts (id, platform, text) VALUES (?, ?, ?)", list(post))
    for tag in hashtags:
        db.execute("INSERT INTO post_hashtags (post_id, hashtag) VALUES (?, ?)", list(tag))


def stored_topics(db: Database) -> list[tuple[str, str]]:
    return db.execute("SELECT name, aliases FROM topics ORDER BY name").fetchall()


def post_topics(db: Database) -> list[tuple[str, str]]:
    return db.execute("SELECT post_id, topic FROM post_topics ORDER BY post_id, topic").fetchall()


def test_first_sync_inserts_topics_and_post_topics(db: Database) -> None:
    assert sync_topics(db, [WW3, ATACMS]) == ["ww3", "atacms"]
    assert stored_topics(db) == [
        ("atacms", '["#atacms", "atacms"]'),
        ("ww3", '["#WWIII", "#ww3", "world war 3", "world war iii"]'),
    ]
    assert post_topics(db) == [("p1", "ww3"), ("p2", "atacms"), ("p3", "ww3"), ("p4", "atacms")]


def test_sync_commits(db: Database, tmp_path: Path) -> None:
    db.conn.commit()
    sync_topics(db, [WW3])
    other = Database(tmp_path / "monitor.db")
    assert other.execute("SELECT post_id, topic FROM post_topics ORDER BY post_id").fetchall() == [
        ("p1", "ww3"),
        ("p3", "ww3"),
    ]


def test_second_sync_with_the_same_topics_changes_nothing(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    # A row sync did not compute: a recomputation of either topic would delete it.
    db.execute("INSERT INTO post_topics (post_id, topic) VALUES ('p3', 'atacms')")
    before = (stored_topics(db), post_topics(db))
    assert sync_topics(db, [WW3, ATACMS]) == []
    assert (stored_topics(db), post_topics(db)) == before


def test_the_same_topics_read_again_from_a_config_change_nothing(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    config = parse_config(
        {
            "topics": {
                "ww3": [" #ww3", "#WWIII", "world war 3", "world war iii "],
                "atacms": list(ATACMS.aliases),
            }
        }
    )
    assert sync_topics(db, config.topics) == []


def test_changing_one_topic_recomputes_only_its_rows(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    db.execute("INSERT INTO post_topics (post_id, topic) VALUES ('p3', 'atacms')")  # sentinel
    db.execute("INSERT INTO post_topics (post_id, topic) VALUES ('p2', 'ww3')")  # stale
    narrower = Topic("ww3", ("world war 3",))
    assert sync_topics(db, [narrower, ATACMS]) == ["ww3"]
    assert stored_topics(db) == [
        ("atacms", '["#atacms", "atacms"]'),
        ("ww3", '["world war 3"]'),
    ]
    # ww3's rows are exactly the new matches (p3's hashtag no longer counts, p2's stale row
    # is gone); atacms's rows, the sentinel included, are untouched.
    assert post_topics(db) == [("p1", "ww3"), ("p2", "atacms"), ("p3", "atacms"), ("p4", "atacms")]


def test_reordering_aliases_is_no_change(db: Database) -> None:
    sync_topics(db, [ATACMS])
    assert sync_topics(db, [Topic("atacms", ("atacms", "#atacms"))]) == []
    assert stored_topics(db) == [("atacms", json.dumps(["#atacms", "atacms"]))]


def test_adding_a_topic_leaves_the_others_alone(db: Database) -> None:
    sync_topics(db, [WW3])
    db.execute("INSERT INTO post_topics (post_id, topic) VALUES ('p4', 'ww3')")  # sentinel
    assert sync_topics(db, [WW3, ATACMS]) == ["atacms"]
    assert post_topics(db) == [
        ("p1", "ww3"),
        ("p2", "atacms"),
        ("p3", "ww3"),
        ("p4", "atacms"),
        ("p4", "ww3"),
    ]


def test_removing_a_topic_deletes_its_rows(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    db.execute("INSERT INTO post_topics (post_id, topic) VALUES ('p2', 'ww3')")  # sentinel
    assert sync_topics(db, [WW3]) == ["atacms"]
    assert stored_topics(db) == [("ww3", '["#WWIII", "#ww3", "world war 3", "world war iii"]')]
    assert post_topics(db) == [("p1", "ww3"), ("p2", "ww3"), ("p3", "ww3")]


def test_removing_every_topic(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    assert sync_topics(db, []) == ["ww3", "atacms"]
    assert (stored_topics(db), post_topics(db)) == ([], [])


def test_changes_and_removals_are_reported_together(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    assert sync_topics(db, [NUCLEAR, Topic("ww3", ("#ww3",))]) == ["nuclear", "ww3", "atacms"]
    assert post_topics(db) == [("p3", "ww3")]


def test_assign_topics_with_a_condition_touches_only_the_selected_posts(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    db.execute("DELETE FROM post_topics")
    inserted = assign_topics(db, [WW3, ATACMS], "p.platform = ? AND p.id != ?", ["twitter", "p4"])
    assert inserted == 1
    assert post_topics(db) == [("p1", "ww3")]
    assert assign_topics(db, [WW3, ATACMS], "p.id IN (?, ?)", ("p2", "p3")) == 2
    assert post_topics(db) == [("p1", "ww3"), ("p2", "atacms"), ("p3", "ww3")]


def test_assign_topics_without_topics_does_nothing(db: Database) -> None:
    assert assign_topics(db, []) == 0
    assert post_topics(db) == []


def test_assign_topics_keeps_existing_rows(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    assign_topics(db, [WW3, ATACMS])
    assert post_topics(db) == [("p1", "ww3"), ("p2", "atacms"), ("p3", "ww3"), ("p4", "atacms")]


def test_assign_topics_counts_only_new_rows(db: Database) -> None:
    sync_topics(db, [WW3, ATACMS])
    assert assign_topics(db, [WW3, ATACMS]) == 0


def test_many_posts_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topics_module, "_BATCH", 2)
    db = open_db(tmp_path / "monitor.db")
    texts = ["world war 3", "nothing", "ATACMS", "world war iii and atacms", "x", None, "ww3"]
    add_posts(db, [(f"p{i}", "twitter", text) for i, text in enumerate(texts)], [("p6", "ww3")])
    assert sync_topics(db, [WW3, ATACMS]) == ["ww3", "atacms"]
    assert post_topics(db) == [
        ("p0", "ww3"),
        ("p2", "atacms"),
        ("p3", "atacms"),
        ("p3", "ww3"),
        ("p6", "ww3"),
    ]
    db.execute("DELETE FROM post_topics")
    assert assign_topics(db, [WW3, ATACMS], "p.id != ?", ["p0"]) == 4
    assert post_topics(db) == [("p2", "atacms"), ("p3", "atacms"), ("p3", "ww3"), ("p6", "ww3")]
