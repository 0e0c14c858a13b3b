"""Tweets embedded in plain-text and Markdown articles.

When an article is converted to text, an embedded tweet keeps its attribution line,
``— Name (@handle) Date``, and the tweet text stays just above it (or, in one-line dumps,
just before it on the same line). The shapes seen in real converter output:

* **paragraphs** (human ground truth, html-text): the tweet's lines, a blank line, then the
  attribution line;
* **Markdown quote** (html2text, Markdown news dumps): ``> `` lines hard-wrapped at about
  78 characters, an empty ``>`` line, then ``> — Name (@handle) Date``; the date may be a
  link to the status, ``[May 15, 2025](https://twitter.com/a%5Fb/status/1922967787309256807)``;
* **indented** (inscriptis): the paragraph form, indented by nesting depth;
* **one line** (newspaper3k): ``text — Name (@handle) Date``;
* **one paragraph per line** with no blank lines at all (some scrapers' output).

The dash may be an em dash, an en dash, or ``--`` (html2text's default for ``&mdash;``).

Where the tweet text starts
---------------------------
In a Markdown quote the quote block is the embed: the text is the whole block above the
attribution at the same or deeper quote depth, hard wrapping undone.

In a one-line dump the converter flattened the embed into a single line, so the text is what
stands before the dash on that line and nothing above it.

Otherwise nothing marks where the tweet ends and the article resumes, so the text is taken
from the lines right above the attribution (after any blank lines between), walking upwards
while the tweet would still fit Twitter's limit of 280 by its weighted count (see
:func:`weighted_length`). The walk stops early at a blank line, at a less indented line, at
another attribution line, and at Markdown structure (headings, rules, fences, tables, HTML).
A line that alone exceeds 280 (long posts exist) is taken only when it is the line right
above the attribution. A short line of article prose right above a short tweet, with no blank
line between, fits the limit too and cannot be told apart from the tweet: it is taken with it.

An attribution line counts only with a date (short, with a four-digit year and a day) or a
link to the status: the dash-name-(@handle) shape is common in prose quotes and photo
credits. The text is the tweet's lines with their line breaks, Markdown links shown as their
text, and without quote markers or indentation. Handles
are Twitter's (``[A-Za-z0-9_]{1,15}``); Bluesky's dotted handles do not match, and a date that
links anywhere but Twitter or X is not a tweet.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from ..hashtags import find_hashtags, find_mentions
from ..models import Post
from ..timestamps import from_twitter_id, parse_visible_date

__all__ = ["MAX_TWEET_WEIGHT", "find_embeds", "find_posts", "readable_lines", "weighted_length"]

#: Twitter's limit on a tweet's weighted length (see :func:`weighted_length`).
MAX_TWEET_WEIGHT = 280
# What Twitter counts for any URL, whatever its length (every link becomes a t.co link).
_URL_WEIGHT = 23
# Display names are at most 50 characters; emoji and stray spaces make the visible form longer.
_MAX_NAME = 100
# Visible embed dates are short: "November 18, 2019", "15 tháng 5 năm 2025".
_MAX_DATE = 40
_MAX_DATE_WORDS = 6

_DASHES = "—–―"  # em dash (the embed's own), en dash (typographers' swap), horizontal bar
# html2text, by default, writes an entity-encoded em dash (&mdash;, &#8212;) as "--".
_ASCII_DASH = "--"

# Invisible characters that only get in the way of matching. Zero-width joiners stay: they
# hold emoji sequences (🏳️‍🌈) together. (Chained replaces are much faster than translate.)
_INVISIBLE = (
    ("\u00a0", " "),
    ("\u2007", " "),
    ("\u202f", " "),
    ("\u2028", "\n"),
    ("\u2029", "\n"),
    ("\u200b", ""),
    ("\ufeff", ""),
)
_NEWLINES = re.compile(r"\r\n?")
_SPACES = re.compile(r"[ \t]+")
# Quote markers ("> ", ">> ", "> > ") of a Markdown line, after at most three spaces.
_QUOTE_MARKERS = re.compile(r"[ \t]{0,3}((?:>[ \t]?)+)")
_HANDLE = re.compile(r"\(@([A-Za-z0-9_]{1,15})\)")
# Any dash-name-(@handle) line of any platform (Bluesky and Mastodon handles included), so
# that the text of one embed never runs into the one above it.
_ANY_ATTRIBUTION = re.compile(
    rf"[ \t]*(?:[{_DASHES}]|--)[ \t]*[^{_DASHES}\n]{{0,{_MAX_NAME}}}?\(@[^\s()]+\)"
)
_LINKED_DATE = re.compile(r"\[(?P<date>[^\[\]\n]*)\]\((?P<url>[^()\s]+)(?:[ \t]+\"[^\"\n]*\")?\)")
_PLAIN_DATE = re.compile(rf"[^@<>\[\]()|{_DASHES}\n]{{1,{_MAX_DATE}}}")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMBER = re.compile(r"\d+")
_TWITTER_URL = re.compile(r"https?://(?:[\w-]+\.)?(?:twitter|x)\.com(?:[/?#]|$)", re.IGNORECASE)
_STATUS_URL = re.compile(
    r"https?://(?:[\w-]+\.)?(?:twitter|x)\.com/"
    r"(?:i/web/|(?P<handle>[A-Za-z0-9_]{1,15})/)status(?:es)?/(?P<id>\d{1,20})(?!\d)",
    re.IGNORECASE,
)
# Markdown links show their visible text; autolinks show their URL.
_MARKDOWN_LINK = re.compile(
    r"!?\[(?P<text>[^\[\]\n]*)\]\((?:<[^<>\n]*>|[^()\s]+)(?:[ \t]+\"[^\"\n]*\")?\)"
)
_AUTOLINK = re.compile(r"<(?P<url>https?://[^<>\s]+)>")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Signs that a document is Markdown, so that its backslash escapes are to be undone (in
# plain text "¯\_(ツ)_/¯" must stay as it is).
_MARKDOWN_HINT = re.compile(r"\]\((?:https?:)?//|<https?://|^[ \t]{0,3}>", re.MULTILINE)
# Lines that are Markdown structure rather than prose: headings, rules, fences, tables,
# images, link definitions and HTML tags. A hashtag at the start of a line ("#QZ8501:") is
# not a heading: a heading needs a space after its marks.
_STRUCTURE = re.compile(
    r"""
    \#{1,6}(?:[ \t]|$)
    | (?:[-*_][ \t]*){3,}$
    | =+[ \t]*$
    | (?:```|~~~)
    | \|.*\|[ \t]*$
    | !\[
    | \[[^\]\n]+\]:[ \t]
    | </?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)
    | <!--
    """,
    re.VERBOSE,
)
# The characters Twitter counts as 1 (its configuration "v3"): Latin to Ethiopic, and the
# general punctuation block's spaces, dashes, quotes and primes. Variation selectors, which
# only choose how an emoji is drawn, are counted 0 here.
_WIDE = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037\ufe00-\ufe0f]")
_SELECTOR = re.compile("[\ufe00-\ufe0f]")
# What counts as a URL in tweet text: scheme URLs and bare media links. Trailing punctuation
# belongs to the sentence, not the URL.
_URL = re.compile(
    r"(?P<media>\bpic\.(?:twitter|x)\.com/[A-Za-z0-9]+)"
    r"|(?P<url>\bhttps?://[^\s<>\"]*[^\s<>\".,;:!?'’”»)\]…])",
    re.IGNORECASE,
)


def find_posts(text: str) -> list[Post]:
    """Every tweet embedded in a plain-text or Markdown article, in order, each once.

    A tweet is known by its status id when the attribution line links to it, else by its
    author and text (see :attr:`Post.id`).

    :param text: the article, as plain text or Markdown; HTML entities are decoded here.
    """
    if "(@" not in text and "(&#" not in text:
        return []
    return [post for post, _ in find_embeds(readable_lines(text))]


def readable_lines(text: str) -> list[str]:
    """The lines of a plain-text or Markdown article as :func:`find_embeds` reads them:
    HTML entities decoded, any line break a line feed, invisible characters made spaces."""
    if "&" in text:
        text = html.unescape(text)
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if not text.isascii():
        for invisible, replacement in _INVISIBLE:
            if invisible in text:
                text = text.replace(invisible, replacement)
    return text.split("\n")


def find_embeds(lines: list[str]) -> list[tuple[Post, tuple[int, int]]]:
    """:func:`find_posts` on an article's :func:`readable_lines`, with each tweet's first
    and last line (its text's first line and its attribution line)."""
    if not any("(@" in line for line in lines):
        return []
    markdown = _MARKDOWN_HINT.search("\n".join(lines)) is not None
    found: dict[str, tuple[Post, tuple[int, int]]] = {}
    for index, line in enumerate(lines):
        if "(@" not in line:
            continue
        read = _post_at(lines, index, markdown)
        if read is not None and read[0].id not in found:
            found[read[0].id] = (read[0], (read[1], index))
    return list(found.values())


def weighted_length(text: str) -> int:
    """The length of ``text`` as Twitter counts it against the 280 limit.

    Every URL counts 23, whatever its length; a media link (``pic.twitter.com/…``) counts 0,
    because Twitter adds it for an attached picture; CJK, emoji and other characters beyond
    the common alphabets count 2; the rest count 1. Emoji variation selectors count 0, which
    brings most emoji close to Twitter's own count of 2.
    """
    total = 0
    position = 0
    for match in _URL.finditer(text):
        total += _weighted_chars(text[position : match.start()])
        total += 0 if match.group("media") else _URL_WEIGHT
        position = match.end()
    return total + _weighted_chars(text[position:])


def _weighted_chars(text: str) -> int:
    if text.isascii():
        return len(text)
    # Each character counts 1, each wide one 1 more, each variation selector 1 less.
    return len(text) + len(_WIDE.findall(text)) - len(_SELECTOR.findall(text))


def _split_line(line: str) -> tuple[int, int, str]:
    """A line's quote depth, its indentation and its content without either."""
    markers = _QUOTE_MARKERS.match(line)
    if markers:
        return markers.group(1).count(">"), 0, line[markers.end() :]
    content = line.lstrip(" \t")
    return 0, len(line) - len(content), content


def _post_at(lines: list[str], index: int, markdown: bool) -> tuple[Post, int] | None:
    """The tweet whose attribution is on ``lines[index]``, with the line its text starts on,
    or ``None`` if that line is not a tweet's attribution line."""
    depth, indent, content = _split_line(lines[index])
    if markdown and "\\" in content:
        content = _unescape(content, markdown)  # "(@brian\_armstrong)", "25\. September"
    at = content.rfind("(@")
    handle_match = _HANDLE.match(content, at)
    if handle_match is None:
        return None
    head = content[:at]
    dash = _find_dash(head)
    if dash is None:
        return None
    # Runs of spaces collapse; other spacing (the ideographic space in Japanese names) stays.
    name = _SPACES.sub(" ", head[dash[1] :]).strip()
    when = _read_date(content[handle_match.end() :].strip())
    if when is None:
        return None
    date, status = when

    prefix = head[: dash[0]].strip()
    if depth:
        body, first = _quote_block(lines, index, depth, prefix)
    elif prefix:
        body, first = [prefix], index
    else:
        body, first = _paragraph_above(lines, index, indent, markdown)
    tweet = "\n".join(_visible(line, markdown) for line in body).strip() or None

    handle = handle_match.group(1)
    post_id = permalink = None
    posted_at = None
    if status:
        post_id = status.group("id")
        url_handle = status.group("handle") or handle
        permalink = f"https://twitter.com/{url_handle}/status/{post_id}"
        posted_at = from_twitter_id(post_id)
    if posted_at is None and date:
        posted_at = parse_visible_date(date)
    urls = list(_URL.finditer(tweet or ""))
    post = Post(
        platform="twitter",
        post_id=post_id,
        url=permalink,
        author_name=name or None,
        author_handle=handle,
        posted_at=posted_at,
        text=tweet,
        hashtags=find_hashtags(tweet),
        mentions=find_mentions(tweet),
        links=tuple(m.group() for m in urls),
        has_media=any(m.group("media") for m in urls),
    )
    return post, first


def _find_dash(head: str) -> tuple[int, int] | None:
    """Where the attribution's dash is in the text before ``(@handle)``, as (start, end).

    The last dash within a display name's length of the handle that starts the line or
    follows a space (so an en dash inside a name or in the tweet text is passed over);
    failing that, the last dash glued to the text before it (extractors that join the
    tweet and its attribution without a space: "pic.twitter.com/s96jjh8AlD— Name").
    """
    glued = None
    for position in range(len(head) - 1, max(-1, len(head) - _MAX_NAME - 3), -1):
        char = head[position]
        if char in _DASHES:
            start = position
        elif char == "-" and head[position - 1 : position + 1] == _ASCII_DASH:
            start = position - 1
        else:
            continue
        end = position + 1
        if start == 0 or head[start - 1].isspace():
            return start, end
        if glued is None and char != "-":
            glued = (start, end)
    return glued


def _read_date(tail: str) -> tuple[str, re.Match[str] | None] | None:
    """The date after the ``(@handle)`` and the match of its status URL (percent-decoded),
    if it links to one; ``None`` when what follows is neither a date nor a status link.

    A linked date must link to Twitter or X (a date linking elsewhere is another
    platform's embed) and be a date or empty (Twitter leaves some dates empty).
    """
    linked = _LINKED_DATE.fullmatch(tail)
    if linked is None:
        return (tail, None) if _is_date(tail) else None
    date = linked.group("date").strip()
    url = unquote(linked.group("url"))
    if not _TWITTER_URL.match(url) or (date and not _is_date(date)):
        return None
    status = _STATUS_URL.match(url)
    return (date, status) if status or date else None


def _is_date(text: str) -> bool:
    """Whether ``text`` looks like an embed date: short, with a four-digit year and a day,
    in any language and order (``November 18, 2019``, ``2014. március 3.``,
    ``2026年4月1日``)."""
    return (
        _PLAIN_DATE.fullmatch(text) is not None
        and len(text.split()) <= _MAX_DATE_WORDS
        and _YEAR.search(text) is not None
        and len(_NUMBER.findall(text)) >= 2
    )


def _quote_block(lines: list[str], index: int, depth: int, prefix: str) -> tuple[list[str], int]:
    """The text of the Markdown quote block that ends with the attribution on
    ``lines[index]``, as lines, with hard wrapping undone, and the block's first line.

    A line ending in two spaces or a backslash is a Markdown hard break (the tweet's own
    line break); an empty quote line is a paragraph break; any other line break is wrapping.
    """
    block: list[str] = [prefix] if prefix else []
    first = index
    for line in reversed(lines[:index]):
        line_depth, _, content = _split_line(line)
        if line_depth < depth or _ends_embed(content) or _STRUCTURE.match(content.strip()):
            break
        block.append(content)
        first -= 1
    block.reverse()
    joined: list[str] = []
    current: list[str] = []  # the wrapped pieces of one line
    for content in block:
        stripped = content.strip()
        if not stripped:
            if current:
                joined.append(" ".join(current))
                current = []
            if joined and joined[-1]:
                joined.append("")  # one empty line per paragraph break
            continue
        current.append(stripped)
        if content.endswith(("  ", "\\")):
            joined.append(" ".join(current).removesuffix("\\").rstrip())
            current = []
    if current:
        joined.append(" ".join(current))
    return joined, first


def _paragraph_above(
    lines: list[str], index: int, indent: int, markdown: bool
) -> tuple[list[str], int]:
    """The tweet lines above the attribution on ``lines[index]`` (see the module docstring
    for the rule), and the line they start on."""
    position = index - 1
    while position >= 0 and not lines[position].strip():
        position -= 1
    taken: list[str] = []
    first = index
    weight = 0
    while position >= 0:
        _, line_indent, content = _split_line(lines[position])
        content = content.strip()
        if not content or line_indent < indent or _STRUCTURE.match(content) or _ends_embed(content):
            break
        line_weight = weighted_length(_visible(content, markdown)) + (1 if taken else 0)
        if taken and weight + line_weight > MAX_TWEET_WEIGHT:
            break
        taken.append(content)
        first = position
        weight += line_weight
        if weight > MAX_TWEET_WEIGHT:
            break  # a long post: only the line right above the attribution is its text
        position -= 1
    taken.reverse()
    return taken, first


def _ends_embed(content: str) -> bool:
    """Whether a line is the attribution of an embed above, standing alone (any platform's
    handle) or after its tweet text (newspaper3k's one-line form)."""
    if _ANY_ATTRIBUTION.match(content):
        return True
    at = content.rfind("(@")
    return (
        at > 0 and _HANDLE.match(content, at) is not None and _find_dash(content[:at]) is not None
    )


def _visible(line: str, markdown: bool) -> str:
    """A line as a reader sees it: Markdown links as their text, autolinks as their URL,
    escapes undone."""
    if "](" in line:
        line = _MARKDOWN_LINK.sub(lambda m: m.group("text"), line)
    if "<http" in line:
        line = _AUTOLINK.sub(lambda m: m.group("url"), line)
    return _unescape(line, markdown).strip()


def _unescape(text: str, markdown: bool) -> str:
    return _MARKDOWN_ESCAPE.sub(r"\1", text) if markdown and "\\" in text else text
