"""Reddit posts and comments embedded in HTML pages.

Recognised forms:

* the widget of ``embed.reddit.com`` (2023 on): ``blockquote.reddit-embed-bq`` holding a
  link to the post whose text is its title, then "by u/name in r/subreddit";
* the older card of ``embed.redditmedia.com`` (2014-2021): ``blockquote.reddit-card``,
  the title link then "from r/subreddit", without the author;
* the older comment embed of ``redditstatic.com/comment-embed.js``: ``div.reddit-embed``,
  a "Comment" link then "from discussion" and the post's title;
* id-only forms: ``<amp-reddit data-src>`` and iframes on ``redditmedia.com`` or
  ``embed.reddit.com`` (rendered or pasted; also in lazy ``data-src``).

An embed is a post or a comment, as its first link to ``/comments/`` says. A post's text is
its **title**, the only words of it that the embed holds. A comment embed holds none of the
comment's words ("Comment" is a label), so its text is ``None``; it is marked ``is_reply``.

Ids: ``Post.post_id`` is the base36 id after ``/comments/`` (``1ri4d80``); a comment's is
``{post id}/{comment id}`` (``1e9iyof/leevgp2``), from either URL form
(``/comments/POST/comment/ID/`` and ``/comments/POST/slug/ID/``), so that it names the thread
too and never collides with a post's id. Ids are lower case.

``Post.url`` is ``https://www.reddit.com/r/{subreddit}/comments/{id}/`` (a comment's ends in
``comment/{comment id}/``), without the title slug and query, whatever host the page used
(``old.``, ``np.``, ``redditmedia.com``); posts on a user profile give
``/user/{name}/comments/...``, and ``https://www.reddit.com/comments/{id}/`` is used when the
embed names no subreddit. ``author_handle`` is the account name without ``u/``.

``posted_at`` is always ``None``: base36 ids encode no time, and the card's
``data-card-created`` (or the comment embed's ``data-embed-created``) is when the embed code
was generated, not when the post was made.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.embeds.dedupe import Sighting, one_per_id_at
from monitor.embeds.dom import (
    FRAME_SOURCES,
    attribute_match,
    collapse_whitespace,
    inner_text,
    placeholder_address,
    placeholders_of,
)
from monitor.embeds.registry import platform, posts_finder
from monitor.models import Post

PLATFORM = "reddit"

_CARDS = "blockquote.reddit-embed-bq, blockquote.reddit-card, div.reddit-embed"
_FRAMES = ", ".join(f"iframe[{name}*='reddit']" for name in FRAME_SOURCES)
_EMBEDS = f"{_CARDS}, amp-reddit[data-src], {_FRAMES}"
_EMBEDS_AND_PLACEHOLDERS = f"{_EMBEDS}, {placeholders_of(PLATFORM)}"

# A post or comment permalink on any Reddit host. The segment before "/comments/" is the
# subreddit ("r/name") or, for a post on a user profile, the user ("u/name", "user/name").
# A comment's URL adds its id after the title slug, or after the literal "comment" segment
# that takes the slug's place in newer links.
_POST_URL = re.compile(
    r"(?:^|[/.])reddit(?:media)?\.com/"
    r"(?:(?P<kind>r|u|user)/(?P<place>[A-Za-z0-9_-]{1,50})/)?"
    r"comments/(?P<post>[A-Za-z0-9]{1,13})(?![A-Za-z0-9])"
    r"(?:/[^/?#\s]*/(?P<comment>[A-Za-z0-9]{1,13})(?=[/?#]|$))?",
    re.IGNORECASE,
)
_USER_URL = re.compile(
    r"(?:^|[/.])reddit\.com/(?:user|u)/(?P<name>[A-Za-z0-9_-]{1,30})/?(?:[?#]|$)", re.IGNORECASE
)
_USER_TEXT = re.compile(r"/?u/(?P<name>[A-Za-z0-9_-]{1,30})")
_SUBREDDIT_URL = re.compile(
    r"(?:^|[/.])reddit\.com/r/(?P<name>[A-Za-z0-9_]{1,30})/?(?:[?#]|$)", re.IGNORECASE
)
# Link text that is only an address (editors' tools that write the URL as the link text).
_ADDRESS = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)


def read_address(address: str) -> Post | None:
    """The post or comment a permalink stands for; ``None`` for any other address."""
    match = _POST_URL.search(address)
    return _post(match) if match else None


# Every form names reddit in its class, tag, script or links.
@platform(PLATFORM, markers=("reddit",), hosts=("reddit.com",), read_address=read_address)
def find_embeds(tree: LexborHTMLParser, *, placeholders: bool = False) -> list[Sighting]:
    """The Reddit posts and comments embedded in a parsed HTML page, in page order, one
    per id; when one is embedded more than once, the copy with most fields is kept, at the
    place of the first.

    :param tree: the page, parsed once by the caller
    :param placeholders: also read the placeholders marked in it (see
        :mod:`monitor.embeds.placeholders`)
    """
    return one_per_id_at(
        (_read_embed(node), node)
        for node in tree.css(_EMBEDS_AND_PLACEHOLDERS if placeholders else _EMBEDS)
    )


find_posts = posts_finder(find_embeds)


def _read_embed(node: LexborNode) -> Post | None:
    address = placeholder_address(node)
    if address is not None:
        return read_address(address)
    if node.tag in ("blockquote", "div"):
        return _read_card(node)
    # amp-reddit (data-src) and iframes: only the address is there.
    match = attribute_match(node, _POST_URL)
    return _post(match) if match else None


def _read_card(card: LexborNode) -> Post | None:
    """A widget, card or comment embed: the first permalink says what is embedded; a
    post's title is that link's text."""
    for link in card.css("a[href]"):
        match = _POST_URL.search(link.attributes.get("href") or "")
        if match:
            break
    else:
        return None
    title = None if match["comment"] else _title(link)
    return _post(match, text=title, author=_author(card), subreddit=_subreddit(card))


def _post(
    match: re.Match[str],
    *,
    text: str | None = None,
    author: str | None = None,
    subreddit: str | None = None,
) -> Post:
    kind = (match["kind"] or "").lower()
    place = match["place"]
    post_id = match["post"].lower()
    comment_id = match["comment"].lower() if match["comment"] else None
    if kind == "r":
        subreddit = place
    elif kind and author is None:
        author = place  # a post on a user's profile is that user's
    if subreddit:
        url = f"https://www.reddit.com/r/{subreddit}/comments/{post_id}/"
    elif kind:
        url = f"https://www.reddit.com/user/{place}/comments/{post_id}/"
    else:
        url = f"https://www.reddit.com/comments/{post_id}/"
    if comment_id:
        url += f"comment/{comment_id}/"
    return Post(
        platform=PLATFORM,
        post_id=f"{post_id}/{comment_id}" if comment_id else post_id,
        url=url,
        author_handle=author,
        text=text,
        is_reply=comment_id is not None,
    )


def _title(link: LexborNode) -> str | None:
    title = collapse_whitespace(inner_text(link))
    return None if not title or _ADDRESS.fullmatch(title) else title


def _author(card: LexborNode) -> str | None:
    """The account in the "by u/name" link: its address, else its text."""
    for link in card.css("a[href]"):
        match = _USER_URL.search(link.attributes.get("href") or "") or _USER_TEXT.fullmatch(
            collapse_whitespace(inner_text(link))
        )
        if match:
            return match["name"]
    return None


def _subreddit(card: LexborNode) -> str | None:
    """The subreddit's own link ("in r/name"), for permalinks that do not name it."""
    for link in card.css("a[href]"):
        match = _SUBREDDIT_URL.search(link.attributes.get("href") or "")
        if match:
            return match["name"]
    return None
