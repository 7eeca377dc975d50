"""Reading a user's reference.docx (pandoc's convention) once per process.

What a reference gives: its styles, numbering, theme, fonts, settings, page set-up, and the
headers and footers of its last section. Its body, properties and comments are dropped. Any
reference works: pandoc's default (no page size at all), Word's own, LibreOffice's.
"""

from __future__ import annotations

import functools
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from aimsdocs.errors import InputError
from aimsdocs.support.safezip import open_office_file
from aimsdocs.writers.docx.ooxml import parse, q

KEPT = {"styles", "numbering", "settings", "webSettings", "fontTable", "theme", "footnotes",
        "endnotes"}
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class Reference:
    parts: dict[str, bytes]  # kept parts (and their .rels), by name without the leading /
    types: dict[str, str]  # content-type overrides of the kept parts
    defaults: dict[str, str]  # content type by extension
    document_rels: tuple[tuple[str, str, str, bool], ...]  # id, type, target, external
    sect_pr: bytes | None  # the body's last section properties
    headers: dict[str, tuple[str, bytes, bytes | None]]  # rel id -> (kind, part, its rels)

    def part_name(self, kind: str) -> str | None:
        """Name of the kept part of a relationship type ("styles", "numbering", ...)."""
        for _rid, rel_type, target, external in self.document_rels:
            if not external and rel_type.rsplit("/", 1)[-1] == kind:
                return posixpath.normpath(posixpath.join("word", target)).lstrip("/")
        return None

    def part(self, kind: str) -> bytes | None:
        name = self.part_name(kind)
        return self.parts.get(name) if name else None


def load_reference(path: Path) -> Reference:
    if not path.is_file():
        raise InputError("reference.docx not found", file=path,
                         hint="check the brand's reference_docx path")
    stat = path.stat()
    return _load(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _load(path: str, _size: int, _mtime: int) -> Reference:
    checked = open_office_file(Path(path), "docx")  # inflated once within a budget first
    try:
        with zipfile.ZipFile(checked) as archive:
            return _read(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError) as exc:
        raise InputError(f"reference.docx is not a readable Word document ({exc})",
                         file=Path(path), hint="open it in Word and save it again as .docx "
                         "(not .dotx or .doc)") from None


def _rels(data: bytes | None) -> list[tuple[str, str, str, bool]]:
    if not data:
        return []
    return [(r.get("Id", ""), r.get("Type", ""), r.get("Target", ""),
             r.get("TargetMode") == "External") for r in parse(data).iter(PACKAGE_REL)]


def _read(archive: zipfile.ZipFile) -> Reference:
    names = set(archive.namelist())
    main = next((t for _, kind, t, _ext in _rels(archive.read("_rels/.rels"))
                 if kind.endswith("/officeDocument")), "word/document.xml").lstrip("/")
    folder = posixpath.dirname(main)
    rels_path = posixpath.join(folder, "_rels", posixpath.basename(main) + ".rels")
    document_rels = _rels(archive.read(rels_path) if rels_path in names else None)
    body = parse(archive.read(main)).find(q("w:body"))
    sect_pr = body.find(q("w:sectPr")) if body is not None else None

    def resolve(base: str, target: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(base), target)).lstrip("/")

    kept_rels = []
    parts: dict[str, bytes] = {}
    pending: list[str] = []
    for rid, kind, target, external in document_rels:
        if external or kind.rsplit("/", 1)[-1] not in KEPT:
            continue
        name = resolve(main, target)
        if name in names:
            kept_rels.append((rid, kind, target, external))
            pending.append(name)
    headers: dict[str, tuple[str, bytes, bytes | None]] = {}
    if sect_pr is not None:
        targets = {rid: (kind, target) for rid, kind, target, _ in document_rels}
        for ref in sect_pr:
            if ref.tag in (q("w:headerReference"), q("w:footerReference")):
                rid = ref.get(q("r:id"), "")
                if rid in targets:
                    name = resolve(main, targets[rid][1])
                    if name in names:
                        own = rels_name(name)
                        headers[rid] = (targets[rid][0], archive.read(name),
                                        archive.read(own) if own in names else None)
                        pending += [resolve(name, t) for _, _, t, ext in
                                    _rels(headers[rid][2]) if not ext]
    while pending:  # every part the kept parts point to (images, a theme's media)
        name = pending.pop()
        if name in parts or name not in names:
            continue
        parts[name] = archive.read(name)
        own = rels_name(name)
        if own in names:
            parts[own] = archive.read(own)
            pending += [resolve(name, t) for _, _, t, ext in _rels(parts[own]) if not ext]
    types, defaults = {}, {}
    content_types = parse(archive.read("[Content_Types].xml"))
    for element in content_types:
        if element.tag == f"{TYPES}Override":
            types[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
        elif element.tag == f"{TYPES}Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
    return Reference(parts, types, defaults, tuple(kept_rels),
                     etree.tostring(sect_pr) if sect_pr is not None else None, headers)


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")
