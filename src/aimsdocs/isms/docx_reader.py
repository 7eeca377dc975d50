"""Read a Word ISMS document into blocks: headings, paragraphs, list items, table rows."""

from __future__ import annotations

import re
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.isms.parsed import HEADING, ITEM, PARAGRAPH, QUOTE, ROW, Block, Link, ParsedDocument
from aimsdocs.support.safezip import open_office_file

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_HEADING_WORDS = ("heading", "überschrift", "titre", "kop", "nagłówek")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


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
    return ParsedDocument(path, "docx", blocks, properties_title=title)


def _blocks(document) -> list[Block]:
    from docx.table import Table

    styles = _styles(document)
    blocks: list[Block] = []
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            blocks.extend(_table_rows(part))
        else:
            block = _paragraph(part, styles)
            if block is not None:
                blocks.append(block)
    return blocks


def _styles(document) -> dict[str | None, tuple[str, int]]:
    """style id -> (lower-case name, heading level or 0), read once per document.

    `paragraph.style` looks styles up by XPath on every call, which made reading slow.
    """
    styles: dict[str | None, tuple[str, int]] = {}
    default = ("normal", 0)
    for style in document.styles.element.xpath("./w:style"):
        names = style.xpath("./w:name/@w:val")
        name = str(names[0]).strip().lower() if names else ""
        info = (name, _heading_level(name, style))
        styles[style.get(_W + "styleId")] = info
        if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true"):
            default = info
    styles[None] = default
    return styles


def _heading_level(name: str, style) -> int:
    """'Heading N' and 'Title' styles, or a heading-like style with an outline level."""
    if name == "title":
        return 1
    if (match := _HEADING_STYLE.match(name)) is not None:
        return int(match.group(1))
    if name.startswith(_HEADING_WORDS):
        values = style.xpath("./w:pPr/w:outlineLvl/@w:val")
        if values and str(values[0]).isdigit() and int(values[0]) < 9:
            return int(values[0]) + 1
    return 0


def _paragraph(paragraph, styles: dict[str | None, tuple[str, int]]) -> Block | None:
    element = paragraph._p
    text = _text(element).strip()
    if not text:
        return None
    name, level = styles.get(_property(element, "pStyle"), styles[None])
    links = _links(element, paragraph.part)
    if level:
        return Block(HEADING, " ".join(text.split()), level, links)
    return Block(_kind(element, name), text, links=links)


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


def _table_rows(table) -> list[Block]:
    rows = []
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
        if any(cells):
            rows.append(Block(ROW, " | ".join(cells), links=tuple(links), cells=tuple(cells)))
    return rows
