"""The DOM text helpers of ``monitor.embeds.dom``, which every HTML extractor relies on."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.embeds.dom import (
    attribute_match,
    collapse_whitespace,
    first_attribute,
    inner_text,
    is_within,
    last_link,
    same_node,
    text_after,
)

from .conftest import parse


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<div>a<br>b</div>", "a\nb"),
        ("<div><p>one</p>\n  <p>two</p></div>", "one\n\ntwo"),
        ("<div>x<div>y</div>z</div>", "x\ny\nz"),
        ("<div><ul><li>a</li><li>b</li></ul></div>", "a\nb"),
        ("<div>  lots \n of\t\tspace&nbsp;&nbsp;here  </div>", "lots of space here"),
        ('<div>no <img class="wp-smiley" alt="❌"> way<img src="x.png"></div>', "no ❌ way"),
        ("<div>a<script>var x = 1;</script><style>.a{}</style>b</div>", "ab"),
        ("<div>seen<span hidden>unseen</span></div>", "seen"),
        ("<div>a<br><br><br><br>b</div>", "a\n\nb"),
        ("<div><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></div>", "a b\nc"),
        ("<div>🏳️\u200d🌈 &amp; &#x2014;</div>", "🏳️\u200d🌈 & —"),
        ("<div></div>", ""),
    ],
)
def test_inner_text(html: str, expected: str) -> None:
    assert inner_text(parse(html).css_first("div")) == expected


@pytest.mark.parametrize(
    ("html", "plain", "blank_lines"),
    [
        ("<p>a\n\nb</p>", "a b", "a\n\nb"),
        ("<p>a \n  \t\n\n b\nc</p>", "a b c", "a\n\nb c"),
        ("<p>\n\na<br>\n\n<br>b\n\n</p>", "a\n\nb", "a\n\nb"),
    ],
)
def test_inner_text_blank_lines_option(html: str, plain: str, blank_lines: str) -> None:
    paragraph = LexborHTMLParser(html).css_first("p")
    assert inner_text(paragraph) == plain
    assert inner_text(paragraph, blank_lines=True) == blank_lines


def test_inner_text_can_leave_out_elements() -> None:
    tree = LexborHTMLParser(
        "<section><a id=a>@h</a> I am <b>now</b> a <a id=t>#cyborg</a><p>x</p></section>"
    )
    section = tree.css_first("section")
    assert inner_text(section, skip=[tree.css_first("#a"), tree.css_first("#t")]) == (
        "I am now a\n\nx"
    )
    assert inner_text(section) == "@h I am now a #cyborg\n\nx"


def test_text_after_a_node() -> None:
    tree = parse('<div><p>text</p><p>— Name (@h) <a href="#">May 1</a></p> tail</div>')
    div = tree.css_first("div")
    assert text_after(tree.css_first("p"), div) == "— Name (@h) May 1\n\ntail"
    assert text_after(tree.css_first("a"), div) == "tail"
    assert text_after(div, div) == ""
    with pytest.raises(ValueError, match="not inside"):
        text_after(div, tree.css_first("a"))


def test_link_and_attribute_helpers() -> None:
    tree = parse(
        '<div data-a=" " data-b=" 7 "><a href="/x/1">one</a><a href="/y">y</a>'
        '<a href="/x/2">two</a><a>no href</a></div><p></p>'
    )
    div = tree.css_first("div")
    found = last_link(div, re.compile(r"/x/(\d)"))
    assert found is not None
    assert (found[0].text(), found[1][1]) == ("two", "2")
    assert last_link(div, re.compile("/z")) is None
    assert first_attribute(div, "data-missing", "data-a", "data-b") == "7"
    assert first_attribute(div, "data-missing") is None
    assert is_within(found[0], div)
    assert not is_within(tree.css_first("p"), div)
    # Two identical elements are still two nodes.
    twins = parse("<p>same</p><p>same</p>").css("p")
    assert not same_node(twins[0], twins[1])
    assert same_node(twins[0], twins[0].parent.css_first("p"))
    assert collapse_whitespace("  Lsong \u00a0 (@x)\n") == "Lsong (@x)"


def test_attribute_match_prefers_the_first_attribute_that_matches() -> None:
    frame = LexborHTMLParser(
        '<iframe src="about:blank" data-src="https://x.test/embed/1" '
        'data-lazy-src="https://x.test/embed/2"></iframe>'
    ).css_first("iframe")
    pattern = re.compile(r"/embed/(\d)")
    match = attribute_match(frame, pattern)  # src, data-src, data-lazy-src by default
    assert match is not None and match[1] == "1"
    match = attribute_match(frame, pattern, "data-lazy-src", "data-src")
    assert match is not None and match[1] == "2"
    assert attribute_match(frame, pattern, "src", "title") is None
