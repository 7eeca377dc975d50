"""document.xml's body, written from the parsed Markdown tree.

Everything is real Word structure: built-in heading, list, quote and caption styles; tables
with repeating header rows that never split a row across pages; hyperlinks and bookmarks; a
TOC field. Blocks are appended in order; a wide table opens a landscape section and the next
ordinary block closes it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace

from lxml import etree

from aimsdocs.render.document import DocumentControl
from aimsdocs.writers.docx.measure import MONO
from aimsdocs.writers.docx.numbering import Numbering, list_indent
from aimsdocs.writers.docx.ooxml import XML_SPACE, q, sub, text_run, val
from aimsdocs.writers.docx.styles import CODE_FONT, Styles
from aimsdocs.writers.docx.tables import CellText, layout
from aimsdocs.writers.tree import REVISION_COLUMNS, control_rows, revision_rows, split_todo, text_of

LIGHT_SHADE = "F2F2F2"
TOC_LEVELS = 3
TOC_INSTRUCTION = f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u'
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_CHILDREN = {"p", "ul", "ol", "pre", "blockquote", "table", "hr", "div", *HEADINGS}
ALIGNMENTS = {"left": "left", "center": "center", "right": "right"}


@dataclass(frozen=True)
class Format:
    """Character formatting accumulated while walking inline elements."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: bool = False
    colour: str | None = None


PLAIN = Format()


class Sections:
    """What the body needs of the page set-up: text boxes, and section breaks."""

    portrait: tuple[int, int]  # text width and height, twips
    landscape: tuple[int, int]

    def section_properties(self, landscape: bool) -> etree._Element:
        raise NotImplementedError


def bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits, underscore, at most 40; a leading _ hides it."""
    return "_" + re.sub(r"\W", "_", anchor, flags=re.ASCII)[:39]


class BodyWriter:
    def __init__(self, body: etree._Element, styles: Styles, numbering: Numbering,
                 hyperlink: Callable[[str], str], sections: Sections, header_fill: str,
                 heading_shift: int = 0):
        self.body = body
        self.styles = styles
        self.numbering = numbering
        self.hyperlink = hyperlink  # external target -> relationship id
        self.sections = sections
        self.header_fill = header_fill
        self.heading_shift = heading_shift
        self.bookmarks: dict[str, str] = {}  # heading id -> bookmark name
        self._bookmark_ids = 0
        self._landscape = False
        self._ids: dict[tuple[str, str], str] = {}

    def style(self, name: str, kind: str = "paragraph") -> str:
        key = (name, kind)
        if key not in self._ids:
            self._ids[key] = self.styles.id(name, kind)
        return self._ids[key]

    # paragraphs and runs

    def paragraph(self, parent: etree._Element | None = None, style: str | None = None,
                  text: str = "", fmt: Format = PLAIN) -> etree._Element:
        p = sub(self.body if parent is None else parent, "w:p")
        if style:
            val(sub(p, "w:pPr"), "w:pStyle", self.style(style))
        if text:
            self.text(p, text, fmt)
        return p

    def _ppr(self, p: etree._Element) -> etree._Element:
        ppr = p.find(q("w:pPr"))
        if ppr is None:
            ppr = etree.Element(q("w:pPr"))
            p.insert(0, ppr)
        return ppr

    def text(self, target: etree._Element, text: str | None, fmt: Format) -> None:
        if not text:
            return
        text = text.replace("\n", " ")  # source line breaks are spaces, as in HTML
        for piece, is_todo in split_todo(text):
            self.run(target, piece, fmt, highlight=is_todo)

    def run(self, target: etree._Element, text: str, fmt: Format,
            highlight: bool = False) -> etree._Element:
        r = sub(target, "w:r")
        if fmt is not PLAIN or highlight:
            rpr = sub(r, "w:rPr")
            if fmt.link:
                val(rpr, "w:rStyle", self.style("Hyperlink", "character"))
            if fmt.code:
                sub(rpr, "w:rFonts", {"w:ascii": CODE_FONT, "w:hAnsi": CODE_FONT,
                                      "w:cs": CODE_FONT})
            if fmt.bold:
                sub(rpr, "w:b")
            if fmt.italic:
                sub(rpr, "w:i")
            if fmt.strike:
                sub(rpr, "w:strike")
            if fmt.colour:
                val(rpr, "w:color", fmt.colour)
            if highlight:
                val(rpr, "w:highlight", "yellow")
        if text:
            text_run(r, text)
        return r

    def field(self, target: etree._Element, instruction: str, placeholder: str,
              fmt: Format = PLAIN) -> None:
        """A complex field; Word (and LibreOffice, for page fields) computes the result."""
        self.field_begin(target, instruction)
        self.run(target, placeholder, fmt)
        self.field_end(target)

    def field_begin(self, target: etree._Element, instruction: str) -> None:
        sub(sub(target, "w:r"), "w:fldChar", {"w:fldCharType": "begin"})
        instr = sub(sub(target, "w:r"), "w:instrText", text=f" {instruction} ")
        instr.set(XML_SPACE, "preserve")
        sub(sub(target, "w:r"), "w:fldChar", {"w:fldCharType": "separate"})

    def field_end(self, target: etree._Element) -> None:
        sub(sub(target, "w:r"), "w:fldChar", {"w:fldCharType": "end"})

    # document furniture

    def add_title(self, title: str) -> None:
        self.paragraph(style="Title", text=title)

    def add_control_block(self, control: DocumentControl) -> None:
        self.paragraph(style="Caption", text="Document control")
        rows = control_rows(control)
        cells = [[CellText((label,), True), CellText((value,))] for label, value in rows]

        def fill(row: int, col: int, tc: etree._Element) -> None:
            p = self.paragraph(tc, "Table Text")
            self.text(p, rows[row][col], Format(bold=col == 0))

        self._emit_table(self.body, cells, 0, fill, label_column=True)
        self.paragraph(style="Caption", text="Revision history")
        revisions = revision_rows(control)
        if not revisions:
            self.paragraph(text="No revisions recorded yet.")
            return
        table = [list(REVISION_COLUMNS), *[list(r) for r in revisions]]
        cells = [[CellText((value,), index == 0) for value in row]
                 for index, row in enumerate(table)]

        def fill_revision(row: int, col: int, tc: etree._Element) -> None:
            p = self.paragraph(tc, "Table Text")
            self.text(p, table[row][col], self._header_format() if row == 0 else PLAIN)

        self._emit_table(self.body, cells, 1, fill_revision)

    def add_toc(self, headings: list[ET.Element], static: bool) -> None:
        """A contents list. For Word, a TOC field whose stored entries are the headings (Word
        adds page numbers when it updates the field). For a PDF, plain entries with PAGEREF
        fields, which LibreOffice computes while it lays the pages out."""
        self.paragraph(style="TOC Heading", text="Contents")
        width = self.sections.portrait[0]
        entries = []
        for heading in headings:
            level = self.level(heading)
            p = self.paragraph(style=f"toc {level}")
            tabs = sub(self._ppr(p), "w:tabs")
            sub(tabs, "w:tab", {"w:val": "right", "w:leader": "dot", "w:pos": str(width)})
            entries.append((p, heading))
        if not static:
            self.field_begin(entries[0][0], TOC_INSTRUCTION)
        for p, heading in entries:
            name = self.bookmarks.get(heading.get("id", ""), "")
            link = sub(p, "w:hyperlink", {"w:anchor": name, "w:history": "1"})
            self.text(link, text_of(heading), PLAIN)
            if static:
                tab = sub(link, "w:r")
                sub(tab, "w:tab")
                self.field(link, f"PAGEREF {name} \\h", "")
        if not static:
            self.field_end(entries[-1][0])

    def level(self, heading: ET.Element) -> int:
        return max(1, int(heading.tag[1]) - self.heading_shift)

    def name_bookmarks(self, root: ET.Element) -> None:
        """Bookmark names for every heading id, unique, before anything links to them."""
        used: set[str] = set()
        for element in root.iter():
            anchor = element.get("id")
            if element.tag in HEADINGS and anchor:
                name = bookmark_name(anchor)
                counter = 1
                while name in used:
                    counter += 1
                    name = f"{bookmark_name(anchor)[:36]}_{counter}"
                used.add(name)
                self.bookmarks[anchor] = name

    def finish(self) -> None:
        """The last section's properties; Word wants a paragraph last, not a table."""
        last = self.body[-1] if len(self.body) else None
        if last is None or last.tag != q("w:p"):
            self.paragraph()
        self.body.append(self.sections.section_properties(self._landscape))

    # blocks

    def add_blocks(self, parent: ET.Element, quote: bool = False) -> None:
        for element in parent:
            self.block(element, quote)

    def block(self, element: ET.Element, quote: bool) -> None:
        tag = element.tag
        if tag == "table":
            self._table(element)
            return
        if tag == "div":
            self.add_blocks(element, quote)
            return
        self._orient(False)
        if tag in HEADINGS:
            self._heading(element)
        elif tag in ("ul", "ol"):
            self._list(element, 0)
        elif tag == "pre":
            self._code_block(element)
        elif tag == "blockquote":
            self.add_blocks(element, quote=True)
        elif tag == "hr":
            self._rule()
        else:  # p, and anything unexpected, as a plain paragraph
            self.inline(self.paragraph(style="Quote" if quote else None), element)

    def _heading(self, element: ET.Element) -> None:
        p = self.paragraph(style=f"heading {min(self.level(element), 9)}")
        name = self.bookmarks.get(element.get("id", ""))
        if name:
            self._bookmark_ids += 1
            ident = str(self._bookmark_ids)
            sub(p, "w:bookmarkStart", {"w:id": ident, "w:name": name})
            self.inline(p, element)
            sub(p, "w:bookmarkEnd", {"w:id": ident})
        else:
            self.inline(p, element)

    def _code_block(self, element: ET.Element) -> None:
        """One paragraph with line breaks, so the shading stays a single block."""
        lines = "".join(element.itertext()).rstrip("\n").split("\n")
        p = self.paragraph(style="Code")
        for index, line in enumerate(lines):
            r = sub(p, "w:r")
            if index:
                sub(r, "w:br")
            if line:
                text_run(r, line)

    def _rule(self) -> None:
        p = self.paragraph()
        border = sub(sub(self._ppr(p), "w:pBdr"), "w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                           ("w:color", "auto")):
            border.set(q(key), value)

    # sections

    def _orient(self, landscape: bool) -> None:
        """Switch orientation: a section break closes the section before it."""
        if landscape == self._landscape:
            return
        carried = self._trailing_lead_in() if landscape else []
        for element in carried:
            self.body.remove(element)
        if len(self.body):
            p = self.paragraph()
            self._ppr(p).append(self.sections.section_properties(self._landscape))
        for element in carried:
            self.body.append(element)
        self._landscape = landscape

    def _trailing_lead_in(self) -> list[etree._Element]:
        """The heading (and its one-sentence introduction) right before a landscape table
        moves with the table, so it is not left alone at the foot of a portrait page."""
        heading_ids = {self.style(f"heading {level}") for level in range(1, 7)}
        tail = list(self.body[-3:])
        for start in range(len(tail)):
            if _style_of(tail[start]) in heading_ids:
                rest = tail[start + 1:]
                if len(rest) <= 1 and all(el.tag == q("w:p") for el in rest):
                    return tail[start:]
        return []

    # lists

    def _list(self, element: ET.Element, level: int) -> None:
        ordered = element.tag == "ol"
        start = int(element.get("start", "1")) if element.get("start", "1").isdigit() else 1
        num_id = self.numbering.new_list(ordered, level, start)
        kind = "Number" if ordered else "Bullet"
        depth = min(level + 1, 3)
        style = f"List {kind}" + (f" {depth}" if depth > 1 else "")
        for item in element.findall("li"):
            self._list_item(item, style, num_id, level)

    def _list_item(self, item: ET.Element, style: str, num_id: int, level: int) -> None:
        """The item's first paragraph carries the bullet; later ones align with its text."""
        numbered = False
        depth = min(level + 1, 3)
        continued = "List Continue" + (f" {depth}" if depth > 1 else "")

        def add(content: ET.Element) -> None:
            nonlocal numbered
            if numbered:
                p = self.paragraph(style=continued)
                if level >= 3:
                    sub(self._ppr(p), "w:ind", {"w:left": str(list_indent(level))})
            else:
                p = self.paragraph(style=style)
                num_pr = sub(self._ppr(p), "w:numPr")
                val(num_pr, "w:ilvl", level)
                val(num_pr, "w:numId", num_id)
                numbered = True
            self.inline(p, content)

        pending = ET.Element("span")
        pending.text = item.text
        for node in item:
            if node.tag not in BLOCK_CHILDREN:
                pending.append(node)
                continue
            if _has_text(pending):
                add(pending)
            pending = ET.Element("span")
            pending.text = node.tail
            if node.tag == "p":
                add(node)
            elif node.tag in ("ul", "ol"):
                numbered = True  # a nested list right after the bullet keeps the bullet empty
                self._list(node, level + 1)
            elif node.tag == "table":
                self._table(node, in_flow=True)
            else:
                self.block(node, quote=False)
        if _has_text(pending) or not numbered:
            add(pending)

    # tables

    def _header_format(self) -> Format:
        return Format(bold=True, colour="FFFFFF")

    def _table(self, element: ET.Element, in_flow: bool = False) -> None:
        head = [tr for section in element.findall("thead") for tr in section.findall("tr")]
        rows = head + [tr for section in element.findall("tbody") for tr in section.findall("tr")]
        rows += element.findall("tr")
        if not rows:
            return
        cells = [[CellText(_lines(cell), index < len(head)) for cell in tr]
                 for index, tr in enumerate(rows)]

        def fill(row: int, col: int, tc: etree._Element) -> None:
            tr = rows[row]
            if col >= len(tr):
                self.paragraph(tc, "Table Text")
                return
            cell = tr[col]
            p = self.paragraph(tc, "Table Text")
            align = re.search(r"text-align:\s*(\w+)", cell.get("style", ""))
            if align and align.group(1) in ALIGNMENTS:
                val(self._ppr(p), "w:jc", ALIGNMENTS[align.group(1)])
            self.inline(p, cell, self._header_format() if row < len(head) else PLAIN)

        self._emit_table(self.body, cells, len(head), fill, in_flow=in_flow)

    def _emit_table(self, parent: etree._Element, cells: list[list[CellText]], header_rows: int,
                    fill: Callable[[int, int, etree._Element], None], label_column: bool = False,
                    in_flow: bool = False) -> None:
        cols = max(len(row) for row in cells)
        chosen = layout(cells, cols, self.sections.portrait,
                        None if in_flow else self.sections.landscape)
        if not in_flow:
            self._orient(chosen.landscape)
        if len(self.body) and self.body[-1].tag == q("w:tbl"):
            self.paragraph()  # adjacent tables would merge into one
        tbl = sub(parent, "w:tbl")
        tbl_pr = sub(tbl, "w:tblPr")
        val(tbl_pr, "w:tblStyle", self.style("Table Grid", "table"))
        sub(tbl_pr, "w:tblW", {"w:w": str(sum(chosen.widths)), "w:type": "dxa"})
        sub(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
        sub(tbl_pr, "w:tblLook", {"w:val": "04A0", "w:firstRow": "1" if header_rows else "0",
                                  "w:lastRow": "0", "w:firstColumn": "0", "w:lastColumn": "0",
                                  "w:noHBand": "0", "w:noVBand": "1"})
        grid = sub(tbl, "w:tblGrid")
        for width in chosen.widths:
            sub(grid, "w:gridCol", {"w:w": str(width)})
        for row in range(len(cells)):
            tr = sub(tbl, "w:tr")
            tr_pr = sub(tr, "w:trPr")
            sub(tr_pr, "w:cantSplit")  # a row never breaks across pages
            if row < header_rows:
                sub(tr_pr, "w:tblHeader")  # repeats at the top of every page
            for col, width in enumerate(chosen.widths):
                tc = sub(tr, "w:tc")
                tc_pr = sub(tc, "w:tcPr")
                sub(tc_pr, "w:tcW", {"w:w": str(width), "w:type": "dxa"})
                fill_colour = (self.header_fill if row < header_rows
                               else LIGHT_SHADE if label_column and col == 0 else None)
                if fill_colour:
                    sub(tc_pr, "w:shd", {"w:val": "clear", "w:color": "auto",
                                         "w:fill": fill_colour})
                fill(row, col, tc)

    # inline content

    def inline(self, target: etree._Element, element: ET.Element, fmt: Format = PLAIN) -> None:
        """Runs for an element's text and inline children, appended to `target`."""
        self.text(target, element.text, fmt)
        for node in element:
            self._inline_child(target, node, fmt)
            tail = node.tail
            if node.tag == "br" and tail:
                tail = tail.lstrip("\n")  # the source line break after the hard break
            self.text(target, tail, fmt)

    def _inline_child(self, target: etree._Element, node: ET.Element, fmt: Format) -> None:
        tag = node.tag
        if tag in ("strong", "b"):
            self.inline(target, node, replace(fmt, bold=True))
        elif tag in ("em", "i"):
            self.inline(target, node, replace(fmt, italic=True))
        elif tag == "code":
            self.inline(target, node, replace(fmt, code=True))
        elif tag in ("del", "s"):
            self.inline(target, node, replace(fmt, strike=True))
        elif tag == "br":
            sub(self.run(target, "", fmt), "w:br")
        elif tag == "a":
            self._link(target, node, fmt)
        elif tag == "img":
            self.text(target, node.get("alt", ""), fmt)
        else:
            self.inline(target, node, fmt)

    def _link(self, target: etree._Element, node: ET.Element, fmt: Format) -> None:
        from aimsdocs.writers.tree import safe_href

        href = safe_href(node.get("href"))
        if href is None or target.tag == q("w:hyperlink"):  # unsafe, or nested: words only
            self.inline(target, node, fmt)
            return
        if href.startswith("#"):
            anchor = self.bookmarks.get(href[1:], bookmark_name(href[1:]))
            link = sub(target, "w:hyperlink", {"w:anchor": anchor, "w:history": "1"})
        else:
            link = sub(target, "w:hyperlink", {"r:id": self.hyperlink(href.replace(" ", "%20")),
                                               "w:history": "1"})
        self.inline(link, node, replace(fmt, link=True, colour=None))


def _style_of(element: etree._Element) -> str | None:
    style = element.find(f"{q('w:pPr')}/{q('w:pStyle')}")
    return style.get(q("w:val")) if style is not None else None


def _has_text(element: ET.Element) -> bool:
    return bool(text_of(element)) or any(node.tag in ("br", "img") for node in element)


def _lines(cell: ET.Element) -> tuple[str, ...]:
    """A cell's text split at hard breaks, whitespace collapsed: what layout measures."""
    parts: list[str] = []

    def walk(node: ET.Element, code: bool = False) -> None:
        text = node.text or ""
        parts.append(" ".join(MONO + word for word in text.split(" ")) if code else text)
        for inner in node:
            if inner.tag == "br":
                parts.append("\n")
            else:
                walk(inner, code or inner.tag == "code")
            parts.append(inner.tail or "")

    walk(cell)
    return tuple(" ".join(line.split()) for line in "".join(parts).split("\n"))
