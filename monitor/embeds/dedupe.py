"""One post per id, however many times a page (or its hidden copies) embeds it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import TypeVar

from selectolax.lexbor import LexborNode

from ..models import Post

_FIELDS = tuple(f.name for f in fields(Post))


Place = TypeVar("Place")

Sighting = tuple[Post, LexborNode]
"""A post and the element of the page it was read from: where, and how, the page embeds it."""


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


def one_per_id_at(sightings: Iterable[tuple[Post | None, Place]]) -> list[tuple[Post, Place]]:
    """:func:`one_per_id` for posts with where they were seen (the element they were read
    from, say): each post the richest of its sightings, at the place of its first (where a
    reader meets it first)."""
    chosen: dict[str, tuple[Post, Place]] = {}
    for post, place in sightings:
        if post is None:
            continue
        known = chosen.get(post.id)
        if known is None:
            chosen[post.id] = (post, place)
        elif richness(post) > richness(known[0]):
            chosen[post.id] = (post, known[1])
    return list(chosen.values())


def posts_of(sightings: Iterable[tuple[Post, object]]) -> list[Post]:
    """The posts of ``sightings``, in their order."""
    return [post for post, _ in sightings]
