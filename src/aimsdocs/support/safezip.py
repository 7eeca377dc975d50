"""Open user-supplied Office files (.docx/.xlsx) safely.

They are zip archives: check that it really is one and that it does not unpack to something
huge (a zip bomb) before any library touches it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from aimsdocs.errors import InputError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_RATIO = 200  # unpacked/packed size of one entry


def check_office_file(path: Path, kind: str) -> None:
    """Raise InputError unless `path` is a plausible, reasonably sized .docx/.xlsx zip."""
    path = Path(path)
    hint = f"open it in Word/Excel/LibreOffice and save it again as .{kind}"
    if not path.is_file():
        raise InputError("file not found", file=path)
    if not zipfile.is_zipfile(path):
        raise InputError(f"not a valid .{kind} file (not a zip archive; corrupt or renamed?)",
                         file=path, hint=hint)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"corrupt .{kind} file ({exc})", file=path, hint=hint) from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"too many parts in archive ({len(infos)})", file=path, hint=hint)
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            f"unpacks to {total // (1024 * 1024)} MiB, over the {MAX_UNPACKED_BYTES // 2**20} MiB "
            "limit (possible zip bomb)", file=path, hint="remove embedded media or split the file")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO \
                and info.file_size > 10 * 1024 * 1024:
            raise InputError(f"suspicious compression ratio in '{info.filename}' (zip bomb?)",
                             file=path, hint=hint)
    names = {i.filename for i in infos}
    required = "[Content_Types].xml"
    if required not in names:
        raise InputError(f"not a valid .{kind} file (no {required})", file=path, hint=hint)
