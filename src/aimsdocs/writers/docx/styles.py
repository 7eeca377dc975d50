"""styles.xml: the default look, and the styles of a user's reference.docx matched like Word.

Every paragraph and run names its style by id. Ids differ between templates (Word writes
"Heading1", LibreOffice "Heading1" too but pandoc's reference names it "Heading 1", a German
template may call the id "berschrift1"), so styles are looked up by name, case-insensitively
and through their aliases, the way Word resolves built-in styles. A style the reference lacks
is added from the default look, so any reference.docx works.
"""

from __future__ import annotations

import copy
import functools

from lxml import etree

from aimsdocs.writers.docx.ooxml import RPR_ORDER, child, parse, q, serialise, set_ordered, val

BODY_FONT = "Calibri"
CODE_FONT = "Courier New"  # metric-compatible with LibreOffice's Liberation Mono
LINK_COLOUR = "0563C1"  # Word's own hyperlink blue
BODY_SIZE, TABLE_SIZE, HEADER_SIZE = 11, 10, 9  # points
LIST_INDENT = 360  # twips per list level, and the hanging indent of the bullet
ACCENTED = ("Title", "heading 1", "heading 2", "heading 3", "heading 4")

# Alternatives a template may use for the same job, tried in order (pandoc's reference has
# "Block Text" for quotes and "Source Code" for code; "Table" is its table style).
PREFERENCES = {
    "Quote": ("Quote", "Block Text"),
    "Code": ("Code", "Source Code"),
    "Table Grid": ("Table Grid", "Table"),
}


def _list_styles() -> str:
    parts = []
    for kind in ("Bullet", "Number"):
        for level in (1, 2, 3):
            suffix = f" {level}" if level > 1 else ""
            sid = f"List{kind}{level if level > 1 else ''}"
            parts.append(
                f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="List {kind}'
                f'{suffix}"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="9"/><w:pPr>'
                f'<w:spacing w:after="60"/><w:ind w:left="{LIST_INDENT * (level + 1)}" '
                f'w:hanging="{LIST_INDENT}"/></w:pPr></w:style>')
    for level in (1, 2, 3):
        suffix = f" {level}" if level > 1 else ""
        sid = f"ListContinue{level if level > 1 else ''}"
        parts.append(
            f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="List Continue'
            f'{suffix}"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="60"/>'
            f'<w:ind w:left="{LIST_INDENT * (level + 1)}"/></w:pPr></w:style>')
    return "".join(parts)


def _toc_styles() -> str:
    return "".join(
        f'<w:style w:type="paragraph" w:styleId="TOC{level}"><w:name w:val="toc {level}"/>'
        f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9070"/></w:tabs>'
        f'<w:spacing w:after="40"/><w:ind w:left="{(level - 1) * 284}"/></w:pPr></w:style>'
        for level in (1, 2, 3))


def _heading(level: int, size: int, before: int, after: int, accent: str,
             italic: bool = False) -> str:
    return (f'<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading '
            f'{level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority '
            f'w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing '
            f'w:before="{before}" w:after="{after}"/><w:outlineLvl w:val="{level - 1}"/>'
            f'</w:pPr><w:rPr><w:b/><w:bCs/>{"<w:i/><w:iCs/>" if italic else ""}'
            f'<w:color w:val="{accent}"/><w:sz w:val="{size * 2}"/><w:szCs '
            f'w:val="{size * 2}"/></w:rPr></w:style>')


