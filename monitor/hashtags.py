"""Hashtags and mentions: finding them in post text, normalising them, splitting camel case."""

from __future__ import annotations

import re
import unicodedata

# Twitter's rule, in Python's terms: a hashtag starts after a non-word character (so
# "war.#Russia" holds #Russia but "AT&T#1" and "abc#def" hold none), and its body has at
# least one letter (#2024 is not a hashtag; #WW3 is).
_HASHTAG = re.compile(r"(?<![\w&#＃])[#＃](\w*[^\W\d_]\w*)")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})\b(?!@)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\bpic\.(?:twitter|x)\.com/\S+", re.IGNORECASE)
# Upper-case runs stay together ("USArmy" -> "US Army"); digits form their own word.
_CAMEL_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+")


def normalise(tag: str) -> str:
    """The stored form of a hashtag: no ``#``, NFKC, case-folded (``#WW3`` -> ``ww3``)."""
    return unicodedata.normalize("NFKC", tag).lstrip("#＃").casefold()


def strip_urls(text: str) -> str:
    """``text`` without URLs and media links (their fragments look like hashtags)."""
    return _URL.sub(" ", text)


def find_hashtags(text: str | None) -> tuple[str, ...]:
    """Normalised hashtags in ``text``, in order of first appearance, each once."""
    if not text:
        return ()
    tags = (normalise(m) for m in _HASHTAG.findall(strip_urls(text)))
    return tuple(dict.fromkeys(tags))


def find_mentions(text: str | None) -> tuple[str, ...]:
    """Twitter-style ``@handles`` in ``text`` (without the ``@``), each once."""
    if not text:
        return ()
    return tuple(dict.fromkeys(_MENTION.findall(strip_urls(text))))


def split_camel_case(tag: str) -> str:
    """Words of a camel-case hashtag body: ``NuclearWar`` -> ``Nuclear War``.

    Tags without inner capitals (``ww3``, ``WW3``, ``nuclearwar``) are returned unchanged:
    splitting them needs a dictionary, and a wrong split changes the sentiment.
    """
    if tag.islower() or tag.isupper() or not any(c.isupper() for c in tag[1:]):
        return tag
    return " ".join(_CAMEL_WORD.findall(tag))


def expand_hashtags(text: str) -> str:
    """Replace each camel-case hashtag by its words (``#NuclearWar`` -> ``Nuclear War``),
    so that a lexicon-based scorer sees them; other hashtags lose only their ``#``."""

    def words(match: re.Match[str]) -> str:
        return split_camel_case(match.group(1))

    return _HASHTAG.sub(words, text)
