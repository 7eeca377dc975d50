"""Load and validate the catalogues and the crosswalk (packaged, plus the user's layers).

Everything is checked in one pass and reported together: a duplicate id, an unknown id, a bad
relationship or rationale, a strength out of range, a 42001 item left unmapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from aimsdocs import resources
from aimsdocs.errors import ProblemList
from aimsdocs.standards.ai_act import AiActCrosswalk, load_ai_act
from aimsdocs.standards.catalogue import Catalogue, Requirement, normalise_id, parse_catalogue
from aimsdocs.standards.crosswalk import (
    RATIONALES,
    RELATIONSHIPS,
    REMOVE,
    TARGET_STANDARDS,
    Crosswalk,
    Link,
    overlay,
)
from aimsdocs.support.tabular import read_rows
from aimsdocs.support.yamlio import load_yaml

STANDARD_NAMES = {
    "iso42001": "ISO/IEC 42001:2023",
    "iso27001": "ISO/IEC 27001:2022",
    "iso9001": "ISO 9001:2015",
    "iso27001-2013": "ISO/IEC 27001:2013",
}
CATALOGUE_FILES = {
    "iso42001": "iso42001.yaml",
    "iso27001": "iso27001.yaml",
    "iso9001": "iso9001.yaml",
    "iso27001-2013": "iso27001-2013.yaml",
}
CROSSWALK_FILES = ("crosswalk-iso27001.yaml", "crosswalk-iso9001.yaml")

# Column headers accepted in a CSV/XLSX mapping table (lower-cased, spaces collapsed).
TABLE_COLUMNS = {
    "source": ("42001 id", "iso 42001 id", "iso/iec 42001 id", "source", "42001"),
    "target_standard": ("other standard", "target standard", "standard"),
    "target": ("other id", "target id", "target", "related id"),
    "relationship": ("relationship",),
    "rationale": ("rationale",),
    "strength": ("strength",),
    "note": ("note", "what 42001 adds", "notes"),
    "subject_specific": ("subject specific", "subject-specific", "subject_specific"),
}
STANDARD_ALIASES = {
    "iso27001": "iso27001", "27001": "iso27001", "iso/iec 27001:2022": "iso27001",
    "iso/iec 27001": "iso27001", "iso 27001": "iso27001", "iso 27001:2022": "iso27001",
    "iso9001": "iso9001", "9001": "iso9001", "iso 9001:2015": "iso9001", "iso 9001": "iso9001",
}


@dataclass
class Standards:
    """The three catalogues, the 2013 correspondence table, the crosswalk and the AI Act links."""

    iso42001: Catalogue
    iso27001: Catalogue
    iso9001: Catalogue
    iso27001_2013: Catalogue
    crosswalk: Crosswalk
    ai_act: AiActCrosswalk

    def catalogue(self, standard: str) -> Catalogue:
        return {
            "iso42001": self.iso42001,
            "iso27001": self.iso27001,
            "iso9001": self.iso9001,
            "iso27001-2013": self.iso27001_2013,
        }[standard]

    def translate_2013(self, control_id: str) -> list[str]:
        """A 27001:2013 Annex A id -> the 2022 control ids it became (empty if unknown)."""
        entry = self.iso27001_2013.get(control_id)
        return list(entry.maps_to) if entry else []

    def lookup(self, item_id: str) -> list[Requirement]:
        """Every entry with this id in 42001, 27001:2022, 9001 or 27001:2013 (ids overlap)."""
        return [
            cat[item_id]
            for cat in (self.iso42001, self.iso27001, self.iso9001, self.iso27001_2013)
            if item_id in cat
        ]


def load_standards(user_mappings: tuple[Path, ...] | list[Path] = ()) -> Standards:
    """Load packaged catalogues and crosswalk plus user layers. Cached per set of input files."""
    paths = tuple(Path(p).resolve() for p in user_mappings)
    stamps = tuple(_stamp(p) for p in paths)
    return _load_cached(paths, stamps, _stamp(resources.mappings_dir()))


@lru_cache(maxsize=8)
def _load_cached(paths: tuple[Path, ...], stamps: tuple, packaged_stamp: float) -> Standards:
    from aimsdocs.support import cache

    if any(not p.exists() for p in paths):
        return _load(paths, stamps, packaged_stamp)  # let the loader report it
    key = cache.files_fingerprint([resources.mappings_dir(), *paths])
    return cache.cached("standards", key, lambda: _load(paths, stamps, packaged_stamp))


def _stamp(path: Path) -> float:
    try:
        if path.is_dir():
            return max((f.stat().st_mtime for f in path.iterdir()), default=0.0)
        return path.stat().st_mtime
    except OSError:
        return -1.0


def _load(paths: tuple[Path, ...], _stamps: tuple, _packaged_stamp: float) -> Standards:
    problems = ProblemList()
    base = resources.mappings_dir()
    catalogues: dict[str, Catalogue] = {}
    for standard, name in CATALOGUE_FILES.items():
        cat = parse_catalogue(load_yaml(base / name), problems)
        if cat is not None:
            catalogues[standard] = cat
    problems.raise_if_any()

    links: list[Link] = []
    for name in CROSSWALK_FILES:
        links = overlay(links, _parse_link_file(base / name, catalogues, problems, packaged=True))
    for path in paths:
        for file in _user_mapping_files(path, problems):
            links = overlay(links, _parse_link_file(file, catalogues, problems, packaged=False))
    problems.raise_if_any()

    crosswalk = Crosswalk(links)
    _check_every_42001_item_mapped(catalogues["iso42001"], crosswalk, problems, paths)
    ai_act = load_ai_act(base, catalogues["iso42001"], problems)
    problems.raise_if_any()
    return Standards(
        iso42001=catalogues["iso42001"],
        iso27001=catalogues["iso27001"],
        iso9001=catalogues["iso9001"],
        iso27001_2013=catalogues["iso27001-2013"],
        crosswalk=crosswalk,
        ai_act=ai_act,
    )


def _user_mapping_files(path: Path, problems: ProblemList) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir()
                      if p.suffix.lower() in (".yaml", ".yml", ".csv", ".xlsx"))
    if not path.exists():
        problems.add("mapping file not found", file=path, hint="check the --mappings path")
        return []
    if path.suffix.lower() not in (".yaml", ".yml", ".csv", ".xlsx"):
        problems.add("unsupported mapping file type", file=path,
                     hint="use .yaml, .csv or .xlsx (columns: 42001 id, other standard, other id, "
                          "relationship, rationale, strength, note)")
        return []
    return [path]


def _parse_link_file(file: Path, catalogues: dict[str, Catalogue], problems: ProblemList,
                     packaged: bool) -> list[Link]:
    suffix = file.suffix.lower()
    if suffix in (".yaml", ".yml"):
        rows = _yaml_rows(file, problems)
    else:
        rows = _table_rows(file, read_rows(file, prefer_sheet="Crosswalk"), problems)
    links: list[Link] = []
    seen: dict[tuple, int | None] = {}
    for line, raw in rows:
        link = _parse_link(file, line, raw, catalogues, problems, packaged)
        if link is None:
            continue
        if link.key in seen:
            problems.add(
                f"link {link.source} -> {link.target_standard} {link.target or '(none)'} appears "
                f"twice (also line {seen[link.key]})", file=file, line=line,
                hint="keep one row per pair; change the relationship on that row instead")
            continue
        seen[link.key] = line
        links.append(link)
    return links


def _yaml_rows(file: Path, problems: ProblemList) -> list[tuple[int | None, dict]]:
    doc = load_yaml(file)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("links"), list):
        problems.add("expected a mapping with a list 'links'", file=file, line=1,
                     hint="see mappings/crosswalk-iso27001.yaml for the layout")
        return []
    default_target = data.get("target_standard")
    rows = []
    for index, raw in enumerate(data["links"]):
        line = doc.line_of(("links", index))
        if not isinstance(raw, dict):
            problems.add("each link must be a mapping", file=file, line=line)
            continue
        raw = dict(raw)
        raw.setdefault("target_standard", default_target)
        rows.append((line, raw))
    return rows


def _table_rows(file: Path, records: list[list[str]], problems: ProblemList):
    """Find the header row, map columns by name, and yield (line, dict) per data row."""
    for header_index, record in enumerate(records[:20]):  # noqa: B007 - used after the loop
        names = [" ".join(str(c or "").lower().split()) for c in record]
        columns = {}
        for key, aliases in TABLE_COLUMNS.items():
            for position, name in enumerate(names):
                if name in aliases:
                    columns[key] = position
                    break
        if {"source", "target", "relationship"} <= set(columns):
            break
    else:
        problems.add("no header row with '42001 id', 'other id' and 'relationship' columns",
                     file=file, line=1,
                     hint="columns: 42001 id, other standard, other id, relationship, rationale, "
                          "strength, note")
        return []
    rows = []
    for offset, record in enumerate(records[header_index + 1:], start=header_index + 2):
        if not any(str(c or "").strip() for c in record):
            continue
        raw = {key: (record[pos] if pos < len(record) else None) for key, pos in columns.items()}
        rows.append((offset, raw))
    return rows


def _parse_link(file: Path, line: int | None, raw: dict, catalogues: dict[str, Catalogue],
                problems: ProblemList, packaged: bool) -> Link | None:
    where = dict(file=file, line=line)
    allowed = {"source", "target", "target_standard", "relationship", "rationale", "strength",
               "note", "subject_specific"}
    unknown = set(raw) - allowed
    if unknown:
        problems.add(f"unknown key(s) {sorted(unknown)}", **where,
                     hint=f"allowed: {', '.join(sorted(allowed))}")
    source = normalise_id(str(raw.get("source") or ""))
    standard_text = " ".join(str(raw.get("target_standard") or "").lower().split())
    target_standard = STANDARD_ALIASES.get(standard_text)
    target_text = str(raw.get("target") or "").strip()
    target = normalise_id(target_text) if target_text else None
    relationship = " ".join(str(raw.get("relationship") or "").lower().split()).replace(" ", "_")
    rationale = str(raw.get("rationale") or "").strip().lower()
    note = " ".join(str(raw.get("note") or "").split())
    ok = True
    if source not in catalogues["iso42001"]:
        near = catalogues["iso42001"].suggest(source)
        problems.add(f"unknown ISO/IEC 42001 id '{source}'", **where,
                     hint=f"did you mean {', '.join(near)}?" if near else
                     "use an id from `aimsdocs catalog iso42001`")
        ok = False
    elif catalogues["iso42001"][source].kind == "objective":
        problems.add(f"'{source}' is an Annex A objective; map its controls instead", **where)
        ok = False
    if target_standard not in TARGET_STANDARDS:
        problems.add(f"unknown target standard {raw.get('target_standard')!r}", **where,
                     hint="use iso27001 or iso9001")
        return None
    allowed_relationships = RELATIONSHIPS if packaged else RELATIONSHIPS + (REMOVE,)
    if relationship not in allowed_relationships:
        problems.add(f"relationship {raw.get('relationship')!r} is not valid", **where,
                     hint=f"use one of {', '.join(allowed_relationships)}")
        ok = False
    if relationship == "no_relationship":
        if target is not None:
            problems.add("a no_relationship entry has no target", **where,
                         hint="remove 'target', or choose another relationship")
            ok = False
    elif relationship != REMOVE or target_text:
        if target is None:
            problems.add("missing target id", **where,
                         hint="give the related id, or use relationship no_relationship")
            ok = False
        elif target not in catalogues[target_standard]:
            near = catalogues[target_standard].suggest(target)
            problems.add(f"unknown {target_standard} id '{target}'", **where,
                         hint=f"did you mean {', '.join(near)}?" if near else
                         f"use an id from `aimsdocs catalog {target_standard}`")
            ok = False
    if rationale and rationale not in RATIONALES:
        problems.add(f"rationale {raw.get('rationale')!r} is not valid", **where,
                     hint=f"use one of {', '.join(RATIONALES)}")
        ok = False
    if not rationale and packaged:
        problems.add("missing rationale", **where, hint=f"use one of {', '.join(RATIONALES)}")
        ok = False
    strength = raw.get("strength")
    if strength in (None, "") and relationship == REMOVE:
        strength = 1
    try:
        strength_value = int(float(str(strength)))
        if str(strength).strip() not in (str(strength_value), f"{strength_value}.0"):
            raise ValueError
    except (TypeError, ValueError):
        problems.add(f"strength {strength!r} is not a whole number", **where,
                     hint="use a whole number from 1 to 10")
        return None
    if not 1 <= strength_value <= 10:
        problems.add(f"strength {strength_value} is out of range", **where,
                     hint="use a whole number from 1 to 10")
        ok = False
    subject_specific = _flag(raw.get("subject_specific"))
    if subject_specific is None:
        problems.add(f"subject_specific {raw.get('subject_specific')!r} is not yes or no",
                     **where, hint="use true/false (or yes/no in a table)")
        ok = False
    elif subject_specific and relationship not in ("equal", "subset_of"):
        problems.add("only an equal or subset_of link can be subject_specific", **where,
                     hint="remove subject_specific, or change the relationship")
        ok = False
    if not ok:
        return None
    return Link(source, target_standard, target, relationship, rationale, strength_value, note,
                origin=f"{file.name}:{line}" if line else file.name,
                subject_specific=bool(subject_specific))


def _flag(value) -> bool | None:
    """true/false from YAML, yes/no/1/0 or blank from a table cell; None when unreadable."""
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    return {"yes": True, "y": True, "true": True, "1": True, "x": True,
            "no": False, "n": False, "false": False, "0": False}.get(str(value).strip().lower())


def _check_every_42001_item_mapped(cat: Catalogue, crosswalk: Crosswalk, problems: ProblemList,
                                   user_paths: tuple[Path, ...]) -> None:
    for requirement in cat.requirements():
        for standard in TARGET_STANDARDS:
            if not crosswalk.links_from(requirement.id, standard):
                problems.add(
                    f"ISO/IEC 42001 {requirement.id} ({requirement.title}) has no crosswalk entry "
                    f"for {STANDARD_NAMES[standard]}",
                    file=user_paths[-1] if user_paths else cat.source,
                    hint="add a link for it, or an explicit no_relationship entry saying why")
