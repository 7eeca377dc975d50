"""Page set-up, section properties, and the running header and footer.

The header is one line: document id and (shortened to fit) title, with the logo at the left;
the footer carries the organisation, version, classification and "Page N of M". Landscape
sections get their own header and footer parts, whose right tab sits at the wider margin.
A reference.docx keeps its page set-up and its own header and footer content; our line goes
beneath it.
"""

from __future__ import annotations

import copy
import struct
from dataclasses import dataclass

from lxml import etree

from aimsdocs.errors import InputError
from aimsdocs.render.document import DocumentControl
from aimsdocs.writers.docx.body import text_run as text_run_xml
from aimsdocs.writers.docx.measure import text_width
from aimsdocs.writers.docx.ooxml import (
    EMU_PER_TWIP,
    RT_FOOTER,
    RT_HEADER,
    RT_IMAGE,
    XML_SPACE,
    fragment,
    parse,
    q,
    root,
    serialise,
    sub,
    text_run,
    val,
)
from aimsdocs.writers.docx.package import CT, Package, Relationships
from aimsdocs.writers.docx.reference import Reference, rels_name
from aimsdocs.writers.docx.styles import HEADER_SIZE, Styles

A4 = (11906, 16838)
MARGIN = 1418  # 2.5 cm
LOGO_HEIGHT = 510  # twips (0.9 cm)
SEPARATOR = " · "
SECT_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
              "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
              "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
              "docGrid", "printerSettings", "sectPrChange")
PARTS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


@dataclass
class Page:
    width: int = A4[0]
    height: int = A4[1]
    top: int = MARGIN
    right: int = MARGIN
    bottom: int = MARGIN
    left: int = MARGIN
    header: int = 709
    footer: int = 709
    gutter: int = 0

    def box(self, landscape: bool) -> tuple[int, int]:
        """Text width and height in twips."""
        if landscape:
            return (self.height - self.left - self.right - self.gutter,
                    self.width - self.top - self.bottom)
        return (self.width - self.left - self.right - self.gutter,
                self.height - self.top - self.bottom)


def page_of(sect_pr: etree._Element | None) -> Page:
    """The reference's page; a missing size or margin (pandoc's empty sectPr) is A4's."""
    page = Page()
    if sect_pr is None:
        return page
    size = sect_pr.find(q("w:pgSz"))
    if size is not None:
        width, height = _twips(size, "w:w"), _twips(size, "w:h")
        if width and height:
            page.width, page.height = min(width, height), max(width, height)
    margins = sect_pr.find(q("w:pgMar"))
    if margins is not None:
        for name in ("top", "right", "bottom", "left", "header", "footer", "gutter"):
            value = _twips(margins, f"w:{name}")
            if value is not None:
                setattr(page, name, abs(value))
    return page


def _twips(element: etree._Element, attribute: str) -> int | None:
    value = element.get(q(attribute))
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


