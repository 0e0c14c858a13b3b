"""The platform registry: each platform module registers the function that finds its posts
in a parsed page, with the markers without which an element cannot be one of its embeds.

Adding a platform is adding one module with one decorated function (and importing it in
``monitor.embeds``); nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from ..models import PLATFORMS, Post

HtmlExtractor = Callable[[LexborHTMLParser], list[Post]]


@dataclass(frozen=True, slots=True)
class Platform:
    """A registered platform.

    ``markers`` are lower-case substrings of which at least one occurs in the tag name or
    the attributes (``name=value``) of every element this platform's extractor reads an
    embed from, and so in the raw text of any page (or Markdown) that embeds its posts. A
    page none of whose candidate elements (:func:`monitor.embeds.find_html_posts`) carries
    them is not searched for this platform at all, which is most pages of a real archive.
    """

    name: str
    find_posts: HtmlExtractor
    markers: tuple[str, ...]

    def may_occur_in(self, text: str) -> bool:
        """Whether ``text`` (a page, or an element's lower-cased signature) holds a marker."""
        return any(marker in text for marker in self.markers)


_PLATFORMS: dict[str, Platform] = {}


def platform(name: str, *, markers: tuple[str, ...]) -> Callable[[HtmlExtractor], HtmlExtractor]:
    """Register the decorated function as the HTML extractor of platform ``name``."""
    if name not in PLATFORMS:
        raise ValueError(f"unknown platform {name!r}: expected one of {', '.join(PLATFORMS)}")
    if not markers:
        raise ValueError(f"platform {name!r} needs at least one marker")

    def register(find_posts: HtmlExtractor) -> HtmlExtractor:
        if name in _PLATFORMS:
            raise ValueError(f"platform {name!r} is already registered")
        _PLATFORMS[name] = Platform(name, find_posts, markers)
        return find_posts

    return register


def registered() -> tuple[Platform, ...]:
    """The registered platforms, in the order of ``models.PLATFORMS``."""
    return tuple(_PLATFORMS[name] for name in PLATFORMS if name in _PLATFORMS)
