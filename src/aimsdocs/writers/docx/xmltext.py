"""Text and attribute values escaped for WordprocessingML written as text, byte for byte as
lxml (libxml2) serialises them, and refusing what lxml refuses."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids (lxml raises the same ValueError for them).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t]')


def _check(value: str) -> None:
    if _FORBIDDEN.search(value):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes "
                         "or control characters")


# Either kind of character: most text has neither, and one search then settles it.
_TEXT_UNUSUAL = re.compile(f"{_FORBIDDEN.pattern[:-1]}&<>\r]")


def text(value: str) -> str:
    """Element content."""
    if _TEXT_UNUSUAL.search(value) is None:
        return value
    _check(value)
    return value.translate(_TEXT) if _TEXT_SPECIAL.search(value) else value


def attribute(value: str) -> str:
    """An attribute value, for use between double quotes."""
    _check(value)
    return value.translate(_ATTRIBUTE) if _ATTRIBUTE_SPECIAL.search(value) else value
