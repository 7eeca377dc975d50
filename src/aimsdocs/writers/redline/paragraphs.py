"""The body paragraphs of a Word document, described so that a caller can choose anchors.

Organisations mark headings in every way Word allows: heading styles (in any language),
outline levels, numbering, or just a short bold paragraph. Each paragraph is listed with
what it looks like, and `heading_level` says how we read it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from aimsdocs.errors import InputError
from aimsdocs.writers.redline.ooxml import (
    BODY,
    PPR,
    RPR,
    TC,
    VAL,
    body_paragraphs,
    has_ancestor,
    max_id,
    paragraph_text,
    w,
)
from aimsdocs.writers.redline.package import HINT, Package

STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_HEADING_NAME = re.compile(r"^(heading|überschrift|titre|kop|nagłówek|encabezado|titolo)\s*(\d)$",
                           re.IGNORECASE)
_NUMBER_PREFIX = re.compile(r"^\s*((?:\d+\.)*\d+)\.?\s+\S")
_OFF = ("0", "false", "off", "none")
BOLD_HEADING_MAX_CHARS = 100


@dataclass(frozen=True)
class BodyParagraph:
    """One paragraph of the body, in reading order (table cells included)."""

    index: int
    text: str
    style_id: str | None
    style_name: str | None
    heading_level: int | None  # 1 = top-level section; 0 = document title; None = not a heading
    outline_level: int | None  # Word's outline level 0-8 (direct or from the style)
    numbered: bool  # carries list/heading numbering (direct or from the style)
    bold: bool  # every character bold
    in_table: bool

    @property
    def is_heading(self) -> bool:
        return self.heading_level is not None and self.heading_level > 0


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline_level: int | None
    numbered: bool
    bold: bool | None


class Styles:
    """Paragraph and character styles with inheritance resolved on demand."""

    def __init__(self, root: etree._Element | None):
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        for style in (root.iterfind(w("style")) if root is not None else ()):
            style_id = style.get(w("styleId"))
            if not style_id:
                continue
            name = style.find(w("name"))
            based = style.find(w("basedOn"))
            outline = style.find(f"{PPR}/{w('outlineLvl')}")
            self._styles[style_id] = _Style(
                name=(name.get(VAL) if name is not None else style_id) or style_id,
                based_on=based.get(VAL) if based is not None else None,
                outline_level=_int(outline.get(VAL)) if outline is not None else None,
                numbered=style.find(f"{PPR}/{w('numPr')}") is not None,
                bold=_on_off(style.find(f"{RPR}/{w('b')}")))
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                self.default_paragraph = style_id

    def name(self, style_id: str | None) -> str | None:
        style = self._styles.get(style_id or "")
        return style.name if style else None

    def id_for_name(self, name: str) -> str | None:
        wanted = name.casefold()
        return next((i for i, s in self._styles.items() if s.name.casefold() == wanted), None)

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain, seen = [], set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            chain.append(self._styles[style_id])
            style_id = self._styles[style_id].based_on
        return chain

    def outline_level(self, style_id: str | None) -> int | None:
        return next((s.outline_level for s in self._chain(style_id)
                     if s.outline_level is not None), None)

    def numbered(self, style_id: str | None) -> bool:
        return any(s.numbered for s in self._chain(style_id))

    def bold(self, style_id: str | None) -> bool:
        return next((s.bold for s in self._chain(style_id) if s.bold is not None), False)

    def heading_level(self, style_id: str | None) -> int | None:
        """Level a style's name declares: 'Heading 2' (any language) -> 2, 'Title' -> 0."""
        for style in self._chain(style_id):
            if style.name.casefold() == "title":
                return 0
            if (match := _HEADING_NAME.match(style.name.strip())) is not None:
                return int(match.group(2))
        return None


class WordBody:
    """The main document of a DOCX: its package, XML tree, styles and paragraphs."""

    def __init__(self, data: bytes, label: str = "document"):
        self.package = Package(data, label)
        self.part = self.package.main_document()
        self.tree = self.package.xml(self.part)
        body = self.tree.getroot().find(BODY)
        if body is None:
            raise InputError(f"{label} has no document body ({self.part})", hint=HINT)
        self.body = body
        styles_part = self.package.related(self.part, STYLES)
        styles_root = self.package.xml(styles_part).getroot() \
            if styles_part and self.package.has(styles_part) else None
        self.styles = Styles(styles_root)
        self.elements = list(body_paragraphs(body))
        self.paragraphs = describe(self.elements, self.styles, body)

    def highest_id(self) -> int:
        """The largest annotation id in the document's parts: ours go above it, so that
        revision, comment and bookmark ids stay unique."""
        folder = posixpath.dirname(self.part)
        roots = [self.tree.getroot()]
        for name in self.package.names:
            if name != self.part and name.endswith(".xml") and posixpath.dirname(name) == folder:
                try:
                    roots.append(self.package.xml(name).getroot())
                except InputError:
                    continue  # a damaged part we leave alone holds no ids we could clash with
        return max_id(roots)


