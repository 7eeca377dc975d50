"""Read a Word ISMS document into blocks: headings, paragraphs, list items, table rows.

Headings come from heading styles (in any language, or a custom style based on one), from
outline levels, and, in documents that use no heading style at all, from the way people
format headings by hand: numbered short lines ("1. PURPOSE & SCOPE", "4.2 Access reviews")
and short paragraphs that are all bold or all capitals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.isms.parsed import HEADING, ITEM, PARAGRAPH, QUOTE, ROW, Block, Link, ParsedDocument
from aimsdocs.support.safezip import open_office_file

_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|kop|nagłówek|encabezado|titolo)"
                            r"\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = ("title", "titel", "titre", "título", "titolo")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# "1. PURPOSE & SCOPE", "4.2 Access reviews", "A.3 Roles" — a number, then a short title.
_NUMBERED = re.compile(r"^\s*((?:\d{1,2}\.)*\d{1,2})\.?\)?\s+(\S.*)$")
MAX_HEADING_CHARS = 90
MAX_HEADING_WORDS = 12


@dataclass(frozen=True)
class _Style:
    name: str  # lower case
    level: int  # heading level, 0 if not a heading style
    bold: bool


def read_docx(path: Path) -> ParsedDocument:
    import docx

    checked = open_office_file(path, "docx")  # the zip inflated once, within a budget
    try:
        document = docx.Document(checked)
        blocks = _blocks(document)
        title = (document.core_properties.title or "").strip()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx/lxml raise many types when damaged
        raise InputError(f"cannot read Word document ({type(exc).__name__}: {exc})", file=path,
                         hint="open it in Word or LibreOffice and save it again as .docx") from None
    return ParsedDocument(path, "docx", blocks, properties_title=title, location="paragraph")


def _blocks(document) -> list[Block]:
    from docx.table import Table

    styles = _styles(document)
    blocks: list[Block] = []
    looks: list[tuple[int, bool, bool]] = []  # (block index, bold, capitals) of paragraphs
    number, tables = 0, 0
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            tables += 1
            rows = _table_rows(part, number, tables)
            number += len(rows)
            blocks.extend(rows)
            continue
        found = _paragraph(part, styles)
        if found is None:
            continue
        number += 1
        block, bold, capitals = found
        looks.append((len(blocks), bold, capitals))
        blocks.append(replace(block, line=number))
    if not any(b.kind == HEADING and b.level > 1 for b in blocks):
        _headings_from_formatting(blocks, looks)
    return blocks


def _headings_from_formatting(blocks: list[Block], looks: list[tuple[int, bool, bool]]) -> None:
    """No heading style used: numbered, bold or all-capital short paragraphs are headings.

    The first such paragraph at the very top is the title (level 1); "1." is level 2, "1.2"
    level 3; unnumbered bold/capital headings are level 2.
    """
    has_title = any(b.kind == HEADING for b in blocks)
    for index, bold, capitals in looks:
        block = blocks[index]
        if block.kind == HEADING or not _short(block.text):
            continue
        numbered = _NUMBERED.match(block.text)
        if numbered and (bold or capitals or not block.text.rstrip().endswith((".", ";", ","))):
            if numbered.group(2)[:1].islower():
                continue  # "2. staff must ..." is a list, not a heading
            level = min(numbered.group(1).count(".") + 2, 6)
        elif bold or capitals:
            level = 2
            if not has_title and index == _first_text(blocks):
                level = 1
        else:
            continue
        has_title = has_title or level == 1
        blocks[index] = replace(block, kind=HEADING, level=level)


def _first_text(blocks: list[Block]) -> int:
    return next((i for i, b in enumerate(blocks) if b.kind != ROW), -1)


def _short(text: str) -> bool:
    text = text.strip()
    return (0 < len(text) <= MAX_HEADING_CHARS and len(text.split()) <= MAX_HEADING_WORDS
            and "\n" not in text and not text.endswith(":"))


def _styles(document) -> dict[str | None, _Style]:
    """style id -> _Style, read once per document (following `basedOn` to a heading style).

    `paragraph.style` looks styles up by XPath on every call, which made reading slow.
    """
    raw: dict[str, tuple[str, int, str | None, bool]] = {}
    default_id = None
    for style in document.styles.element.xpath("./w:style"):
        style_id = style.get(_W + "styleId")
        names = style.xpath("./w:name/@w:val")
        name = str(names[0]).strip().lower() if names else ""
        based = style.xpath("./w:basedOn/@w:val")
        bold = bool(style.xpath("./w:rPr/w:b[not(@w:val='0') and not(@w:val='false')]"))
        raw[style_id] = (name, _heading_level(name, style), str(based[0]) if based else None,
                         bold)
        if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true"):
            default_id = style_id
    styles: dict[str | None, _Style] = {}
    for style_id, (name, level, based, bold) in raw.items():
        seen = {style_id}
        while not level and based in raw and based not in seen:
            seen.add(based)
            base_name, level, based, base_bold = raw[based]
            bold = bold or base_bold
            if base_name in _TITLE_STYLES:
                level = 1
        styles[style_id] = _Style(name, level, bold)
    styles[None] = styles.get(default_id, _Style("normal", 0, False))
    return styles


def _heading_level(name: str, style) -> int:
    """'Heading N' and 'Title' styles, or a heading-like style with an outline level."""
    if name in _TITLE_STYLES:
        return 1
    if (match := _HEADING_STYLE.match(name)) is not None:
        return int(match.group(1))
    values = style.xpath("./w:pPr/w:outlineLvl/@w:val")
    if values and str(values[0]).isdigit() and int(values[0]) < 9 \
            and not name.startswith(("toc", "verzeichnis")):
        return int(values[0]) + 1
    return 0


def _paragraph(paragraph, styles: dict[str | None, _Style]) -> tuple[Block, bool, bool] | None:
    element = paragraph._p
    text = _text(element).strip()
    if not text:
        return None
    style = styles.get(_property(element, "pStyle"), styles[None])
    links = _links(element, paragraph.part)
    level = style.level or _outline_level(element)
    if level:
        return Block(HEADING, " ".join(text.split()), level, links), True, False
    bold = _all_bold(element, style.bold)
    capitals = sum(c.isalpha() for c in text) >= 3 and text.upper() == text
    return Block(_kind(element, style.name), text, links=links), bold, capitals


def _outline_level(element) -> int:
    value = _property(element, "outlineLvl")
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else 0


def _all_bold(element, style_bold: bool) -> bool:
    """Every run with text is bold (by its own formatting or the paragraph's style)."""
    runs = [r for r in element.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t"))
            .strip()]
    if not runs:
        return False
    for run in runs:
        flag = run.find(f"{_W}rPr/{_W}b")
        if flag is None:
            if not style_bold:
                return False
        elif flag.get(f"{_W}val") in ("0", "false"):
            return False
    return True


def _kind(element, style_name: str) -> str:
    if element.find(f"{_W}pPr/{_W}numPr") is not None:
        return ITEM
    if "list" in style_name or style_name == "compact":
        return ITEM
    if "quote" in style_name or "block text" in style_name:
        return QUOTE
    return PARAGRAPH


# Plain lxml traversal: python-docx's `paragraph.text` and `.style` run an XPath query per
# call, which made a 21-document ISMS take seconds to read.
def _property(element, name: str) -> str | None:
    found = element.find(f"{_W}pPr/{_W}{name}")
    return found.get(f"{_W}val") if found is not None else None


def _text(element) -> str:
    """Text of runs in a paragraph (hyperlinks included); tabs and breaks as whitespace."""
    parts = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == f"{_W}tab" else "\n")
    return "".join(parts)


def _links(element, part) -> tuple[Link, ...]:
    found = []
    for hyperlink in element.iter(f"{_W}hyperlink"):
        rel_id = hyperlink.get(f"{_R}id")
        target = part.rels[rel_id].target_ref if rel_id in part.rels else ""
        if hyperlink.get(f"{_W}anchor"):
            target = f"{target}#{hyperlink.get(f'{_W}anchor')}"
        if target:
            found.append(Link(_text(hyperlink).strip(), target))
    return tuple(found)


def _table_rows(table, before: int, number: int) -> list[Block]:
    rows: list[Block] = []
    header: tuple[str, ...] = ()
    for row in table.rows:
        cells: list[str] = []
        links: list[Link] = []
        seen = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            paragraphs = (_text(p) for p in cell._tc.iter(f"{_W}p"))
            cells.append(" ".join(" ".join(paragraphs).split()))
            links.extend(_links(cell._tc, table.part))
        if not header:
            header = tuple(cells)
        if any(cells):
            rows.append(Block(ROW, " | ".join(cells), links=tuple(links), cells=tuple(cells),
                              line=before + len(rows) + 1, table=number, header=header))
    return rows
