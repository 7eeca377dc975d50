"""document.xml's body, written from the parsed Markdown tree.

Everything is real Word structure: built-in heading, list, quote and caption styles; tables
with repeating header rows that never split a row across pages; hyperlinks and bookmarks; a
TOC field. Blocks are appended in order; a wide table opens a landscape section and the next
ordinary block closes it.

The body is written as XML text, not as an element tree: a pack of a thousand AI systems has
millions of runs, cells and paragraphs, and building each as an lxml element (then
serialising it) cost most of the writer's time. `xmltext` escapes exactly as lxml does, so
the bytes are the same.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from aimsdocs.render.document import DocumentControl
from aimsdocs.writers.docx.measure import MONO
from aimsdocs.writers.docx.numbering import Numbering, list_indent
from aimsdocs.writers.docx.styles import CODE_FONT, Styles
from aimsdocs.writers.docx.tables import CellText, layout
from aimsdocs.writers.docx.xmltext import attribute, text
from aimsdocs.writers.tree import REVISION_COLUMNS, control_rows, revision_rows, split_todo, text_of

LIGHT_SHADE = "F2F2F2"
TOC_LEVELS = 3
TOC_INSTRUCTION = f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u'
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_CHILDREN = {"p", "ul", "ol", "pre", "blockquote", "table", "hr", "div", *HEADINGS}
ALIGNMENTS = {"left": "left", "center": "center", "right": "right"}
_RULE = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
_CODE_FONTS = (f'<w:rFonts w:ascii="{attribute(CODE_FONT)}" w:hAnsi="{attribute(CODE_FONT)}" '
               f'w:cs="{attribute(CODE_FONT)}"/>')


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


class Sections(Protocol):
    """What the body needs of the page set-up: text boxes, and section breaks."""

    portrait: tuple[int, int]  # text width and height, twips
    landscape: tuple[int, int]

    def section_properties(self, landscape: bool) -> str:
        """A w:sectPr as XML text."""


def bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits, underscore, at most 40; a leading _ hides it."""
    return "_" + re.sub(r"\W", "_", anchor, flags=re.ASCII)[:39]


class Paragraph:
    """A w:p being written: its properties (XML text, in schema order) and its content."""

    __slots__ = ("style", "props", "parts")

    def __init__(self, style: str | None, props: str) -> None:
        self.style = style  # style id, or None
        self.props = props
        self.parts: list[str] = []

    def xml(self) -> str:
        content = "".join(self.parts)
        if self.props:
            return f"<w:p><w:pPr>{self.props}</w:pPr>{content}</w:p>"
        return f"<w:p>{content}</w:p>" if content else "<w:p/>"


Block = Paragraph | str  # a paragraph, or finished XML (a table, a section break)


