"""The platform registry: each platform module registers the function that finds its posts
in a parsed page, with the markers without which an element cannot be one of its embeds.

Adding a platform is adding one module with one decorated function (and importing it in
``monitor.embeds``); nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..models import PLATFORMS, Post

# find_posts(tree), and find_posts(tree, placeholders=True) for a platform that reads
# placeholders, on a page that has some of its.
HtmlExtractor = Callable[..., list[Post]]
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
    find_posts: HtmlExtractor
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
    """Register the decorated function as the HTML extractor of platform ``name``; with
    ``hosts`` and ``read_address``, its posts are also read from placeholders."""
    if name not in PLATFORMS:
        raise ValueError(f"unknown platform {name!r}: expected one of {', '.join(PLATFORMS)}")
    if not markers:
        raise ValueError(f"platform {name!r} needs at least one marker")
    if bool(hosts) != (read_address is not None):
        raise ValueError(f"platform {name!r}: hosts and read_address go together")

    def register(find_posts: HtmlExtractor) -> HtmlExtractor:
        if name in _PLATFORMS:
            raise ValueError(f"platform {name!r} is already registered")
        _PLATFORMS[name] = Platform(name, find_posts, markers, hosts, read_address)
        return find_posts

    return register


def registered() -> tuple[Platform, ...]:
    """The registered platforms, in the order of ``models.PLATFORMS``."""
    return tuple(_PLATFORMS[name] for name in PLATFORMS if name in _PLATFORMS)
