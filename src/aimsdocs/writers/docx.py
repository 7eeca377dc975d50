"""DOCX writer: a native Word document, built with python-docx from the parsed Markdown tree.

Auditors read and mark up these files in Word, so everything is real Word structure: built-in
heading and list styles, tables with repeating header rows, hyperlinks, PAGE/NUMPAGES and TOC
fields. The output is reproducible: no clock time anywhere, and the zip is normalised.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_TAB_ALIGNMENT
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Cm, Length, Pt, RGBColor, Twips
from docx.styles import BabelFish
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from aimsdocs.errors import InputError
from aimsdocs.render.document import Brand, DocumentControl, RenderedDocument
from aimsdocs.writers.tree import (
    REVISION_COLUMNS,
    accent_hex,
    control_rows,
    drop_leading_title,
    parse_markdown,
    revision_rows,
    safe_href,
    split_todo,
    text_of,
)
from aimsdocs.writers.ziputil import normalise_zip

PARAGRAPH = WD_STYLE_TYPE.PARAGRAPH
CHARACTER = WD_STYLE_TYPE.CHARACTER
TABLE = WD_STYLE_TYPE.TABLE

CODE_FONT = "Courier New"  # everywhere, and metric-compatible with LibreOffice's Liberation Mono
LIGHT_SHADE = "F2F2F2"
LINK_COLOUR = "0563C1"  # Word's own hyperlink blue
NO_DATE = dt.date(2000, 1, 1)  # document properties need a date; never the clock
LOGO_HEIGHT = Cm(0.9)
CHAR_WIDTH = Cm(0.25)  # a generous average at body size, to size columns without measuring
CELL_PADDING = Cm(0.5)
TOC_LEVELS = 3
TOC_MIN_HEADINGS = 4
TOC_INSTRUCTION = f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u'
TOC_HINT = "Page numbers appear when Word updates this table (right-click, Update Field)."
LIST_INDENT = 360  # twips per list level (a quarter inch), and the hanging indent
BULLETS = ("•", "◦", "▪")
NUMBER_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
CATEGORY = "AI management system (ISO/IEC 42001)"
ALIGNMENTS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
              "right": WD_ALIGN_PARAGRAPH.RIGHT}


def write_docx(doc: RenderedDocument, brand: Brand | None = None) -> bytes:
    """The document as DOCX bytes; identical input gives identical bytes."""
    brand = brand or Brand()
    accent = accent_hex(brand.accent_colour)
    default_look = brand.reference_docx is None
    document = _open_template(brand.reference_docx)
    styles = _Styles(document)
    if default_look:
        _apply_default_look(document, styles, accent)

    root = drop_leading_title(parse_markdown(doc.markdown), doc.title)
    body = _BodyWriter(document, styles, header_fill=accent if default_look else None)
    body.add_title(doc.control.title)
    body.add_control_block(doc.control)
    entries = _toc_entries(root)
    if len(entries) >= TOC_MIN_HEADINGS:
        body.add_toc(entries)
        _update_fields_on_open(document)
    body.add_blocks(root)
    body.finish()
    _add_header_footer(document, doc.control, styles, brand.logo)

    when = dt.datetime.combine(doc.control.revision_date or NO_DATE, dt.time())
    _set_properties(document, doc.control, when)
    _drop_template_leftovers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), when)


# --- the template -----------------------------------------------------------------------------


def _open_template(reference: Path | None) -> WordDocument:
    """python-docx's default template, or the user's reference.docx emptied of its body."""
    if reference is None:
        return docx.Document()
    if not reference.is_file():
        raise InputError("reference.docx not found", file=reference,
                         hint="check the brand's reference_docx path")
    try:
        document = docx.Document(str(reference))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError,
            etree.XMLSyntaxError) as exc:
        raise InputError(f"reference.docx is not a readable Word document ({exc})",
                         file=reference, hint="open it in Word and save it again as .docx "
                         "(not .dotx or .doc)") from None
    _clear_body(document)
    return document


def _clear_body(document: WordDocument) -> None:
    """Keep the reference's styles, page setup, headers and footers; drop its sample text."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    referenced = set(document.element.xpath(f"//@*[namespace-uri()='{nsmap['r']}']"))
    part = document.part
    for rId, rel in list(part.rels.items()):
        if rel.reltype in (RT.IMAGE, RT.HYPERLINK) and rId not in referenced:
            del part.rels[rId]


