"""The OPC package: parts, relationships, content types, properties, and a reproducible zip.

Entries are written in a fixed order with fixed metadata, dated by the document's revision
date, so the same document gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from html import escape

from aimsdocs.render.document import DocumentControl
from aimsdocs.writers.ziputil import CONTENT_TYPES, write_zip

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CT = {
    "document": f"{CT_MAIN}.document.main+xml",
    "styles": f"{CT_MAIN}.styles+xml",
    "numbering": f"{CT_MAIN}.numbering+xml",
    "settings": f"{CT_MAIN}.settings+xml",
    "fontTable": f"{CT_MAIN}.fontTable+xml",
    "webSettings": f"{CT_MAIN}.webSettings+xml",
    "header": f"{CT_MAIN}.header+xml",
    "footer": f"{CT_MAIN}.footer+xml",
    "core": "application/vnd.openxmlformats-package.core-properties+xml",
    "app": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
DEFAULT_TYPES = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                 "xml": "application/xml", "png": "image/png", "jpeg": "image/jpeg",
                 "jpg": "image/jpeg"}
CATEGORY = "AI management system (ISO/IEC 42001)"
NO_DATE = dt.date(2000, 1, 1)  # document properties need a date; never the clock


class Relationships:
    """The relationships of one part; hyperlinks to the same target share one id."""

    def __init__(self, existing: list[tuple[str, str, str, bool]] | None = None):
        self.items: list[tuple[str, str, str, bool]] = list(existing or [])  # id, type, target
        self._external: dict[str, str] = {}
        self._next = 1 + max((int(rid[3:]) for rid, *_ in self.items
                              if rid.startswith("rId") and rid[3:].isdigit()), default=0)

    def add(self, rel_type: str, target: str, external: bool = False) -> str:
        rid = f"rId{self._next}"
        self._next += 1
        self.items.append((rid, rel_type, target, external))
        return rid

    def hyperlink(self, target: str) -> str:
        if target not in self._external:
            self._external[target] = self.add(f"{OFFICE}/hyperlink", target, external=True)
        return self._external[target]

    def xml(self) -> bytes:
        rows = "".join(
            f'<Relationship Id="{rid}" Type="{kind}" Target="{escape(target)}"'
            + (' TargetMode="External"' if external else "") + "/>"
            for rid, kind, target, external in self.items)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{RELS_NS}">{rows}</Relationships>').encode()


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}
        self.types: dict[str, str] = {}  # part name -> content type override
        self.defaults = dict(DEFAULT_TYPES)

    def add(self, name: str, data: bytes, content_type: str | None = None) -> None:
        self.parts[name] = data
        if content_type:
            self.types[name] = content_type

    def content_types(self) -> bytes:
        defaults = "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>'
                           for ext, kind in sorted(self.defaults.items()))
        overrides = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>'
                            for name, kind in sorted(self.types.items()) if name in self.parts)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns='
                '"http://schemas.openxmlformats.org/package/2006/content-types">'
                f"{defaults}{overrides}</Types>").encode()

    def zip(self, when: dt.datetime) -> bytes:
        return write_zip([(CONTENT_TYPES, self.content_types()),
                          *sorted(self.parts.items(), key=_part_order)], when)


def _part_order(item: tuple[str, bytes]) -> tuple[int, str]:
    name = item[0]
    return (0 if name.startswith("_rels/") else 1 if name.startswith("docProps/") else 2, name)


def _w3c(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def core_properties(control: DocumentControl, when: dt.datetime, language: str) -> bytes:
    """Every core property set, so nothing leaks from a template and nothing reads the clock."""
    e = escape
    stamp = _w3c(when)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms='
        '"http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{e(control.title)}</dc:title><dc:subject>{e(control.doc_type)}</dc:subject>"
        f"<dc:creator>{e(control.organisation)}</dc:creator>"
        f"<cp:keywords>{e(', '.join(control.addresses))}</cp:keywords>"
        f"<dc:description></dc:description>"
        f"<cp:lastModifiedBy>{e(control.organisation)}</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision><cp:lastPrinted>{stamp}</cp:lastPrinted>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        f"<cp:category>{e(CATEGORY)}</cp:category>"
        f"<cp:contentStatus>{e(control.status)}</cp:contentStatus>"
        f"<dc:identifier>{e(control.doc_id)}</dc:identifier>"
        f"<dc:language>{e(language)}</dc:language>"
        f"<cp:version>{e(control.version)}</cp:version>"
        "</cp:coreProperties>").encode()


def app_properties(organisation: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
            '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>aimsdocs</Application><Company>{escape(organisation)}</Company>"
            "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
            "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged></Properties>").encode()


def revision_moment(control: DocumentControl) -> dt.datetime:
    return dt.datetime.combine(control.revision_date or NO_DATE, dt.time())


PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{RELS_NS}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{OFFICE}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>").encode()

FONT_TABLE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w='
    b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b'<w:font w:name="Calibri"><w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/>'
    b'<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    b'<w:font w:name="Courier New"><w:panose1 w:val="02070309020205020404"/><w:charset '
    b'w:val="00"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
    b'<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset '
    b'w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    b"</w:fonts>")

WEB_SETTINGS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:webSettings xmlns:w='
    b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:optimizeForBrowser/>'
    b"</w:webSettings>")


def settings(update_fields: bool, language: str) -> bytes:
    """Word asks to update fields on open only when `update_fields` (a TOC needs it)."""
    update = '<w:updateFields w:val="true"/>' if update_fields else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w='
        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        f'{update}<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val="{escape(language)}"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>').encode()
