"""Sentiment of post text with VADER, honestly: English only, words only, in bounded time.

VADER (vaderSentiment) is an English, lexicon-based scorer, validated on tweets. So:

- :func:`preprocess` gives VADER only what a reader would read: no URLs or media links, no
  embed boilerplate ("View on Threads", "A post shared by ...", "[image or embed]", TikTok's
  "♬ ..." music line), no placeholders ("Tweet may have been deleted"); camel-case hashtags are
  split into words (``#NuclearWar`` -> "Nuclear War") and U+FE0F is stripped so that VADER's
  emoji lookup finds "❤️". Text with nothing left to read is not scored.
- :func:`score` returns :data:`~monitor.models.UNSCORED` for such text and for text that is
  not English (:func:`monitor.language.is_english`).
- VADER's time grows with the square of the number of words. Texts up to
  :data:`LONG_TEXT` characters are scored exactly as VADER scores them; longer ones are scored
  sentence by sentence (:func:`split_long`) and each of the four scores is the mean over the
  sentences, weighted by their numbers of words. 20,000 characters of ordinary text score in
  some 20 ms (VADER alone: 0.3 s to over a second), and no text takes more than a few tenths
  of a second, since only the first :data:`MAX_READ` characters of a long text are read.

Scores are cached per preprocessed text, so scoring the same text again (the same post
embedded by many articles, retweeted wording) costs a dictionary lookup. Stored scores carry
:data:`SCORER_VERSION`, which changes with VADER's version and with this preprocessing.
"""

from __future__ import annotations

import functools
import html
import re
from importlib.metadata import version

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from . import language
from .hashtags import expand_hashtags, strip_urls
from .models import UNSCORED, Scores

__all__ = ["LONG_TEXT", "MAX_READ", "PART", "SCORER_VERSION", "preprocess", "score", "split_long"]

# The suffix names this module's preprocessing: bump it whenever preprocess() or the
# long-text rule changes, so that rows scored the old way can be found and rescored.
SCORER_VERSION = f"vader-{version('vaderSentiment')}+mon1"

LONG_TEXT = 2000
"""Texts longer than this many characters (emoji counted as the words VADER reads for them)
are scored sentence by sentence; shorter ones exactly as VADER scores them."""
# VADER's time per character grows with the length of what it reads: parts of a long text are
# kept short (a long sentence is cut), and a text is read no further than MAX_READ.
PART = 500
"""The longest part (in characters) that a long text is cut into."""
MAX_READ = 100_000
"""How much of a long text is read, in characters with emoji spelt out (some 15,000 words)."""

_CACHE_SIZE = 65_536

# Well-formed HTML entities only: html.unescape alone also reads "&not" in "&nothing".
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")

