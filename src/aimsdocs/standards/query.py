"""`aimsdocs map ID`: everything related to an id, read from that id's side."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from aimsdocs.standards.loader import STANDARD_NAMES, Standards

INVERSE = {
    "equal": "equal",
    "subset_of": "superset_of",
    "superset_of": "subset_of",
    "intersects_with": "intersects_with",
    "no_relationship": "no_relationship",
}


@dataclass(frozen=True)
class MapRow:
    source: str
    source_standard: str
    target: str | None
    target_standard: str
    target_title: str
    relationship: str  # read from `source`'s side
    rationale: str
    strength: int
    note: str
    via: str = ""  # e.g. "ISO/IEC 27001:2013 A.12.4.1 -> A.8.15"

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class MapResult:
    query: str
    found: bool = False
    rows: list[MapRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        lines = list(self.notes)
        current = None
        for row in self.rows:
            head = f"{STANDARD_NAMES[row.source_standard]} {row.source}"
            if head != current:
                lines.append(head + (f"  ({row.via})" if row.via else ""))
                current = head
            if row.target is None:
                lines.append(f"  no relationship with {STANDARD_NAMES[row.target_standard]}: "
                             f"{row.note}")
                continue
            lines.append(f"  {row.relationship:<16} {STANDARD_NAMES[row.target_standard]} "
                         f"{row.target} {row.target_title}  [strength {row.strength}, "
                         f"{row.rationale}]")
            if row.note:
                lines.append(f"  {'':<16} {row.note}")
        if not self.rows:
            lines.append(f"{self.query}: no crosswalk links")
        return lines


def related(standards: Standards, item_id: str, standard: str | None = None) -> MapResult:
    result = MapResult(item_id)
    wanted = [standard] if standard else ["iso42001", "iso27001", "iso9001", "iso27001-2013"]
    for name in wanted:
        catalogue = standards.catalogue(name)
        if item_id not in catalogue:
            continue
        result.found = True
        if name == "iso42001":
            result.rows += _forward(standards, item_id)
        elif name == "iso27001-2013":
            if "iso27001" in wanted and item_id in standards.iso27001:
                continue  # same id in 2022 already covered
            for new_id in standards.translate_2013(item_id):
                via = f"ISO/IEC 27001:2013 {item_id} -> 2022 {new_id}"
                result.rows += _inverse(standards, "iso27001", new_id, via)
        else:
            result.rows += _inverse(standards, name, item_id)
    return result


def _forward(standards: Standards, item_id: str) -> list[MapRow]:
    entry = standards.iso42001[item_id]
    sources = [item_id]
    if entry.kind == "objective":  # an objective relates through its controls
        sources = [c.id for c in standards.iso42001.children(item_id) if c.kind == "control"]
    rows = []
    for source in sources:
        for link in standards.crosswalk.links_from(source):
            target_title = ""
            if link.target:
                target_title = standards.catalogue(link.target_standard)[link.target].title
            rows.append(MapRow(source, "iso42001", link.target, link.target_standard,
                               target_title, link.relationship, link.rationale, link.strength,
                               link.note))
    return rows


def _inverse(standards: Standards, name: str, item_id: str, via: str = "") -> list[MapRow]:
    rows = []
    for link in standards.crosswalk.links_to(name, item_id):
        rows.append(MapRow(item_id, name, link.source, "iso42001",
                           standards.iso42001[link.source].title, INVERSE[link.relationship],
                           link.rationale, link.strength, link.note, via))
    return rows
