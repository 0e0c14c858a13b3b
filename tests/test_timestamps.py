"""Post times from ids, checked against real embeds whose visible date is known (EMBEDS §9)."""

from __future__ import annotations

import pytest

from monitor.timestamps import (
    from_bluesky_tid,
    from_instagram_shortcode,
    from_mastodon_id,
    from_tiktok_id,
    from_twitter_id,
    parse_visible_date,
)


@pytest.mark.parametrize(
    ("decode", "value", "expected"),
    [
        # nj.com, shown as "November 18, 2019"
        (from_twitter_id, "1196501054197649413", "2019-11-18T18:50:55+00:00"),
        # the parallels.com tweet whose embed has no date
        (from_twitter_id, "811931086355832833", "2016-12-22T13:47:10+00:00"),
        (from_twitter_id, "20", None),  # 2006: before snowflakes
        (from_twitter_id, "not-a-number", None),
        (from_mastodon_id, "99650486509645352", "2018-03-08T21:49:13+00:00"),
        (from_mastodon_id, "114461788446840271", "2025-05-06T16:18:05+00:00"),
        (from_mastodon_id, "12", None),  # a pre-2.0 server's sequential id
        # shown as "May 13, 2025 at 7:52 AM" by an embedder at UTC+5:30
        (from_bluesky_tid, "3lozghbg3kk2i", "2025-05-13T02:22:25+00:00"),
        # shown as "November 25, 2024 at 12:58 AM" by an embedder at UTC+1
        (from_bluesky_tid, "3lbq7mxsiek2v", "2024-11-24T23:58:51+00:00"),
        (from_bluesky_tid, "self", None),
        (from_bluesky_tid, "3LOZGHBG3KK2I", None),
        (from_tiktok_id, "7046586326728101126", "2021-12-28T03:13:50+00:00"),
        (from_tiktok_id, "7069206986822356229", "2022-02-27T02:13:32+00:00"),
        (from_tiktok_id, "123", None),
        # both exactly the <time datetime> of their embeds
        (from_instagram_shortcode, "BNpLF8LD0GD", "2016-12-05T17:10:10+00:00"),
        (from_instagram_shortcode, "BgPCX03nnZW", "2018-03-12T19:30:12+00:00"),
        # 444.hu's Oscar live blog, 2014-03-03
        (from_instagram_shortcode, "lEK-o7yUC8", "2014-03-03T03:21:30+00:00"),
        (from_instagram_shortcode, "Cq" + "x" * 30, None),  # private posts' long codes
        (from_instagram_shortcode, "bad*code", None),
    ],
)
def test_time_from_id(decode, value, expected):
    assert decode(value) == expected


def test_threads_shortcodes_decode_like_instagram_but_not_before_threads():
    assert from_instagram_shortcode("C3bbjL_tLiD", "threads") == "2024-02-17T00:32:23+00:00"
    assert from_instagram_shortcode("BNpLF8LD0GD", "threads") is None


@pytest.mark.parametrize(
    ("visible", "expected"),
    [
        ("November 18, 2019", "2019-11-18"),
        ("25. September 2018", "2018-09-25"),
        ("25\\. September 2018", "2018-09-25"),  # html2text escapes the dot
        ("16 мая 2018 г.", "2018-05-16"),
        ("28 сентября 2018", "2018-09-28"),
        ("2014. március 3.", "2014-03-03"),
        ("15 tháng 5 năm 2025", "2025-05-15"),
        ("13 maggio 2017", "2017-05-13"),
        ("2026年4月1日", "2026-04-01"),
        ("June 14, 2025 at 8:12 PM", "2025-06-14"),
        ("Jeudi 26 mars 2020", "2020-03-26"),
        ("", None),
        ("no date here", None),
        # Relative to when the page was saved, which it does not say: no date.
        ("3 hours ago", None),
        ("2 days ago", None),
        (None, None),
    ],
)
def test_visible_dates_in_the_embedders_locale(visible, expected):
    assert parse_visible_date(visible) == expected


def test_a_date_in_words_is_read_in_the_page_language_first_and_digits_as_always():
    from monitor.timestamps import DATE_LANGUAGE, dates_in

    without_language = parse_visible_date("05/10/2018")
    with dates_in("pl"):
        assert parse_visible_date("12 października 2020") == "2020-10-12"
        # The page says Polish, the date is Hungarian: detected as before.
        assert parse_visible_date("2014. március 3.") == "2014-03-03"
        # Digits alone read by locale differently (05/10 is May or October): never hinted.
        assert parse_visible_date("05/10/2018") == without_language
    with dates_in("xx"):  # a language dateparser does not know
        assert parse_visible_date("16 мая 2018 г.") == "2018-05-16"
    assert DATE_LANGUAGE.get() is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # As a news site's JSON-LD has it (a real page of the article-extraction benchmark).
        ("20 Nov 2019 08:02 GMT", "2019-11-20T08:02:00+00:00"),
        ("Wed, 20 Nov 2019 08:02:00 GMT", "2019-11-20T08:02:00+00:00"),
        ("20 Nov 2019 08:02 +0100", "2019-11-20T07:02:00+00:00"),
        ("31 Feb 2019 08:02 GMT", None),
        ("20 Nov 2019", None),  # no time and no zone: not this form
        ("Fri 6:45 PM, Feb 16, 2018", None),
    ],
)
def test_rfc_2822_times_are_read_with_their_zone(value, expected):
    from monitor.timestamps import normalise_time

    assert normalise_time(value) == expected
