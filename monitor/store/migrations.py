"""The database schema, as named migrations recorded in the database itself.

Never edit a migration that has shipped: add a new one. Each is tested from a blank database.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("monitor")


@migrations()
def m001_initial(db: Database) -> None:
    db["archive_files"].create(
        {
            "path": str,
            "size": int,
            "mtime_ns": int,
            "sha256": str,
            "status": str,
            "documents": int,
            "posts": int,
            "error": str,
            "ingested_at": str,
        },
        pk="path",
    )
    db["articles"].create(
        {
            "id": str,
            "url": str,
            "outlet": str,
            "title": str,
            "published_at": str,
            "lang": str,
            "source_path": str,
            "locator": str,
            "fetched_at": str,
        },
        pk="id",
        foreign_keys=[("source_path", "archive_files", "path")],
    )
    db["articles"].create_index(["source_path"])
    db["articles"].create_index(["outlet"])
    db["posts"].create(
        {
            "id": str,
            "platform": str,
            "post_id": str,
            "url": str,
            "author_name": str,
            "author_handle": str,
            "posted_at": str,
            "lang": str,
            "lang_hint": str,
            "text": str,
            "compound": float,
            "pos": float,
            "neu": float,
            "neg": float,
            "scorer": str,
            "mentions": str,
            "links": str,
            "has_media": int,
            "is_reply": int,
            "first_seen_at": str,
        },
        pk="id",
    )
    db["posts"].create_index(["posted_at"])
    db["posts"].create_index(["platform", "posted_at"])
    db["article_posts"].create(
        {"article_id": str, "post_id": str, "position": int},
        pk=("article_id", "post_id"),
        foreign_keys=[("article_id", "articles", "id"), ("post_id", "posts", "id")],
    )
    db["article_posts"].create_index(["post_id"])
    db["post_hashtags"].create(
        {"post_id": str, "hashtag": str},
        pk=("post_id", "hashtag"),
        foreign_keys=[("post_id", "posts", "id")],
    )
    db["post_hashtags"].create_index(["hashtag"])
    db["trends"].create(
        {
            "period": str,
            "granularity": str,
            "dimension": str,
            "key": str,
            "posts": int,
            "articles": int,
            "outlets": int,
            "mean_compound": float,
            "pos_share": float,
            "neg_share": float,
            "neu_share": float,
            "spike_score": float,
            "is_spike": int,
        },
        pk=("period", "granularity", "dimension", "key"),
    )
    db["job_runs"].create(
        {
            "id": int,
            "job": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "detail": str,
            "error": str,
        },
        pk="id",
    )
    db["job_runs"].create_index(["job", "started_at"])
    # Full-text search over what people search for: the words, who said them.
    db["posts"].enable_fts(
        ["text", "author_name", "author_handle"], create_triggers=True, tokenize="unicode61"
    )


@migrations()
def m002_trend_bookkeeping(db: Database) -> None:
    # Dates (the UTC date of a post's time, or its bare date) whose trends are out of date:
    # written in the same transaction as the posts, so a crash between an ingest and the
    # trends step leaves nothing behind, and cleared by the trends step.
    db["trend_dates"].create({"date": str}, pk="date")
    # The topic definitions the post_topics rows were computed from, so that a changed
    # definition is noticed and only its rows are recomputed.
    db["topics"].create({"name": str, "aliases": str}, pk="name")
    db["post_topics"].create(
        {"post_id": str, "topic": str},
        pk=("post_id", "topic"),
        foreign_keys=[("post_id", "posts", "id"), ("topic", "topics", "name")],
    )
    db["post_topics"].create_index(["topic"])


@migrations()
def m003_spikes_and_views(db: Database) -> None:
    # What a spike is measured against, and "new" for a key too young to have a baseline.
    db["trends"].add_column("baseline", float)
    db["trends"].add_column("spike_status", str)
    db["trends"].create_index(["dimension", "key", "period"])
    # Settings the stored rows depend on (the time zone of the trend days).
    db["settings"].create({"name": str, "value": str}, pk="name")
    db.executescript(_VIEWS)


# Views for SQL users and Datasette. A post's first embed is the earliest embedding article
# by its publication time (else its crawl time); the delay is computed only when both times
# carry a zone, and is negative when a page (a live blog, say) was published before it
# embedded the post.
_VIEWS = """
CREATE VIEW post_amplification AS
WITH embeds AS (
    SELECT ap.post_id, a.id AS article_id, a.outlet,
           coalesce(a.published_at, a.fetched_at) AS embedded_at
    FROM article_posts ap JOIN articles a ON a.id = ap.article_id
),
counts AS (
    SELECT post_id, count(*) AS articles, count(DISTINCT outlet) AS outlets
    FROM embeds GROUP BY post_id
),
firsts AS (
    SELECT post_id, outlet, article_id, embedded_at FROM (
        SELECT *, row_number() OVER (
            PARTITION BY post_id ORDER BY embedded_at IS NULL, embedded_at, article_id
        ) AS rank FROM embeds
    ) WHERE rank = 1
)
SELECT p.id AS post_id, p.platform, p.author_handle, p.posted_at, p.compound, p.text,
       c.articles, c.outlets, f.outlet AS first_outlet, f.article_id AS first_article_id,
       f.embedded_at AS first_embedded_at,
       CASE WHEN length(p.posted_at) > 10
             AND (f.embedded_at LIKE '%+__:__' OR f.embedded_at LIKE '%Z')
            THEN round((julianday(f.embedded_at) - julianday(p.posted_at)) * 24, 2)
       END AS delay_hours
