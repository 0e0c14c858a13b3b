"""A spike's card as people read it: plain text, Markdown (chat) and HTML (e-mail).

Post text, names and addresses are the public's, and may be hostile: every body shows them
as text (HTML escaped, Markdown escaped, no link but to a web address).
"""

from __future__ import annotations

from .explain import SpikeCard

KINDS = ("txt", "md", "html")


def render_card(card: SpikeCard, kind: str = "txt", timezone: str = "UTC") -> str:
    """The card as ``kind``: ``txt``, ``md`` or ``html``; times in ``timezone``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    from .report.render import environment  # Jinja: for the cards shown, not every listing

    return environment(kind).get_template(f"card.{kind}.j2").render(card=card, timezone=timezone)


def card_title(card: SpikeCard) -> str:
    """The card's one-line title (an e-mail's subject)."""
    what = "New" if card.status == "new" else "Spike"
    return f"{what}: {card.series} on {card.day} ({card.posts} posts, {card.ratio:g}× baseline)"
