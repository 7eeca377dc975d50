"""What the organisation declares itself: `isms.yaml` at the ISMS root, and front-matter lists.

isms.yaml (every key optional):

    soa: registers/statement-of-applicability.xlsx   # which SoA to read, if several match
    ignore: ["drafts/*", "archive/*"]                 # globs (relative paths) to skip
    documents:
      - id: POL-003                 # or  path: policies/document-control.md
        covers:  {iso27001: ["7.5", "A.5.37"], iso9001: ["7.5"]}
        denies:  {iso27001: ["A.8.15"]}   # removes a wrong detection, whatever its provenance
        note: why (free text, ignored)

A document's own front matter may say `covers:` (or `addresses:`) as such a mapping, or as a
plain list of ISO/IEC 27001 ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aimsdocs.errors import InputError, ProblemList
from aimsdocs.standards import Standards
from aimsdocs.standards.catalogue import normalise_id
from aimsdocs.support.yamlio import LocatedYaml, load_yaml

CONFIG_NAME = "isms.yaml"
STANDARD_KEYS = ("iso27001", "iso9001")
TOP_KEYS = ("documents", "soa", "ignore")
ENTRY_KEYS = ("id", "path", "covers", "denies", "note")
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
    covers = item_lists(entry.get("covers"), path + ("covers",), doc, standards, problems)
    denies = item_lists(entry.get("denies"), path + ("denies",), doc, standards, problems)
    for standard, ids in covers.items():
        for item in set(ids) & set(denies.get(standard, ())):
            problems.add(f"{standard} {item} is both covered and denied", file=doc.file,
                         line=line, hint="keep it in one of 'covers' or 'denies'")
    if rel is not None:
        rel = rel.replace("\\", "/").removeprefix("./")
    return Declaration(doc_id, rel, covers, denies, line)


def item_lists(value, path: tuple, doc: LocatedYaml, standards: Standards,
               problems: ProblemList) -> ItemLists:
    """`{iso27001: [...], iso9001: [...]}` or a plain list (ISO/IEC 27001), ids validated."""
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
        result[standard] = [
            item for index, raw in enumerate(_as_list(ids))
            if (item := _valid_id(raw, standard, where + (index,), doc, standards, problems))
        ]
    return result


def _valid_id(raw, standard: str, path: tuple, doc: LocatedYaml, standards: Standards,
              problems: ProblemList) -> str | None:
    catalogue = standards.catalogue(standard)
    item = normalise_id(str(raw))
    entry = catalogue.get(item)
    if entry is not None and entry.kind != "objective":
        return item
    near = catalogue.suggest(item) or catalogue.suggest(f"A.{item}")
    problems.add(f"unknown {standard} id '{raw}'", file=doc.file, line=doc.line_of(path),
                 hint=f"did you mean {', '.join(near)}?" if near
                 else f"use a clause or control id from `aimsdocs catalog {standard}`")
    return None


def front_matter_covers(front: LocatedYaml | None, standards: Standards) -> ItemLists:
    """`covers:`/`addresses:` in a document's front matter; raises InputError on bad ids."""
    if front is None or not isinstance(front.data, dict):
        return {}
    problems = ProblemList()
    result: ItemLists = {}
    for key in FRONT_MATTER_COVER_KEYS:
        if key in front.data:
            for standard, ids in item_lists(front.data[key], (key,), front, standards,
                                            problems).items():
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
