"""WordprocessingML names, units and the few element builders every part of the writer uses."""

from __future__ import annotations

import functools

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}
W = NS["w"]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_HYPERLINK = f"{REL}/hyperlink"
RT_IMAGE = f"{REL}/image"
RT_HEADER = f"{REL}/header"
RT_FOOTER = f"{REL}/footer"
RT_STYLES = f"{REL}/styles"
RT_NUMBERING = f"{REL}/numbering"
RT_SETTINGS = f"{REL}/settings"

CM = 567  # twips per centimetre (1440 per inch)
EMU_PER_TWIP = 635

# Schema order of paragraph and run properties: Word rejects children out of order.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
             "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
             "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
             "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
             "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
             "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
             "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
             "lang", "eastAsianLayout", "specVanish", "oMath")
SETTINGS_ORDER = ("writeProtection", "view", "zoom", "removePersonalInformation",
                  "removeDateAndTime", "doNotDisplayPageBoundaries", "displayBackgroundShape",
                  "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData",
                  "embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts",
                  "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
                  "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
                  "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle",
                  "proofState", "formsDesign", "attachedTemplate", "linkStyles",
                  "stylePaneFormatFilter", "stylePaneSortMethod", "documentType",
                  "mailMerge", "revisionView", "trackRevisions", "doNotTrackMoves",
                  "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
                  "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
                  "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps",
                  "showEnvelope", "summaryLength", "clickAndTypeStyle",
                  "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting",
                  "bookFoldPrinting", "bookFoldPrintingSheets",
                  "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
                  "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
                  "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
                  "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
                  "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
                  "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
                  "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent",
                  "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
                  "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt",
                  "showXMLTags", "alwaysMergeEmptyNamespace", "updateFields",
                  "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
                  "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                  "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
                  "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
                  "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


@functools.cache
def q(name: str) -> str:
    """Clark name of a prefixed name: "w:p" -> "{http://...main}p"."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def root(name: str, prefixes: tuple[str, ...] = ("w", "r")) -> etree._Element:
    """A part's root element, declaring the namespaces its content uses."""
    return etree.Element(q(name), nsmap={p: NS[p] for p in prefixes})


def sub(parent: etree._Element, name: str, attrs: dict[str, str] | None = None,
        text: str | None = None) -> etree._Element:
    if attrs:
        element = etree.SubElement(parent, q(name), {q(k) if ":" in k else k: v
                                                      for k, v in attrs.items()})
    else:
        element = etree.SubElement(parent, q(name))
    if text is not None:
        element.text = text
    return element


def val(parent: etree._Element, name: str, value: str | int) -> etree._Element:
    """A property element holding one w:val, e.g. <w:pStyle w:val="Title"/>."""
    element = etree.SubElement(parent, q(name))
    element.set(q("w:val"), str(value))
    return element


def text_run(parent: etree._Element, text: str) -> etree._Element:
    """<w:t> with preserved spaces (Word drops leading and trailing ones otherwise)."""
    element = etree.SubElement(parent, q("w:t"))
    element.text = text
    if text[:1].isspace() or text[-1:].isspace():
        element.set(XML_SPACE, "preserve")
    return element


def set_ordered(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> None:
    """Put (or replace) a property element where the schema wants it among its siblings."""
    local = etree.QName(child).localname
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    rank = order.index(local)
    for index, sibling in enumerate(parent):
        if not isinstance(sibling.tag, str):
            continue
        name = etree.QName(sibling).localname
        if name in order and order.index(name) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def child(parent: etree._Element, name: str, order: tuple[str, ...]) -> etree._Element:
    """The existing child `name`, or a new one in schema order."""
    found = parent.find(q(name))
    if found is None:
        found = etree.Element(q(name))
        set_ordered(parent, found, order)
    return found


DOCUMENT_PREFIXES = ("w", "r", "wp", "a", "pic")  # what document.xml's root declares


def fragment(element: etree._Element) -> str:
    """An element as XML text the way it serialises inside document.xml, whose root declares
    `DOCUMENT_PREFIXES` (so they are not declared again on the element)."""
    holder = root("w:document", DOCUMENT_PREFIXES)
    holder.append(element)
    data = etree.tostring(holder, encoding="unicode")
    return data[data.index(">") + 1:data.rindex("<")]


def serialise(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def parse(data: bytes) -> etree._Element:
    """Parse a part of a user's file: no network, no entity expansion."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_blank_text=False)
    return etree.fromstring(data, parser)
