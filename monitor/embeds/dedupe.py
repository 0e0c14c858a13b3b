"""One post per id, however many times a page (or its hidden copies) embeds it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields

from ..models import Post

_FIELDS = tuple(f.name for f in fields(Post))


def richness(post: Post) -> tuple[bool, int]:
    """How much a sighting of a post tells: text first, then the number of fields known."""
    return post.text is not None, sum(bool(getattr(post, name)) for name in _FIELDS)


def one_per_id(posts: Iterable[Post | None]) -> list[Post]:
    """One post per id, at the place of its first sighting; of several sightings of a post,
    the richest is kept (a copy with text over an id-only one). ``None`` entries, embeds
    that turned out not to be posts, are dropped."""
    chosen: dict[str, Post] = {}
    for post in posts:
        if post is None:
            continue
        known = chosen.get(post.id)
        if known is None or richness(post) > richness(known):
            chosen[post.id] = post
    return list(chosen.values())
