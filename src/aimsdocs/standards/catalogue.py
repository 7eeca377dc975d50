"""One standard's catalogue: clauses, Annex A objectives and controls."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from aimsdocs.errors import ProblemList
from aimsdocs.support.yamlio import LocatedYaml

KINDS = ("clause", "objective", "control")
THEMES = ("organizational", "people", "physical", "technological")


@dataclass(frozen=True)
class DocumentedInformation:
    """What a requirement asks to be kept as documented information."""

    obligation: str  # mandatory | expected
    artefact: str
    note: str = ""


@dataclass(frozen=True)
class Requirement:
    """A clause, Annex A objective or Annex A control of one standard."""

    standard: str
    id: str
    kind: str
    title: str
    parent: str | None
    summary: str
    theme: str | None = None
    documented_information: tuple[DocumentedInformation, ...] = ()
    maps_to: tuple[str, ...] = ()  # 27001:2013 only: the 2022 controls it became

    @property
    def is_annex_a(self) -> bool:
        return self.id.startswith("A.")

    def label(self) -> str:
        return f"{self.id} {self.title}"


def _sort_key(item_id: str) -> tuple:
    annex = item_id.startswith("A.")
    parts = item_id.removeprefix("A.").split(".")
    return (annex, tuple(int(p) if p.isdigit() else 0 for p in parts))


class Catalogue:
    """The entries of one standard, in document order, looked up by id."""

    def __init__(self, standard: str, name: str, entries: list[Requirement], source: Path):
        self.standard = standard
        self.name = name
        self.source = source
        self.entries: dict[str, Requirement] = {e.id: e for e in entries}

    def __contains__(self, item_id: str) -> bool:
        return item_id in self.entries

    def __getitem__(self, item_id: str) -> Requirement:
        return self.entries[item_id]

    def __iter__(self):
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, item_id: str) -> Requirement | None:
        return self.entries.get(item_id)

    def of_kind(self, *kinds: str) -> list[Requirement]:
        return [e for e in self.entries.values() if e.kind in kinds]

    def requirements(self) -> list[Requirement]:
        """Clauses and controls: the things an organisation must address (objectives group them)."""
        return self.of_kind("clause", "control")

    def controls(self) -> list[Requirement]:
        return self.of_kind("control")

    def children(self, parent_id: str) -> list[Requirement]:
        return [e for e in self.entries.values() if e.parent == parent_id]

    def suggest(self, item_id: str) -> list[str]:
        return difflib.get_close_matches(item_id, list(self.entries), n=3, cutoff=0.6)


def parse_catalogue(doc: LocatedYaml, problems: ProblemList) -> Catalogue | None:
    """Build a Catalogue from a loaded YAML file, collecting every problem with its line."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        problems.add("expected a mapping with 'standard', 'name' and a list 'entries'",
                     file=doc.file, line=1, hint="see mappings/iso42001.yaml for the layout")
        return None
    standard = str(data.get("standard", "")).strip()
    if not standard:
        problems.add("missing 'standard'", file=doc.file, line=1)
    entries: list[Requirement] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["entries"]):
        where = dict(file=doc.file, line=doc.line_of(("entries", index)))
        if not isinstance(raw, dict):
            problems.add("each entry must be a mapping", **where)
            continue
        unknown = set(raw) - {"id", "kind", "title", "parent", "summary", "theme",
                              "documented_information", "maps_to"}
        if unknown:
            problems.add(f"unknown key(s) {sorted(unknown)}", **where,
                         hint="allowed: id, kind, title, parent, summary, theme, "
                              "documented_information, maps_to")
        item_id = str(raw.get("id", "")).strip()
        if not item_id:
            problems.add("entry without 'id'", **where)
            continue
        if item_id in seen:
            problems.add(f"duplicate id '{item_id}' (first on line {seen[item_id]})", **where,
                         hint="each id may appear once per catalogue")
            continue
        seen[item_id] = doc.line_of(("entries", index)) or 0
        kind = raw.get("kind")
        if kind not in KINDS:
            problems.add(f"kind of '{item_id}' is {kind!r}", **where,
                         hint=f"use one of {', '.join(KINDS)}")
        theme = raw.get("theme")
        if theme is not None and theme not in THEMES:
            problems.add(f"theme of '{item_id}' is {theme!r}", **where,
                         hint=f"use one of {', '.join(THEMES)}")
        di = tuple(
            DocumentedInformation(str(d.get("obligation", "expected")), str(d.get("artefact", "")),
                                  str(d.get("note", "") or ""))
            for d in raw.get("documented_information") or []
            if isinstance(d, dict)
        )
        parent = raw.get("parent")
        entries.append(Requirement(
            standard=standard,
            id=item_id,
            kind=str(kind),
            title=str(raw.get("title", "")).strip(),
            parent=str(parent) if parent is not None else None,
            summary=" ".join(str(raw.get("summary", "") or "").split()),
            theme=theme,
            documented_information=di,
            maps_to=tuple(str(m) for m in raw.get("maps_to") or ()),
        ))
    ids = {e.id for e in entries}
    for index, entry in enumerate(entries):
        if entry.parent is not None and entry.parent not in ids:
            problems.add(f"parent '{entry.parent}' of '{entry.id}' is not in this catalogue",
                         file=doc.file, line=doc.line_of(("entries", index)))
    entries.sort(key=lambda e: _sort_key(e.id))
    return Catalogue(standard, str(data.get("name", standard)), entries, doc.file)


_ID_TEXT = re.compile(r"^\s*(?:annex\s*)?(a)?[\s.]*([0-9]+(?:[.\s][0-9]+)*)\s*$", re.IGNORECASE)


def normalise_id(text: str) -> str:
    """'a 5.15', 'A5.15', 'A.05.15', 'annex a 5.15' -> 'A.5.15'; '7.5' stays '7.5'."""
    match = _ID_TEXT.match(text or "")
    if not match:
        return (text or "").strip()
    numbers = [str(int(n)) for n in re.split(r"[.\s]+", match.group(2)) if n]
    joined = ".".join(numbers)
    return f"A.{joined}" if match.group(1) else joined