class PageSections:
    """Section properties for portrait and landscape, each with its header and footer."""

    def __init__(self, package: Package, rels: Relationships, styles: Styles,
                 control: DocumentControl, logo: bytes | None, reference: Reference | None):
        self.package = package
        self.rels = rels
        self.styles = styles
        self.control = control
        self.logo = logo
        self.reference = reference
        template = parse(reference.sect_pr) if reference and reference.sect_pr else None
        self.template = template
        self.page = page_of(template)
        self.portrait = self.page.box(False)
        self.landscape = self.page.box(True)
        self._references: dict[bool, list[tuple[str, str, str]]] = {}  # tag, type, rel id
        self._logo_rid: dict[str, str] = {}
        self._sect_xml: dict[bool, str] = {}

    def section_properties(self, landscape: bool) -> str:
        """w:sectPr as XML text (the body is written as text)."""
        if landscape not in self._sect_xml:
            # the same in every document with the same reference page set-up (the template
            # and the page both come from it) and the same header and footer parts
            base = self.reference.sect_pr if self.reference is not None else None
            key = (base, landscape, tuple(self._parts(landscape)))
            made = _SECTIONS.get(key)
            if made is None:
                made = _SECTIONS[key] = fragment(self._section_element(landscape))
            self._sect_xml[landscape] = made
        return self._sect_xml[landscape]

    def _section_element(self, landscape: bool) -> etree._Element:
        sect = (copy.deepcopy(self.template) if self.template is not None
                else etree.Element(q("w:sectPr")))
        for ref in list(sect):
            if ref.tag in (q("w:headerReference"), q("w:footerReference"),
                           q("w:pgSz"), q("w:pgMar")):
                sect.remove(ref)
        for index, (tag, kind, rid) in enumerate(self._parts(landscape)):
            element = etree.Element(q(f"w:{tag}"))
            element.set(q("w:type"), kind)
            element.set(q("r:id"), rid)
            sect.insert(index, element)
        page = self.page
        width, height = (page.height, page.width) if landscape else (page.width, page.height)
        size = etree.Element(q("w:pgSz"))
        size.set(q("w:w"), str(width))
        size.set(q("w:h"), str(height))
        if landscape:
            size.set(q("w:orient"), "landscape")
        margins = etree.Element(q("w:pgMar"))
        for name in ("top", "right", "bottom", "left", "header", "footer", "gutter"):
            margins.set(q(f"w:{name}"), str(getattr(page, name)))
        _insert(sect, size)
        _insert(sect, margins)
        return sect

    # header and footer parts

    def _parts(self, landscape: bool) -> list[tuple[str, str, str]]:
        if landscape not in self._references:
            self._references[landscape] = self._make_parts(landscape)
        return self._references[landscape]

    def _make_parts(self, landscape: bool) -> list[tuple[str, str, str]]:
        made = []
        stories = self.reference.headers if self.reference else {}
        kinds: dict[str, str] = {}  # "header"/"footer" -> w:type values covered
        if self.template is not None:
            for ref in self.template:
                if ref.tag in (q("w:headerReference"), q("w:footerReference")):
                    rid = ref.get(q("r:id"), "")
                    if rid not in stories:
                        continue
                    rel_type, data, rels = stories[rid]
                    story = "header" if rel_type.endswith("/header") else "footer"
                    kind = ref.get(q("w:type"), "default")
                    made.append((f"{story}Reference", kind,
                                 self._story(story, landscape, parse(data), rels)))
                    kinds[story] = kinds.get(story, "") + kind
        for story in ("header", "footer"):
            if "default" not in kinds.get(story, ""):
                made.append((f"{story}Reference", "default",
                             self._story(story, landscape, None, None)))
        return made

    def _story(self, story: str, landscape: bool, existing: etree._Element | None,
               rels: bytes | None) -> str:
        """Add one header or footer part (a reference's, with our line beneath) -> rel id."""
        number = sum(1 for name in self.package.parts if name.startswith(f"word/{story}")
                     and name.endswith(".xml")) + 1
        name = f"word/{story}{number}.xml"
        if existing is None and (story == "footer" or self.logo is None) \
                and self.styles.shared_root is not None:
            self.package.add(name, self._plain_story(story, landscape), CT[story])
            return self.rels.add(RT_HEADER if story == "header" else RT_FOOTER,
                                 name.removeprefix("word/"))
        part_rels = Relationships(_rel_items(rels))
        had_content = existing is not None and _has_content(existing)
        tag = "w:hdr" if story == "header" else "w:ftr"
        element = existing if existing is not None else root(tag, ("w", "r", "wp", "a", "pic"))
        if existing is not None and not had_content:
            for p in list(element):
                element.remove(p)
        width = self.page.box(landscape)[0]
        if story == "header":
            logo = self.logo if not had_content else None
            self._header_line(element, width, logo, part_rels)
        else:
            self._footer_line(element, width)
        self.package.add(name, serialise(element), CT[story])
        if part_rels.items:
            self.package.add(rels_name(name), part_rels.xml())
        return self.rels.add(RT_HEADER if story == "header" else RT_FOOTER,
                             name.removeprefix("word/"))

    def _plain_story(self, story: str, landscape: bool) -> bytes:
        """A header or footer in the default look, without a logo: the same part in every
        document of a pack but for its line of text, so it is made once and the line put in."""
        width = self.page.box(landscape)[0]
        style_id = self.styles.id("Header" if story == "header" else "Footer")
        key = (story, width, style_id, id(self.styles.shared_root))
        made = _PLAIN_STORIES.get(key)
        if made is None:
            element = root("w:hdr" if story == "header" else "w:ftr", ("w", "r", "wp", "a", "pic"))
            if story == "header":
                self._header_line(element, width, None, Relationships(), _SLOT)
            else:
                self._footer_line(element, width, _SLOT)
            made = _PLAIN_STORIES[key] = serialise(element)
        label = self._header_label(width) if story == "header" else self._footer_label(width)
        return made.replace(_SLOT_RUN, _run_xml(label).encode(), 1)

    def _line(self, element: etree._Element, style: str, width: int,
              border: str) -> etree._Element:
        p = sub(element, "w:p")
        ppr = sub(p, "w:pPr")
        style_id = self.styles.id(style)
        val(ppr, "w:pStyle", style_id)
        rule = sub(sub(ppr, "w:pBdr"), f"w:{border}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"),
                           ("w:color", "BFBFBF")):
            rule.set(q(key), value)
        tabs = sub(ppr, "w:tabs")
        for position in self._style_tabs(style_id):
            sub(tabs, "w:tab", {"w:val": "clear", "w:pos": position})
        sub(tabs, "w:tab", {"w:val": "right", "w:pos": str(width)})
        return p

    def _header_line(self, element: etree._Element, width: int, logo: bytes | None,
                     rels: Relationships, label: str | None = None) -> None:
        p = self._line(element, "Header", width, "bottom")
        room = width
        if logo is not None:
            room -= self._add_logo(p, logo, rels) + 567
        _run(p, "\t" if logo is not None else "")
        _run(p, self._header_label(room) if label is None else label)

    def _header_label(self, room: int) -> str:
        control = self.control
        return fit_line(f"{control.doc_id}{SEPARATOR}", control.title, room)

    def _footer_line(self, element: etree._Element, width: int,
                     label: str | None = None) -> None:
        p = self._line(element, "Footer", width, "top")
        _run(p, self._footer_label(width) if label is None else label)
        _run(p, "\t")
        _run(p, "Page ")
        _field(p, "PAGE", "1")
        _run(p, " of ")
        _field(p, "NUMPAGES", "1")

    def _footer_label(self, width: int) -> str:
        control = self.control
        page_label = "Page 999 of 999"
        room = width - text_width(page_label, HEADER_SIZE) - 567
        tail = f"{SEPARATOR}Version {control.version}{SEPARATOR}{control.classification}"
        organisation = fit_line("", control.organisation, room - text_width(tail, HEADER_SIZE))
        return organisation + tail

    def _style_tabs(self, style_id: str) -> list[str]:
        """Tab stops the style sets (Word's Header has centre and right stops): cleared."""
        for style in self.styles.root.iterfind(q("w:style")):
            if style.get(q("w:styleId")) == style_id:
                return [tab.get(q("w:pos"), "0") for tab in
                        style.iterfind(f"{q('w:pPr')}/{q('w:tabs')}/{q('w:tab')}")
                        if tab.get(q("w:val")) != "clear"]
        return []

    def _add_logo(self, p: etree._Element, data: bytes, rels: Relationships) -> int:
        """An inline picture, 0.9 cm high; returns its width in twips."""
        width_px, height_px, extension = image_size(data)
        media = f"word/media/logo.{extension}"
        self.package.add(media, data)
        rid = rels.add(RT_IMAGE, f"media/logo.{extension}")
        height = LOGO_HEIGHT
        width = max(1, height * width_px // max(height_px, 1))
        cx, cy = width * EMU_PER_TWIP, height * EMU_PER_TWIP
        drawing = sub(sub(p, "w:r"), "w:drawing")
        inline = sub(drawing, "wp:inline", {"distT": "0", "distB": "0", "distL": "0",
                                            "distR": "0"})
        sub(inline, "wp:extent", {"cx": str(cx), "cy": str(cy)})
        sub(inline, "wp:docPr", {"id": "1", "name": "Logo"})
        graphic = sub(inline, "a:graphic")
        data_el = sub(graphic, "a:graphicData",
                      {"uri": "http://schemas.openxmlformats.org/drawingml/2006/picture"})
        pic = sub(data_el, "pic:pic")
        nv = sub(pic, "pic:nvPicPr")
        sub(nv, "pic:cNvPr", {"id": "0", "name": f"logo.{extension}"})
        sub(nv, "pic:cNvPicPr")
        fill = sub(pic, "pic:blipFill")
        sub(fill, "a:blip", {"r:embed": rid})
        sub(sub(fill, "a:stretch"), "a:fillRect")
        shape = sub(pic, "pic:spPr")
        xfrm = sub(shape, "a:xfrm")
        sub(xfrm, "a:off", {"x": "0", "y": "0"})
        sub(xfrm, "a:ext", {"cx": str(cx), "cy": str(cy)})
        sub(sub(shape, "a:prstGeom", {"prst": "rect"}), "a:avLst")
        return width


def fit_line(prefix: str, text: str, room: int) -> str:
    """`prefix + text`, the text shortened at a word with "…" to fit `room` twips."""
    line = prefix + text
    if text_width(line, HEADER_SIZE) <= room:
        return line
    words = text.split()
    while len(words) > 1:
        words.pop()
        line = prefix + " ".join(words).rstrip(",;:-–") + "…"
        if text_width(line, HEADER_SIZE) <= room:
            return line
    return line


# Where a plain header's or footer's line of text goes (private use: never in real text).
_SLOT = "\ue001"
_SLOT_RUN = f"<w:r><w:t>{_SLOT}</w:t></w:r>".encode()
_PLAIN_STORIES: dict[tuple, bytes] = {}  # see PageSections._plain_story
_SECTIONS: dict[tuple, str] = {}  # see PageSections.section_properties


def _run_xml(text: str) -> str:
    """What `_run` adds, as XML text (xmltext escapes as lxml serialises)."""
    if not text:
        return ""
    pieces = [("<w:tab/>" if index else "") + (text_run_xml(piece) if piece else "")
              for index, piece in enumerate(text.split("\t"))]
    return f"<w:r>{''.join(pieces)}</w:r>"


def _run(p: etree._Element, text: str) -> None:
    if not text:
        return
    r = sub(p, "w:r")
    for index, piece in enumerate(text.split("\t")):
        if index:
            sub(r, "w:tab")
        if piece:
            text_run(r, piece)


def _field(p: etree._Element, instruction: str, placeholder: str) -> None:
    sub(sub(p, "w:r"), "w:fldChar", {"w:fldCharType": "begin"})
    sub(sub(p, "w:r"), "w:instrText", text=f" {instruction} ").set(XML_SPACE, "preserve")
    sub(sub(p, "w:r"), "w:fldChar", {"w:fldCharType": "separate"})
    _run(p, placeholder)
    sub(sub(p, "w:r"), "w:fldChar", {"w:fldCharType": "end"})


def _insert(sect: etree._Element, element: etree._Element) -> None:
    rank = SECT_ORDER.index(etree.QName(element).localname)
    for index, sibling in enumerate(sect):
        name = etree.QName(sibling).localname
        if name in SECT_ORDER and SECT_ORDER.index(name) > rank:
            sect.insert(index, element)
            return
    sect.append(element)


def _has_content(story: etree._Element) -> bool:
    text = "".join(t.text or "" for t in story.iter(q("w:t")))
    return bool(text.strip()) or any(True for _ in story.iter(q("w:drawing"), q("w:pict"),
                                                             q("w:tbl")))


def _rel_items(data: bytes | None) -> list[tuple[str, str, str, bool]]:
    if not data:
        return []
    return [(r.get("Id", ""), r.get("Type", ""), r.get("Target", ""),
             r.get("TargetMode") == "External") for r in parse(data).iter(PARTS)]


def image_size(data: bytes) -> tuple[int, int, str]:
    """(width, height, extension) of a PNG or JPEG, read from its header."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height, "png"
    if data.startswith(b"\xff\xd8"):
        position = 2
        while position + 9 < len(data):
            if data[position] != 0xFF:
                break
            marker = data[position + 1]
            length = struct.unpack(">H", data[position + 2:position + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                          0xCE, 0xCF):
                height, width = struct.unpack(">HH", data[position + 5:position + 9])
                return width, height, "jpeg"
            position += 2 + length
    raise InputError("the logo is not a PNG or JPEG image", hint="export the logo as PNG")


__all__ = ["Page", "PageSections", "fit_line", "image_size", "page_of"]
