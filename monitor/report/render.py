"""The summary rendered twice, with jinja2: HTML (autoescaped, self-contained) and Markdown
(every value escaped unless a filter built it as markup).

Post text, names and URLs come from the pages the monitor read and may hold anything: markup,
``javascript:`` URLs, Markdown. They are always shown as text; a URL becomes a link only when
it is a plain ``http(s)`` URL, and every link carries ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup

from .words import chance, drivers_text, series_name

POST_TEXT_LIMIT = 600  # characters of a post shown; the CSV files and JSON hold it whole
_MINUS = "−"  # U+2212: the typographic minus lines up with the plus sign
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What would start a heading, a list or a rule at the start of a line.
_LINE_START = re.compile(r"(\d+)([.)])(?=\s|$)|#{1,6}(?=\s|$)|[+-](?=\s|$)|[=-]+\s*$")


def render_html(summary: Mapping[str, Any], charts: Mapping[str, str]) -> str:
    """The report as one self-contained HTML page.

    :param charts: each chart's name (``volume``, ``sentiment``) and its image as a
        ``data:image/png;base64,...`` URI.
    """
    template = environment("html").get_template("report.html.j2")
    return template.render(**summary, charts=charts)


def render_markdown(summary: Mapping[str, Any], charts: Mapping[str, str]) -> str:
    """The report as Markdown. :param charts: each chart's path relative to the file."""
    template = environment("md").get_template("report.md.j2")
    return template.render(**summary, charts=charts)


def web_url(value: object) -> str | None:
    """``value`` if it is a plain ``http``/``https`` URL to a host (no spaces or control
    characters), else ``None``: anything else is shown as text, never linked."""
    if not isinstance(value, str) or _CONTROL.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def markdown_text(value: object) -> str:
    """Text that Markdown shows as it is: no emphasis, code, links, tables or HTML."""
    text = "" if value is None else str(value)
    return _ENTITY_START.sub("&amp;", _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def environment(kind: str) -> Environment:
    """The templates' environment for ``kind``: ``html`` (autoescaped), ``md`` (every value
    escaped as Markdown text unless a filter made it markup) or ``txt`` (plain text)."""
    markdown = kind == "md"
    env = Environment(
        loader=PackageLoader("monitor.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # In Markdown every value is escaped unless a filter made it markup (links, quotes).
        finalize=_markdown_finalize if markdown else None,
    )
    env.filters.update(
        chance=chance,
        count=count,
        drivers=drivers_text,
        series_name=series_name,
        hours=hours,
        signed=signed,
        share=share,
        change=change,
        median=median,
        local=local,
        long_date=long_date,
        clip=clip,
        one_line=one_line,
        tone=tone,
        web_url=web_url,
        md_link=md_link,
        md_quote=md_quote,
    )
    return env


def _markdown_finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    return markdown_text(value)


# --- filters shared by both renderings ------------------------------------------------------


def count(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def hours(value: float) -> str:
    """A delay in hours: ``3.2 h``, ``−0.5 h``; ``45 min`` under an hour."""
    if abs(value) < 1:
        return f"{value * 60:.0f} min".replace("-", _MINUS)
    return f"{value:.1f} h".replace("-", _MINUS)


def signed(value: float | None, digits: int = 2) -> str:
    """A compound score: ``+0.66``, ``−0.91``, ``0.00``; ``—`` when unknown."""
    if value is None:
        return "—"
    text = f"{value:+.{digits}f}"
    if float(text) == 0:
        return f"{0:.{digits}f}"
    return text.replace("-", _MINUS)


def share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def change(value: float | None, measure: str) -> str:
    """A change against the median, in the measure's own unit: ``+3``, ``−12 pts``."""
    if value is None:
        return "—"
    if measure == "mean_compound":
        return signed(value)
    if measure.endswith("_share"):
        points = round(value * 100)
        return "0 pts" if points == 0 else f"{points:+d} pts".replace("-", _MINUS)
    rounded = round(value, 1)
    if rounded == 0:
        return "0"
    return f"{rounded:+,.1f}".removesuffix(".0").replace("-", _MINUS)


def median(value: float | None, measure: str = "posts") -> str:
    if measure.endswith("_share"):
        return share(value)
    if measure == "mean_compound":
        return signed(value)
    return count(value)


@pass_context
def local(context: Any, value: str | None) -> str:
    """An ISO timestamp in the report's time zone: ``2024-11-22 07:00 UTC``."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return value
    zone = ZoneInfo(context["timezone"])
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M ") + (
        moment.astimezone(zone).tzname() or ""
    )


def long_date(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day:%A} {day.day} {day:%B %Y}"


def clip(value: str | None, limit: int = POST_TEXT_LIMIT) -> str:
    text = (value or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def tone(value: float | None) -> str:
    """VADER's reading of a compound score: ``positive``, ``negative`` or ``neutral``."""
    if value is None:
        return "unscored"
    return "positive" if value >= 0.05 else "negative" if value <= -0.05 else "neutral"


# --- Markdown markup ------------------------------------------------------------------------


def md_link(url: str | None, label: str) -> Markup:
    """``[label](url)`` for a web URL; the URL as escaped text otherwise."""
    checked = web_url(url)
    if checked is None:
        return Markup(markdown_text(url or ""))
    # Parentheses and spaces would end the link early; < > would start HTML.
    target = quote(checked, safe=":/?#@!$&'*+,;=%[]~-._")
    return Markup(f"[{markdown_text(label)}]({target})")


def md_quote(text: str | None, indent: int = 0) -> Markup:
    """A block quote of escaped text, line by line, indented to sit in a list item."""
    pad = " " * indent
    lines = clip(text).splitlines() or [""]
    quoted = (_guard_line_start(markdown_text(line.strip())) for line in lines)
    return Markup("\n".join(f"{pad}> {line}".rstrip() for line in quoted))


def _guard_line_start(line: str) -> str:
    """A line that would start a heading, list or rule, escaped so that it does not."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}{line[match.end() :]}"
    return "\\" + line