@functools.cache
def default_styles(accent: str, language: str) -> bytes:
    """The default look's styles.xml: A4-friendly sizes, accent-coloured title and headings."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    font = (f'w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" '
            f'w:cs="{BODY_FONT}"')
    code = f'w:ascii="{CODE_FONT}" w:hAnsi="{CODE_FONT}" w:cs="{CODE_FONT}"'
    xml = (
        f'<w:styles {w}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts {font}/>'
        f'<w:sz w:val="{BODY_SIZE * 2}"/><w:szCs w:val="{BODY_SIZE * 2}"/>'
        f'<w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="ar-SA"/></w:rPr>'
        '</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" '
        'w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name '
        'w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal '
        'Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top '
        'w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:semiHidden/></w:style>'
        f'<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn '
        f'w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/><w:pPr>'
        f'<w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="4" '
        f'w:color="{accent}"/></w:pBdr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:bCs/>'
        f'<w:color w:val="{accent}"/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>'
        + _heading(1, 16, 360, 120, accent) + _heading(2, 13, 240, 80, accent)
        + _heading(3, 12, 200, 60, accent) + _heading(4, 11, 160, 40, accent, italic=True)
        + _heading(5, 11, 120, 40, "404040") + _heading(6, 11, 120, 40, "404040", italic=True)
        + _list_styles() + _toc_styles() +
        '<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn '
        'w:val="Normal"/><w:uiPriority w:val="29"/><w:qFormat/><w:pPr><w:ind w:left="567" '
        'w:right="567"/></w:pPr><w:rPr><w:i/><w:iCs/><w:color w:val="404040"/></w:rPr></w:style>'
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="Code"><w:name w:val="Code"/>'
        f'<w:basedOn w:val="Normal"/><w:pPr><w:shd w:val="clear" w:color="auto" '
        f'w:fill="F2F2F2"/><w:spacing w:after="120" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:rFonts {code}/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>'
        f'<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        f'<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:rPr><w:color '
        f'w:val="{LINK_COLOUR}"/><w:u w:val="single"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/>'
        '<w:basedOn w:val="Heading1"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        '<w:qFormat/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn '
        'w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="35"/><w:qFormat/><w:pPr>'
        '<w:keepNext/><w:spacing w:before="240" w:after="80"/></w:pPr><w:rPr><w:b/><w:bCs/>'
        '</w:rPr></w:style>'
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name '
        f'w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing '
        f'w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz '
        f'w:val="{TABLE_SIZE * 2}"/><w:szCs w:val="{TABLE_SIZE * 2}"/></w:rPr></w:style>'
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn '
        'w:val="TableNormal"/><w:uiPriority w:val="39"/><w:tblPr><w:tblBorders>'
        + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + '</w:tblBorders></w:tblPr></w:style>'
        + "".join(
            f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/><w:basedOn '
            f'w:val="Normal"/><w:uiPriority w:val="99"/><w:pPr><w:spacing w:after="0"/></w:pPr>'
            f'<w:rPr><w:color w:val="595959"/><w:sz w:val="{HEADER_SIZE * 2}"/><w:szCs '
            f'w:val="{HEADER_SIZE * 2}"/></w:rPr></w:style>'
            for sid, name in (("Header", "header"), ("Footer", "footer")))
        + "</w:styles>")
    return serialise(parse(xml.encode()))


def _norm(name: str) -> str:
    return " ".join(name.lower().split())


# A shared (cached, read-only) root's index, by the root's identity: every document of a pack
# starts from the same default look. The root is kept with its index, so its id stays its own.
_INDEXES: dict[int, tuple[etree._Element, dict[tuple[str, str], str], set[str], str]] = {}


class Styles:
    """Style ids by name, in one styles.xml; missing styles are added from the default look."""

    def __init__(self, styles: etree._Element, defaults: etree._Element | None = None,
                 shared: bool = False):
        self.root = styles
        self._shared = shared  # a cached root: copied before the first change
        self._defaults = defaults  # the default look's styles, to copy missing ones from
        self._by_name: dict[tuple[str, str], str] = {}
        self._ids: set[str] = set()
        self.changed = False
        self.default_paragraph = "Normal"
        known = _INDEXES.get(id(styles)) if shared else None
        if known is not None and known[0] is styles:  # a cached root is indexed once
            self._by_name, self._ids = dict(known[1]), set(known[2])
            self.default_paragraph = known[3]
            return
        for style in styles.iterfind(q("w:style")):
            self._index(style)
        if shared:
            _INDEXES[id(styles)] = (styles, dict(self._by_name), set(self._ids),
                                    self.default_paragraph)

    def _index(self, style: etree._Element) -> None:
        sid = style.get(q("w:styleId")) or ""
        kind = style.get(q("w:type")) or "paragraph"
        self._ids.add(sid)
        name = style.find(q("w:name"))
        names = [name.get(q("w:val"), "")] if name is not None else []
        aliases = style.find(q("w:aliases"))
        if aliases is not None:
            names += aliases.get(q("w:val"), "").split(",")
        for label in names:
            self._by_name.setdefault((kind, _norm(label)), sid)
        self._by_name.setdefault((kind, "#" + sid.lower()), sid)
        if kind == "paragraph" and style.get(q("w:default")) in ("1", "true", "on"):
            self.default_paragraph = sid

    def find(self, name: str, kind: str = "paragraph") -> str | None:
        """The id of the style called `name` (Word's rules), or None."""
        key = _norm(name)
        found = self._by_name.get((kind, key))
        if found is None:  # "Heading 1" written by a tool that kept only the id "Heading1"
            found = self._by_name.get((kind, "#" + key.replace(" ", "")))
        return found

    def id(self, name: str, kind: str = "paragraph") -> str:
        """The id for pStyle/rStyle/tblStyle, adding the default look's style if missing."""
        for candidate in PREFERENCES.get(name, (name,)):
            found = self.find(candidate, kind)
            if found is not None:
                return found
        return self._add(name, kind)

    @property
    def shared_root(self) -> etree._Element | None:
        """The cached default look this document still uses unchanged, if it does."""
        return self.root if self._shared else None

    def _unshare(self) -> None:
        if self._shared:
            self.root = copy.deepcopy(self.root)
            self._shared = False

    def _add(self, name: str, kind: str) -> str:
        self._unshare()
        source = _by_name(self._defaults, name, kind) if self._defaults is not None else None
        if source is None:
            source = etree.Element(q("w:style"))
            source.set(q("w:type"), kind)
            val(source, "w:name", name)
            if kind == "paragraph":
                val(source, "w:basedOn", "Normal")
        style = copy.deepcopy(source)
        for link in style.findall(q("w:link")):
            style.remove(link)
        sid = "".join(ch for ch in name.title() if ch.isalnum()) or "Style"
        while sid in self._ids:
            sid += "1"
        style.set(q("w:styleId"), sid)
        style.set(q("w:customStyle"), "1")
        self._ids.add(sid)
        self._by_name[(kind, _norm(name))] = sid
        for pointer in ("w:basedOn", "w:next"):
            element = style.find(q(pointer))
            if element is None:
                continue
            target = _name_of(self._defaults, element.get(q("w:val"), ""))
            if target is None or target == name:
                style.remove(element)
            elif _norm(target) == "normal":
                element.set(q("w:val"), self.default_paragraph)
            else:
                element.set(q("w:val"), self.id(target, kind))
        self.root.append(style)
        self.changed = True
        return sid

    def set_colour(self, name: str, colour: str) -> None:
        """Colour a style's text (the accent on a reference's title and headings)."""
        sid = self.find(name)
        if sid is None:
            return
        self._unshare()
        for style in self.root.iterfind(q("w:style")):
            if style.get(q("w:styleId")) == sid:
                rpr = child(style, "w:rPr", STYLE_ORDER)
                element = etree.Element(q("w:color"))
                element.set(q("w:val"), colour)
                set_ordered(rpr, element, RPR_ORDER)
                self.changed = True

    def set_language(self, language: str) -> None:
        self._unshare()
        defaults = child(self.root, "w:docDefaults", ("docDefaults", "latentStyles", "style"))
        rpr_default = child(defaults, "w:rPrDefault", ("rPrDefault", "pPrDefault"))
        rpr = child(rpr_default, "w:rPr", ("rPr",))
        lang = rpr.find(q("w:lang"))
        if lang is None:
            lang = etree.Element(q("w:lang"))
            set_ordered(rpr, lang, RPR_ORDER)
        lang.set(q("w:val"), language)
        self.changed = True

    def xml(self) -> bytes:
        return serialise(self.root)


STYLE_ORDER = ("name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden",
               "uiPriority", "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal",
               "personalCompose", "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr",
               "tcPr", "tblStylePr")


def _by_name(root: etree._Element, name: str, kind: str) -> etree._Element | None:
    wanted = _norm(name)
    for style in root.iterfind(q("w:style")):
        label = style.find(q("w:name"))
        if (style.get(q("w:type")) == kind and label is not None
                and _norm(label.get(q("w:val"), "")) == wanted):
            return style
    return None


def _name_of(root: etree._Element | None, style_id: str) -> str | None:
    if root is None:
        return None
    for style in root.iterfind(q("w:style")):
        if style.get(q("w:styleId")) == style_id:
            label = style.find(q("w:name"))
            return label.get(q("w:val")) if label is not None else None
    return None


@functools.cache
def default_styles_root(accent: str, language: str) -> etree._Element:
    """Parsed default styles, read-only: look-ups and the source of missing styles."""
    return parse(default_styles(accent, language))


def default_look(accent: str, language: str) -> Styles:
    return Styles(default_styles_root(accent, language), shared=True)
