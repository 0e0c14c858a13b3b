"""Choosing a document's character encoding and decoding it."""

from __future__ import annotations

import pytest

from monitor.archives.encoding import (
    BINARY_SNIFF_BYTES,
    META_SNIFF_BYTES,
    NotTextError,
    charset_of,
    codec_for,
    decode,
    decode_exact,
    media_type_of,
    meta_charset,
    sniff_encoding,
)


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        (" Windows-1251 ", "cp1251"),
        # WHATWG: these labels all mean windows-1252.
        ("iso-8859-1", "cp1252"),
        ("ISO_8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("ascii", "cp1252"),
        ("iso-8859-9", "cp1254"),
        ("gb2312", "gb18030"),
        ("shift_jis", "cp932"),
        ("euc-kr", "cp949"),
        ("koi8-r", "koi8-r"),
        ("'iso-8859-2'", "iso8859-2"),
        ("utf-16", "utf-16-le"),
        # Unknown, empty, or a Python codec that is not a character encoding.
        ("x-klingon", None),
        ("", None),
        (None, None),
        ("base64", None),
        ("rot13", None),
    ],
)
def test_codec_for(label: str | None, codec: str | None):
    assert codec_for(label) == codec


@pytest.mark.parametrize(
    ("content_type", "charset", "media_type"),
    [
        ("text/html; charset=UTF-8", "UTF-8", "text/html"),
        ('Text/HTML;Charset="windows-1251"', "windows-1251", "text/html"),
        ("text/html; boundary=x; charset='koi8-r' ", "koi8-r", "text/html"),
        ("application/xhtml+xml", None, "application/xhtml+xml"),
        ("text/html; charset=", None, "text/html"),
        ("", None, ""),
        (None, None, ""),
    ],
)
def test_content_type_parts(content_type: str | None, charset: str | None, media_type: str):
    assert charset_of(content_type) == charset
    assert media_type_of(content_type) == media_type


@pytest.mark.parametrize(
    ("head", "label"),
    [
        (b'<html><head><meta charset="windows-1251">', "windows-1251"),
        (b"<META CHARSET=koi8-r>", "koi8-r"),
        (b"<meta charset = 'utf-8' />", "utf-8"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">',
            "ISO-8859-2",
        ),
        (b'<meta name="viewport" content="width=device-width"><p>charset=x</p>', None),
        (b"<p>no meta</p>", None),
    ],
)
def test_meta_charset(head: bytes, label: str | None):
    assert meta_charset(head) == label


def test_order_bom_then_declared_then_meta_then_utf8():
    page = '<meta charset="koi8-r">Жар'.encode("koi8-r")
    assert sniff_encoding(b"\xef\xbb\xbf" + page, declared="cp1251", html=True) == ("utf-8", 3)
    assert sniff_encoding(b"\xff\xfe" + page, html=True) == ("utf-16-le", 2)
    assert sniff_encoding(b"\xfe\xff" + page, html=True) == ("utf-16-be", 2)
    assert sniff_encoding(page, declared="windows-1251", html=True) == ("cp1251", 0)
    assert sniff_encoding(page, declared="x-unknown", html=True) == ("koi8-r", 0)
    assert sniff_encoding(page, html=True) == ("koi8-r", 0)
    assert sniff_encoding(page) == ("utf-8", 0)


def test_meta_charset_is_looked_for_near_the_top_only():
    late = b" " * META_SNIFF_BYTES + '<meta charset="windows-1251">ж'.encode("cp1251")
    assert sniff_encoding(late, html=True) == ("utf-8", 0)


def test_meta_cannot_declare_utf16():
    # A page readable as ASCII to find its <meta> is not UTF-16 (WHATWG).
    assert sniff_encoding(b'<meta charset="utf-16"><p>hi</p>', html=True) == ("utf-8", 0)


def test_decode():
    assert decode(b"\xef\xbb\xbfcaf\xc3\xa9") == "café"
    assert decode(b"\xff\xfe" + "Grüße".encode("utf-16-le")) == "Grüße"
    assert decode("Grüße".encode("utf-16-le"), declared="utf-16le") == "Grüße"
    assert decode(b"\x93quoted\x94 100 \x80", declared="iso-8859-1") == "“quoted” 100 €"
    assert decode(b"caf\xe9 \xff") == "caf\ufffd \ufffd"


def test_decode_exact_gives_the_bytes_only_when_they_are_the_text_in_utf8():
    page = "<p>café 🙂</p>".encode()
    assert decode_exact(page) == ("<p>café 🙂</p>", page)
    assert decode_exact(page, html=True)[1] is page  # the same object: nothing is copied
    # A byte order mark is not part of the text; bad bytes are replaced; other codecs.
    assert decode_exact(b"\xef\xbb\xbfcaf\xc3\xa9") == ("café", None)
    assert decode_exact(b"caf\xe9 \xff") == ("caf\ufffd \ufffd", None)
    assert decode_exact(b"caf\xe9", declared="iso-8859-1") == ("café", None)
    assert decode_exact(b'<meta charset="koi8-r"><p>\xf0\xd2\xc9</p>', html=True) == (
        '<meta charset="koi8-r"><p>При</p>',
        None,
    )


def test_nul_bytes_mean_binary():
    with pytest.raises(NotTextError, match=r"^not text: binary content \(NUL bytes\)$"):
        decode(b"GIF89a\x01\x00\x01\x00")
    with pytest.raises(NotTextError, match="gzip-compressed data"):
        decode(b"\x1f\x8b\x08\x00\x00\x00\x00\x00")


def test_nul_bytes_are_looked_for_near_the_top_only():
    text = b"a" * BINARY_SNIFF_BYTES + b"\x00"
    assert decode(text) == "a" * BINARY_SNIFF_BYTES + "\x00"