FROM posts p JOIN counts c ON c.post_id = p.id LEFT JOIN firsts f ON f.post_id = p.id;

CREATE VIEW outlet_topic_share AS
WITH embeds AS (
    SELECT pt.topic, a.outlet, count(*) AS embeds
    FROM post_topics pt
    JOIN article_posts ap ON ap.post_id = pt.post_id
    JOIN articles a ON a.id = ap.article_id
    WHERE a.outlet IS NOT NULL
    GROUP BY pt.topic, a.outlet
)
SELECT topic, outlet, embeds,
       round(1.0 * embeds / sum(embeds) OVER (PARTITION BY topic), 4) AS share
FROM embeds;

CREATE VIEW posts_with_hashtags AS
SELECT p.*,
       (SELECT group_concat(hashtag, ' ') FROM post_hashtags h WHERE h.post_id = p.id)
           AS hashtags,
       (SELECT count(*) FROM article_posts ap WHERE ap.post_id = p.id) AS articles
FROM posts p;

CREATE VIEW spikes AS
SELECT period, dimension, key, posts, baseline,
       round(posts / baseline, 2) AS ratio, spike_score, spike_status,
       mean_compound, articles, outlets
FROM trends
WHERE granularity = 'day' AND spike_status IS NOT NULL;
"""


@migrations()
def m004_reports(db: Database) -> None:
    # The daily reports written, one row per day, recorded as each is written: what a
    # restarted scheduler reads to write the ones it missed.
    db["reports"].create({"day": str, "html": str, "written_at": str}, pk="day")


@migrations()
def m005_coverage(db: Database) -> None:
    # How many articles each archive file gave and how many embeds, per hour (UTC), outlet
    # and platform: the denominators ("reactions per 1,000 articles"), kept even for the
    # articles not stored (store_articles = "with-posts"). Replaced whole when the file is
    # read again, so that a rerun counts nothing twice.
    db["coverage"].create(
        {
            "source_path": str,
            "hour": str,
            "outlet": str,
            "platform": str,
            "articles": int,
            "posts": int,
        },
        pk=("source_path", "hour", "outlet", "platform"),
        foreign_keys=[("source_path", "archive_files", "path")],
    )
    db["coverage"].create_index(["hour"])
    db.execute(
        """
        CREATE VIEW coverage_days AS
        SELECT substr(hour, 1, 10) AS day, outlet, platform,
               sum(articles) AS articles, sum(posts) AS posts
        FROM coverage GROUP BY 1, 2, 3
        """
    )


@migrations()
def m006_alerts(db: Database) -> None:
    # Each alert once per destination, ever: (day, dimension, key, status) to one
    # destination (its apprise URL with secrets hidden). A failed delivery is tried again
    # at next_try_at, until it is sent or given up.
    db["alerts"].create(
        {
            "day": str,
            "dimension": str,
            "key": str,
            "status": str,  # the spike's: "spike" or "new"
            "destination": str,
            "result": str,  # "sent", "failed" (to be tried again) or "gave-up"
            "attempts": int,
            "error": str,
            "first_tried_at": str,
            "last_tried_at": str,
            "next_try_at": str,
        },
        pk=("day", "dimension", "key", "status", "destination"),
    )
    db["alerts"].create_index(["last_tried_at"])


@migrations()
def m007_embed_context(db: Database) -> None:
    # How and where each article embeds each post, with the article's words around it and
    # VADER's scores of those words (the outlet's framing). Rows stored before have NULLs
    # here until `monitor rescore --context` reads their archives again.
    table = db["article_posts"]
    for name, kind in (
        ("method", str),
        ("placement", str),
        ("position_share", float),
        ("context_before", str),
        ("context_after", str),
        ("framing_lang", str),
        ("framing_compound", float),
        ("framing_pos", float),
        ("framing_neu", float),
        ("framing_neg", float),
        ("framing_scorer", str),
    ):
        table.add_column(name, kind)
    # The outlets' framing beside the posts' sentiment, per trend row; stored days gain it
    # when they are next recomputed: all of them, at the next refresh.
    db["trends"].add_column("framing_mean", float)
    db.execute(
        "INSERT INTO trend_dates (date) SELECT DISTINCT substr(posted_at, 1, 10) FROM posts"
        " WHERE posted_at IS NOT NULL ON CONFLICT DO NOTHING"
    )


@migrations()
def m008_amplification_by_post(db: Database) -> None:
    # The same rows as m003's post_amplification, computed post by post (each from its own
    # embeds, through the article_posts(post_id) index) rather than from a window over every
    # embed: asking for one post (the report asks for each amplified post) read the whole
    # table, and a year's database made that seconds.
    db.execute("DROP VIEW post_amplification")
    db.execute(_AMPLIFICATION_BY_POST)


_FIRST_EMBED = """(
    SELECT {column} FROM article_posts ap JOIN articles a ON a.id = ap.article_id
    WHERE ap.post_id = p.id
    ORDER BY coalesce(a.published_at, a.fetched_at) IS NULL,
             coalesce(a.published_at, a.fetched_at), a.id
    LIMIT 1
)"""
_AMPLIFICATION_BY_POST = f"""
CREATE VIEW post_amplification AS
SELECT post_id, platform, author_handle, posted_at, compound, text, articles, outlets,
       first_outlet, first_article_id, first_embedded_at,
       CASE WHEN length(posted_at) > 10
             AND (first_embedded_at LIKE '%+__:__' OR first_embedded_at LIKE '%Z')
            THEN round((julianday(first_embedded_at) - julianday(posted_at)) * 24, 2)
       END AS delay_hours
FROM (
    SELECT p.id AS post_id, p.platform, p.author_handle, p.posted_at, p.compound, p.text,
           (SELECT count(*) FROM article_posts ap WHERE ap.post_id = p.id) AS articles,
           (SELECT count(DISTINCT a.outlet) FROM article_posts ap
            JOIN articles a ON a.id = ap.article_id WHERE ap.post_id = p.id) AS outlets,
           {_FIRST_EMBED.format(column="a.outlet")} AS first_outlet,
           {_FIRST_EMBED.format(column="a.id")} AS first_article_id,
           {_FIRST_EMBED.format(column="coalesce(a.published_at, a.fetched_at)")}
               AS first_embedded_at
    FROM posts p
    WHERE EXISTS (SELECT 1 FROM article_posts ap WHERE ap.post_id = p.id)
)
"""
