"""Open user-supplied Office files (.docx/.xlsx) safely.

They are zip archives, and a zip's directory may lie: a 2 MB file can declare small sizes and
inflate to gigabytes when a library reads an entry in one go. So before python-docx or openpyxl
see a file, every entry is inflated once, in small chunks, counting the bytes really produced:
an entry that yields more than its directory declares, or a total over the budget, is refused
at once with memory bounded by the chunk size. The XML parts are scanned on the way for a
DTD (`<!DOCTYPE`/`<!ENTITY`), which Office files never need and entity-expansion bombs and
external entities require. The libraries then get the checked bytes from memory, so what
they parse is exactly what was checked.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from aimsdocs.errors import InputError

MAX_FILE_BYTES = 100 * 1024 * 1024  # on disk
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all entries together, as really inflated
MAX_ENTRIES = 10_000
CHUNK = 64 * 1024
_LOCAL_HEADER = 30
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# A DTD in UTF-8, UTF-16LE or UTF-16BE (XML parsers accept all three).
_DTD_MARKS = tuple(mark.encode(codec) for mark in ("<!DOCTYPE", "<!ENTITY")
                   for codec in ("utf-8", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(m) for m in _DTD_MARKS)


def open_office_file(path: Path, kind: str) -> io.BytesIO:
    """The checked contents of a .docx/.xlsx, in memory, ready for python-docx or openpyxl."""
    path = Path(path)
    hint = f"open it in Word/Excel/LibreOffice and save it again as .{kind}"
    if not path.is_file():
        raise InputError("file not found", file=path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"file is {size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB "
                         "limit", file=path, hint="remove embedded media or split the file")
    data = path.read_bytes()
    _check(data, path, kind, hint)
    return io.BytesIO(data)


def check_office_file(path: Path, kind: str) -> None:
    """Raise InputError unless `path` is a plausible, reasonably sized .docx/.xlsx zip."""
    open_office_file(path, kind)


def _check(data: bytes, path: Path, kind: str, hint: str) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError(f"not a valid .{kind} file (not a zip archive; corrupt or renamed?)",
                         file=path, hint=hint)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"corrupt .{kind} file ({exc})", file=path, hint=hint) from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"too many parts in archive ({len(infos)})", file=path, hint=hint)
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNPACKED_BYTES:
        raise InputError(
            f"unpacks to {declared // 2**20} MiB, over the {MAX_UNPACKED_BYTES // 2**20} MiB "
            "limit (possible zip bomb)", file=path, hint="remove embedded media or split the file")
    required = "[Content_Types].xml"
    if required not in {i.filename for i in infos}:
        raise InputError(f"not a valid .{kind} file (no {required})", file=path, hint=hint)
    view = memoryview(data)
    total = 0
    for info in infos:
        total += _inflate(view, info, MAX_UNPACKED_BYTES - total, path, hint)


def _inflate(data: memoryview, info: zipfile.ZipInfo, budget: int, path: Path, hint: str) -> int:
    """Inflate one entry in chunks; return its real size. Refuse lies, bombs and DTDs."""
    def refuse(problem: str) -> InputError:
        return InputError(f"'{info.filename}' {problem}", file=path, hint=hint)

    if info.flag_bits & 0x1:
        raise refuse("is encrypted")
    start = _data_start(data, info)
    if start is None:
        raise refuse("has a damaged header (corrupt file)")
    end = start + info.compress_size
    if end > len(data):
        raise refuse("runs past the end of the file (corrupt file)")
    scan = _DtdScan() if info.filename.lower().endswith(_XML_SUFFIXES) else None
    size = 0
    crc = 0
    for piece in _pieces(data, start, end, info, refuse):
        size += len(piece)
        if size > info.file_size:
            raise refuse("unpacks to more than the archive's directory declares (a zip bomb "
                         "or a damaged file)")
        if size > budget:
            raise InputError(f"unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MiB (possible "
                             "zip bomb)", file=path, hint="remove embedded media or split it")
        crc = zlib.crc32(piece, crc)
        if scan is not None and scan.found(piece):
            raise refuse("declares a DTD (<!DOCTYPE/<!ENTITY>), which Office files never "
                         "contain (an XML entity bomb?)")
    if size != info.file_size or crc != info.CRC:
        raise refuse("does not match the archive's directory (corrupt file)")
    return size


def _data_start(data: memoryview, info: zipfile.ZipInfo) -> int | None:
    offset = info.header_offset
    header = bytes(data[offset:offset + _LOCAL_HEADER])
    if len(header) < _LOCAL_HEADER or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return offset + _LOCAL_HEADER + name_length + extra_length


def _pieces(data: memoryview, start: int, end: int, info: zipfile.ZipInfo, refuse):
    """The entry's inflated bytes, CHUNK at a time, whatever the directory says."""
    if info.compress_type == zipfile.ZIP_STORED:
        for position in range(start, end, CHUNK):
            yield bytes(data[position:min(position + CHUNK, end)])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise refuse(f"uses compression method {info.compress_type}, which Office files do not")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = start
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                chunk = inflater.unconsumed_tail
            elif position < end:
                chunk = bytes(data[position:min(position + CHUNK, end)])
                position += len(chunk)
            else:
                raise refuse("ends before its data does (corrupt file)")
            piece = inflater.decompress(chunk, CHUNK)
            if piece:
                yield piece
    except zlib.error as exc:
        raise refuse(f"cannot be unpacked ({exc}; corrupt file)") from None


class _DtdScan:
    """Looks for a DTD across chunk boundaries."""

    def __init__(self) -> None:
        self._tail = b""

    def found(self, piece: bytes) -> bool:
        window = self._tail + piece
        self._tail = window[-_OVERLAP:]
        return any(mark in window for mark in _DTD_MARKS)
