"""An Office package (zip) rewritten so that every part we do not change stays byte-identical.

Unchanged entries are copied raw (local header, compressed data, central directory record);
only changed or added parts are compressed anew. A zip too unusual to copy raw (zip64,
encryption, data before the first entry) is rewritten entry by entry with the same names,
order, timestamps and attributes instead: same content, not the same compressed bytes.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from aimsdocs.errors import InputError
from aimsdocs.support.safezip import MAX_ENTRIES, MAX_UNPACKED_BYTES
from aimsdocs.writers.redline.ooxml import parse_xml, serialise_xml

CONTENT_TYPES = "[Content_Types].xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
NEW_PART_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
HINT = "open it in Word or LibreOffice and save it again as .docx"

_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")  # central directory record, fixed part
_LOCAL = struct.Struct("<IHHHHHIIIHH")  # local file header
_END = struct.Struct("<IHHHHIIH")  # end of central directory
_UTF8_NAME = 0x800


@dataclass
class _RawEntry:
    name: str
    record: bytes  # central directory record, as stored
    local: bytes  # local header + compressed data (+ data descriptor), as stored


class Package:
    """Parts of an Office document by name; `to_bytes` writes the changes back."""

    def __init__(self, data: bytes, label: str = "document"):
        self.label = label
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(f"{label} is not a Word document (not a valid zip archive: {exc})",
                             hint=HINT) from None
        self.names = [info.filename for info in infos]
        if len(set(self.names)) != len(self.names):
            raise InputError(f"{label} has duplicate parts in its zip archive", hint=HINT)
        if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise InputError(f"{label} is too large to amend (possible zip bomb)", hint=HINT)
        if CONTENT_TYPES not in self.names:
            raise InputError(f"{label} is not an Office document (no {CONTENT_TYPES})", hint=HINT)
        self._raw = _raw_entries(data, self.names)
        self._changed: dict[str, bytes] = {}
        self._added: list[str] = []

    # reading

    def has(self, name: str) -> bool:
        return name in self._changed or name in self.names

    def read(self, name: str) -> bytes:
        if name in self._changed:
            return self._changed[name]
        try:
            return self._zip.read(name)
        except (KeyError, zipfile.BadZipFile, zlib.error, OSError) as exc:
            raise InputError(f"{self.label}: cannot read part {name} ({exc})", hint=HINT) from None

    def xml(self, name: str) -> etree._ElementTree:
        try:
            return parse_xml(self.read(name))
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{self.label}: part {name} is not well-formed XML ({exc})",
                             hint=HINT) from None

    def main_document(self) -> str:
        """The main document part, as _rels/.rels names it (word/document.xml in practice)."""
        for target, rel_type in _relationships(self, "_rels/.rels", ""):
            if rel_type == OFFICE_DOCUMENT:
                return target
        raise InputError(f"{self.label} has no main document part", hint=HINT)

    def related(self, part: str, rel_type: str) -> str | None:
        for target, found in _relationships(self, rels_name(part), posixpath.dirname(part)):
            if found == rel_type:
                return target
        return None

    # writing

    def write(self, name: str, content: bytes) -> None:
        if name not in self.names and name not in self._added:
            self._added.append(name)
        self._changed[name] = content

    def write_xml(self, name: str, tree: etree._ElementTree) -> None:
        original = self.read(name) if self.has(name) else NEW_PART_DECLARATION
        self.write(name, serialise_xml(tree, original))

    def add_relationship(self, part: str, rel_type: str, target_part: str) -> None:
        name = rels_name(part)
        if self.has(name):
            tree = self.xml(name)
        else:
            tree = etree.ElementTree(etree.Element(f"{{{RELS_NS}}}Relationships",
                                                   nsmap={None: RELS_NS}))
        root = tree.getroot()
        taken = {rel.get("Id") for rel in root}
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        target = posixpath.relpath(target_part, posixpath.dirname(part) or ".")
        etree.SubElement(root, f"{{{RELS_NS}}}Relationship",
                         {"Id": f"rId{number}", "Type": rel_type, "Target": target})
        self.write_xml(name, tree)

    def add_override(self, part: str, content_type: str) -> None:
        tree = self.xml(CONTENT_TYPES)
        root = tree.getroot()
        etree.SubElement(root, f"{{{CT_NS}}}Override",
                         {"PartName": "/" + part, "ContentType": content_type})
        self.write(CONTENT_TYPES, serialise_xml(tree, self.read(CONTENT_TYPES)))

    def to_bytes(self) -> bytes:
        if self._raw is None:
            return self._rewritten()
        template = next((e for e in self._raw if e.name in self._changed), self._raw[0])
        entries = [(e, self._changed.get(e.name)) for e in self._raw]
        entries += [(_RawEntry(name, template.record, b""), self._changed[name])
                    for name in self._added]
        out, central = bytearray(), bytearray()
        for entry, content in entries:
            if content is None:
                local, record = entry.local, entry.record
            else:
                local, record = _compressed(entry.name, entry.record, content)
            central += record[:42] + struct.pack("<I", len(out)) + record[46:]
            out += local
        comment = self._zip.comment
        count = len(entries)
        out += central + _END.pack(0x06054B50, 0, 0, count, count, len(central),
                                   len(out), len(comment)) + comment
        return bytes(out)

    def _rewritten(self) -> bytes:
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as target:
            for info in self._zip.infolist():
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.compress_type = zipfile.ZIP_DEFLATED
                copy.create_system, copy.external_attr = info.create_system, info.external_attr
                target.writestr(copy, self.read(info.filename))
            first = self._zip.infolist()[0]
            for name in self._added:
                copy = zipfile.ZipInfo(name, date_time=first.date_time)
                copy.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(copy, self._changed[name])
        return output.getvalue()


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _relationships(package: Package, name: str, folder: str) -> list[tuple[str, str]]:
    if not package.has(name):
        return []
    found = []
    for rel in package.xml(name).getroot():
        if rel.get("TargetMode") == "External" or not rel.get("Target"):
            continue
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
        found.append((resolved, rel.get("Type", "")))
    return found


def _raw_entries(data: bytes, names: list[str]) -> list[_RawEntry] | None:
    """The archive's entries as stored, or None when it is too unusual to copy raw."""
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or len(data) - end < _END.size:
        return None
    _, disk, cd_disk, on_disk, total, cd_size, cd_offset, _ = _END.unpack_from(data, end)
    if disk or cd_disk or on_disk != total or total != len(names) \
            or 0xFFFFFFFF in (cd_size, cd_offset):
        return None
    entries, position, expected_offset = [], cd_offset, 0
    for name in names:
        if data[position:position + 4] != b"PK\x01\x02":
            return None
        fields = _CENTRAL.unpack_from(data, position)
        flags, csize, usize = fields[3], fields[8], fields[9]
        name_len, extra_len, comment_len, offset = fields[10], fields[11], fields[12], fields[16]
        if flags & 1 or 0xFFFFFFFF in (csize, usize, offset) or offset != expected_offset:
            return None  # encrypted, zip64, or gaps between entries
        record = data[position:position + _CENTRAL.size + name_len + extra_len + comment_len]
        if data[offset:offset + 4] != b"PK\x03\x04":
            return None
        local_name, local_extra = struct.unpack_from("<HH", data, offset + 26)
        stop = offset + _LOCAL.size + local_name + local_extra + csize
        if flags & 8:  # a data descriptor follows, with or without its signature
            stop += 16 if data[stop:stop + 4] == b"PK\x07\x08" else 12
        entries.append(_RawEntry(name, record, data[offset:stop]))
        position += len(record)
        expected_offset = stop
    return entries


def _compressed(name: str, template: bytes, content: bytes) -> tuple[bytes, bytes]:
    """A freshly deflated entry whose timestamp and attributes come from `template`."""
    fields = _CENTRAL.unpack_from(template, 0)
    made_by, flags, time, date = fields[1], fields[3] & _UTF8_NAME, fields[5], fields[6]
    internal, external = fields[14], fields[15]
    raw_name = name.encode("utf-8" if flags & _UTF8_NAME or not name.isascii() else "ascii")
    if not name.isascii():
        flags |= _UTF8_NAME
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    crc = zlib.crc32(content)
    local = _LOCAL.pack(0x04034B50, 20, flags, 8, time, date, crc, len(data), len(content),
                        len(raw_name), 0) + raw_name + data
    record = _CENTRAL.pack(0x02014B50, made_by, 20, flags, 8, time, date, crc, len(data),
                           len(content), len(raw_name), 0, 0, 0, internal, external, 0) + raw_name
    return local, record
