"""What the organisation declares itself: `isms.yaml` at the ISMS root, and front-matter lists.

isms.yaml (every key optional):

    soa: registers/statement-of-applicability.xlsx   # which SoA to read, if several match
    ignore: ["drafts/*", "archive/*"]                 # globs (relative paths) to skip
    documents:
      - id: POL-003                 # or  path: policies/document-control.md
        covers:  {iso27001: ["7.5", "A.5.37"], iso9001: ["7.5"]}
        denies:  {iso27001: ["A.8.15"]}   # removes a wrong detection, whatever its provenance
        kind: governing             # or record (or a type: policy, procedure, report...)
        note: why (free text, ignored)

A document's own front matter may say `covers:` (or `addresses:`) as such a mapping, or as a
plain list of ISO/IEC 27001 ids. ISO/IEC 27001:2013 Annex A ids (A.12.4.1) are accepted
everywhere and translated with the 2013 catalogue; the translation is kept as the claim's note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aimsdocs.errors import InputError, ProblemList
from aimsdocs.isms.kinds import parse_kind
from aimsdocs.standards import Standards
from aimsdocs.standards.catalogue import normalise_id
from aimsdocs.support.yamlio import LocatedYaml, load_yaml

CONFIG_NAME = "isms.yaml"
STANDARD_KEYS = ("iso27001", "iso9001")
TOP_KEYS = ("documents", "soa", "ignore")
ENTRY_KEYS = ("id", "path", "covers", "denies", "kind", "note")
FRONT_MATTER_COVER_KEYS = ("covers", "addresses")

ItemLists = dict[str, list[str]]  # standard -> ids


@dataclass
class Declaration:
    """One `documents:` entry of isms.yaml."""

    doc_id: str | None
    path: str | None
    covers: ItemLists
    denies: ItemLists
    line: int | None
    kind: str | None = None  # governing | record
    notes: dict[str, str] = field(default_factory=dict)  # item -> "2013 A.x.y.z, now ..."


@dataclass
class IsmsConfig:
    file: Path | None = None
    soa: str | None = None
    ignore: list[str] = field(default_factory=list)
    documents: list[Declaration] = field(default_factory=list)


def load_config(root: Path, standards: Standards) -> IsmsConfig:
    file = root / CONFIG_NAME
    if not file.is_file():
        return IsmsConfig()
    doc = load_yaml(file)
    data = doc.data if doc.data is not None else {}
    problems = ProblemList()
    if not isinstance(data, dict):
        raise InputError("expected a mapping with 'documents' (and optionally 'soa', 'ignore')",
                         file=file, line=1)
    _unknown_keys(data, TOP_KEYS, doc, (), problems)
    config = IsmsConfig(file=file, soa=_optional_text(data.get("soa")),
                        ignore=[str(g) for g in _as_list(data.get("ignore"))])
    entries = data.get("documents") or []
    if not isinstance(entries, list):
        problems.add("'documents' must be a list", file=file, line=doc.line_of(("documents",)))
        entries = []
    for index, entry in enumerate(entries):
        declaration = _declaration(entry, ("documents", index), doc, standards, problems)
        if declaration is not None:
            config.documents.append(declaration)
    problems.raise_if_any()
    return config


def _declaration(entry, path: tuple, doc: LocatedYaml, standards: Standards,
                 problems: ProblemList) -> Declaration | None:
    line = doc.line_of(path)
    if not isinstance(entry, dict):
        problems.add("each document entry must be a mapping with 'id' or 'path'", file=doc.file,
                     line=line)
        return None
    _unknown_keys(entry, ENTRY_KEYS, doc, path, problems)
    doc_id, rel = _optional_text(entry.get("id")), _optional_text(entry.get("path"))
    if (doc_id is None) == (rel is None):
        problems.add("give exactly one of 'id' or 'path'", file=doc.file, line=line,
                     hint="id: POL-003   or   path: policies/document-control.md")
        return None
    notes: dict[str, str] = {}
    covers = item_lists(entry.get("covers"), path + ("covers",), doc, standards, problems,
                        notes)
    denies = item_lists(entry.get("denies"), path + ("denies",), doc, standards, problems)
    kind = None
    if entry.get("kind") is not None:
        kind = parse_kind(str(entry["kind"]))
        if kind is None:
            problems.add(f"unknown kind '{entry['kind']}'", file=doc.file,
                         line=doc.line_of(path + ("kind",)),
                         hint="use governing (policy, procedure, standard, plan...) or record "
                              "(report, minutes, log, register...)")
    for standard, ids in covers.items():
        for item in set(ids) & set(denies.get(standard, ())):
            problems.add(f"{standard} {item} is both covered and denied", file=doc.file,
                         line=line, hint="keep it in one of 'covers' or 'denies'")
    if rel is not None:
        rel = rel.replace("\\", "/").removeprefix("./")
    return Declaration(doc_id, rel, covers, denies, line, kind, notes)


def item_lists(value, path: tuple, doc: LocatedYaml, standards: Standards,
               problems: ProblemList, notes: dict[str, str] | None = None) -> ItemLists:
    """`{iso27001: [...], iso9001: [...]}` or a plain list (ISO/IEC 27001), ids validated.

    2013 ids become the 2022 ids they map to; `notes` receives the translation per item.
    """
    if value is None:
        return {}
    if isinstance(value, (list, str)):
        value = {"iso27001": value}
    if not isinstance(value, dict):
        problems.add("expected a mapping of standard -> list of ids", file=doc.file,
                     line=doc.line_of(path), hint="covers: {iso27001: ['7.5'], iso9001: ['7.5']}")
        return {}
    result: ItemLists = {}
    for standard, ids in value.items():
        where = path + (standard,)
        if standard not in STANDARD_KEYS:
            problems.add(f"unknown standard '{standard}'", file=doc.file,
                         line=doc.line_of(where), hint=f"use {' or '.join(STANDARD_KEYS)}")
            continue
        items: list[str] = []
        for index, raw in enumerate(_as_list(ids)):
            for item in _valid_ids(raw, standard, where + (index,), doc, standards, problems,
                                   notes if notes is not None else {}):
                if item not in items:
                    items.append(item)
        result[standard] = items
    return result


def _valid_ids(raw, standard: str, path: tuple, doc: LocatedYaml, standards: Standards,
               problems: ProblemList, notes: dict[str, str]) -> list[str]:
    catalogue = standards.catalogue(standard)
    item = normalise_id(str(raw))
    entry = catalogue.get(item)
    if entry is not None and entry.kind != "objective":
        return [item]
    if standard == "iso27001":
        old_id = item if item.startswith("A.") else f"A.{item}"
        old = standards.iso27001_2013.get(old_id)
        if old is not None and (old.kind == "control" or item.count(".") >= 2):
            targets = _translate(old_id, standards)
            for target in targets:
                notes[target] = f"ISO/IEC 27001:2013 {old_id}, now {', '.join(targets)}"
            if targets:
                return targets
    problems.add(f"unknown {standard} id '{raw}'", file=doc.file, line=doc.line_of(path),
                 hint=did_you_mean(item, standard, standards))
    return []


def _translate(old_id: str, standards: Standards) -> list[str]:
    """A 2013 control -> its 2022 controls; a 2013 objective -> those of all its controls."""
    entry = standards.iso27001_2013[old_id]
    if entry.kind != "objective":
        return list(entry.maps_to)
    targets: list[str] = []
    for child in standards.iso27001_2013.children(old_id):
        targets += [t for t in child.maps_to if t not in targets]
    return targets


def did_you_mean(item: str, standard: str, standards: Standards) -> str:
    """Close ids of this standard and, for ISO/IEC 27001, of its 2013 edition (translated)."""
    catalogue = standards.catalogue(standard)
    near = [i for i in catalogue.suggest(item) or catalogue.suggest(f"A.{item}")
            if catalogue[i].kind != "objective"]
    if standard == "iso27001" and item.removeprefix("A.").count(".") >= 2:
        old = standards.iso27001_2013
        key = item if item.startswith("A.") else f"A.{item}"
        near = [f"{i} (ISO/IEC 27001:2013, now {', '.join(old[i].maps_to)})"
                for i in old.suggest(key) if old[i].kind == "control" and old[i].maps_to] + near
    if near:
        return f"did you mean {', '.join(near[:3])}?"
    return f"use a clause or control id from `aimsdocs catalog {standard}`"


def front_matter_covers(front: LocatedYaml | None, standards: Standards,
                        notes: dict[str, str] | None = None) -> ItemLists:
    """`covers:`/`addresses:` in a document's front matter; raises InputError on bad ids."""
    if front is None or not isinstance(front.data, dict):
        return {}
    problems = ProblemList()
    result: ItemLists = {}
    for key in FRONT_MATTER_COVER_KEYS:
        if key in front.data:
            for standard, ids in item_lists(front.data[key], (key,), front, standards,
                                            problems, notes).items():
                result.setdefault(standard, []).extend(ids)
    problems.raise_if_any()
    return result


def _unknown_keys(data: dict, allowed: tuple[str, ...], doc: LocatedYaml, path: tuple,
                  problems: ProblemList) -> None:
    for key in data:
        if key not in allowed:
            problems.add(f"unknown key '{key}'", file=doc.file, line=doc.line_of(path + (key,)),
                         hint=f"allowed: {', '.join(allowed)}")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _optional_text(value) -> str | None:
    return str(value).strip() or None if value is not None else None
