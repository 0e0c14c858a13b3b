"""Tweets embedded in plain-text and Markdown articles (``monitor.embeds.text``): the seed
article, the forms that converters give, and what is not a tweet."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.embeds.text import MAX_TWEET_WEIGHT, find_posts, weighted_length
from monitor.models import Post

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "text"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def tweet(**fields: object) -> Post:
    return Post(platform="twitter", **fields)  # type: ignore[arg-type]


SEED_POSTS = [
    tweet(
        post_id=None,
        url=None,
        author_name="The New York Times",
        author_handle="nytimes",
        posted_at="2024-11-18",
        lang=None,
        text=(
            "For the first time, the Biden administration has authorized Ukraine to use"
            " U.S.-supplied ballistic missiles for attacks inside Russia, American officials"
            " say, marking a major policy shift. Here’s what to know. https://t.co/nPpyMmB9N7"
        ),
        hashtags=(),
        mentions=(),
        links=("https://t.co/nPpyMmB9N7",),
        has_media=False,
        is_reply=False,
    ),
    tweet(
        post_id=None,
        url=None,
        author_name="Michael Krachan",
        author_handle="ABionicMike",
        posted_at="2024-11-17",
        lang=None,
        text=(
            "Did #Biden just start World War III before leaving office?\n"
            "Authorizing long-range attacks deep into Russia could mean #NATO is now in a"
            " direct war.#Russia #POTUS #UkraineRussiaWar #WW3 #WWIII #Ukraine #LongRange"
            " #ATACMS #NuclearWar pic.twitter.com/XCVFZ1zp2d"
        ),
        hashtags=(
            "biden",
            "nato",
            "russia",
            "potus",
            "ukrainerussiawar",
            "ww3",
            "wwiii",
            "ukraine",
            "longrange",
            "atacms",
            "nuclearwar",
        ),
        mentions=(),
        links=("pic.twitter.com/XCVFZ1zp2d",),
        has_media=True,
        is_reply=False,
    ),
]


# The seed article: every line is a paragraph and there is no blank line anywhere.


def test_seed_article_yields_exactly_its_two_tweets() -> None:
    assert find_posts(fixture("seed.txt")) == SEED_POSTS


def test_seed_prose_lines_above_the_tweets_do_not_fit_the_limit() -> None:
    # Why the walk upwards stops where it does: the prose line above each tweet would
    # take the tweet past 280.
    lines = fixture("seed.txt").splitlines()
    nytimes = lines.index("— The New York Times (@nytimes) November 18, 2024")
    mike = lines.index("— Michael Krachan (@ABionicMike) November 17, 2024")
    assert lines[nytimes - 2].startswith("ATACMS missiles can be fired")
    assert weighted_length(lines[nytimes - 1]) == 233
    assert weighted_length(lines[nytimes - 1]) + 1 + weighted_length(lines[nytimes - 2]) > 280
    assert "He has also signalled" in lines[mike - 3]
    two_lines = "\n".join(lines[mike - 2 : mike])
    assert weighted_length(two_lines) == 232
    assert weighted_length(lines[mike - 3]) == 317


# The forms that converters give (EMBEDS.md §10), one fixture each.


def test_paragraph_form_with_blank_line_before_attribution() -> None:
    # Human ground truth and html-text; the dump kept "&amp;".
    assert find_posts(fixture("ground_truth.txt")) == [
        tweet(
            author_name="M&S",
            author_handle="marksandspencer",
            posted_at="2023-11-01",
            text=(
                "Sound the klaxon, our clothing and home Christmas ad for 2023 is here!"
                " #LoveThismasNotThatmas pic.twitter.com/uI0tKNnIGc"
            ),
            hashtags=("lovethismasnotthatmas",),
            links=("pic.twitter.com/uI0tKNnIGc",),
            has_media=True,
        ),
        tweet(
            author_name="Rachel",
            author_handle="weltonandwadds",
            posted_at="2023-11-02",
            text=(
                "Another one!\n"
                "Hannah Waddingham starring in the 2023 Baileys Christmas ad"
                " pic.twitter.com/RLEsMPYSRd"
            ),
            links=("pic.twitter.com/RLEsMPYSRd",),
            has_media=True,
        ),
    ]


def test_markdown_quote_form_of_html2text() -> None:
    # Hard wrapping undone, hard breaks ("  ") and empty quote lines kept as line breaks,
    # escaped dates read, the ideographic spaces of a Japanese name kept, and only the
    # tweet taken out of an editorial quote that wraps it.
    assert find_posts(fixture("html2text.md")) == [
        tweet(
            author_name="Peter Wittkamp🐬",
            author_handle="diktator",
            posted_at="2018-09-25",
            text=(
                "Nach der Mitgliedervereinigung „Juden in der AfD“ freue ich mich schon sehr"
                " auf „Kommunisten in der FDP“, „Walfänger bei den Grünen“ und „Hochbegabte in"
                " der NPD“."
            ),
        ),
        tweet(
            post_id="1089081689366642688",
            url="https://twitter.com/oguchilaw/status/1089081689366642688",
            author_name="弁護士\u3000小口\u3000幸人",
            author_handle="oguchilaw",
            posted_at="2019-01-26T08:44:43+00:00",
            text=(
                "なにこれ。例えるなら「鍵のかかってない家が多いらしいから、"
                "国が一軒ずつドアを開けて侵入してみます」ということ何ですが。\n\n"
                "こんな法改正が話題にならずに通ってたって、マスコミと野党何やってんだよ！\n\n"
                "総務省 ＩｏＴ機器に無差別侵入し調査へ 前例ない調査に懸念も NHK"
                " https://t.co/MsU3noh0Iq"
            ),
            links=("https://t.co/MsU3noh0Iq",),
        ),
        tweet(
            author_name="RobertHabeck",
            author_handle="RobertHabeck",
            posted_at="2018-06-02",
            text=(
                "Die AfD hat das Ziel, die deutsche Demokratie zu entkernen. Dazu muss sie die"
                " deutsche Geschichte umschreiben. https://t.co/WyXDMUqEGa"
            ),
            links=("https://t.co/WyXDMUqEGa",),
        ),
    ]


def test_indented_form_of_inscriptis() -> None:
    # A line indented less than the attribution is not part of the embed, even with no
    # blank line between.
    assert find_posts(fixture("inscriptis.txt")) == [
        tweet(
            author_name="Carline Mohr",
            author_handle="Mohrenpost",
            posted_at="2018-08-27",
            text=(
                "Menschen, die sich den Neonazis in #Chemniz entgegenstellen, sind nicht"
                " zwingend „linke Demonstranten“. Das Gegenteil von rechtsradikal ist nicht"
                " links. Das Gegenteil von rechtsradikal ist: nicht rechtsradikal."
            ),
            hashtags=("chemniz",),
        ),
        tweet(
            author_name="rubito",
            author_handle="studiodelatorre",
            posted_at="2018-01-07",
            text=(
                "I released a first basic version of VSTouchbarTools for @VisualStudio on"
                " @ParallelsMac. Customization options are planned and contributions are"
                " welcome! https://t.co/F8by2FQAOa pic.twitter.com/Rikoq31Xnq"
            ),
            mentions=("VisualStudio", "ParallelsMac"),
            links=("https://t.co/F8by2FQAOa", "pic.twitter.com/Rikoq31Xnq"),
            has_media=True,
        ),
    ]


def test_one_line_form_of_newspaper3k() -> None:
    # The text is what stands before the last dash, en dashes inside it included; the
    # line above belongs to the article even with no blank line between.
    assert find_posts(fixture("newspaper.txt")) == [
        tweet(
            author_name="Sporting News",
            author_handle="sportingnews",
            posted_at="2014-12-27",
            text=(
                '"May the odds be ever in Louisville\'s favor!" – Jennifer Lawrence'
                " http://t.co/rE6Li6QWGp pic.twitter.com/zK8QMCzPDf"
            ),
            links=("http://t.co/rE6Li6QWGp", "pic.twitter.com/zK8QMCzPDf"),
            has_media=True,
        ),
        tweet(
            author_name="Stansted Airport",
            author_handle="STN_Airport",
            posted_at="2014-12-22",
            text=(
                "Power has now been restored. Flights continue to operate but are subject to delay."
            ),
        ),
    ]


def test_markdown_dump_with_linked_dates() -> None:
    # Percent-escaped status URLs, links shown as their text, an empty linked date, and
    # the same status twice (one post).
    assert find_posts(fixture("markdown_dump.md")) == [
        tweet(
            post_id="1922967787309256807",
            url="https://twitter.com/brian_armstrong/status/1922967787309256807",
            author_name="Brian Armstrong",
            author_handle="brian_armstrong",
            posted_at="2025-05-15T10:50:22+00:00",
            text="https://t.co/evpIBMFvRW pic.twitter.com/f6UPdkL5R0",
            links=("https://t.co/evpIBMFvRW", "pic.twitter.com/f6UPdkL5R0"),
            has_media=True,
        ),
        tweet(
            post_id="1923012345678901248",
            # The permalink keeps the spelling of the status link itself.
            url="https://twitter.com/Example_Exch/status/1923012345678901248",
            author_name="Example Exchange 🛡️",
            author_handle="example_exch",
            posted_at="2025-05-15T13:47:25+00:00",
            text=(
                "We will not pay any ransom. Instead we are offering a reward for information"
                " leading to the arrest of the attackers - details from @ExampleSupport below."
            ),
            mentions=("ExampleSupport",),
        ),
    ]


def test_no_blank_lines_where_the_walk_upwards_stops() -> None:
    posts = find_posts(fixture("no_blank_lines.txt"))
    assert [(p.author_handle, p.text) for p in posts] == [
        # a heading
        ("alice_example", "Short tweet right under a heading #first"),
        # a line that alone is over the limit, one line away from the attribution
        ("bob_example", "Short tweet under a long line of prose"),
        # a line that would take the tweet over the limit
        (
            "carol_example",
            "Tweet text that, with the line above it, would not fit: so the line above"
            " stays out of it. It says more than a hundred characters.",
        ),
        # the attribution line of the tweet above
        ("dave_example", "Tweet right after the previous attribution line."),
        # a long post right above its attribution is taken whole
        (
            "erin_example",
            "A post longer than the old limit sits alone on the line right above its"
            " attribution, as the longer posts of paying subscribers do, and it runs on and"
            " on well past two hundred and eighty characters, so that the rule has to take it"
            " whole although it is over the limit that tweets once had to keep to.",
        ),
    ]
    assert weighted_length(posts[4].text or "") > MAX_TWEET_WEIGHT
    assert posts[0] == tweet(
        author_name="Alice Example",
        author_handle="alice_example",
        posted_at="2021-03-03",
        text="Short tweet right under a heading #first",
        hashtags=("first",),
    )


# What is not a tweet.


def test_negatives_file_yields_nothing() -> None:
    # Prose quotes and photo credits (no date or a year alone), a date linking elsewhere,
    # Bluesky (dotted handles, with or without a link), Mastodon and Instagram lines.
    assert find_posts(fixture("negatives.txt")) == []


@pytest.mark.parametrize(
    "text",
    [
        "“We will rebuild,” he said.\n— John Smith (@jsmith) said",
        "The pier at dawn. — Photo by Jane Doe (@janedoe) 2019",
        "Photo: — Jane Doe (@janedoe) / Instagram",
        "on type safety\n\n[image or embed]\n\n"
        "— Adam Chalmers (@adamchalmers.com) June 14, 2025 at 8:12 PM",
        "A quote.\n— John Smith (@jsmith) 12 May 2019 — and he wrote more that day",
        "Nothing here at all — not even a handle.",
        # a status link whose text is not a date: a link in prose
        "— John Smith (@jsmith) [in a thread](https://twitter.com/jsmith/status/1196501054197649413)",
        # neither a date nor a link
        "Fine & dry\n\n— Met Office (@metoffice)",
    ],
)
def test_not_a_tweet(text: str) -> None:
    assert find_posts(text) == []


def test_entities_line_endings_and_no_break_spaces() -> None:
    text = "Fine &amp; dry\r\n\r\n&mdash;\u00a0Met&nbsp;Office (&#64;metoffice) 1 May 2020\r\n"
    assert find_posts(text) == [
        tweet(
            author_name="Met Office",
            author_handle="metoffice",
            posted_at="2020-05-01",
            text="Fine & dry",
        )
    ]


@pytest.mark.parametrize(
    ("text", "name", "tweet_text"),
    [
        # html2text by default writes &mdash; as "--"
        ("> Fine & dry\n>\n> -- Met Office (@metoffice) 1 May 2020", "Met Office", "Fine & dry"),
        # an en dash inside the name is not the attribution's dash
        ("Fine & dry\n\n— Anne–Marie Met (@metoffice) 1 May 2020", "Anne–Marie Met", "Fine & dry"),
        # extractors that glue the attribution to the tweet text
        (
            "Fine & dry pic.twitter.com/s96jjh8AlD— Met (@metoffice) 1 May 2020",
            "Met",
            "Fine & dry pic.twitter.com/s96jjh8AlD",
        ),
    ],
)
def test_dash_variants(text: str, name: str, tweet_text: str) -> None:
    [post] = find_posts(text)
    assert (post.author_name, post.author_handle, post.posted_at) == (
        name,
        "metoffice",
        "2020-05-01",
    )
    assert post.text == tweet_text


def test_markdown_escapes_in_handle_and_text() -> None:
    # Undone in Markdown documents; kept in plain text, where a backslash is a character.
    markdown = (
        "> Status: all clear \\_(ツ)_/\n>\n"
        "> — Brian (@brian\\_armstrong) [May 15, 2025](https://x.com/brian%5Farmstrong/status/1922967787309256807)"
    )
    assert find_posts(markdown) == [
        tweet(
            post_id="1922967787309256807",
            url="https://twitter.com/brian_armstrong/status/1922967787309256807",
            author_name="Brian",
            author_handle="brian_armstrong",
            posted_at="2025-05-15T10:50:22+00:00",
            text="Status: all clear _(ツ)_/",
        )
    ]
    [plain] = find_posts("Status: all clear ¯\\_(ツ)_/¯\n\n— Brian (@brian_armstrong) May 15, 2025")
    assert plain.text == "Status: all clear ¯\\_(ツ)_/¯"


def test_post_without_text() -> None:
    # An attribution at the top of a dump: the post is kept, its text is unknown.
    assert find_posts("— Someone (@someone) [](https://twitter.com/someone/status/20)") == [
        tweet(
            post_id="20",
            url="https://twitter.com/someone/status/20",
            author_name="Someone",
            author_handle="someone",
        )
    ]


def test_same_tweet_without_id_is_found_once() -> None:
    text = fixture("seed.txt")
    assert find_posts(f"{text}\n\n{text}") == SEED_POSTS


def test_weighted_length() -> None:
    assert weighted_length("abc") == 3
    assert weighted_length("https://t.co/nPpyMmB9N7") == 23
    assert weighted_length("see https://example.com/a/very/long/path/indeed.") == 4 + 23 + 1
    assert weighted_length("pic.twitter.com/XCVFZ1zp2d") == 0
    assert weighted_length("日本語") == 6
    assert weighted_length("⬇️") == 2
    assert weighted_length("Привет — “hi”") == 13


def test_large_input_is_scanned_once() -> None:
    # Thousands of attributions in one document: each walk upwards ends at the one above.
    text = "\n".join(f"Tweet number {n}\n— Writer (@writer) May 1, 2020" for n in range(5000))
    posts = find_posts(text)
    assert len(posts) == 5000
    assert posts[-1].text == "Tweet number 4999"
