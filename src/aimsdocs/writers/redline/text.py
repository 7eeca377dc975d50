"""The little Markdown an amendment's paragraphs may use, and text normalisation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_INLINE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"
                     r"|(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])|`([^`]+)`")


@dataclass(frozen=True)
class Block:
    text: str
    item: bool = False  # a list item


@dataclass(frozen=True)
class Segment:
    text: str
    bold: bool = False
    italic: bool = False


def blocks(paragraphs: tuple[str, ...]) -> list[Block]:
    """Paragraph strings -> paragraphs and list items (one Word paragraph each)."""
    found: list[Block] = []
    for paragraph in paragraphs:
        pending: list[str] = []
        for line in paragraph.splitlines():
            match = _ITEM.match(line)
            if match or not line.strip():
                if pending:
                    found.append(Block(" ".join(pending)))
                    pending = []
                if match:
                    found.append(Block(match.group(1).strip(), item=True))
            else:
                pending.append(line.strip())
        if pending:
            found.append(Block(" ".join(pending)))
    return found


def segments(text: str) -> list[Segment]:
    """**bold**, *italic* / _italic_ and `code` (kept as plain text) into runs of text."""
    found: list[Segment] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            found.append(Segment(text[position:match.start()]))
        bold = match.group(1) or match.group(2)
        italic = match.group(3) or match.group(4)
        if bold is not None:
            found.append(Segment(bold, bold=True))
        elif italic is not None:
            found.append(Segment(italic, italic=True))
        else:
            found.append(Segment(match.group(5)))
        position = match.end()
    if position < len(text):
        found.append(Segment(text[position:]))
    return found


def plain(text: str) -> str:
    """Text of a block as a reader sees it: the Markdown marks removed."""
    return "".join(segment.text for segment in segments(text))


def normalise(text: str) -> str:
    """For comparing texts: case, accents' forms, punctuation, Markdown marks and spacing
    ignored ('“AI system” -- inventory' == 'ai system inventory')."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def phrase_pattern(phrase: str, space: str = r"\s+") -> re.Pattern[str]:
    """A phrase found whatever whitespace separates its words in the document; spaces at
    its ends count, so that a deletion of " and more" takes its leading space along."""
    words = f"(?:{space})"
    pattern = words.join(re.escape(part) for part in phrase.split())
    if phrase[:1].isspace():
        pattern = words + pattern
    if phrase[-1:].isspace():
        pattern += words
    return re.compile(pattern)