# Placeholders that stand for a post's text without being it, and the text that embed codes
# wrap around posts (in English and in the localised forms seen in real pages).
_BOILERPLATE = re.compile(
    r"""
    Tweet\ may\ have\ been\ deleted
    | This\ (?:Tweet|Post)\ (?:was\ deleted|is\ unavailable|is\ no\ longer\ available)[^\n]*
    | This\ (?:Tweet|Post)\ is\ from\ (?:a\ suspended\ account|an\ account\ that\ no\ longer
      \ exists)[^\n]*
    | \(opens\ in\ a\ new\ tab\)
    | \[image\ or\ embed\]
    | View\ (?:this\ post\ )?on\ (?:Threads|Mastodon|Instagram|Bluesky|Facebook|TikTok|X)\b
    | Sieh\ dir\ diesen\ Beitrag\ auf\ Instagram\ an
    | Post\ by\ @[\w.@-]+
    | (?:A\ post\ shared\ by|Ein\ Beitrag\ geteilt\ von)\b[^\n]*
    | ^[^\S\n]*(?:Posted\ by|Publiée\ par)\b[^\n]*
    | ^[^\S\n]*Instagram[-\ ]Beitrag[^\S\n]*$
    # Quote marks that Markdown and e-mail dumps put before each line ("> text"):
    | ^(?:[^\S\n]*>)+(?=[^\S\n])
    | ♬[^\n]*
    # A tweet's attribution line, when a plain-text dump kept it: "— Name (@handle) May 15, 2025".
    | (?:^|[^\S\n])[—–][^\S\n]*[^\n—–]{0,80}?\(@[\w.@-]+\)[^\n]*?\b\d{4}\b[^\n]*$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
# Markdown links and images keep their visible words, unless those are a URL themselves.
_MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_AUTOLINK = re.compile(r"<(?:https?://|www\.)[^>\s]*>", re.IGNORECASE)
# Beyond what strip_urls knows: links glued to the previous word ("donshttps://", where a
# page lost its line breaks), bare t.co links and display URLs shortened to a domain and a
# path ("github.com/...", "scp-iota.github.io/software/202...").
_LINK = re.compile(
    r"https?://\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/\S*",
    re.IGNORECASE,
)
_LOOKS_LIKE_URL = re.compile(r"^\s*(?:https?://|www\.|pic\.(?:twitter|x)\.com/|\S+\.\S+/)")
# Emoji modifiers: U+FE0F and U+FE0E (presentation selectors) and tag characters (subdivision
# flags) hide the emoji from VADER's one-character lookup; a zero-width joiner glues the words
# of two emoji together ("heart\u200d fire" is no word), so it becomes a space.
_EMOJI_MODIFIERS = dict.fromkeys([0xFE0F, 0xFE0E, *range(0xE0020, 0xE0080)])
_EMOJI_MODIFIERS[0x200D] = " "
_MENTION = re.compile(r"(?<![\w@])@[\w-]+(?:\.[\w-]+)*(?:@[\w-]+(?:\.[\w-]+)*)?")
# What a mention becomes: a word outside VADER's lexicon, like the "@anonymous" of its tweets.
_HANDLE = "@user"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")


def preprocess(text: str | None) -> str | None:
    """The text VADER reads for ``text``, or ``None`` when nothing is left to score.

    HTML entities are decoded; URLs, media links and embed boilerplate are removed (Markdown
    links keep their words when those are not a URL); U+FE0F is stripped and zero-width
    joiners become spaces, so that VADER finds each emoji; camel-case hashtags become words
    and other hashtags lose their ``#``. @mentions are replaced by ``@user``: a handle is a
    name, not a sentiment ("@sad"), and keeping a placeholder token leaves VADER's word
    windows (negation, "but") as they were, as in VADER's own tweets, which read ``@anonymous``.

    :param text: a post's text.
    :returns: the cleaned text, or ``None`` when the text is empty, a placeholder, or only
        links, media and boilerplate.
    """
    if not text:
        return None
    text = _ENTITY.sub(_unescape, text).translate(_EMOJI_MODIFIERS)
    text = _BOILERPLATE.sub(" ", text)
    text = _MARKDOWN_LINK.sub(_link_words, _AUTOLINK.sub(" ", text))
    text = strip_urls(_LINK.sub(" ", text))
    text = expand_hashtags(_MENTION.sub(_HANDLE, text))
    # Runs of spaces go, line breaks stay: they end sentences when a long text is cut up.
    lines = (" ".join(line.split()) for line in text.splitlines())
    text = "\n".join(line for line in lines if line)
    return text if _readable(text.replace(_HANDLE, " ")) else None


def score(text: str | None, *, lang: str | None = None) -> Scores:
    """VADER's scores for ``text``, or :data:`~monitor.models.UNSCORED` when it is not
    English or holds nothing to read.

    :param text: a post's text.
    :param lang: the text's language when the caller knows it (e.g. from
        :func:`monitor.language.detect`); any other language than English gives
        ``UNSCORED``, while ``"und"``/``"zxx"`` (undetermined) count as English, as in
        :func:`monitor.language.is_english`. When ``None``, the language is detected.

    Scores are kept per preprocessed text (the last 65,536 texts), so calling this for every
    sighting of a post scores each distinct text once.
    """
    clean = preprocess(text)
    if clean is None:
        return UNSCORED
    if lang is None:
        english = language.is_english(clean)
    else:
        english = language.normalise(lang) in ("en", None)
    return _scores(clean) if english else UNSCORED


def split_long(text: str) -> list[str]:
    """The parts that :func:`score` scores separately for ``text`` (after preprocessing).

    A text of up to :data:`LONG_TEXT` characters, its emoji counted as the words VADER reads
    for them, is one part: VADER reads it whole. A longer one has its emoji spelt out as VADER
    spells them and is cut into sentences (after ``.``, ``!``, ``?`` or ``…``, and at line
    breaks); a sentence longer than :data:`PART` characters is cut between words. No part is
    longer than ``PART`` unless it is a single word. Only the first :data:`MAX_READ`
    characters of the spelt-out text are read.

    :param text: preprocessed text, as from :func:`preprocess`.
    """
    emojis = _analyzer().emojis
    if len(text) + sum(len(emojis[c]) for c in text if c in emojis) <= LONG_TEXT:
        return [text]
    spelt = _spell_emoji(text, emojis)
    if len(spelt) > MAX_READ:
        # Cut at a space, not inside a word, when there is one.
        cut = spelt.rfind(" ", 0, MAX_READ + 1)
        spelt = spelt[: cut if cut > 0 else MAX_READ]
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(spelt):
        words = sentence.split()
        while words:
            size, taken = len(words[0]), 1
            while taken < len(words) and size + 1 + len(words[taken]) <= PART:
                size += 1 + len(words[taken])
                taken += 1
            parts.append(" ".join(words[:taken]))
            words = words[taken:]
    return parts


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _scores(text: str) -> Scores:
    """VADER on one preprocessed text; long texts as the word-weighted mean of their parts."""
    analyzer = _analyzer()
    parts = split_long(text)
    if len(parts) == 1:
        result = analyzer.polarity_scores(parts[0])
        return Scores(result["compound"], result["pos"], result["neu"], result["neg"])
    totals = dict.fromkeys(("compound", "pos", "neu", "neg"), 0.0)
    words = 0
    for part in parts:
        weight = len(part.split())
        result = analyzer.polarity_scores(part)
        for key in totals:
            totals[key] += weight * result[key]
        words += weight
    return Scores(
        round(totals["compound"] / words, 4),
        round(totals["pos"] / words, 3),
        round(totals["neu"] / words, 3),
        round(totals["neg"] / words, 3),
    )


class _Analyzer(SentimentIntensityAnalyzer):
    """VADER, giving VADER's scores without its cost that grows with the square of a text's
    words: for every sentiment word, two of its checks lower-case the whole text's words to
    read the three before it and the two after. They are given those words only (the
    checks never look further, and index no word before the first: VADER calls them only
    for words that far into the text), so that each costs the same in a long text as in a
    short one."""

    def _negation_check(
        self, valence: float, words_and_emoticons: list[str], start_i: int, i: int
    ) -> float:
        start = max(0, i - 3)
        return SentimentIntensityAnalyzer._negation_check(
            valence, words_and_emoticons[start : i + 3], start_i, i - start
        )

    def _special_idioms_check(
        self, valence: float, words_and_emoticons: list[str], i: int
    ) -> float:
        start = max(0, i - 3)
        return SentimentIntensityAnalyzer._special_idioms_check(
            valence, words_and_emoticons[start : i + 3], i - start
        )


@functools.cache
def _analyzer() -> SentimentIntensityAnalyzer:
    """The one analyzer of this process, built on first use (it reads VADER's lexicons)."""
    return _Analyzer()


def _unescape(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


def _link_words(match: re.Match[str]) -> str:
    words = match.group(1)
    return " " if _LOOKS_LIKE_URL.match(words) else f" {words} "


def _readable(text: str) -> bool:
    """Whether VADER has anything to read in ``text``: a letter, an emoji it knows, or an
    emoticon from its lexicon (":)", "<3")."""
    if any(c.isalpha() for c in text):
        return True
    analyzer = _analyzer()
    if any(c in analyzer.emojis for c in text):
        return True
    return any(word.lower() in analyzer.lexicon for word in text.split())


def _spell_emoji(text: str, emojis: dict[str, str]) -> str:
    """``text`` with each emoji replaced by its description, exactly as VADER does it before
    reading (a space before, none after), so that parts can be cut between those words."""
    out: list[str] = []
    after_space = True
    for char in text:
        if char in emojis:
            if not after_space:
                out.append(" ")
            out.append(emojis[char])
            after_space = False
        else:
            out.append(char)
            after_space = char == " "
    return "".join(out)
