"""Bytes to text: which character encoding a document is in, and decoding it without loss
of the rest when a byte is bad.

The order follows the WHATWG encoding sniffing rules, cut down to what is cheap: a byte order
mark wins, then the charset the HTTP ``Content-Type`` header declared, then (for HTML) a
``<meta>`` charset near the top of the page, else UTF-8. Decoding always replaces bad bytes
with U+FFFD rather than failing.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

META_SNIFF_BYTES = 4096
"""How far into an HTML page a ``<meta>`` charset is looked for."""

BINARY_SNIFF_BYTES = 8192
"""How far into a document NUL bytes are looked for (they mean it is not text)."""

DEFAULT_ENCODING = "utf-8"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Both <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE
)

# Labels whose WHATWG meaning differs from Python's codec of the same name, or that Python
# does not know. Browsers decode pages labelled latin-1 or ascii as windows-1252, and
# publishers rely on it (curly quotes and the euro sign in "iso-8859-1" pages).
_WHATWG_LABELS = {
    **dict.fromkeys(
        (
            "ascii",
            "us-ascii",
            "ansi_x3.4-1968",
            "iso-8859-1",
            "iso8859-1",
            "iso_8859-1",
            "iso-ir-100",
            "latin1",
            "latin-1",
            "l1",
            "cp819",
            "ibm819",
            "csisolatin1",
            "x-cp1252",
        ),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "iso_8859-9", "latin5", "l5"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "iso8859-11", "windows-874"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "chinese", "csgb2312"), "gb18030"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "korean", "windows-949"), "cp949"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji"), "cp932"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("iso-8859-8-i", "csiso88598i", "logical"), "iso-8859-8"),
    **dict.fromkeys(("x-mac-roman", "macintosh", "mac", "csmacintosh"), "mac-roman"),
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
    "x-mac-cyrillic": "mac-cyrillic",
    # Without a byte order mark, WHATWG reads the bare "utf-16" label as little-endian.
    "utf-16": "utf-16-le",
    "utf-32": "utf-32-le",
}


# Text codecs no web page should be decoded with (WHATWG does not support UTF-7 either).
_NOT_CHARSETS = frozenset({"unicode-escape", "raw-unicode-escape", "utf-7"})


class NotTextError(ValueError):
    """The bytes are not text (say, an image or a compressed file saved as ``.html``)."""


@lru_cache(maxsize=256)
def codec_for(label: str | None) -> str | None:
    """Python's codec for the charset ``label`` (WHATWG meaning), or ``None`` when unknown.

    >>> codec_for("ISO-8859-1"), codec_for("windows-1251"), codec_for("klingon")
    ('cp1252', 'cp1251', None)
    """
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    name = _WHATWG_LABELS.get(key, key)
    try:
        codec = codecs.lookup(name).name
        # Python also has codecs that are not charsets ("base64", "rot13", "idna"), some of
        # which fail even with errors="replace": try one on bytes that are not ASCII.
        b"\x80a\xff".decode(codec, "replace")
    except Exception:
        return None
    return None if codec in _NOT_CHARSETS else codec


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` header value, or ``None``.

    >>> charset_of('text/html; charset="Windows-1251"')
    'Windows-1251'
    """
    if not content_type or ";" not in content_type:
        return None
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").strip() or None
    return None


def media_type_of(content_type: str | None) -> str:
    """The lower-case media type of a ``Content-Type`` value, without parameters
    (``""`` when there is none)."""
    if not content_type:
        return ""
    return content_type.partition(";")[0].strip().lower()


def meta_charset(head: bytes) -> str | None:
    """The charset label a ``<meta>`` element declares in ``head`` (the start of a page)."""
    found = _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def sniff_encoding(
    data: bytes, *, declared: str | None = None, html: bool = False
) -> tuple[str, int]:
    """Which codec to decode ``data`` with, and how many bytes of byte order mark to skip.

    :param data: the document's bytes.
    :param declared: the charset the transport declared (an HTTP ``Content-Type`` charset).
    :param html: look for a ``<meta>`` charset in the first :data:`META_SNIFF_BYTES` bytes.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    codec = codec_for(declared)
    if codec is None and html:
        codec = codec_for(meta_charset(data[:META_SNIFF_BYTES]))
        # A page that could be read as ASCII to find its <meta> is not UTF-16 (WHATWG).
        if codec is not None and codec.startswith(("utf-16", "utf-32")):
            codec = None
    return codec or DEFAULT_ENCODING, 0


def decode(data: bytes, *, declared: str | None = None, html: bool = False) -> str:
    """``data`` decoded to text; bad bytes become U+FFFD.

    :param data: the document's bytes.
    :param declared: the charset the transport declared (an HTTP ``Content-Type`` charset).
    :param html: honour a ``<meta>`` charset near the top of the page.
    :raises NotTextError: when NUL bytes in the first :data:`BINARY_SNIFF_BYTES` bytes show
        that ``data`` is not text in an 8-bit or UTF-8 encoding.
    """
    return decode_exact(data, declared=declared, html=html)[0]


def decode_exact(
    data: bytes, *, declared: str | None = None, html: bool = False
) -> tuple[str, bytes | None]:
    """:func:`decode`'s text, and ``data`` itself when it is exactly that text in UTF-8 (no
    byte order mark, no invalid byte: most pages), else ``None``."""
    codec, skip = sniff_encoding(data, declared=declared, html=html)
    if not codec.startswith(("utf-16", "utf-32")) and b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise NotTextError(_binary_reason(data))
    if codec == "utf-8" and not skip:
        try:
            return str(data, "utf-8"), data
        except UnicodeDecodeError:
            pass  # decoded again below, with the bad bytes replaced
    # A memoryview slice skips the byte order mark without copying the document.
    return str(memoryview(data)[skip:], codec, "replace"), None


def _binary_reason(data: bytes) -> str:
    if data.startswith(b"\x1f\x8b"):
        return "not text: gzip-compressed data (add .gz to the file name)"
    return "not text: binary content (NUL bytes)"