def _apply_default_look(document: WordDocument, styles: _Styles, accent: str) -> None:
    """A4 pages and accent-coloured headings, used when no reference.docx sets the look."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        styles.get(name).font.color.rgb = RGBColor.from_string(accent)
    styles.get("Normal").paragraph_format.space_after = Pt(6)


class _Styles:
    """Styles by name. A reference.docx often lacks built-in styles until they are used, so a
    missing one is borrowed from python-docx's default template or created, never a crash."""

    def __init__(self, document: WordDocument):
        self._styles = document.styles
        self._found: dict[tuple[str, WD_STYLE_TYPE], BaseStyle] = {}

    def get(self, name: str, kind: WD_STYLE_TYPE = PARAGRAPH) -> BaseStyle:
        key = (name, kind)
        if key not in self._found:
            self._found[key] = self._lookup(name, kind)
        return self._found[key]

    def style_id(self, name: str, kind: WD_STYLE_TYPE = PARAGRAPH) -> str | None:
        """The id for pStyle/rStyle; None for the default style, which needs no reference.

        Setting ids directly: python-docx's `paragraph.style = ...` scans every style per call.
        """
        style = self.get(name, kind)
        return None if style.element.default else style.style_id

    def _lookup(self, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
        try:
            style = self._styles[name]
        except KeyError:
            style = None
        if style is None and self._borrow(name):
            style = self._styles[name]
        if style is None:
            style = self._create(name, kind)
        if style.type != kind:  # e.g. a user's character style named "Quote"
            return self._styles.default(kind) or self._create(f"{name} {kind.name.title()}", kind)
        return style

    def _borrow(self, name: str) -> bool:
        source = _default_styles().get(BabelFish.ui2internal(name))
        if source is None:
            return False
        self._copy(source)
        return True

    def _copy(self, source: etree._Element) -> None:
        """Copy a style definition, and the styles it is based on or linked to."""
        element = copy.deepcopy(source)
        for num_pr in element.findall(f"{qn('w:pPr')}/{qn('w:numPr')}"):
            num_pr.getparent().remove(num_pr)  # its numbering ids mean nothing here
        target = self._styles.element
        style_id = element.get(qn("w:styleId"))
        while target.get_by_id(style_id) is not None:
            style_id += "1"
        element.set(qn("w:styleId"), style_id)
        target.append(element)
        by_id = _default_styles_by_id()
        for ref in ("w:basedOn", "w:link"):
            pointer = element.find(qn(ref))
            if pointer is None:
                continue
            wanted = pointer.get(qn("w:val"))
            if target.get_by_id(wanted) is None:
                if wanted in by_id:
                    self._copy(by_id[wanted])
                else:
                    element.remove(pointer)

    def _create(self, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
        style = self._styles.add_style(name, kind)
        if name == "Code":
            style.base_style = self.get("Normal")
            style.font.name = CODE_FONT
            style.font.size = Pt(9)
            style.paragraph_format.space_before = Pt(0)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.line_spacing = 1.0
            _insert_ordered(style.element.get_or_add_pPr(), _shading(LIGHT_SHADE), PPR_ORDER)
        elif name == "Hyperlink":
            style.font.color.rgb = RGBColor.from_string(LINK_COLOUR)
            style.font.underline = True
        elif name.startswith("toc "):  # Word's internal name of the "TOC 1".."TOC 9" styles
            style.base_style = self.get("Normal")
            style.paragraph_format.left_indent = Cm(0.5 * (int(name[4:]) - 1))
            style.paragraph_format.space_after = Pt(2)
        elif kind == PARAGRAPH:
            style.base_style = self.get("Normal")
        return style


@functools.cache
def _default_styles() -> dict[str, etree._Element]:
    """Style definitions of python-docx's default template, by internal name (read-only)."""
    element = docx.Document().styles.element
    return {style.name_val: style for style in element.findall(qn("w:style"))}


@functools.cache
def _default_styles_by_id() -> dict[str, etree._Element]:
    return {style.get(qn("w:styleId")): style for style in _default_styles().values()}


# --- small OOXML helpers ----------------------------------------------------------------------


# Schema order of the children this writer sets, from the first it sets to the end: Word
# rejects property elements out of order. (python-docx keeps these sequences private.)
PPR_ORDER = ("w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
             "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
             "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
             "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
             "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
             "w:rPr", "w:sectPr", "w:pPrChange")
TCPR_ORDER = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
              "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
TRPR_ORDER = ("w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
              "w:trPrChange")
SETTINGS_ORDER = ("w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr",
                  "w:compat", "w:docVars", "w:rsids", "w:attachedSchema", "w:themeFontLang",
                  "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                  "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                  "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults",
                  "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def _insert_ordered(parent, child, order: tuple[str, ...]) -> None:
    """Insert (or replace) a property element before the ones the schema puts after it."""
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    names = [qn(name) for name in order]
    parent.insert_element_before(child, *order[names.index(child.tag) + 1:])


def _shading(fill: str):
    return parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, result, end): Word computes the result;
    the placeholder shows until it does."""
    _begin_field(paragraph, instruction)
    paragraph.add_run(placeholder)
    _end_field(paragraph)


def _field_char(paragraph: Paragraph, kind: str, dirty: bool = False) -> None:
    element = OxmlElement("w:fldChar", {qn("w:fldCharType"): kind})
    if dirty:
        element.set(qn("w:dirty"), "true")  # recompute on open
    paragraph.add_run()._r.append(element)


def _begin_field(paragraph: Paragraph, instruction: str, dirty: bool = False) -> None:
    _field_char(paragraph, "begin", dirty)
    instr = OxmlElement("w:instrText", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _field_char(paragraph, "separate")


def _end_field(paragraph: Paragraph) -> None:
    _field_char(paragraph, "end")


def _bookmark_name(anchor: str) -> str:
    """Word bookmark names: letters, digits, underscore, at most 40; a leading _ hides it."""
    return "_" + re.sub(r"\W", "_", anchor, flags=re.ASCII)[:39]


TOC_TAGS = {f"h{level}" for level in range(1, TOC_LEVELS + 1)}


def _toc_entries(root: ET.Element) -> list[ET.Element]:
    return [element for element in root.iter() if element.tag in TOC_TAGS]


def _update_fields_on_open(document: WordDocument) -> None:
    _insert_ordered(document.settings.element,
                    OxmlElement("w:updateFields", {qn("w:val"): "true"}), SETTINGS_ORDER)


# --- list numbering ---------------------------------------------------------------------------


class _Numbering:
    """The writer's own list definitions, so every Markdown list restarts at its start number
    and nesting indents the same in any template."""

    def __init__(self, document: WordDocument):
        self._document = document
        self._abstract: dict[bool, int] = {}

    @functools.cached_property
    def _root(self):
        return _numbering_root(self._document)  # created on first use: not every doc has lists

    def new_list(self, ordered: bool, level: int, start: int = 1) -> int:
        num = self._root.add_num(self._abstract_id(ordered))
        if ordered:  # without a start override Word would continue the previous list
            num.add_lvlOverride(ilvl=level).add_startOverride(start)
        return num.numId

    def _abstract_id(self, ordered: bool) -> int:
        if ordered not in self._abstract:
            ids = [int(v) for v in self._root.xpath("./w:abstractNum/@w:abstractNumId")]
            new_id = max(ids, default=-1) + 1
            self._root.insert_element_before(_abstract_num(new_id, ordered), "w:num",
                                             "w:numIdMacAtCleanup")
            self._abstract[ordered] = new_id
        return self._abstract[ordered]


def _numbering_root(document: WordDocument):
    try:
        return document.part.part_related_by(RT.NUMBERING).element
    except KeyError:  # python-docx cannot create one itself
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                             parse_xml(f"<w:numbering {nsdecls('w')}/>"), document.part.package)
        document.part.relate_to(part, RT.NUMBERING)
        return part.element


def _abstract_num(abstract_id: int, ordered: bool):
    levels = []
    for level in range(9):
        if ordered:
            fmt, text = NUMBER_FORMATS[level % 3], f"%{level + 1}."
        else:
            fmt, text = "bullet", BULLETS[level % 3]
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{_list_indent(level)}" w:hanging="{LIST_INDENT}"/></w:pPr>'
            f"</w:lvl>")
    return parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                     f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>')


def _list_indent(level: int) -> int:
    return LIST_INDENT * (level + 2)


# --- the body ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    """Character formatting accumulated while walking inline elements."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: bool = False
    colour: str | None = None


class _BodyWriter:
    """Appends the document body, block by block, to a python-docx Document."""

    def __init__(self, document: WordDocument, styles: _Styles, header_fill: str | None):
        self.document = document
        self.styles = styles
        self.numbering = _Numbering(document)
        self.header_fill = header_fill  # table header shading in the default look
        self._bookmarks = 0

    def _paragraph(self, style: str | None = None, text: str = "") -> Paragraph:
        paragraph = self.document.add_paragraph()
        if style:
            paragraph._p.style = self.styles.style_id(style)
        if text:
            self._text(paragraph, paragraph._p, text, _Format())
        return paragraph

    # document furniture

    def add_title(self, title: str) -> None:
        self._paragraph("Title", title)

    def add_control_block(self, control: DocumentControl) -> None:
        self._label("Document control")
        rows = control_rows(control)
        table = self._new_table(len(rows), 2, widths=[Cm(4.5), None])
        for (label, value), row in zip(rows, table.rows, strict=False):
            label_cell, value_cell = row.cells
            _insert_ordered(label_cell._tc.get_or_add_tcPr(), _shading(LIGHT_SHADE), TCPR_ORDER)
            self._cell_text(label_cell, label, _Format(bold=True))
            self._cell_text(value_cell, value, _Format())
        self._label("Revision history")
        revisions = revision_rows(control)
        if not revisions:
            self._paragraph(text="No revisions recorded yet.")
            return
        table = self._new_table(len(revisions) + 1, len(REVISION_COLUMNS),
                                widths=[Cm(2.2), Cm(2.8), Cm(4.5), None])
        self._fill_header_row(table.rows[0], REVISION_COLUMNS)
        for values, row in zip(revisions, table.rows[1:], strict=False):
            for value, cell in zip(values, row.cells, strict=False):
                self._cell_text(cell, value, _Format())

    def _label(self, text: str) -> None:
        paragraph = self._paragraph()
        paragraph.paragraph_format.space_before = Pt(12)
        paragraph.paragraph_format.keep_with_next = True
        self._text(paragraph, paragraph._p, text, _Format(bold=True))

    def add_toc(self, headings: list[ET.Element]) -> None:
        """A TOC field whose stored result already lists the headings, without page numbers:
        LibreOffice (and so PDF) shows it as is; Word recomputes it on open."""
        self._paragraph("TOC Heading", "Contents")
        entries = [self._paragraph(f"toc {heading.tag[1]}") for heading in headings]
        _begin_field(entries[0], TOC_INSTRUCTION, dirty=True)
        for paragraph, heading in zip(entries, headings, strict=False):
            hyperlink = OxmlElement("w:hyperlink",
                                    {qn("w:anchor"): _bookmark_name(heading.get("id", ""))})
            paragraph._p.append(hyperlink)
            self._text(paragraph, hyperlink, text_of(heading), _Format())
        hint = self._paragraph()  # inside the field, so Word's update replaces it
        run = hint.add_run(TOC_HINT)
        run.italic, run.font.size = True, Pt(8)
        _end_field(hint)

    def finish(self) -> None:
        """Word wants a paragraph, not a table, last in the body."""
        body = self.document.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        if last.tag == qn("w:tbl"):
            self.document.add_paragraph()

    # blocks

    def add_blocks(self, parent: ET.Element, quote: bool = False) -> None:
        for element in parent:
            self._block(element, quote)

    def _block(self, element: ET.Element, quote: bool) -> None:
        tag = element.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading(element)
        elif tag in ("ul", "ol"):
            self._list(element, level=0)
        elif tag == "pre":
            self._code_block(element)
        elif tag == "blockquote":
            self.add_blocks(element, quote=True)
        elif tag == "table":
            self._table(element)
        elif tag == "hr":
            self._rule()
        elif tag == "div":
            self.add_blocks(element, quote)
        else:  # p, and anything unexpected, as a plain paragraph
            self._inline(self._paragraph("Quote" if quote else None), element)

    def _heading(self, element: ET.Element) -> None:
        paragraph = self._paragraph(f"Heading {element.tag[1]}")
        self._inline(paragraph, element)
        if element.get("id"):
            self._bookmark(paragraph, _bookmark_name(element.get("id")))

    def _bookmark(self, paragraph: Paragraph, name: str) -> None:
        """Anchor for `[text](#heading-id)` links, around the heading's text."""
        self._bookmarks += 1
        attrs = {qn("w:id"): str(self._bookmarks)}
        start = OxmlElement("w:bookmarkStart", {**attrs, qn("w:name"): name})
        p = paragraph._p
        p.insert(1 if p.pPr is not None else 0, start)
        p.append(OxmlElement("w:bookmarkEnd", attrs))

    def _code_block(self, element: ET.Element) -> None:
        """One paragraph with line breaks, so the shading stays a single block."""
        lines = "".join(element.itertext()).rstrip("\n").split("\n")
        paragraph = self._paragraph("Code")
        for index, line in enumerate(lines):
            run = paragraph.add_run()
            if index:
                run.add_break()
            run.add_text(line)

    def _rule(self) -> None:
        paragraph = self._paragraph()
        border = parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" '
                           'w:space="1" w:color="auto"/></w:pBdr>')
        _insert_ordered(paragraph._p.get_or_add_pPr(), border, PPR_ORDER)

    # lists

    def _list(self, element: ET.Element, level: int) -> None:
        ordered = element.tag == "ol"
        num_id = self.numbering.new_list(ordered, level, int(element.get("start", "1")))
        kind = "Number" if ordered else "Bullet"
        style = f"List {kind}" + (f" {min(level + 1, 3)}" if level else "")
        for item in element.findall("li"):
            self._list_item(item, style, num_id, level)

    def _list_item(self, item: ET.Element, style: str, num_id: int, level: int) -> None:
        """The item's first paragraph carries the bullet; later ones align with its text."""
        numbered = False

        def add(content: ET.Element) -> None:
            nonlocal numbered
            if numbered:
                paragraph = self._paragraph()
                paragraph.paragraph_format.left_indent = Twips(_list_indent(level))
            else:
                paragraph = self._paragraph(style)
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = level
                num_pr.get_or_add_numId().val = num_id
                numbered = True
            self._inline(paragraph, content)

        pending = ET.Element("span")
        pending.text = item.text
        for child in item:
            if child.tag not in BLOCK_CHILDREN:
                pending.append(child)
                continue
            if _has_text(pending):
                add(pending)
            pending = ET.Element("span")
            pending.text = child.tail
            if child.tag == "p":
                add(child)
            elif child.tag in ("ul", "ol"):
                numbered = True  # a nested list right after the bullet keeps the bullet empty
                self._list(child, level + 1)
            else:
                self._block(child, quote=False)
        if _has_text(pending) or not numbered:
            add(pending)

    # tables

    def _new_table(self, rows: int, cols: int, widths: list[Length | None]) -> Table:
        body = self.document.element.body
        previous = body[-2] if len(body) > 1 else None
        if previous is not None and previous.tag == qn("w:tbl"):
            self.document.add_paragraph()  # adjacent tables would merge into one
        table = self.document.add_table(rows=rows, cols=cols)
        table.style = self.styles.get("Table Grid", TABLE)
        _set_widths(table, widths, self._text_width())
        return table

    def _text_width(self) -> Length:
        section = self.document.sections[-1]
        return Length(section.page_width - section.left_margin - section.right_margin)

    def _fill_header_row(self, row, labels) -> None:
        for label, cell in zip(labels, row.cells, strict=False):
            element = ET.Element("th")
            element.text = label
            self._header_cell(cell, element)
        _insert_ordered(row._tr.get_or_add_trPr(), OxmlElement("w:tblHeader"), TRPR_ORDER)

    def _header_cell(self, cell, element: ET.Element) -> None:
        fmt = _Format(bold=True)
        if self.header_fill:
            _insert_ordered(cell._tc.get_or_add_tcPr(), _shading(self.header_fill), TCPR_ORDER)
            fmt = replace(fmt, colour="FFFFFF")
        self._cell(cell, element, fmt)

    def _cell_text(self, cell, text: str, fmt: _Format) -> None:
        paragraph = _cell_paragraph(cell)
        self._text(paragraph, paragraph._p, text, fmt)

    def _cell(self, cell, element: ET.Element, fmt: _Format) -> None:
        paragraph = _cell_paragraph(cell)
        align = re.search(r"text-align:\s*(\w+)", element.get("style", ""))
        if align and align.group(1) in ALIGNMENTS:
            paragraph.alignment = ALIGNMENTS[align.group(1)]
        self._inline(paragraph, element, fmt)

    def _table(self, element: ET.Element) -> None:
        head = [tr for section in element.findall("thead") for tr in section.findall("tr")]
        body = [tr for section in element.findall("tbody") for tr in section.findall("tr")]
        body += element.findall("tr")
        rows = head + body
        if not rows:
            return
        cols = max(len(tr) for tr in rows)
        table = self._new_table(len(rows), cols, _column_widths(rows, cols, self._text_width()))
        for tr, row in zip(rows, table.rows, strict=False):
            is_head = tr in head
            for cell_element, cell in zip(tr, row.cells, strict=False):
                if is_head:
                    self._header_cell(cell, cell_element)
                else:
                    self._cell(cell, cell_element, _Format())
            if is_head:
                _insert_ordered(row._tr.get_or_add_trPr(), OxmlElement("w:tblHeader"), TRPR_ORDER)

    # inline content

    def _inline(self, paragraph: Paragraph, element: ET.Element, fmt: _Format = _Format(),
                target=None) -> None:
        """Runs for an element's text and inline children, appended to `target`."""
        target = paragraph._p if target is None else target
        self._text(paragraph, target, element.text, fmt)
        for child in element:
            self._inline_child(paragraph, target, child, fmt)
            tail = child.tail
            if child.tag == "br" and tail:
                tail = tail.lstrip("\n")  # the source line break after the hard break
            self._text(paragraph, target, tail, fmt)

    def _inline_child(self, paragraph: Paragraph, target, child: ET.Element,
                      fmt: _Format) -> None:
        tag = child.tag
        if tag in ("strong", "b"):
            self._inline(paragraph, child, replace(fmt, bold=True), target)
        elif tag in ("em", "i"):
            self._inline(paragraph, child, replace(fmt, italic=True), target)
        elif tag == "code":
            self._inline(paragraph, child, replace(fmt, code=True), target)
        elif tag in ("del", "s"):
            self._inline(paragraph, child, replace(fmt, strike=True), target)
        elif tag == "br":
            self._run(paragraph, target, "", fmt).add_break()
        elif tag == "a":
            self._link(paragraph, target, child, fmt)
        elif tag == "img":
            self._text(paragraph, target, child.get("alt", ""), fmt)
        else:
            self._inline(paragraph, child, fmt, target)

    def _link(self, paragraph: Paragraph, target, element: ET.Element, fmt: _Format) -> None:
        href = safe_href(element.get("href"))
        if href is None:  # e.g. javascript: — keep the words, drop the link
            self._inline(paragraph, element, fmt, target)
            return
        hyperlink = OxmlElement("w:hyperlink")
        if href.startswith("#"):
            hyperlink.set(qn("w:anchor"), _bookmark_name(href[1:]))
        else:
            rel_id = paragraph.part.relate_to(href.replace(" ", "%20"), RT.HYPERLINK,
                                              is_external=True)
            hyperlink.set(qn("r:id"), rel_id)
        target.append(hyperlink)
        self._inline(paragraph, element, replace(fmt, link=True), hyperlink)

    def _text(self, paragraph: Paragraph, target, text: str | None, fmt: _Format) -> None:
        if not text:
            return
        text = text.replace("\n", " ")  # source line breaks are spaces, as in HTML
        for piece, is_todo in split_todo(text):
            run = self._run(paragraph, target, piece, fmt)
            if is_todo:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _run(self, paragraph: Paragraph, target, text: str, fmt: _Format) -> Run:
        run = Run(OxmlElement("w:r"), paragraph)
        target.append(run._r)
        if text:
            run.text = text
        if fmt.link:
            run._r.style = self.styles.style_id("Hyperlink", CHARACTER)
        if fmt.bold:
            run.bold = True
        if fmt.italic:
            run.italic = True
        if fmt.strike:
            run.font.strike = True
        if fmt.code:
            run.font.name = CODE_FONT
        if fmt.colour:
            run.font.color.rgb = RGBColor.from_string(fmt.colour)
        return run


BLOCK_CHILDREN = {"p", "ul", "ol", "pre", "blockquote", "table", "hr", "div",
                  "h1", "h2", "h3", "h4", "h5", "h6"}


def _has_text(element: ET.Element) -> bool:
    return bool(text_of(element)) or any(child.tag in ("br", "img") for child in element)


def _cell_paragraph(cell) -> Paragraph:
    """A cell's paragraph with tight spacing; body text spacing makes rows look padded."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.space_after = Pt(2)
    return paragraph


def _column_widths(rows: list[ET.Element], cols: int, text_width: Length) -> list[Length]:
    """Each column at least as wide as its longest word; spare width to the wordier columns."""
    minimums, weights = [], []
    for index in range(cols):
        texts = [text_of(tr[index]) for tr in rows if index < len(tr)]
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        minimums.append(CELL_PADDING + CHAR_WIDTH * min(longest_word, 30))
        weights.append(max(min(max(len(text) for text in texts), 60), 1))
    spare = text_width - sum(minimums)
    if spare <= 0:
        return [Length(m * text_width // sum(minimums)) for m in minimums]
    return [Length(m + spare * w // sum(weights)) for m, w in zip(minimums, weights, strict=False)]


def _set_widths(table: Table, widths: list[Length | None], text_width: Length) -> None:
    """Fixed column widths: Word and LibreOffice then lay the table out alike."""
    fixed = sum(w for w in widths if w is not None)
    flexible = [w for w in widths if w is None]
    rest = Length(max(text_width - fixed, Cm(2)) // max(len(flexible), 1))
    resolved = [rest if w is None else w for w in widths]
    for column, width in zip(table.columns, resolved, strict=False):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, resolved, strict=False):
            cell.width = width


# --- header, footer and properties ------------------------------------------------------------


def _add_header_footer(document: WordDocument, control: DocumentControl, styles: _Styles,
                       logo: Path | None) -> None:
    """Our header and footer lines, beneath whatever the reference.docx already shows there."""
    section = document.sections[-1]
    width = Length(section.page_width - section.left_margin - section.right_margin)
    headers, footers = [section.header], [section.footer]
    if section.different_first_page_header_footer:
        headers.append(section.first_page_header)
        footers.append(section.first_page_footer)
    if document.settings.odd_and_even_pages_header_footer:
        headers.append(section.even_page_header)
        footers.append(section.even_page_footer)

    for header in headers:
        had_content = _has_content(header)
        paragraph = _story_paragraph(header, styles.get("Header"))
        _tabbed(paragraph, width)
        if logo is not None and not had_content:  # a reference.docx's own header wins
            _add_logo(paragraph, logo)
            paragraph.add_run("  ")
        paragraph.add_run(control.organisation)
        paragraph.add_run().add_tab()
        paragraph.add_run(f"{control.doc_id} · {control.title}")

    for footer in footers:
        paragraph = _story_paragraph(footer, styles.get("Footer"))
        _tabbed(paragraph, width)
        paragraph.add_run(f"Version {control.version} · {control.classification}")
        paragraph.add_run().add_tab()
        paragraph.add_run("Page ")
        _add_field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        _add_field(paragraph, "NUMPAGES", "1")


def _has_content(story) -> bool:
    if story.is_linked_to_previous:
        return False
    element = story._element
    return bool("".join(element.itertext()).strip()) or bool(
        element.xpath(".//w:drawing | .//w:pict | .//w:tbl"))


def _story_paragraph(story, style: BaseStyle) -> Paragraph:
    """The story's single empty paragraph if it has one, else a new one at the end."""
    paragraphs = story.paragraphs
    if len(paragraphs) == 1 and not _has_content(story):
        paragraph = paragraphs[0]
    else:
        paragraph = story.add_paragraph()
    paragraph.style = style
    return paragraph


def _tabbed(paragraph: Paragraph, width: Length) -> None:
    """Left text, then a tab to right-aligned text at the margin; style tab stops cleared."""
    stops = paragraph.paragraph_format.tab_stops
    for stop in paragraph.style.paragraph_format.tab_stops:
        stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def _add_logo(paragraph: Paragraph, logo: Path) -> None:
    try:
        data = logo.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the logo: {exc.strerror}", file=logo,
                         hint="check the brand's logo path") from None
    try:
        # From bytes, not the path, so the file name inside the DOCX never varies.
        paragraph.add_run().add_picture(io.BytesIO(data), height=LOGO_HEIGHT)
    except UnrecognizedImageError:
        raise InputError("the logo is not a PNG or JPEG image", file=logo,
                         hint="export the logo as PNG") from None


def _set_properties(document: WordDocument, control: DocumentControl,
                    when: dt.datetime) -> None:
    """Every core property, so nothing leaks from a template and nothing reads the clock."""
    props = document.core_properties
    props.title = control.title
    props.subject = control.doc_type
    props.author = control.organisation
    props.last_modified_by = control.organisation
    # Word limits core properties to 255 characters; a combined document addresses many ids.
    keywords = ", ".join(control.addresses)
    props.keywords = keywords if len(keywords) <= 255 else keywords[:251].rsplit(", ", 1)[0] + ", …"
    props.category = CATEGORY
    props.comments = ""
    props.identifier = control.doc_id
    props.version = control.version
    props.content_status = control.status
    props.created = props.modified = props.last_printed = when
    props.revision = 1


def _drop_template_leftovers(document: WordDocument) -> None:
    """The template's preview picture would show the wrong document in file browsers, and
    stylesWithEffects (read by Word 2010 only) would double the styles to compress."""
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rel_id]
    part_rels = document.part.rels
    for rel_id, rel in list(part_rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del part_rels[rel_id]
