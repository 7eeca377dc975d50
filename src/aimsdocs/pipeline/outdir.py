"""Where a pack is written: one folder per organisation, inside --out, apart from the inputs.

The folder is named after the organisation's short name, transliterated to ASCII (so
"Меридиан" gives `meridian`, not a shared `organisation`). Its manifest records which
organisation owns it, so a second organisation with the same short name is refused instead
of silently overwriting the first.
"""

from __future__ import annotations

from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.profile import OrgFolder
from aimsdocs.support.files import inside
from aimsdocs.support.names import safe_name

INPUT_FOLDERS = ("isms", "templates", "brand", "mappings")


def slug_for(short_name: str) -> str:
    return safe_name(short_name, fallback="organisation")


def org_slug(org: OrgFolder) -> str:
    return slug_for(org.profile.organisation.short_name)


def pack_dir(out: Path, org: OrgFolder) -> Path:
    """OUT/<slug>, refusing a link that would lead the pack out of OUT."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("--out is a file, not a folder", file=out,
                         hint="give --out a folder (it is created if needed)")
    return inside(out, org_slug(org))


def check_pack_dir(folder: Path, org: OrgFolder, extra_inputs: tuple[Path | None, ...] = ()
                   ) -> None:
    """Refuse a pack folder that would overwrite or mix with what the organisation gave us."""
    folder = folder.resolve()
    out = folder.parent
    if out == Path(out.anchor):
        raise InputError("refusing to write a pack into the root of the file system", file=out,
                         hint="give --out a folder of its own, e.g. --out output")
    root = org.root.resolve()
    inputs = [root / name for name in INPUT_FOLDERS]
    inputs += [Path(p).resolve() for p in extra_inputs if p is not None]
    for place in (out, folder):
        if place == root:
            raise InputError("--out is the organisation folder itself", file=place,
                             hint="write the pack elsewhere, e.g. --out output")
        for source in inputs:
            if place == source or source in place.parents:
                raise InputError(f"--out lies inside an input folder ({source.name}/)",
                                 file=place,
                                 hint="the next build would read the pack as input; write it "
                                      "elsewhere, e.g. --out output")
    if folder in root.parents:
        raise InputError("the pack folder would contain the organisation folder", file=folder,
                         hint="choose another --out, or rename the organisation folder")
