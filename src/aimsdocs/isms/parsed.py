"""A document as the readers hand it over: front matter plus a flat list of text blocks.

Markdown and Word come out in the same shape, so identity, reference detection and topic
inference are written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aimsdocs.isms.model import IsmsSection
from aimsdocs.support.yamlio import LocatedYaml

HEADING = "heading"
PARAGRAPH = "paragraph"
ITEM = "item"  # a list item
QUOTE = "quote"  # a block-quote paragraph
ROW = "row"  # a table row, cells joined with " | "


@dataclass(frozen=True)
class Link:
    text: str
    target: str  # as written: relative path or URL


@dataclass(frozen=True)
class Block:
    kind: str
    text: str  # lines of one paragraph stay separated by "\n"
    level: int = 0  # heading level (1 = title)
    links: tuple[Link, ...] = ()
    cells: tuple[str, ...] = ()  # table rows only


@dataclass
class ParsedDocument:
    path: Path
    format: str  # "md" | "docx"
    blocks: list[Block]
    front_matter: LocatedYaml | None = None
    properties_title: str = ""  # Word's core-properties title (often stale; last resort)
    headings: list[Block] = field(init=False)

    def __post_init__(self) -> None:
        self.headings = [b for b in self.blocks if b.kind == HEADING]

    def sections(self) -> tuple[IsmsSection, ...]:
        """Split at every heading; text before the first heading is a section with level 0."""
        sections: list[IsmsSection] = []
        heading, level, lines = "", 0, []
        for block in self.blocks:
            if block.kind == HEADING:
                if heading or lines:
                    sections.append(IsmsSection(heading, level, "\n".join(lines)))
                heading, level, lines = block.text, block.level, []
            else:
                lines.append(block.text)
        if heading or lines:
            sections.append(IsmsSection(heading, level, "\n".join(lines)))
        return tuple(sections)
