"""A document as the readers hand it over: front matter plus a flat list of text blocks.

Markdown and Word come out in the same shape, so identity, reference detection, topic
inference (and later the extraction of ISMS facts) are written once. Every block keeps where
it was found (`line`: the line in a Markdown file, the paragraph or table-row number in a Word
file) so evidence can point at it.
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
    target: str  # as written: relative path or URL, with its #anchor if any


@dataclass(frozen=True)
class Block:
    kind: str
    text: str  # lines of one paragraph stay separated by "\n"
    level: int = 0  # heading level (1 = title)
    links: tuple[Link, ...] = ()
    cells: tuple[str, ...] = ()  # table rows only
    line: int = 0  # 1-based line (Markdown) or paragraph/row number (Word); 0 = unknown
    table: int = 0  # table rows: which table of the document (1-based)
    header: tuple[str, ...] = ()  # table rows: the cells of the table's first row


@dataclass
class ParsedDocument:
    path: Path
    format: str  # "md" | "docx"
    blocks: list[Block]
    front_matter: LocatedYaml | None = None
    properties_title: str = ""  # Word's core-properties title (often stale; last resort)
    location: str = "line"  # what Block.line counts: "line" or "paragraph"
    headings: list[Block] = field(init=False)

    def __post_init__(self) -> None:
        self.headings = [b for b in self.blocks if b.kind == HEADING]

    def sections(self) -> tuple[IsmsSection, ...]:
        """Split at every heading; text before the first heading is a section with level 0."""
        sections: list[IsmsSection] = []
        heading, level, line = "", 0, 0
        lines: list[str] = []
        for block in self.blocks:
            if block.kind == HEADING:
                if heading or lines:
                    sections.append(IsmsSection(heading, level, "\n".join(lines), line,
                                                tuple(lines)))
                heading, level, line, lines = block.text, block.level, block.line, []
            else:
                lines.append(block.text)
        if heading or lines:
            sections.append(IsmsSection(heading, level, "\n".join(lines), line, tuple(lines)))
        return tuple(sections)

    def where(self, block: Block) -> str:
        """'line 12' / 'paragraph 12' / '' for a block's location in this file."""
        return f"{self.location} {block.line}" if block.line else ""