def list_paragraphs(docx: bytes) -> list[BodyParagraph]:
    """The body paragraphs of a DOCX, with their style, outline level, numbering and text."""
    return WordBody(docx).paragraphs


def paragraph_texts(docx: bytes) -> list[str]:
    return [p.text for p in list_paragraphs(docx)]


def describe(elements: list[etree._Element], styles: Styles,
             body: etree._Element) -> list[BodyParagraph]:
    looks = [_look(element, styles, body) for element in elements]
    styled_levels = [level for *_, level, _bold_candidate in looks if level]
    deepest = max(styled_levels, default=0)
    result = []
    for index, look in enumerate(looks):
        text, style_id, outline, numbered, bold, in_table, level, bold_candidate = look
        if level is None and bold_candidate:
            level = _bold_heading_level(text, deepest)
        result.append(BodyParagraph(index, text, style_id, styles.name(style_id), level,
                                    outline, numbered, bold, in_table))
    return result


def _look(element: etree._Element, styles: Styles, body: etree._Element):
    ppr = element.find(PPR)
    style = ppr.find(w("pStyle")) if ppr is not None else None
    style_id = style.get(VAL) if style is not None else styles.default_paragraph
    direct_outline = ppr.find(w("outlineLvl")) if ppr is not None else None
    outline = _int(direct_outline.get(VAL)) if direct_outline is not None \
        else styles.outline_level(style_id)
    numbered = (ppr is not None and ppr.find(w("numPr")) is not None) or styles.numbered(style_id)
    text = paragraph_text(element)
    in_table = has_ancestor(element, (TC,), body)
    bold = _all_bold(element, styles, style_id)
    level = styles.heading_level(style_id)
    if level is None and outline is not None and 0 <= outline < 9:
        level = outline + 1
    stripped = text.strip()
    bold_candidate = (bold and not in_table and 0 < len(stripped) <= BOLD_HEADING_MAX_CHARS
                      and not stripped.endswith((".", ";", ","))
                      and "list" not in (styles.name(style_id) or "").casefold())
    return text, style_id, outline, numbered, bold, in_table, level, bold_candidate


def _bold_heading_level(text: str, deepest_styled: int) -> int:
    """A bold short paragraph reads as a heading: '3.2 Scope' -> 2; otherwise one level
    below the document's styled headings (or 1 when it has none)."""
    match = _NUMBER_PREFIX.match(text)
    if match:
        return min(match.group(1).count(".") + 1, 9)
    return min(deepest_styled + 1, 9) if deepest_styled else 1


def _all_bold(paragraph: etree._Element, styles: Styles, style_id: str | None) -> bool:
    paragraph_bold = styles.bold(style_id)
    seen_text = False
    for run in paragraph.iter(w("r")):
        if has_ancestor(run, (w("txbxContent"), w("del")), paragraph):
            continue
        text = "".join(t.text or "" for t in run.iterfind(w("t")))
        if not text.strip():
            continue
        seen_text = True
        rpr = run.find(RPR)
        direct = _on_off(rpr.find(w("b"))) if rpr is not None else None
        run_style = rpr.find(w("rStyle")) if rpr is not None else None
        bold = direct if direct is not None else (
            styles.bold(run_style.get(VAL)) if run_style is not None else None)
        if not (bold if bold is not None else paragraph_bold):
            return False
    return seen_text


def _on_off(element: etree._Element | None) -> bool | None:
    if element is None:
        return None
    return (element.get(VAL) or "true").lower() not in _OFF


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


# --- sections ---------------------------------------------------------------------------


def section_end(paragraphs: list[BodyParagraph], heading: int,
                subsections: bool = True) -> int:
    """Index of the last paragraph of the section that starts at paragraph `heading`.

    With `subsections`, the section runs to the next heading of the same or a higher level;
    without, to the next heading of any level (the heading's own text only)."""
    level = paragraphs[heading].heading_level
    if level is None:
        raise ValueError(f"paragraph {heading} is not a heading")
    for later in paragraphs[heading + 1:]:
        if later.heading_level is not None and not later.in_table and (
                not subsections or later.heading_level <= level):
            return later.index - 1
    return paragraphs[-1].index


def normalise_heading(text: str) -> str:
    """'3.1  Audit Programme:' -> 'audit programme' (number, case, spacing, punctuation)."""
    text = _NUMBER_PREFIX.sub(lambda m: m.group(0)[-1], text.strip(), count=1)
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def find_heading(paragraphs: list[BodyParagraph], heading: str) -> BodyParagraph:
    """The one heading whose text matches `heading` (exactly, else ignoring its number)."""
    headings = [p for p in paragraphs if p.is_heading and not p.in_table]
    exact = [p for p in headings if " ".join(p.text.split()) == " ".join(heading.split())]
    wanted = normalise_heading(heading)
    found = exact or [p for p in headings if normalise_heading(p.text) == wanted]
    if len(found) == 1:
        return found[0]
    known = "; ".join(p.text.strip() for p in headings[:12]) or "none found"
    problem = "no heading" if not found else f"{len(found)} headings"
    raise InputError(f"{problem} match '{heading}' in the document",
                     hint=f"choose one of its headings ({known}) or anchor by paragraph index")
