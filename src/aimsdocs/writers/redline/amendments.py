"""What the caller asks us to add to an organisation's document (DOCX or Markdown alike).

An anchor is either a position (a paragraph index from `list_paragraphs` for Word, a 1-based
line number for Markdown) or a heading's text, matched ignoring case, spacing, punctuation
and its number ("3.1 Audit programme" matches "audit programme").

Paragraph texts are plain text with a little Markdown that Word output understands too:
lines starting with "- ", "* " or "1. " are list items, **bold** and *italic* are kept,
consecutive other lines join into one paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

Anchor = int | str


def _texts(value) -> tuple[str, ...]:
    texts = (value,) if isinstance(value, str) else tuple(value)
    if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
        raise ValueError("an amendment needs at least one non-empty paragraph")
    return texts


def _requirements(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _check_comment(comment: str) -> None:
    if not comment.strip():
        raise ValueError("every amendment carries a comment naming its requirement(s)")


@dataclass(frozen=True)
class Addition:
    """Paragraphs added to an existing section.

    anchor: a paragraph index / line number (added right after that paragraph, or for a
    Markdown line, after the block containing it; a Markdown heading line means its section),
    or a heading's text (added at the end of that heading's own text, before any
    subsection).

    whole_section: placed where a NewSection with the same anchor goes (after the whole
    section, subsections included, never inside a table), so that additions can follow a
    new section in order."""

    anchor: Anchor
    paragraphs: tuple[str, ...]
    comment: str
    requirements: tuple[str, ...] = ()
    whole_section: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "paragraphs", _texts(self.paragraphs))
        object.__setattr__(self, "requirements", _requirements(self.requirements))
        _check_comment(self.comment)


@dataclass(frozen=True)
class NewSection:
    """A titled section inserted after a paragraph / line, or after a whole section
    (subsections included) when `after` is a heading's text. `level` None means: the level
    of the heading `after` names, else of the nearest heading before the position."""

    after: Anchor
    heading: str
    paragraphs: tuple[str, ...]
    comment: str
    requirements: tuple[str, ...] = ()
    level: int | None = None

    def __post_init__(self) -> None:
        if not self.heading.strip():
            raise ValueError("a new section needs a heading")
        if self.level is not None and not 1 <= self.level <= 9:
            raise ValueError(f"heading level {self.level} is not between 1 and 9")
        object.__setattr__(self, "paragraphs", _texts(self.paragraphs))
        object.__setattr__(self, "requirements", _requirements(self.requirements))
        _check_comment(self.comment)


@dataclass(frozen=True)
class Replacement:
    """A sentence or phrase of one paragraph replaced: `old` must occur exactly once in the
    paragraph chosen by `anchor` (None: anywhere in the document; a heading's text: in that
    section). Only the words that differ are marked deleted and inserted."""

    old: str
    new: str
    comment: str
    anchor: Anchor | None = None
    requirements: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.old.strip():
            raise ValueError("a replacement needs the text it replaces")
        if " ".join(self.old.split()) == " ".join(self.new.split()):
            raise ValueError(f"replacement of '{self.old}' changes nothing")
        object.__setattr__(self, "requirements", _requirements(self.requirements))
        _check_comment(self.comment)


Amendment = Addition | NewSection | Replacement


def marker(amendment: Amendment) -> str:
    """The short label that names an amendment's requirement(s) (Markdown HTML comment)."""
    if amendment.requirements:
        label = "ISO/IEC 42001 " + ", ".join(amendment.requirements)
    else:
        label = amendment.comment.strip().splitlines()[0][:80]
    return "aimsdocs: " + " ".join(label.replace("--", "-").replace(">", " ").split())
