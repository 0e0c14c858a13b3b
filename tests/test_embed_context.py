"""Where each post sits in its article, on real pages: how it is embedded, where in the prose,
the article's own words around it (checked by hand against each page's source), the framing
scores of those words, and the columns that keep them."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

import pytest

from monitor import ingest, load_embeds, open_db
from monitor.archives import iter_documents
from monitor.embeds import extract
from monitor.models import Document, Embedding
from monitor.reading import frame
from monitor.sentiment import score

from .corpus import CORPUS, corpus_files, require_corpus

STANSTED_BEFORE = (
    "The power outage lasted about two hours. Photos uploaded by holiday travelers show "
    "massive queues, although the outage affected only parts of the airport."
)
STANSTED_AFTER = (
    "The power outage is affecting the transit system that gets travelers to their "
    "airplanes, according to the airport."
)


def embeddings(name: str, locator: str | None = None) -> dict[str, Embedding]:
    """Each post of a corpus file's document (the first, or the one at ``locator``) with how
    and where the page embeds it."""
    require_corpus()
    for document in iter_documents(str(CORPUS / name)):
        if locator is None or document.locator == locator:
            extraction = extract(document)
            return {post.id: e for post, e in zip(extraction.posts, extraction.embeds, strict=True)}
    raise AssertionError(f"no document at {locator} in {name}")


def test_two_tweets_in_a_row_share_the_prose_around_the_pair():
    # mashable.com: two paragraphs, a "See also" promotion, two tweets, then the story goes on.
    found = embeddings("tw_mashable_stansted_2014.html")
    pair = Embedding("blockquote", "body", 0.267, STANSTED_BEFORE, STANSTED_AFTER)
    assert found["twitter:547060932036534272"] == pair
    assert found["twitter:547060588149755904"] == pair
    assert found["twitter:547081626543730688"] == Embedding(
        "blockquote",
        "body",
        0.67,
        "The airport reported that crews had restored power at about 5:30 p.m. local time "
        "(12:30 p.m. EST).",
        "While much smaller than Heathrow or Gatwick airports in London, Stansted had its "
        "busiest November in eight years last month with more than 1.5 million passengers.",
    )


def test_the_same_article_as_plain_text_gives_the_same_words_around_its_tweets():
    # newspaper3k's text of the same page: each tweet on one line, found by its attribution.
    html = list(embeddings("tw_mashable_stansted_2014.html").values())
    text = list(embeddings("tw_mashable_stansted_2014.newspaper.txt").values())
    assert text[0] == Embedding("text", "body", 0.267, STANSTED_BEFORE, STANSTED_AFTER)
    # The text lost one tweet (a photo only); the others stand between the same words.
    words = [(e.context_before, e.context_after) for e in html]
    assert all((e.context_before, e.context_after) in words for e in text)


def test_a_tweet_inside_a_list_item_has_the_items_own_words_around_it():
    # A Japanese blog: the tweet is inside a <li> of a nested list, after the item's words.
    found = embeddings("tw_takagi_hiromitsu_jp_2019.html")
    first = found["twitter:1088755839102418944"]
    assert (first.method, first.placement) == ("blockquote", "lead")
    assert first.context_before.startswith(
        "先月のこと、NHKニュースが「総務省 IoT機器に無差別侵入」"
    )
    assert first.context_after.startswith("最初のNHKニュースが素人の偏向報道だというのは")
    assert all(e.context_before and e.context_after for e in found.values())


def test_an_amp_page_embeds_by_its_component():
    assert embeddings("tw_variant_amp_twitter_standard_co_uk.html") == {
        "twitter:1311697819384844290": Embedding(
            "iframe",
            "body",
            0.293,
            "He added that Scotland will also align with other UK nations and add Madeira and "
            "the Azores to the list of destinations now exempt from quarantine requirement.",
            'Mr Shapps said: "Data from Poland shows that test positivity has nearly doubled '
            "increasing from 3.9 per cent to 5.8 per cent alongside a rapid increase in weekly "
            'cases, causing the Joint Biosecurity Centre to update their recommendation."',
        )
    }


@pytest.mark.parametrize(
    ("name", "post", "method"),
    [
        ("tw_variant_rendered_iframe_breitbart.html", "twitter:800384752746254337", "iframe"),
        ("fb_post_empty_div_pl.html", "facebook:3485430308204317", "placeholder"),
        ("ig_popsugar_amp_instagram_85.html", None, "iframe"),
        ("tw_bustle_lazy_datatweetid.html", None, "blockquote"),
        ("tw_variant_oembed_json_in_script_liberation.html", None, "script"),
        ("tw_dailycaller_2014.newspaper.txt", None, "text"),
    ],
)
def test_each_way_of_embedding(name, post, method):
    found = embeddings(name)
    assert {e.method for e in found.values()} == {method}
    if post is not None:
        assert found[post].context_before and found[post].context_after


def test_a_tweet_held_in_a_page_state_has_the_states_words_around_it():
    # Liberation's live blog (Arc): the tweet exists only as oEmbed JSON among the state's
    # pieces; the live page shows the blog only in part. Before it, the entry that quotes
    # it; after it, the next entry.
    found = embeddings("tw_variant_oembed_json_in_script_liberation.html")
    norway = found["twitter:1720047757610631317"]
    assert (norway.method, norway.placement, norway.position_share) == ("script", "body", 0.214)
    assert norway.context_before.startswith(
        "Le ministère des Affaires étrangères norvégien déplore la mort de 33 journalistes."
    )
    assert norway.context_before.endswith(
        "La Norvège s’est dite «engagée à protéger et soutenir les journalistes du monde entier.»"
    )
    assert norway.context_after.startswith(
        "Le poison mortel des propos racistes entendus sur les plateaux télés, par Samira Sedira."
    )
    # Every tweet of the blog stands between its pieces of prose.
    assert all(e.context_before and e.context_after for e in found.values())


def test_each_post_of_a_page_state_stands_among_the_states_pieces_without_its_promotions():
    # A live blog whose pieces and tweets only a script's state holds (the live page shows a
    # teaser): each post's words are the pieces around it, other posts passed over, and a
    # "Read more:" piece is not the article's words. Every piece is under 80 characters, so
    # the next one beyond joins it.
    def tweet(number: int, handle: str) -> str:
        return (
            f'<blockquote class="twitter-tweet"><p lang="en">Post {number} from the scene</p>'
            f'&mdash; {handle} (@{handle}) <a href="https://twitter.com/{handle}/status/{number}">'
            "November 3, 2023</a></blockquote>"
        )

    first = "The first piece of the story says what happened this morning in the city."
    second = "The second piece of the story quotes the mayor on what comes next for the town."
    third = "The third piece of the story ends the first part of the live blog of the day."
    fourth = "The fourth and last piece of the story closes the live blog for this evening."
    pieces = [
        first,
        tweet(1720000000000000001, "alpha"),
        "Read more: another story that the site wants its readers to open next",
        second,
        tweet(1720000000000000002, "beta"),
        third,
        tweet(1720000000000000003, "gamma"),
        fourth,
    ]
    page = (
        "<html><head><title>Live</title></head><body><main><p>A short teaser of the live "
        "blog that is only the start of it.</p></main><script>window.__STATE__ = "
        + json.dumps({"blog": {"pieces": pieces}})
        + ";</script></body></html>"
    )
    extraction = extract(Document("live.html", page))
    assert dict(zip((post.id for post in extraction.posts), extraction.embeds, strict=True)) == {
        # Shares: the prose's characters before each (73, 152 and 229 of 306).
        "twitter:1720000000000000001": Embedding(
            "script", "lead", 0.239, first, f"{second}\n\n{third}"
        ),
        "twitter:1720000000000000002": Embedding(
            "script", "body", 0.497, f"{first}\n\n{second}", f"{third}\n\n{fourth}"
        ),
        "twitter:1720000000000000003": Embedding(
            "script", "body", 0.748, f"{second}\n\n{third}", fourth
        ),
    }


def test_posts_of_a_state_that_holds_the_article_as_one_value_stand_among_its_paragraphs():
    # The live page shows the article's paragraphs; a script's state holds the same article
    # as one HTML value with the tweets in it (no prose values around them): each tweet
    # stands after the last paragraph whose words the state holds before it.
    first = "The council met on Monday evening to decide the future of the old bridge."
    second = "Residents had asked for a vote, and many of them came to the meeting to say so."
    third = "The vote is now set for March, after a study of what the repairs would cost."

    def tweet(number: int) -> str:
        return (
            '<blockquote class="twitter-tweet"><p lang="en">Packed hall for the bridge</p>'
            "&mdash; Town Reporter (@townreporter) <a href="
            f'"https://twitter.com/townreporter/status/{number}">February 19, 2024</a>'
            "</blockquote>"
        )

    body = f"<p>{first}</p><p>{second}</p>{tweet(1760000000000000001)}<p>{third}</p>"
    page = (
        f"<html><head><title>Bridge</title></head><body><article><p>{first}</p>"
        f"<p>{second}</p><p>{third}</p></article><script>window.__DATA__ = "
        + json.dumps({"article": {"body": body + tweet(1760000000000000002)}})
        + ";</script></body></html>"
    )
    extraction = extract(Document("bridge.html", page))
    assert dict(zip((post.id for post in extraction.posts), extraction.embeds, strict=True)) == {
        # 152 of the prose's 228 characters before the first, all before the second; each
        # paragraph is under 80 characters, so the one beyond joins it.
        "twitter:1760000000000000001": Embedding(
            "script", "body", 0.667, f"{first}\n\n{second}", third
        ),
        "twitter:1760000000000000002": Embedding(
            "script", "end", 1.0, f"{second}\n\n{third}", None
        ),
    }


def test_markdown_context_leaves_out_code_and_quotes_and_keeps_headings_as_words():
    # A blog in Markdown with raw embed HTML: the code block before the tweet (opened in a
    # footnote) is not prose; a heading is the words the post stands under.
    hyperv = embeddings("bsky_hyperv_blog.md")
    assert hyperv["bluesky:did:plc:rwi65xn77uzhgyewkfbuuziz/3lloeoe3ylc2o"] == Embedding(
        "blockquote",
        "body",
        0.422,
        "I thought that changing the image size to 40 GiB was the problem, so I changed it back "
        "to 20 GiB. I can just increase the disk size in Hyper-V Manager.\n\n"
        "The build failed again. I checked the logs and found this:",
        "Lead astray\n\nLet's talk about the assumptions I made that turned out to be wrong.",
    )
    rust = embeddings("bsky_why_rust_blog.md")
    assert rust["bluesky:did:plc:cbkjy5n7bk3ax2wplmtjofq2/3lozghbg3kk2i"].context_before == (
        "These are just some of the posts I found on Bluesky\n\n"
        "ngerakines.me and natalie.sh on why they like Rust"
    )


def test_an_embed_after_the_last_paragraph_is_at_the_end():
    found = embeddings("tw_aeb_thehill_omar_2019.html")
    [only] = found.values()
    # After the last paragraph of prose only the page's update note stands.
    assert (only.placement, only.position_share) == ("end", 1.0)
    assert only.context_after == "Updated at 1:23 p.m."
    assert only.context_before


def test_a_live_blog_in_a_warc_record_has_context_in_each_entry():
    # divany.hu's minute-by-minute blog: each entry is a block of its own, and the body is
    # the blog. An Instagram embed's own caption and "shared by" line are not the context:
    # before it, its entry's words and title; after it, the next entry.
    found = embeddings("warc_hu_news_next_page_of_article.warc.gz", "offset=246231")
    assert found["instagram:BPsqy-_DGGE"] == Embedding(
        "blockquote",
        "body",
        0.475,
        "Az első ötbe szeretett volna bekerülni a magyar csapat, ezt nyilatkozta Széll Tamás a "
        "verseny után. Vagyis a negyedik hely és a különdíjak abszolút felülmúlták a "
        "várakozásaikat.\n\nEgy csomó menő gasztronemzetet lealáztunk!!!",
        "Fantasztikus eredmény, ennyire profik sosem voltunk!\n\nÉs itt még nem tudta Széll Tamás!",
    )
    assert found["instagram:BPspZuOjA7n"] == Embedding(
        "blockquote",
        "body",
        0.7,
        "Az ezüstérem pedig\n\n"
        "A norvégoké!!!!! Tényleg gyönyörű volt a táljuk, nem tudjuk tagadni!",
        "A harmadik helyezett lett\n\nIzland",
    )
    with_words = [e for e in found.values() if e.context_before and e.context_after]
    assert len(with_words) >= len(found) - 1 > 4


def test_a_news_please_record_with_html_is_placed_as_the_page(tmp_path):
    require_corpus()
    page = (CORPUS / "tw_mashable_stansted_2014.html").read_text(encoding="utf-8")
    record = {"url": "https://mashable.com/2014/12/22/stansted-power-outage/", "html": page,
              "title": "Stansted", "language": "en"}  # fmt: skip
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [document] = iter_documents(str(path))
    assert extract(document).embeds == tuple(embeddings("tw_mashable_stansted_2014.html").values())


def test_every_corpus_embed_has_a_method_and_a_placement_and_body_embeds_have_words():
    require_corpus()
    embeds = []
    for name in corpus_files(exclude={"tw_aeb_ground_truth_subset.json"}):
        for document in iter_documents(str(CORPUS / name)):
            embeds += extract(document).embeds
    assert len(embeds) >= 450
    assert all(e.method and e.placement for e in embeds)
    body = [e for e in embeds if e.placement == "body"]
    worded = [e for e in body if e.context_before and e.context_after]
    assert len(worded) >= 0.95 * len(body)
    assert all(
        len(e.context_before or "") <= 500 and len(e.context_after or "") <= 500 for e in embeds
    )


def test_framing_is_vader_on_the_words_around_the_embed_prepared_as_posts_are():
    require_corpus()
    [document] = iter_documents(str(CORPUS / "tw_mashable_stansted_2014.html"))
    extraction = extract(document)
    framing = frame(extraction)[0]
    assert framing.lang == "en"
    assert framing.scores == score(f"{STANSTED_BEFORE}\n\n{STANSTED_AFTER}", lang="en")
    assert framing.scores.compound == pytest.approx(0.2732, abs=0.0001)


def test_stored_embeds_load_whole_and_an_old_database_gains_them_by_rescoring(tmp_path):
    require_corpus()
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(CORPUS / "tw_mashable_stansted_2014.html", pages)
    db_path = tmp_path / "m.db"
    with open_db(db_path) as db:
        ingest([str(pages)], db)
    embeds = load_embeds(db_path)
    first = embeds[embeds.post_id == "twitter:547060932036534272"].iloc[0]
    assert (first.outlet, first.method, first.placement, first.position_share) == (
        "mashable.com", "blockquote", "body", 0.267,
    )  # fmt: skip
    assert (first.context_before, first.context_after) == (STANSTED_BEFORE, STANSTED_AFTER)
    assert first.framing_compound == pytest.approx(0.2732, abs=0.0001)
    assert list(load_embeds(db_path, placement="end").post_id) == []
    with pytest.raises(ValueError, match="unknown method 'gif'"):
        load_embeds(db_path, method="gif")
    whole = sqlite3.connect(db_path).execute("SELECT * FROM article_posts ORDER BY 1, 2").fetchall()
    # As a database stored before embeds were placed: the columns are there, empty.
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE article_posts SET method = NULL, placement = NULL, position_share = NULL,"
            " context_before = NULL, context_after = NULL, framing_lang = NULL,"
            " framing_compound = NULL, framing_pos = NULL, framing_neu = NULL,"
            " framing_neg = NULL, framing_scorer = NULL"
        )
    command = [sys.executable, "-m", "monitor", "rescore", "--db", str(db_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().endswith(
        "embeds without context: 11 (--context reads their archives again)"
    )
    done = subprocess.run([*command, "--context"], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert "embeds given their context: 11; embeds without context: 0" in done.stdout
    again = sqlite3.connect(db_path).execute("SELECT * FROM article_posts ORDER BY 1, 2").fetchall()
    assert again == whole
    # With the archive gone, what could not be read again is said, and the status is 1.
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE article_posts SET method = NULL")
    shutil.rmtree(pages)
    done = subprocess.run([*command, "--context"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "embeds without context: 11" in done.stdout
    assert done.stderr == (
        f"could not read again: {pages / 'tw_mashable_stansted_2014.html'}: "
        "the file is no longer there\n"
    )
