"""File-name-safe slugs for documents and organisation folders."""

from __future__ import annotations

import re
import unicodedata

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


def safe_name(text: str, fallback: str = "document", max_length: int = 80) -> str:
    """A file-name-safe slug: no separators, no '..', no reserved names, ASCII only."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-_").lower()
    text = re.sub(r"-{2,}", "-", text)[:max_length].strip(".-_")
    if not text or text.split(".")[0] in _WINDOWS_RESERVED:
        text = f"{fallback}-{text}" if text else fallback
    return text
