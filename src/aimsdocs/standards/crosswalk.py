"""The crosswalk: judged links from ISO/IEC 42001 to ISO/IEC 27001:2022 and ISO 9001:2015.

Relationships follow NIST IR 8477's set-theory vocabulary and are always read from the 42001
side ("42001 6.1.2 intersects_with 27001 6.1.2"). A user's mapping table is layered over the
packaged one: it adds links, changes a relationship, or removes a link.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

RELATIONSHIPS = ("equal", "subset_of", "superset_of", "intersects_with", "no_relationship")
RATIONALES = ("syntactic", "semantic", "functional")
REMOVE = "remove"  # a user-layer relationship value that deletes the link
TARGET_STANDARDS = ("iso27001", "iso9001")

# How much of a 42001 requirement an ISMS/QMS item covers, strongest first (drives reuse).
REUSE_ORDER = {"equal": 0, "subset_of": 1, "superset_of": 2, "intersects_with": 3}


@dataclass(frozen=True)
class Link:
    """One judged relationship between a 42001 item and an item of another standard."""

    source: str  # ISO/IEC 42001 id
    target_standard: str  # iso27001 | iso9001
    target: str | None  # None for no_relationship
    relationship: str
    rationale: str
    strength: int
    note: str
    origin: str = ""  # "file:line" the link came from, for messages and the export
    # An equal/subset link whose wording matches but whose subject differs (leadership of
    # information security is not leadership of AI): the ISMS process is extended, not reused.
    subject_specific: bool = False

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.source, self.target_standard, self.target)


class Crosswalk:
    """All links, queryable from either side."""

    def __init__(self, links: list[Link]):
        self.links = links
        self._from: dict[str, list[Link]] = {}
        self._to: dict[tuple[str, str], list[Link]] = {}
        for link in links:
            self._from.setdefault(link.source, []).append(link)
            if link.target is not None:
                self._to.setdefault((link.target_standard, link.target), []).append(link)

    def __len__(self) -> int:
        return len(self.links)

    def links_from(self, source: str, target_standard: str | None = None) -> list[Link]:
        """Links of one 42001 item, strongest first (no_relationship entries included)."""
        found = [
            link for link in self._from.get(source, [])
            if target_standard is None or link.target_standard == target_standard
        ]
        return sorted(found, key=lambda link: (-link.strength, link.target_standard,
                                               link.target or ""))

    def related_links(self, source: str) -> list[Link]:
        """Links of one 42001 item that point at something (no no_relationship)."""
        return [link for link in self.links_from(source) if link.relationship != "no_relationship"]

    def links_to(self, target_standard: str, target: str) -> list[Link]:
        """The inverse view: which 42001 items relate to this 27001 / 9001 item."""
        return sorted(self._to.get((target_standard, target), []),
                      key=lambda link: (-link.strength, link.source))


def overlay(base: list[Link], layer: list[Link]) -> list[Link]:
    """Apply a user layer: same (source, standard, target) replaces; relationship 'remove' deletes.

    A real link added for an item that was marked no_relationship replaces that marker.
    """
    result = {link.key: link for link in base}
    for link in layer:
        if link.relationship == REMOVE:
            result.pop(link.key, None)
            continue
        if link.target is not None:
            result.pop((link.source, link.target_standard, None), None)
        previous = result.get(link.key)
        if previous is not None:
            # Blank columns in an edited sheet keep the packaged value.
            link = replace(
                link,
                rationale=link.rationale or previous.rationale,
                note=link.note or previous.note,
            )
        result[link.key] = link
    return list(result.values())
