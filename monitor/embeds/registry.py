"""The platform registry: each platform module registers the function that finds its posts
in a parsed page, with the markers without which an element cannot be one of its embeds.

Adding a platform is adding one module with one decorated function (and importing it in
``monitor.embeds``); nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..models import PLATFORMS, Post
from .dedupe import Sighting, posts_of

# find_embeds(tree), and find_embeds(tree, placeholders=True) for a platform that reads
# placeholders, on a page that has some of its: each post with the element it was read from.
HtmlExtractor = Callable[..., list[Sighting]]
AddressReader = Callable[[str], Post | None]


@dataclass(frozen=True, slots=True)
class Platform:
    """A registered platform.

    ``markers`` are lower-case substrings of which at least one occurs in the tag name or
    the attributes (``name=value``) of every element this platform's extractor reads an
    embed from, and so in the raw text of any page (or Markdown) that embeds its posts. A
    page none of whose candidate elements (:func:`monitor.embeds.find_html_posts`) carries
    them is not searched for this platform at all, which is most pages of a real archive.

    ``hosts`` are the lower-case host names of the platform's post addresses, and
    ``read_address`` the post an address stands for (``None`` when it is not a post's):
    with them, an element that a site's script will turn into an embed, and that holds
    only the post's address (see :mod:`monitor.embeds.placeholders`), is read as one.
    """

    name: str
    find_embeds: HtmlExtractor
    markers: tuple[str, ...]
    hosts: tuple[str, ...] = ()
    read_address: AddressReader | None = None

    def may_occur_in(self, text: str) -> bool:
        """Whether ``text`` (a page, or an element's lower-cased signature) holds a marker."""
        return any(marker in text for marker in self.markers)


_PLATFORMS: dict[str, Platform] = {}


def platform(
    name: str,
    *,
    markers: tuple[str, ...],
    hosts: tuple[str, ...] = (),
    read_address: AddressReader | None = None,
) -> Callable[[HtmlExtractor], HtmlExtractor]:
    """Register the decorated function (``find_embeds``) as the HTML extractor of platform
    ``name``; with
    ``hosts`` and ``read_address``, its posts are also read from placeholders."""
    if name not in PLATFORMS:
        raise ValueError(f"unknown platform {name!r}: expected one of {', '.join(PLATFORMS)}")
    if not markers:
        raise ValueError(f"platform {name!r} needs at least one marker")
    if bool(hosts) != (read_address is not None):
        raise ValueError(f"platform {name!r}: hosts and read_address go together")

    def register(find_embeds: HtmlExtractor) -> HtmlExtractor:
        if name in _PLATFORMS:
            raise ValueError(f"platform {name!r} is already registered")
        _PLATFORMS[name] = Platform(name, find_embeds, markers, hosts, read_address)
        return find_embeds

    return register


def posts_finder(find_embeds: HtmlExtractor) -> Callable[..., list[Post]]:
    """A platform's ``find_posts``: the posts its ``find_embeds`` finds, without the
    elements they were read from."""

    def find_posts(tree: object, **options: bool) -> list[Post]:
        return posts_of(find_embeds(tree, **options))

    find_posts.__doc__ = f"The posts of :func:`{find_embeds.__module__}.find_embeds`."
    return find_posts


def registered() -> tuple[Platform, ...]:
    """The registered platforms, in the order of ``models.PLATFORMS``."""
    return tuple(_PLATFORMS[name] for name in PLATFORMS if name in _PLATFORMS)
