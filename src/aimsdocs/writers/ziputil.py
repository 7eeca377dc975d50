"""Make Office zip packages reproducible: same content, same bytes.

python-docx and openpyxl stamp each zip entry with the current time and the platform's
attributes. Rewriting every entry with fixed metadata makes a rebuild byte-identical, so
`build --check` and version control see only real changes.
"""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
import zlib

ZIP_EPOCH = datetime.datetime(1980, 1, 1)  # the earliest time a zip entry can carry
ZIP_END = datetime.datetime(2107, 12, 31, 23, 59, 58)
CONTENT_TYPES = "[Content_Types].xml"  # Office readers expect it first
FILE_MODE = 0o100644 << 16  # regular file, rw-r--r--
# Deflate level 3 compresses a document part about five times faster than the default 6, for
# a tenth to a fifth more bytes: at 1,000 AI systems about 2 s of CPU against 36 -> 40 MB of
# DOCX and 3.9 -> 4.7 MB of registers.
COMPRESS_LEVEL = 3
ZIP64_LIMIT = (1 << 31) - 1  # larger entries or archives would need zip64 fields


def _timestamp(when: datetime.datetime | None) -> tuple[int, int, int, int, int, int]:
    moment = (when or ZIP_EPOCH).replace(tzinfo=None, microsecond=0)
    moment = min(max(moment, ZIP_EPOCH), ZIP_END)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def normalise_zip(data: bytes, when: datetime.datetime | None = None) -> bytes:
    """Rewrite a zip with fixed timestamps, attributes, compression and entry order."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        ordered = ([n for n in names if n == CONTENT_TYPES]
                   + [n for n in names if n != CONTENT_TYPES])
        # a duplicate entry would be ambiguous: keep the first
        return write_zip([(name, source.read(name)) for name in dict.fromkeys(ordered)], when)


# The zip is written here rather than by zipfile: a pack of a thousand AI systems writes
# forty thousand entries, and zipfile's per-entry machinery cost more than compressing them.
# The bytes are those zipfile writes for the same entries (deflated, Unix mode 644, no
# extra fields), so readers see a plain zip.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # deflate
_UTF8_NAME = 0x800
_SMALL_PART = 16 * 1024  # parts this small are mostly the same in every document
_deflated: dict[bytes, tuple[int, bytes]] = {}


def _deflate(data: bytes) -> tuple[int, bytes]:
    """(CRC-32, raw deflate stream) of an entry; small parts are remembered."""
    known = _deflated.get(data) if len(data) <= _SMALL_PART else None
    if known is not None:
        return known
    packer = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    made = zlib.crc32(data), packer.compress(data) + packer.flush()
    if len(data) <= _SMALL_PART:
        if len(_deflated) >= 512:
            _deflated.clear()
        _deflated[data] = made
    return made


def write_zip(entries: list[tuple[str, bytes]], when: datetime.datetime | None = None) -> bytes:
    """A zip of (name, data) entries, in order, each dated `when`."""
    year, month, day, hour, minute, second = _timestamp(when)
    date = (year - 1980) << 9 | month << 5 | day
    time = hour << 11 | minute << 5 | second // 2
    body: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, data in entries:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        crc, raw = _deflate(data)
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, time,
                             date, crc, len(raw), len(data), len(encoded), 0)
        directory.append(_CENTRAL.pack(
            b"PK\x01\x02", _VERSION, 3, _VERSION, 0, flags, zipfile.ZIP_DEFLATED, time, date,
            crc, len(raw), len(data), len(encoded), 0, 0, 0, 0, FILE_MODE, offset) + encoded)
        body += (header, encoded, raw)
        offset += len(header) + len(encoded) + len(raw)
    listing = b"".join(directory)
    if offset + len(listing) >= ZIP64_LIMIT:
        raise ValueError("the package is too large for a zip without zip64 fields")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(listing), offset, 0)
    return b"".join(body) + listing + end
