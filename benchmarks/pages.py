"""News pages as outlets serve them: mostly boilerplate, some article, now and then an embed.

Each outlet has its own template: head metadata (Open Graph, JSON-LD, a date in one of the
forms sites use, or none), inline CSS (some of it naming embed classes, as real stylesheets
do), analytics and ad scripts, a CMS state blob, navigation, share buttons, pull quotes,
related articles, comments placeholders and a long footer. The article text sits among it,
with the embeds between paragraphs.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import prose

SECTIONS = ("world", "politics", "business", "europe", "sport", "technology", "climate", "uk")
# How a page states its publication time: the forms of real news sites, and none at all
# (then the date comes from the URL or the page text).
DATE_STYLES = ("meta", "meta", "meta", "jsonld", "jsonld", "parsely", "time", "none")


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domain: str
    lang: str
    dated_urls: bool
    date_style: str
    css_traps: bool  # its stylesheet names embed classes (.twitter-tweet, .instagram-media)
    state_body: bool  # its CMS state repeats the article body, embed code escaped
    css: str
    script: str
    nav: str
    footer: str


def make_outlets(rng: random.Random, count: int = 16) -> list[Outlet]:
    names = (
        ("The Daily Courier", "dailycourier-news.com"),
        ("Metro Herald", "metroherald.co.uk"),
        ("Northern Post", "northern-post.com"),
        ("Capital Times", "capitaltimes.net"),
        ("Le Quotidien", "lequotidien-info.fr"),
        ("Morgenblatt", "morgenblatt-online.de"),
        ("Coast Gazette", "coastgazette.com"),
        ("The Ledger", "ledger-news.org"),
        ("City Wire", "citywire-daily.com"),
        ("Evening Standard Press", "eveningpress.co.uk"),
        ("Global Desk", "globaldesk.news"),
        ("Valley Observer", "valleyobserver.com"),
        ("The Monitor Review", "monitor-review.com"),
        ("Harbour Chronicle", "harbourchronicle.com.au"),
        ("Prairie Journal", "prairiejournal.ca"),
        ("Westside Sun", "westsidesun.com"),
    )
    outlets = []
    for index in range(count):
        name, domain = names[index % len(names)]
        lang = {"fr": "fr-FR", "de": "de-DE"}.get(domain.rsplit(".", 1)[-1], "en-GB")
        outlets.append(
            Outlet(
                name=name,
                domain=domain,
                lang=lang,
                dated_urls=rng.random() < 0.5,
                date_style=rng.choice(DATE_STYLES),
                css_traps=rng.random() < 0.4,
                state_body=index % 8 == 3,
                css=_stylesheet(rng, rng.random() < 0.4),
                script=_minified_script(rng, rng.randint(3, 14)),
                nav=_navigation(rng, domain),
                footer=_footer(rng, name, domain),
            )
        )
    return outlets


def page(
    outlet: Outlet,
    rng: random.Random,
    published: datetime,
    embeds: list[str],
    target_size: int,
    bank: list[str],
) -> tuple[str, str]:
    """One article page of ``outlet`` around ``embeds``, padded towards ``target_size``
    characters with the CMS state and scripts that real pages carry; returns the page and
    its URL."""
    title = prose.headline(rng)
    section = rng.choice(SECTIONS)
    slug = "-".join(title.lower().replace(":", "").replace("?", "").split())
    article_id = rng.randrange(10**7, 10**8)
    if outlet.dated_urls:
        url = f"https://www.{outlet.domain}/{section}/{published:%Y/%m/%d}/{slug}-{article_id}"
    else:
        url = f"https://www.{outlet.domain}/news/{section}-{article_id}"
    iso = published.isoformat(timespec="seconds")
    paragraphs = [prose.paragraph(rng) for _ in range(rng.randint(8, 28))]
    author = prose.person(rng)[0]
    body = _body(rng, paragraphs, embeds, outlet.domain)
    head = _head(outlet, rng, title, url, iso, author, section, embeds)
    byline = f'<div class="byline">By <a href="/authors/{author.lower().replace(" ", "-")}">'
    byline += f"{html.escape(author)}</a>"
    if outlet.date_style == "time":
        byline += f' <time pubdate datetime="{iso}">{published:%d %B %Y}</time>'
    elif outlet.date_style == "none":
        byline += f' <span class="dateline">{published.day} {published:%B %Y}</span>'
    byline += "</div>"
    share = (
        '<div class="share-tools" aria-label="Share this article">'
        f'<a class="share share--x" href="https://twitter.com/intent/tweet?url={url}&amp;text='
        f'{html.escape(title)}">Share on X</a> <a class="share share--facebook" href="https://'
        f'www.facebook.com/sharer/sharer.php?u={url}">Facebook</a> <a class="share '
        f'share--whatsapp" href="https://wa.me/?text={url}">WhatsApp</a> <a class="share '
        f'share--email" href="mailto:?subject={html.escape(title)}&amp;body={url}">Email</a></div>'
    )
    image = rng.randrange(10**6)
    figure = (
        '<figure class="lead-image"><picture>'
        f'<source type="image/webp" srcset="https://cdn.{outlet.domain}/img/{image}/320.webp 320w'
        f", https://cdn.{outlet.domain}/img/{image}/640.webp 640w, https://cdn.{outlet.domain}"
        f'/img/{image}/1280.webp 1280w" sizes="(min-width: 1024px) 760px, 100vw">'
        f'<img src="https://cdn.{outlet.domain}/img/{image}/640.jpg" alt="{html.escape(title)}"'
        ' width="640" height="360" loading="eager"></picture><figcaption>'
        f"{html.escape(prose.sentence(rng))} Photograph: Agency</figcaption></figure>"
    )
    main = (
        f'<main id="main" class="main"><article class="article article--{section}">'
        f'<nav class="breadcrumb"><a href="/">Home</a> › <a href="/{section}">'
        f'{section.title()}</a></nav><h1 class="headline">{html.escape(title)}</h1>'
        f'<p class="standfirst">{html.escape(prose.sentence(rng))}</p>{byline}{share}{figure}'
        f'<div class="article-body">{body}</div>{_tags(rng)}</article>'
        f"{_most_read(rng, outlet.domain)}{_related(rng, outlet.domain)}"
        '<section class="comments" id="comments"><!-- comments load on demand --><button '
        'class="comments__toggle" data-action="load-comments">Show comments</button></section>'
        '<form class="newsletter" action="/newsletter" method="post"><label for="nl-email">'
        'Get the morning briefing</label><input id="nl-email" name="email" type="email" '
        'required><button type="submit">Sign up</button></form></main>'
    )
    parts = [
        head,
        f'<body class="article-page section-{section}">',
        '<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-'
        f'{article_id % 99991}" height="0" width="0" style="display:none;visibility:hidden">'
        "</iframe></noscript>",
        '<a class="skip-link" href="#main">Skip to content</a>',
        '<div id="cookie-banner" class="cookie-banner" hidden><p>We use cookies to improve your '
        'experience.</p><button data-consent="accept">Accept</button><button data-consent='
        '"reject">Reject</button></div>',
        outlet.nav,
        main,
        outlet.footer,
    ]
    tail = f'<script src="https://cdn.{outlet.domain}/js/app.{article_id % 977}.js" defer></script>'
    size = sum(map(len, parts)) + len(tail) + 20
    in_state = embeds if outlet.state_body else []
    state = _state(rng, title, url, paragraphs, in_state, target_size - size, bank)
    parts += [state, tail, "</body></html>"]
    return "\n".join(parts), url


def _head(
    outlet: Outlet,
    rng: random.Random,
    title: str,
    url: str,
    iso: str,
    author: str,
    section: str,
    embeds: list[str],
) -> str:
    description = html.escape(prose.sentence(rng))
    ld: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "mainEntityOfPage": url,
        "author": [{"@type": "Person", "name": author}],
        "publisher": {"@type": "Organization", "name": outlet.name},
        "image": [f"https://cdn.{outlet.domain}/img/{rng.randrange(10**6)}/1280.jpg"],
        "articleSection": section,
    }
    meta = [
        '<meta charset="utf-8">',
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)} | {html.escape(outlet.name)}</title>",
        f'<meta name="description" content="{description}">',
        '<meta name="robots" content="index, follow, max-image-preview:large">',
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{html.escape(title)}">',
        f'<meta property="og:description" content="{description}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{html.escape(outlet.name)}">',
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:site" content="@{outlet.domain.split(".")[0][:15]}">',
        f'<meta property="article:section" content="{section.title()}">',
    ]
    if outlet.date_style == "meta":
        meta.append(f'<meta property="article:published_time" content="{iso}">')
    elif outlet.date_style == "parsely":
        meta.append(f'<meta name="parsely-pub-date" content="{iso}">')
    if outlet.date_style in ("meta", "jsonld", "parsely"):
        ld["datePublished"] = iso
        ld["dateModified"] = iso
    meta += [
        '<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>',
        f'<link rel="stylesheet" href="https://cdn.{outlet.domain}/css/main.css">',
        f'<link rel="icon" href="https://cdn.{outlet.domain}/favicon.ico">',
        f'<link rel="alternate" type="application/rss+xml" href="https://www.{outlet.domain}/rss">',
        f"<style>{outlet.css}</style>",
        f'<script type="application/ld+json">{json.dumps(ld)}</script>',
        "<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),"
        "event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'"
        "?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;"
        "f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-K9X2');"
        "</script>",
        f"<script>window.adConfig={json.dumps(_ad_config(rng, section))};</script>",
        f"<script>{outlet.script}</script>",
    ]
    if any("instagram" in embed for embed in embeds):
        meta.append('<link rel="preconnect" href="https://www.instagram.com">')
    return (
        f'<!DOCTYPE html>\n<html lang="{outlet.lang}" class="no-js">\n<head>\n'
        + "\n".join(meta)
        + "\n</head>"
    )


def _body(rng: random.Random, paragraphs: list[str], embeds: list[str], domain: str) -> str:
    slots = sorted(rng.sample(range(1, len(paragraphs)), min(len(embeds), len(paragraphs) - 1)))
    out = []
    pending = list(embeds)
    for index, text in enumerate(paragraphs):
        out.append(f"<p>{html.escape(text, quote=False)}</p>")
        while pending and slots and slots[0] == index:
            slots.pop(0)
            out.append(pending.pop(0))
        if index == 3:
            out.append(
                '<div class="ad-slot ad-slot--mpu" data-ad-unit="/21775744923/news/article/mid"'
                ' data-sizes="[[300,250],[336,280]]" aria-hidden="true"><!-- mid-article ad -->'
                "</div>"
            )
        elif index == 6 and rng.random() < 0.5:
            out.append(
                f'<blockquote class="pullquote"><p>{html.escape(prose.sentence(rng))}</p>'
                "</blockquote>"
            )
        elif index == 8 and rng.random() < 0.6:
            out.append(
                '<aside class="read-more"><h3>Read more</h3><ul>'
                + "".join(
                    f'<li><a href="https://www.{domain}/news/{rng.randrange(10**7)}">'
                    f"{html.escape(prose.headline(rng))}</a></li>"
                    for _ in range(3)
                )
                + "</ul></aside>"
            )
    out.extend(pending)
    return "\n".join(out)


def _tags(rng: random.Random) -> str:
    tags = rng.sample(("Ukraine", "Russia", "NATO", "Economy", "Weather", "Elections", "UK"), 4)
    links = "".join(f'<li><a href="/topics/{tag.lower()}">{tag}</a></li>' for tag in tags)
    return f'<ul class="tags">{links}</ul>'


def _most_read(rng: random.Random, domain: str) -> str:
    items = "".join(
        f'<li class="most-read__item"><a href="https://www.{domain}/news/{rng.randrange(10**7)}">'
        f'<img src="https://cdn.{domain}/img/{rng.randrange(10**6)}/120.jpg" alt="" width="120" '
        f'height="68" loading="lazy"><span>{html.escape(prose.headline(rng))}</span></a></li>'
        for _ in range(10)
    )
    return f'<aside class="most-read"><h2>Most read</h2><ol>{items}</ol></aside>'


def _related(rng: random.Random, domain: str) -> str:
    cards = "".join(
        f'<div class="card"><a class="card__link" href="https://www.{domain}/news/'
        f'{rng.randrange(10**7)}"><img class="card__image" src="https://cdn.{domain}/img/'
        f'{rng.randrange(10**6)}/320.jpg" alt="" loading="lazy"><h3 class="card__title">'
        f'{html.escape(prose.headline(rng))}</h3><p class="card__summary">'
        f"{html.escape(prose.sentence(rng))}</p></a></div>"
        for _ in range(rng.randint(6, 12))
    )
    return f'<section class="related"><h2>More on this story</h2>{cards}</section>'


def feed_items(rng: random.Random, count: int = 400) -> list[str]:
    """Serialised teaser items of the kind CMS state is made of, to draw page state from."""
    start = datetime(2024, 11, 1)
    return [
        json.dumps(
            {
                "id": rng.randrange(10**8),
                "headline": prose.headline(rng),
                "summary": prose.paragraph(rng),
                "url": f"/news/{rng.randrange(10**7)}",
                "image": {"src": f"/img/{rng.randrange(10**6)}/640.jpg", "width": 640},
                "published": (start + timedelta(minutes=rng.randrange(40000))).isoformat(),
                "tags": rng.sample(("news", "world", "live", "analysis", "video", "opinion"), 3),
            }
        )
        for _ in range(count)
    ]


def _state(
    rng: random.Random,
    title: str,
    url: str,
    paragraphs: list[str],
    embeds: list[str],
    room: int,
    bank: list[str],
) -> str:
    """The CMS state that pages ship for their scripts, sized to fill ``room`` characters.

    Some CMSs keep the article body here too, embed code and all, JSON-escaped."""
    state: dict[str, object] = {"page": {"title": title, "url": url, "type": "article"}}
    if embeds:
        state["body"] = [{"type": "text", "html": f"<p>{p}</p>"} for p in paragraphs[:3]] + [
            {"type": "oembed", "html": embed} for embed in embeds
        ]
    head = json.dumps(state)[:-1]
    feed: list[str] = []
    size = len(head)
    while size < room:
        item = rng.choice(bank)
        feed.append(item)
        size += len(item) + 2
    return (
        '<script id="__NEXT_DATA__" type="application/json">'
        f'{head}, "feed": [{", ".join(feed)}]}}</script>'
    )


def _ad_config(rng: random.Random, section: str) -> dict[str, object]:
    return {
        "network": 21775744923,
        "section": section,
        "targeting": {"kw": rng.sample(("war", "missiles", "markets", "storm", "vote"), 3)},
        "slots": [
            {"id": f"ad-{n}", "sizes": [[300, 250], [728, 90]], "lazy": n > 1} for n in range(6)
        ],
        "consent": {"tcf": True, "vendors": [rng.randrange(1000) for _ in range(40)]},
    }


def _stylesheet(rng: random.Random, traps: bool) -> str:
    rules = []
    classes = (
        "header",
        "nav",
        "headline",
        "standfirst",
        "byline",
        "article-body",
        "card",
        "most-read",
        "footer",
        "share",
        "ad-slot",
        "cookie-banner",
        "newsletter",
        "tags",
        "related",
        "comments",
    )
    for _ in range(rng.randint(60, 400)):
        name = rng.choice(classes)
        modifier = rng.choice(("", "__title", "__link", "--wide", "--dark", ":hover", " a", " p"))
        rules.append(
            f".{name}{modifier}{{margin:{rng.randint(0, 32)}px {rng.randint(0, 24)}px;"
            f"padding:{rng.randint(0, 16)}px;color:#{rng.randrange(16**6):06x};"
            f"font-size:{rng.choice((12, 14, 16, 18, 20, 24))}px;"
            f"line-height:1.{rng.randint(2, 6)}}}"
        )
        if rng.random() < 0.1:
            rules.append(
                f"@media (min-width:{rng.choice((600, 768, 1024))}px){{.{name}{{"
                f"display:{rng.choice(('flex', 'grid', 'block'))}}}}}"
            )
    if traps:
        rules.append(
            ".article-body .twitter-tweet,.article-body .instagram-media,.article-body "
            ".tiktok-embed{margin:24px auto!important}.fb-post,.fb-video{max-width:100%}"
            "blockquote.twitter-tweet p{font-size:18px}"
        )
    return "".join(rules)


def _minified_script(rng: random.Random, kilobytes: int) -> str:
    names = "abcdefghijklmnopqrstuvwxyz"
    parts = ["!function(e,t){"]
    while sum(map(len, parts)) < kilobytes * 1024:
        a, b, c = (rng.choice(names) for _ in range(3))
        parts.append(
            rng.choice(
                (
                    f"var {a}=function({b},{c}){{return {b}&&{b}.{c}?{b}[{c}]:null}};",
                    f"function {a}{b}({c}){{if(!{c})return;for(var i=0;i<{c}.length;i++)"
                    f"{c}[i].classList.add('is-{a}{b}')}}",
                    f"t.addEventListener('{rng.choice(('scroll', 'click', 'load'))}',function()"
                    f"{{{a}({b},'{c}{rng.randrange(999)}')}},{{passive:!0}});",
                    f"e.{a}{b}=e.{a}{b}||[];e.{a}{b}.push({{id:{rng.randrange(10**6)},t:Date.now()}});",
                )
            )
        )
    parts.append("}(window,document);")
    return "".join(parts)


def _navigation(rng: random.Random, domain: str) -> str:
    menus = []
    for section in SECTIONS:
        links = "".join(
            f'<li><a href="https://www.{domain}/{section}/{word.lower()}">{word}</a></li>'
            for word in rng.sample(prose.HEADLINE_WORDS, rng.randint(4, 9))
        )
        menus.append(
            f'<li class="nav__item"><a href="https://www.{domain}/{section}">{section.title()}</a>'
            f'<ul class="nav__submenu">{links}</ul></li>'
        )
    logo = "".join(
        f"M{rng.randint(0, 200)} {rng.randint(0, 40)}l{rng.randint(-9, 9)} {rng.randint(-9, 9)}"
        for _ in range(120)
    )
    return (
        f'<header class="site-header"><a class="logo" href="https://www.{domain}/"><svg '
        f'viewBox="0 0 200 40" role="img" aria-label="Home"><path d="{logo}z"/></svg></a>'
        f'<nav class="nav" aria-label="Sections"><ul class="nav__list">{"".join(menus)}</ul>'
        '</nav><form class="search" action="/search"><input name="q" type="search" '
        'placeholder="Search"></form></header>'
    )


def _footer(rng: random.Random, name: str, domain: str) -> str:
    columns = []
    for heading in ("News", "Sport", "Culture", "Lifestyle", "About us", "Services"):
        links = "".join(
            f'<li><a href="https://www.{domain}/{heading.lower()}/{n}">{heading} {n}</a></li>'
            for n in range(rng.randint(8, 16))
        )
        columns.append(f'<div class="footer__column"><h4>{heading}</h4><ul>{links}</ul></div>')
    handle = domain.split(".")[0]
    social = (
        '<ul class="footer__social">'
        f'<li><a href="https://www.facebook.com/{handle}">Facebook</a></li>'
        f'<li><a href="https://twitter.com/{handle}">X (Twitter)</a></li>'
        f'<li><a href="https://www.instagram.com/{handle}/">Instagram</a></li>'
        f'<li><a href="https://www.youtube.com/@{handle}">YouTube</a></li>'
        f'<li><a href="https://www.tiktok.com/@{handle}">TikTok</a></li></ul>'
    )
    return (
        f'<footer class="site-footer">{"".join(columns)}{social}<!-- footer: {domain} -->'
        f'<p class="footer__copyright">© 2024 {html.escape(name)}. All rights reserved.</p>'
        "</footer>"
    )
