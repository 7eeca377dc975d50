"""File-name-safe slugs for documents and organisation folders."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


def safe_name(text: str, fallback: str = "document", max_length: int = 80) -> str:
    """A file-name-safe slug: no separators, no '..', no reserved names, ASCII only.

    Other scripts are transliterated ("Меридиан" -> "meridian", "子午线" -> "ziwuxian"), so
    names in Cyrillic, Greek or Chinese stay readable and distinct. Text with nothing to
    transliterate gets the fallback plus a short hash of the text: still stable and distinct.
    """
    original = unicodedata.normalize("NFC", str(text))
    text = anyascii(original)
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-_").lower()
    text = re.sub(r"-{2,}", "-", text)[:max_length].strip(".-_")
    if not text and original.strip():
        text = hashlib.sha256(original.strip().encode()).hexdigest()[:8]
        text = f"{fallback}-{text}"
    if not text or text.split(".")[0] in _WINDOWS_RESERVED:
        text = f"{fallback}-{text}" if text else fallback
    return text
