"""DOCX writer: a native Word document, written as WordprocessingML with lxml.

Split by job, like pandoc's writer: `styles` (styles.xml, the default look and a reference's
styles matched like Word), `numbering` (list definitions), `body` (blocks and inline content),
`tables` (column widths and orientation), `sections` (page set-up, header and footer),
`package` (parts, relationships, properties, the reproducible zip) and `reference` (reading a
reference.docx once). python-docx is not used: building XML directly is several times faster.
"""

from __future__ import annotations

import functools
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.render.document import Brand, RenderedDocument
from aimsdocs.writers.docx.body import HEADINGS, TOC_LEVELS, BodyWriter
from aimsdocs.writers.docx.numbering import Numbering
from aimsdocs.writers.docx.ooxml import (
    DOCUMENT_PREFIXES,
    RT_NUMBERING,
    RT_SETTINGS,
    RT_STYLES,
    parse,
    q,
    root,
)
from aimsdocs.writers.docx.ooxml import serialise as _serialise
from aimsdocs.writers.docx.package import (
    CT,
    FONT_TABLE,
    OFFICE,
    PACKAGE_RELS,
    WEB_SETTINGS,
    Package,
    Relationships,
    app_properties,
    core_properties,
    revision_moment,
    settings,
)
from aimsdocs.writers.docx.reference import Reference, load_reference
from aimsdocs.writers.docx.sections import PageSections
from aimsdocs.writers.docx.styles import ACCENTED, Styles, default_look, default_styles_root
from aimsdocs.writers.tree import (
    DEFAULT_ACCENT,
    accent_hex,
    drop_leading_title,
    parse_markdown,
)

TOC_MIN_HEADINGS = 6  # shorter documents need no contents list (and no update prompt)


def write_docx(doc: RenderedDocument, brand: Brand | None = None,
               links: dict[str, str] | None = None, *, for_pdf: bool = False) -> bytes:
    """The document as DOCX bytes; identical input gives identical bytes.

    `links`: doc id -> relative path of another document, so references to it become
    hyperlinks. `for_pdf`: the contents list carries PAGEREF fields that LibreOffice fills in
    while it lays out the pages (it does not update a TOC field when converting).
    """
    brand = brand or Brand()
    accent = accent_hex(brand.accent_colour or DEFAULT_ACCENT)
    control = doc.control
    language = control.language
    reference = load_reference(brand.reference_docx) if brand.reference_docx else None
    package = Package()
    rels = Relationships()
    styles = _styles(reference, brand, accent, language)
    numbering = Numbering(_numbering_base(reference))
    logo = _read_logo(brand.logo)
    sections = PageSections(package, rels, styles, control, logo, reference)

    tree = drop_leading_title(parse_markdown(doc.markdown, links, control.doc_id), doc.title)
    levels = [int(e.tag[1]) for e in tree.iter() if e.tag in HEADINGS]
    body = BodyWriter(styles, numbering, rels.hyperlink, sections, header_fill=accent,
                      heading_shift=min(levels, default=1) - 1)
    body.name_bookmarks(tree)
    body.add_title(control.title)
    body.add_control_block(control)
    entries = [e for e in tree.iter() if e.tag in HEADINGS and body.level(e) <= TOC_LEVELS]
    has_toc = len(entries) >= TOC_MIN_HEADINGS
    if has_toc:
        body.add_toc(entries, static=for_pdf)
    body.add_blocks(tree)
    body.finish()

    if reference is not None:
        _copy_reference(package, rels, reference)
    package.add("word/styles.xml", styles.xml() if styles.changed or reference else
                _default_styles_bytes(accent, language), CT["styles"])
    rels.add(RT_STYLES, "styles.xml")
    if numbering.used:
        package.add("word/numbering.xml", numbering.xml(), CT["numbering"])
        rels.add(RT_NUMBERING, "numbering.xml")
    update_fields = has_toc and not for_pdf
    package.add("word/settings.xml", settings(update_fields, language) if reference is None
                else _reference_settings(reference, update_fields, language), CT["settings"])
    rels.add(RT_SETTINGS, "settings.xml")
    if reference is None:
        package.add("word/fontTable.xml", FONT_TABLE, CT["fontTable"])
        package.add("word/webSettings.xml", WEB_SETTINGS, CT["webSettings"])
        rels.add(f"{OFFICE}/fontTable", "fontTable.xml")
        rels.add(f"{OFFICE}/webSettings", "webSettings.xml")
    package.add("word/document.xml", _document_xml(body.xml()), CT["document"])
    package.add("word/_rels/document.xml.rels", rels.xml())
    when = revision_moment(control)
    package.add("docProps/core.xml", core_properties(control, when, language), CT["core"])
    package.add("docProps/app.xml", app_properties(control.organisation), CT["app"])
    package.add("_rels/.rels", PACKAGE_RELS)
    return package.zip(when)


