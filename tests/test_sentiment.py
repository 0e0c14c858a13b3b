from __future__ import annotations

import math
import re
import statistics
import time
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from monitor import sentiment
from monitor.models import UNSCORED, Scores
from monitor.sentiment import (
    LONG_TEXT,
    PART,
    SCORER_VERSION,
    preprocess,
    score,
    split_long,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TWEETS = SHARED / "vader_gt" / "tweets_GroundTruth.txt"


def read_ground_truth(path: Path) -> list[tuple[float, str]]:
    """(mean human rating, text) for each line of a VADER ground-truth file."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the fidelity test needs ../shared beside the repository")
    rows = []
    with path.open(encoding="utf-8-sig") as lines:
        for line in lines:
            if line.strip():
                _, rating, text = line.rstrip("\r\n").split("\t", 2)
                rows.append((float(rating), text))
    return rows


def test_scores_follow_human_ratings_as_closely_as_plain_vader():
    tweets = read_ground_truth(TWEETS)
    assert len(tweets) == 4200
    plain = SentimentIntensityAnalyzer()
    plain_r = statistics.correlation(
        [rating for rating, _ in tweets],
        [plain.polarity_scores(text)["compound"] for _, text in tweets],
    )
    scored = [(rating, score(text, lang="en")) for rating, text in tweets]
    scored = [(rating, scores.compound) for rating, scores in scored if scores.scored]
    r = statistics.correlation([rating for rating, _ in scored], [c for _, c in scored])
    print(f"Pearson r: score() {r:.4f} over {len(scored)} tweets, plain VADER {plain_r:.4f}")
    assert len(scored) >= 0.99 * len(tweets)
    assert r >= 0.87, f"r = {r:.4f}"
    # Preprocessing must not make VADER worse on its own benchmark.
    assert r >= plain_r - 0.001, f"r = {r:.4f}, plain VADER {plain_r:.4f}"


def test_the_analyzer_gives_vaders_own_scores_on_every_ground_truth_text():
    # The analyzer reads each word's neighbours only, where VADER lower-cases the whole
    # text for each sentiment word: the scores must be VADER's, to the last digit, on
    # short texts and on long ones (every sentence of a file joined).
    texts = [
        text
        for path in sorted(TWEETS.parent.glob("*_GroundTruth.txt"))
        for _, text in read_ground_truth(path)
    ]
    assert len(texts) > 10_000
    texts += [" ".join(texts[start : start + 60]) for start in range(0, 3000, 60)]
    plain, ours = SentimentIntensityAnalyzer(), sentiment._analyzer()
    assert type(ours) is not SentimentIntensityAnalyzer
    assert [ours.polarity_scores(text) for text in texts] == [
        plain.polarity_scores(text) for text in texts
    ]


def test_preprocess_keeps_words_and_emoji_and_drops_links():
    text = (
        "Did #Biden just start World War III? #WW3 #ATACMS #NuclearWar "
        "https://t.co/AbC123 pic.twitter.com/XyZ987 😡 ❤️"
    )
    assert preprocess(text) == "Did Biden just start World War III? WW3 ATACMS Nuclear War 😡 ❤"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on type safety\n\n[image or embed]", "on type safety"),
        (
            "@chesterbr I am now a #cyborg 😁 #bodymodification ♬ original sound - Chester",
            "@user I am now a cyborg 😁 bodymodification",
        ),
        ("Thanks @bob.bsky.social and @ann@mastodon.social!", "Thanks @user and @user!"),
        (
            "Yes this is real: https://t.co/Nc0nKoXGBP\n\n"
            "— Dianna E. Anderson 🏳️‍🌈 (@diannaeanderson) November 18, 2019",
            "Yes this is real:",
        ),
        (
            "no planes going in or out :( #stansted pic.twitter.com/Q8FFsT2ITu "
            "— Lena (@lenanix) December 22, 2014",
            "no planes going in or out :( stansted",
        ),
        ("> Great [read](https://example.com/a) <https://t.co/evpIBMFvRW>", "Great read"),
        ("[pic.twitter.com/f6UPdkL5R0](https://t.co/f6UPdkL5R0) wow", "wow"),
        ("see github.com/... and t.co/xyz now", "see and now"),
        ("great stuff donshttps://www.facebook.com/x/posts/1", "great stuff dons"),
        ("&lt;3 you &amp; me, fish &nothing", "<3 you & me, fish &nothing"),
        ("line one\n\n\n  line   two  ", "line one\nline two"),
        ("Love ❤️\u200d🔥", "Love ❤ 🔥"),
    ],
)
def test_preprocess(text, expected):
    assert preprocess(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   \n ",
        "Tweet may have been deleted(opens in a new tab)",
        "Post by @ccostes3\n  View on Threads",
        "Post by @evmar@inuh.net\n  View on Mastodon",
        "View this post on Instagram\nA post shared by xoxo, Gaga (@ladygaga) on Dec 5, 2016",
        "Sieh dir diesen Beitrag auf Instagram an\nEin Beitrag geteilt von Vreni Frost (@vf)",
        "https://t.co/evpIBMFvRW pic.twitter.com/f6UPdkL5R0",
        "[image or embed]",
        "@bob @alice",
        "#1 2-0 !!!",
    ],
)
def test_nothing_to_read_is_not_scored(text):
    assert preprocess(text) is None
    assert score(text) == UNSCORED
    assert score(text, lang="en") == UNSCORED


def test_emoticons_and_emoji_alone_are_read():
    assert preprocess(":)") == ":)"
    assert score(":)", lang="en").compound == 0.4588
    assert score("😂😂", lang="en").scored


def test_text_in_another_language_is_not_scored():
    french = "Le gouvernement a annoncé hier une nouvelle réforme des retraites."
    assert score(french) == UNSCORED
    assert score("I love this team", lang="fr") == UNSCORED
    assert score("I love this team", lang="en-GB").scored


def test_undetermined_language_is_scored():
    # "und" and "zxx" say nobody could tell, not that the text is in another language.
    assert score("Wow!!", lang="und") == score("Wow!!", lang="en") == score("Wow!!")
    assert score("Wow!!").scored


def test_known_text():
    assert score("VADER is smart, handsome, and funny!") == Scores(
        compound=0.8439, pos=0.752, neu=0.248, neg=0.0
    )


def test_variation_selector_no_longer_hides_emoji():
    plain = SentimentIntensityAnalyzer().polarity_scores("I ❤️ this team")
    assert plain["compound"] == 0.0
    assert score("I ❤️ this team", lang="en") == Scores(
        compound=0.6369, pos=0.512, neu=0.488, neg=0.0
    )


@pytest.mark.parametrize(
    "text",
    [
        "Ugh. I hate hate hate getting blood drawn.",
        "Love love love that I just hung with @anonymous @anonymous and @anonymous.",
        "not bad at all, but the ending was awful :(",
        "VADER is VERY SMART, handsome, and FUNNY!!!",
    ],
)
def test_clean_short_text_scores_as_vader_scores_it(text):
    expected = SentimentIntensityAnalyzer().polarity_scores(text)
    assert score(text, lang="en") == Scores(
        expected["compound"], expected["pos"], expected["neu"], expected["neg"]
    )


def test_text_up_to_the_threshold_is_read_whole():
    text = ("What a great day. " * 200)[:LONG_TEXT].strip()
    assert split_long(text) == [text]


def test_long_text_is_read_in_short_parts():
    text = "I love it. " * 2000
    clean = preprocess(text)
    assert clean is not None
    parts = split_long(clean)
    assert len(parts) == 2000
    assert set(parts) == {"I love it."}
    # The mean of equal parts is the score of one part.
    assert score(text, lang="en") == score("I love it.", lang="en")


def test_long_text_without_sentences_is_cut_between_words():
    text = " ".join(["happy", "sad", "😂", "ok"] * 5000)
    parts = split_long(preprocess(text) or "")
    assert all(len(part) <= PART for part in parts)
    # Emoji are spelt out before cutting, so no part holds more words than it shows.
    assert "face with tears of joy" in parts[0]
    assert all(not part.startswith(" ") and not part.endswith(" ") for part in parts)


def test_twenty_thousand_characters_score_quickly():
    sentences = [
        "The missiles changed everything overnight.",
        "I am so angry and scared about this!",
        "Great reporting, thank you.",
        "Nobody asked for World War III #NuclearWar",
    ]
    text = " ".join(sentences * 1000)[:20_000]
    sentiment._scores.cache_clear()
    start = time.perf_counter()
    result = score(text, lang="en")
    elapsed = time.perf_counter() - start
    assert result.scored
    assert all(math.isfinite(value) for value in (result.compound, result.pos, result.neg))
    assert elapsed < 5, f"{elapsed:.2f} s"


def test_each_distinct_text_is_scored_once():
    sentiment._scores.cache_clear()
    score("What a day https://t.co/a", lang="en")
    score("What a day https://t.co/b", lang="en")
    info = sentiment._scores.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_scorer_version_names_vader_and_the_preprocessing():
    assert re.fullmatch(r"vader-\d+\.\d+\.\d+\+mon\d+", SCORER_VERSION)
