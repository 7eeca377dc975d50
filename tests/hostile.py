"""Hostile inputs for the containment tests, made on the fly (nothing hostile is committed)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx


def deflate_zeros(megabytes: int) -> bytes:
    """A raw deflate stream of `megabytes` MiB of zeros, about 1 KB per MiB, made instantly.

    After a full flush the compressor's state is reset, so every further 1 MiB block deflates
    to the same bytes and can simply be repeated.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = bytes(1 << 20)
    first, repeat = (compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
                     for _ in range(2))
    return first + repeat * (megabytes - 1) + compressor.flush()


def lying_docx(inflated_megabytes: int = 2048, declared: int = 4096) -> bytes:
    """A real Word document plus a part whose zip directory understates its size.

    The part really inflates to `inflated_megabytes` MiB but declares `declared` bytes, so a
    size check that trusts the directory lets it through.
    """
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    parts = []
    with zipfile.ZipFile(buffer) as archive:
        for info in archive.infolist():
            raw = archive.read(info)
            compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            packed = compressor.compress(raw) + compressor.flush()
            parts.append((info.filename, packed, len(raw), zlib.crc32(raw)))
    parts.append(("word/media/image1.xml", deflate_zeros(inflated_megabytes), declared, 0))
    return _zip(parts)


def _zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand, so that its directory can say whatever we like."""
    out = io.BytesIO()
    central = []
    for name, packed, size, crc in parts:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(packed),
                              size, len(encoded), 0) + encoded + packed)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21,
                                   crc, len(packed), size, len(encoded), 0, 0, 0, 0, 0,
                                   offset) + encoded)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory),
                          start, 0))
    return out.getvalue()


def alias_bomb(levels: int = 9) -> str:
    """'Billion laughs' in under 1 KB: each level repeats the previous anchor nine times."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 9)}]")
    return "\n".join(lines) + "\n"


def entity_bomb_xml() -> bytes:
    return (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'&lol2;</Types>')
