"""The plain data that flows through the monitor: documents in, articles and posts out.

Every step of the pipeline is a function over these frozen dataclasses, so each step can be
tested alone and run in another process without change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

PLATFORMS = (
    "twitter",
    "bluesky",
    "mastodon",
    "threads",
    "instagram",
    "tiktok",
    "reddit",
    "facebook",
    "youtube",
)

HTML = "text/html"
PLAIN = "text/plain"
MARKDOWN = "text/markdown"


class Plain:
    """Pickled as its class and its fields' values, and unpickled by calling the class.

    Results cross from the workers to the writer by the hundred thousand: a frozen,
    slotted dataclass pickles by default through ``__getstate__``/``__setstate__``, which
    look its fields up again for every object and set each with ``object.__setattr__``;
    this is about twice as fast both ways, and smaller.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # A slotted dataclass's __slots__ are its fields, in the order __init__ takes them.
        return type(self), tuple([getattr(self, name) for name in self.__slots__])


def stable_hash(*parts: str | None, length: int = 16) -> str:
    """A short, stable hex digest of ``parts`` (``None`` and ``""`` hash alike)."""
    digest = hashlib.sha256("\x1f".join(p or "" for p in parts).encode("utf-8"))
    return digest.hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class Document(Plain):
    """One article as read from an archive, before anything is extracted from it.

    ``text`` is already decoded to ``str``. ``media_type`` is one of ``text/html``,
    ``text/plain`` or ``text/markdown``. ``locator`` says where in ``source_path`` the
    document was (a WARC record offset, a JSON Lines line number); ``None`` for a whole file.
    ``title``, ``published_at`` and ``lang`` carry metadata that the archive itself supplied
    (JSON Lines exports do), which wins over what is found in the text.
    """

    source_path: str
    text: str
    media_type: str = HTML
    locator: str | None = None
    url: str | None = None
    fetched_at: str | None = None
    title: str | None = None
    published_at: str | None = None
    lang: str | None = None
    # The bytes ``text`` was decoded from, when they are exactly its UTF-8 encoding (most
    # pages): the HTML parser reads them rather than encoding ``text`` back.
    utf8: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Article(Plain):
    """What is known about the page that embeds the posts."""

    source_path: str
    locator: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published_at: str | None = None
    lang: str | None = None
    fetched_at: str | None = None

    @property
    def id(self) -> str:
        """Stable id: from the URL when known (one article in several archives is one row),
        else from where the document was found."""
        if self.url:
            return stable_hash("url", self.url)
        return stable_hash("path", self.source_path, self.locator)


@dataclass(frozen=True, slots=True)
class Post(Plain):
    """One embedded social post.

    ``hashtags`` are normalised (no ``#``, case-folded); ``author_handle`` has no leading
    ``@``; ``posted_at`` is ISO 8601, a full UTC timestamp when the id encodes it, else a
    date; ``lang`` is the platform's own language tag, a hint rather than the truth;
    ``text`` is ``None`` when the embed carries no post text.
    """

    platform: str
    post_id: str | None = None
    url: str | None = None
    author_name: str | None = None
    author_handle: str | None = None
    posted_at: str | None = None
    lang: str | None = None
    text: str | None = None
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    has_media: bool = False
    is_reply: bool = False

    @property
    def id(self) -> str:
        """``platform:post_id`` when the platform id is known, else a stable hash of the
        platform, handle and normalised text, so that the same post found twice is one row."""
        if self.post_id:
            return f"{self.platform}:{self.post_id}"
        normalised = " ".join((self.text or "").split()).casefold()
        return f"{self.platform}:h{stable_hash(self.author_handle, normalised)}"


@dataclass(frozen=True, slots=True)
class Scores(Plain):
    """VADER's four scores; all ``None`` when the text was not scored."""

    compound: float | None = None
    pos: float | None = None
    neu: float | None = None
    neg: float | None = None

    @property
    def scored(self) -> bool:
        return self.compound is not None


UNSCORED = Scores()


@dataclass(frozen=True, slots=True)
class ScoredPost(Plain):
    """A post with what the monitor made of its text: the detected language and VADER's
    scores (unscored when the text is missing, not English or holds no words)."""

    post: Post
    lang: str | None
    scores: Scores
    scorer: str | None = None


METHODS = ("blockquote", "iframe", "placeholder", "script", "text")
"""How a page embeds a post: the platform's blockquote embed code; an iframe (AMP's
components and lazily loaded frames included); a placeholder that a site's or consent
manager's script turns into the embed; embed code held in a script or an attribute value
(a CMS's page state); a plain-text or Markdown attribution."""

PLACEMENTS = ("lead", "body", "end")
"""Where in its article's prose an embed stands: before the second paragraph, between, or
after the last."""


@dataclass(frozen=True, slots=True)
class Embedding(Plain):
    """How and where an article embeds one post, and the article's own words around it.

    ``context_before`` and ``context_after`` are the article's prose just before and just
    after the embed (its nearest paragraph, with the one beyond when that is short; at most
    :data:`monitor.embeds.prose.MAX_CONTEXT` characters each), ``None`` where it has
    none; ``position_share`` is how far through the article's prose the embed stands (0 to
    1), ``None`` where the article has no prose.
    """

    method: str
    placement: str
    position_share: float | None = None
    context_before: str | None = None
    context_after: str | None = None


@dataclass(frozen=True, slots=True)
class Framing(Plain):
    """What the monitor made of the article's words around one embed: their language and
    VADER's scores (unscored when there are none, or they are not English)."""

    lang: str | None = None
    scores: Scores = UNSCORED
    scorer: str | None = None


NOT_FRAMED = Framing()


@dataclass(frozen=True, slots=True)
class Extraction(Plain):
    """What one document yields: its article, the posts it embeds in page order, and how
    and where it embeds each (``embeds``: one per post, in the same order; empty when not
    known)."""

    article: Article
    posts: tuple[Post, ...] = field(default_factory=tuple)
    embeds: tuple[Embedding, ...] = field(default_factory=tuple)