class BodyWriter:
    def __init__(self, styles: Styles, numbering: Numbering,
                 hyperlink: Callable[[str], str], sections: Sections, header_fill: str,
                 heading_shift: int = 0):
        self.blocks: list[Block] = []  # the body's top-level blocks, in order
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
        self._in_link = False

    def xml(self) -> str:
        """`<w:body>…</w:body>`."""
        return "<w:body>" + "".join(b if type(b) is str else b.xml()  # type: ignore[union-attr]
                                    for b in self.blocks) + "</w:body>"

    def style(self, name: str, kind: str = "paragraph") -> str:
        key = (name, kind)
        if key not in self._ids:
            self._ids[key] = self.styles.id(name, kind)
        return self._ids[key]

    # paragraphs and runs

    def paragraph(self, parent: list[Block] | None = None, style: str | None = None,
                  text: str = "", fmt: Format = PLAIN, props: str = "") -> Paragraph:
        """A new paragraph at the end of `parent` (the body unless a cell's list is given);
        `props`: more paragraph properties, after the style."""
        style_id = self.style(style) if style else None
        p = Paragraph(style_id, (f'<w:pStyle w:val="{attribute(style_id)}"/>' if style_id
                                 else "") + props)
        (self.blocks if parent is None else parent).append(p)
        if text:
            self.text(p.parts, text, fmt)
        return p

    def text(self, target: list[str], value: str | None, fmt: Format) -> None:
        if not value:
            return
        value = value.replace("\n", " ")  # source line breaks are spaces, as in HTML
        if "[" not in value:
            self.run(target, value, fmt)
            return
        for piece, is_todo in split_todo(value):
            self.run(target, piece, fmt, highlight=is_todo)

    def run(self, target: list[str], value: str, fmt: Format, highlight: bool = False,
            inner: str = "") -> None:
        """A w:r holding `value` (and `inner`, more run content as XML text)."""
        if fmt is not PLAIN or highlight:
            props = self._run_props(fmt) + ('<w:highlight w:val="yellow"/>' if highlight else "")
            start = f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r><w:rPr/>"
        elif not (value or inner):
            target.append("<w:r/>")
            return
        else:
            start = "<w:r>"
        target.append(f"{start}{inner}{text_run(value)}</w:r>" if value
                      else f"{start}{inner}</w:r>")

    def _run_props(self, fmt: Format) -> str:
        props = ""
        if fmt.link:
            props += f'<w:rStyle w:val="{attribute(self.style("Hyperlink", "character"))}"/>'
        if fmt.code:
            props += _CODE_FONTS
        if fmt.bold:
            props += "<w:b/>"
        if fmt.italic:
            props += "<w:i/>"
        if fmt.strike:
            props += "<w:strike/>"
        if fmt.colour:
            props += f'<w:color w:val="{attribute(fmt.colour)}"/>'
        return props

    def field(self, target: list[str], instruction: str, placeholder: str,
              fmt: Format = PLAIN) -> None:
        """A complex field; Word (and LibreOffice, for page fields) computes the result."""
        self.field_begin(target, instruction)
        self.run(target, placeholder, fmt)
        self.field_end(target)

    def field_begin(self, target: list[str], instruction: str) -> None:
        target.append('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                      f'<w:r><w:instrText xml:space="preserve"> {text(instruction)} '
                      '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')

    def field_end(self, target: list[str]) -> None:
        target.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')

    # document furniture

    def add_title(self, title: str) -> None:
        self.paragraph(style="Title", text=title)

    def add_control_block(self, control: DocumentControl) -> None:
        self.paragraph(style="Caption", text="Document control")
        rows = control_rows(control)
        cells = [[CellText((label,), True), CellText((value,))] for label, value in rows]

        def fill(row: int, col: int, tc: list[Block]) -> None:
            p = self.paragraph(tc, "Table Text")
            self.text(p.parts, rows[row][col], Format(bold=col == 0))

        self._emit_table(cells, 0, fill, label_column=True)
        self.paragraph(style="Caption", text="Revision history")
        revisions = revision_rows(control)
        if not revisions:
            self.paragraph(text="No revisions recorded yet.")
            return
        table = [list(REVISION_COLUMNS), *[list(r) for r in revisions]]
        cells = [[CellText((value,), index == 0) for value in row]
                 for index, row in enumerate(table)]

        def fill_revision(row: int, col: int, tc: list[Block]) -> None:
            p = self.paragraph(tc, "Table Text")
            self.text(p.parts, table[row][col], self._header_format() if row == 0 else PLAIN)

        self._emit_table(cells, 1, fill_revision)

    def add_toc(self, headings: list[ET.Element], static: bool) -> None:
        """A contents list. For Word, a TOC field whose stored entries are the headings (Word
        adds page numbers when it updates the field). For a PDF, plain entries with PAGEREF
        fields, which LibreOffice computes while it lays the pages out."""
        self.paragraph(style="TOC Heading", text="Contents")
        width = self.sections.portrait[0]
        tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
        entries = [(self.paragraph(style=f"toc {self.level(heading)}", props=tabs), heading)
                   for heading in headings]
        if not static:
            self.field_begin(entries[0][0].parts, TOC_INSTRUCTION)
        for p, heading in entries:
            name = self.bookmarks.get(heading.get("id", ""), "")
            link: list[str] = []
            self.text(link, text_of(heading), PLAIN)
            if static:
                link.append("<w:r><w:tab/></w:r>")
                self.field(link, f"PAGEREF {name} \\h", "")
            p.parts.append(f'<w:hyperlink w:anchor="{attribute(name)}" w:history="1">'
                           + "".join(link) + "</w:hyperlink>" if link else
                           f'<w:hyperlink w:anchor="{attribute(name)}" w:history="1"/>')
        if not static:
            self.field_end(entries[-1][0].parts)

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
        if not self.blocks or type(self.blocks[-1]) is not Paragraph:
            self.paragraph()
        self.blocks.append(self.sections.section_properties(self._landscape))

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
            self.inline(self.paragraph(style="Quote" if quote else None).parts, element)

    def _heading(self, element: ET.Element) -> None:
        p = self.paragraph(style=f"heading {min(self.level(element), 9)}")
        name = self.bookmarks.get(element.get("id", ""))
        if name:
            self._bookmark_ids += 1
            ident = self._bookmark_ids
            p.parts.append(f'<w:bookmarkStart w:id="{ident}" w:name="{attribute(name)}"/>')
            self.inline(p.parts, element)
            p.parts.append(f'<w:bookmarkEnd w:id="{ident}"/>')
        else:
            self.inline(p.parts, element)

    def _code_block(self, element: ET.Element) -> None:
        """One paragraph with line breaks, so the shading stays a single block."""
        lines = "".join(element.itertext()).rstrip("\n").split("\n")
        p = self.paragraph(style="Code")
        for index, line in enumerate(lines):
            content = ("<w:br/>" if index else "") + (text_run(line) if line else "")
            p.parts.append(f"<w:r>{content}</w:r>" if content else "<w:r/>")

    def _rule(self) -> None:
        self.paragraph(props=_RULE)

    # sections

    def _orient(self, landscape: bool) -> None:
        """Switch orientation: a section break closes the section before it."""
        if landscape == self._landscape:
            return
        carried = self._trailing_lead_in() if landscape else []
        if carried:
            del self.blocks[-len(carried):]
        if self.blocks:
            self.paragraph(props=self.sections.section_properties(self._landscape))
        self.blocks.extend(carried)
        self._landscape = landscape

    def _trailing_lead_in(self) -> list[Block]:
        """The heading (and its one-sentence introduction) right before a landscape table
        moves with the table, so it is not left alone at the foot of a portrait page."""
        heading_ids = {self.style(f"heading {level}") for level in range(1, 7)}
        tail = self.blocks[-3:]
        for start in range(len(tail)):
            if _style_of(tail[start]) in heading_ids:
                rest = tail[start + 1:]
                if len(rest) <= 1 and all(type(block) is Paragraph for block in rest):
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
                indent = (f'<w:ind w:left="{list_indent(level)}"/>' if level >= 3 else "")
                p = self.paragraph(style=continued, props=indent)
            else:
                p = self.paragraph(style=style, props=f'<w:numPr><w:ilvl w:val="{level}"/>'
                                                      f'<w:numId w:val="{num_id}"/></w:numPr>')
                numbered = True
            self.inline(p.parts, content)

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
        header = self._header_format()
        opening = f'<w:p><w:pPr><w:pStyle w:val="{attribute(self.style("Table Text"))}"/></w:pPr>'

        def fill(row: int, col: int, tc: list[Block]) -> None:
            tr = rows[row]
            if col >= len(tr):
                self.paragraph(tc, "Table Text")
                return
            cell = tr[col]
            style = cell.get("style")
            fmt = header if row < len(head) else PLAIN
            if style is None and not len(cell):  # plain text, most cells: the XML at once
                parts = [opening]
                self.text(parts, cell.text, fmt)
                parts.append("</w:p>")
                tc.append("".join(parts))
                return
            align = re.search(r"text-align:\s*(\w+)", style) if style else None
            props = (f'<w:jc w:val="{ALIGNMENTS[align.group(1)]}"/>'
                     if align and align.group(1) in ALIGNMENTS else "")
            p = self.paragraph(tc, "Table Text", props=props)
            self.inline(p.parts, cell, fmt)

        self._emit_table(cells, len(head), fill, in_flow=in_flow)

    def _emit_table(self, cells: list[list[CellText]], header_rows: int,
                    fill: Callable[[int, int, list[Block]], None], label_column: bool = False,
                    in_flow: bool = False) -> None:
        cols = max(len(row) for row in cells)
        chosen = layout(cells, cols, self.sections.portrait,
                        None if in_flow else self.sections.landscape)
        if not in_flow:
            self._orient(chosen.landscape)
        if self.blocks and type(self.blocks[-1]) is str and self.blocks[-1].startswith("<w:tbl>"):
            self.paragraph()  # adjacent tables would merge into one
        style = attribute(self.style("Table Grid", "table"))
        out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/>'
               f'<w:tblW w:w="{sum(chosen.widths)}" w:type="dxa"/>'
               '<w:tblLayout w:type="fixed"/>'
               f'<w:tblLook w:val="04A0" w:firstRow="{"1" if header_rows else "0"}" '
               'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" '
               'w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{width}"/>' for width in chosen.widths]
        out.append("</w:tblGrid>")
        widths = [f'<w:tcW w:w="{width}" w:type="dxa"/>' for width in chosen.widths]
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{attribute(self.header_fill)}"/>'
        light = f'<w:shd w:val="clear" w:color="auto" w:fill="{LIGHT_SHADE}"/>'
        for row in range(len(cells)):
            # a row never breaks across pages; a header row repeats at the top of every page
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                       if row < header_rows else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for col, width in enumerate(widths):
                fill_colour = (shade if row < header_rows
                               else light if label_column and col == 0 else "")
                out.append(f"<w:tc><w:tcPr>{width}{fill_colour}</w:tcPr>")
                content: list[Block] = []
                fill(row, col, content)
                out += [b if type(b) is str else b.xml()  # type: ignore[union-attr]
                        for b in content]
                out.append("</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.blocks.append("".join(out))

    # inline content

    def inline(self, target: list[str], element: ET.Element, fmt: Format = PLAIN) -> None:
        """Runs for an element's text and inline children, appended to `target`."""
        self.text(target, element.text, fmt)
        for node in element:
            self._inline_child(target, node, fmt)
            tail = node.tail
            if node.tag == "br" and tail:
                tail = tail.lstrip("\n")  # the source line break after the hard break
            self.text(target, tail, fmt)

    def _inline_child(self, target: list[str], node: ET.Element, fmt: Format) -> None:
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
            self.run(target, "", fmt, inner="<w:br/>")
        elif tag == "a":
            self._link(target, node, fmt)
        elif tag == "img":
            self.text(target, node.get("alt", ""), fmt)
        else:
            self.inline(target, node, fmt)

    def _link(self, target: list[str], node: ET.Element, fmt: Format) -> None:
        from aimsdocs.writers.tree import safe_href

        href = safe_href(node.get("href"))
        if href is None or self._in_link:  # unsafe, or nested: words only
            self.inline(target, node, fmt)
            return
        if href.startswith("#"):
            anchor = self.bookmarks.get(href[1:], bookmark_name(href[1:]))
            start = f'<w:hyperlink w:anchor="{attribute(anchor)}" w:history="1"'
        else:
            rid = self.hyperlink(href.replace(" ", "%20"))
            start = f'<w:hyperlink r:id="{attribute(rid)}" w:history="1"'
        content: list[str] = []
        self._in_link = True
        try:
            self.inline(content, node, replace(fmt, link=True, colour=None))
        finally:
            self._in_link = False
        target.append(f"{start}>{''.join(content)}</w:hyperlink>" if content else f"{start}/>")


def text_run(value: str) -> str:
    """<w:t> with preserved spaces (Word drops leading and trailing ones otherwise)."""
    if value[:1].isspace() or value[-1:].isspace():
        return f'<w:t xml:space="preserve">{text(value)}</w:t>'
    return f"<w:t>{text(value)}</w:t>"


def _style_of(block: Block) -> str | None:
    return block.style if isinstance(block, Paragraph) else None


def _has_text(element: ET.Element) -> bool:
    return bool(text_of(element)) or any(node.tag in ("br", "img") for node in element)


def _lines(cell: ET.Element) -> tuple[str, ...]:
    """A cell's text split at hard breaks, whitespace collapsed: what layout measures."""
    if not len(cell) and "\n" not in (cell.text or ""):  # plain text (most cells)
        return (" ".join((cell.text or "").split()),)
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


__all__ = ["HEADINGS", "TOC_LEVELS", "BodyWriter", "Format", "Paragraph", "bookmark_name"]