@functools.cache
def _document_start() -> tuple[bytes, bytes]:
    """document.xml around its body: declaration and root start tag, and the end tag."""
    empty = _serialise(root("w:document", DOCUMENT_PREFIXES))  # ends "/>"
    return empty[:-2] + b">", b"</w:document>"


def _document_xml(body: str) -> bytes:
    start, end = _document_start()
    return start + body.encode("utf-8") + end


def _styles(reference: Reference | None, brand: Brand, accent: str, language: str) -> Styles:
    if reference is None:
        return default_look(accent, language)
    data = reference.part("styles")
    styles = Styles(parse(data) if data else root("w:styles"),
                    defaults=default_styles_root(accent, language))
    styles.set_language(language)
    styles.id("Title")  # present, so the accent below can reach it
    if brand.accent_colour:  # an explicit accent wins over the reference's colours
        for name in ACCENTED:
            styles.set_colour(name, accent)
    return styles


def _default_styles_bytes(accent: str, language: str) -> bytes:
    from aimsdocs.writers.docx.styles import default_styles

    return default_styles(accent, language)


def _numbering_base(reference: Reference | None):
    if reference is None:
        return None
    data = reference.part("numbering")
    return parse(data) if data else None


REWRITTEN = ("styles", "numbering", "settings")  # parts written anew, at their usual names


def _copy_reference(package: Package, rels: Relationships, reference: Reference) -> None:
    """The reference's theme, fonts, notes and their media, with their relationships."""
    package.defaults.update(reference.defaults)
    rewritten = {reference.part_name(kind) for kind in REWRITTEN}
    for name, data in reference.parts.items():
        if name not in rewritten:
            package.add(name, data, reference.types.get(name))
    for _rid, kind, target, external in reference.document_rels:
        if kind.rsplit("/", 1)[-1] not in REWRITTEN:
            rels.add(kind, target, external)


def _reference_settings(reference: Reference, update_fields: bool, language: str) -> bytes:
    from lxml import etree

    from aimsdocs.writers.docx.ooxml import SETTINGS_ORDER, set_ordered

    data = reference.part("settings")
    element = parse(data) if data else root("w:settings")
    for name in ("updateFields", "attachedTemplate"):
        for found in element.findall(q(f"w:{name}")):
            element.remove(found)
    if update_fields:
        update = etree.Element(q("w:updateFields"))
        update.set(q("w:val"), "true")
        set_ordered(element, update, SETTINGS_ORDER)
    theme_lang = element.find(q("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = etree.Element(q("w:themeFontLang"))
        set_ordered(element, theme_lang, SETTINGS_ORDER)
    theme_lang.set(q("w:val"), language)
    return _serialise(element)


def _read_logo(logo: Path | None) -> bytes | None:
    if logo is None:
        return None
    try:
        data = logo.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the logo: {exc.strerror}", file=logo,
                         hint="check the brand's logo path") from None
    if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
        raise InputError("the logo is not a PNG or JPEG image", file=logo,
                         hint="export the logo as PNG")
    return data



def write_document(doc: RenderedDocument, context) -> bytes:
    """The registry's contract (see writers/registry.py)."""
    return write_docx(doc, context.brand, context.links)


__all__ = ["write_document", "write_docx"]
