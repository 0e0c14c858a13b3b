"""Mastodon posts embedded in HTML pages.

Neither embed form carries the post's text, name or date, so every post found here is
id-only: ``Post.text`` is ``None`` and the post is never scored. Recognised forms:

* Mastodon 4.3 and later: ``blockquote.mastodon-embed[data-embed-url]``, holding a link to
  the post, "Post by @user@domain" and "View on Mastodon". Those two lines are the embed's
  boilerplate, never post text. Ghost's ``figure.kg-embed-card`` and Hugo's raw-HTML
  shortcodes wrap the same blockquote;
* Mastodon 4.2 and earlier: ``iframe.mastodon-embed`` whose ``src`` is the post's URL with
  ``/embed`` appended, and any other iframe whose ``src`` (or a lazy-loading copy) has
  exactly that shape, ``https://{instance}/@{user}/{digits}/embed``; instances run on any
  domain, so the shape is what tells them apart from other iframes.

Post URLs are ``https://{instance}/@{user}/{id}`` or ``https://{instance}/users/{user}/
statuses/{id}``; on an instance showing another server's account, ``@{user}@{domain}``.

Identity
--------
Status ids are numbered by each instance, so ``Post.post_id`` is ``{instance}/{id}``
(``hachyderm.io/115198236194466811``), the host lower-cased. ``Post.url`` is
``https://{instance}/@{user}/{id}``, whichever URL form the page used.
``Post.author_handle`` is ``user@domain``: the handle in "Post by @user@domain" when the
blockquote shows it (an instance may give its accounts a domain other than its own host),
else the user in the URL at the URL's host.

Time
----
``Post.posted_at`` is decoded from the status id (milliseconds in its top bits, on servers
since Mastodon 2.0); ids from older schemes decode to nothing.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.embeds.dedupe import Sighting, one_per_id_at
from monitor.embeds.dom import FRAME_SOURCES, collapse_whitespace, first_attribute, inner_text
from monitor.embeds.registry import platform, posts_finder
from monitor.models import Post
from monitor.timestamps import from_mastodon_id

PLATFORM = "mastodon"

# ":is()" rather than a selector list, which yields an element once per selector it matches.
_EMBEDS = "blockquote.mastodon-embed, iframe:is(.mastodon-embed, {})".format(
    ", ".join(f"[{name}*='/embed']" for name in FRAME_SOURCES)
)

_USER = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?"
_DOMAIN = r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_STATUS_URL = re.compile(
    rf"^(?:https?:)?//(?P<host>{_DOMAIN})/"
    rf"(?:@(?P<user>{_USER})(?:@(?P<domain>{_DOMAIN}))?|users/(?P<users_user>{_USER})/statuses)"
    r"/(?P<id>\d{1,20})(?P<embed>/embed)?/?(?:[?#]|$)"
)
_POSTED_BY = re.compile(rf"(?<![\w@])@(?P<user>{_USER})@(?P<domain>{_DOMAIN})")


# The 4.3 blockquote has the class "mastodon-embed"; iframes of either generation load a URL
# ending in "/embed".
@platform(PLATFORM, markers=("mastodon", "/embed"))
def find_embeds(tree: LexborHTMLParser) -> list[Sighting]:
    """The Mastodon posts embedded in a parsed HTML page, in page order, one per post.

    :param tree: the page, parsed once by the caller
    """
    return one_per_id_at(
        (_read_blockquote(node) if node.tag == "blockquote" else _read_iframe(node), node)
        for node in tree.css(_EMBEDS)
    )


find_posts = posts_finder(find_embeds)


def _read_blockquote(quote: LexborNode) -> Post | None:
    candidates = [first_attribute(quote, "data-embed-url") or ""]
    candidates += [link.attributes.get("href") or "" for link in quote.css("a[href]")]
    for candidate in candidates:
        match = _STATUS_URL.match(candidate.strip())
        if match:
            shown = _POSTED_BY.search(collapse_whitespace(inner_text(quote)))
            return _post(match, shown)
    return None


def _read_iframe(iframe: LexborNode) -> Post | None:
    classes = (iframe.attributes.get("class") or "").split()
    for name in FRAME_SOURCES:
        match = _STATUS_URL.match((iframe.attributes.get(name) or "").strip())
        # Without the class only the full embed URL shape counts: many other sites' iframe
        # URLs end in "/embed".
        if match and (match["embed"] or "mastodon-embed" in classes):
            return _post(match, None)
    return None


def _post(match: re.Match[str], shown: re.Match[str] | None) -> Post:
    host = match["host"].lower()
    user = match["user"] or match["users_user"]
    domain = (match["domain"] or host).lower()
    status_id = match["id"]
    handle = f"{user}@{domain}"
    if shown is not None and shown["user"].casefold() == user.casefold():
        handle = f"{shown['user']}@{shown['domain'].lower()}"
    path_user = f"{user}@{match['domain'].lower()}" if match["domain"] else user
    return Post(
        platform=PLATFORM,
        post_id=f"{host}/{status_id}",
        url=f"https://{host}/@{path_user}/{status_id}",
        author_handle=handle,
        posted_at=from_mastodon_id(status_id),
    )
