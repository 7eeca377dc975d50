"""Decide, per ISO/IEC 42001 requirement, whether the existing ISMS is reused, extended or not.

Relationships are read from the 42001 side:
- equal, or subset_of (the ISMS item is the wider one): the ISMS process does the job -> reuse
- superset_of, intersects_with (42001 asks for more): cite the ISMS process, add an AI
  addendum -> extend
- nothing related covered by an ISMS document -> new

Only evidence that the organisation's governing documents cover an item counts: declared
(isms.yaml, front matter), mapped (SoA, cross-reference, register column, a document's own
reference line) or referenced (a governing document cites the id). Inferred topics and records
are *candidates*: they are listed for the user to confirm and never make a requirement reuse
or extend.

Coverage of an item: a claim on the item itself or on its clause (a procedure that meets 9.2
meets 9.2.2); claims on some but not all of its sub-clauses (partial roll-up) make it extend
at most. Sources are ranked by relevance, so the document
cited first is the one a person would cite: a supplier policy for supplier controls, not the
report that happens to list every control; ties go to the more specific document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aimsdocs.plan.model import IsmsSource, RequirementPlan, ReuseStrategy
from aimsdocs.standards import Requirement, Standards

REUSE_RELATIONSHIPS = ("equal", "subset_of")
MIN_STRENGTH = 4  # weaker links are context, not a basis for reuse
MAX_SOURCES = 5
MAX_CANDIDATES = 3
PROVENANCE_ORDER = ("declared", "mapped", "referenced", "inferred")
STOP_WORDS = {"and", "of", "the", "for", "to", "in", "a", "on", "with", "ai", "system",
              "systems", "information", "security", "policy", "management", "iso", "isms",
              "procedure", "process", "processes", "organization", "organizational"}


@dataclass
class _Candidate:
    """What is known about one ISMS document while the links of a requirement are read."""

    provenance: str
    evidence: str
    where: str
    via: list[tuple[str, str, str]] = field(default_factory=list)
    strength: int = 0
    topic: set[str] = field(default_factory=set)  # words of the items it was found for

    def add(self, via: tuple[str, str, str], claim, strength: int, topic: set[str]) -> None:
        if via not in self.via:
            self.via.append(via)
        provenance = _value(claim.provenance)
        if PROVENANCE_ORDER.index(provenance) < PROVENANCE_ORDER.index(self.provenance):
            self.provenance, self.evidence, self.where = provenance, claim.evidence, _where(claim)
        self.strength = max(self.strength, strength)
        self.topic |= topic


def _words(text: str) -> set[str]:
    words = set()
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in STOP_WORDS or len(word) < 3:
            continue
        words.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return words


def _ancestors(standards: Standards, standard: str, item_id: str) -> list[str]:
    """The parent clauses of an item, nearest first (not the item itself)."""
    chain = []
    catalogue = standards.catalogue(standard)
    entry = catalogue.get(item_id)
    while entry is not None and entry.parent and entry.kind == "clause":
        chain.append(entry.parent)
        entry = catalogue.get(entry.parent)
    return chain


def _sub_clauses(standards: Standards, standard: str, item_id: str) -> list[str]:
    catalogue = standards.catalogue(standard)
    return [c.id for c in catalogue.children(item_id) if c.kind == "clause"]


def _firm_claims(isms, standards: Standards, standard: str, item: str) -> tuple[list, bool]:
    """(claims that cover the item, whether they cover it only in part -> extend at most).

    A document that states it meets clause 9.2 meets 9.2.1 and 9.2.2 (a scope mention of a
    top-level clause, "Clause 9", is no claim at all, so it cannot be inherited).
    """
    claims = list(isms.covering(standard, item))
    partial = False
    for parent in _ancestors(standards, standard, item):
        claims += [c for c in isms.covering(standard, parent)
                   if c.doc_id not in {known.doc_id for known in claims}]
    if not claims:
        children = _sub_clauses(standards, standard, item)
        claims = [c for child in children for c in isms.covering(standard, child)]
        partial = bool(claims)
    return claims, partial


def decide(requirement: Requirement, standards: Standards, isms, excluded: str | None
           ) -> RequirementPlan:
    links = standards.crosswalk.related_links(requirement.id)
    plan = RequirementPlan(requirement, ReuseStrategy.new, links=links)
    plan.addendum = _addendum(links)
    if excluded is not None:
        plan.strategy = ReuseStrategy.excluded
        plan.exclusion = excluded
        return plan
    if isms is None:
        return plan
    found: dict[str, _Candidate] = {}
    loose: dict[str, _Candidate] = {}
    best: ReuseStrategy | None = None
    for link in links:
        if link.strength < MIN_STRENGTH or link.target is None:
            continue
        if _excluded_in_isms_soa(isms, link):
            continue
        via = (link.target_standard, link.target, link.relationship)
        topic = _words(standards.catalogue(link.target_standard)[link.target].title)
        claims, partial = _firm_claims(isms, standards, link.target_standard, link.target)
        for claim in _candidate_claims(isms, standards, link.target_standard, link.target):
            if claim.doc_id not in {c.doc_id for c in claims}:
                candidate = loose.setdefault(claim.doc_id, _Candidate(
                    _value(claim.provenance), claim.evidence, _where(claim)))
                candidate.add(via, claim, link.strength, topic)
        if not claims:
            continue
        # Same wording about another subject (leading security is not leading AI): extend.
        strategy = (ReuseStrategy.reuse if link.relationship in REUSE_RELATIONSHIPS
                    and not partial and not link.subject_specific
                    else ReuseStrategy.extend)
        if best is None or (best is ReuseStrategy.extend and strategy is ReuseStrategy.reuse):
            best = strategy
        for claim in claims:
            candidate = found.setdefault(
                claim.doc_id, _Candidate(_value(claim.provenance), claim.evidence, _where(claim)))
            candidate.add(via, claim, link.strength, topic)
    requirement_topic = _words(requirement.title)
    plan.candidates = _sources(isms, {d: c for d, c in loose.items() if d not in found},
                               requirement_topic)[:MAX_CANDIDATES]
    if best is None:
        return plan
    plan.strategy = best
    plan.isms_sources = _sources(isms, found, requirement_topic)[:MAX_SOURCES]
    return plan


def _candidate_claims(isms, standards: Standards, standard: str, item: str) -> list:
    """Evidence to confirm for the item: inferred topics and records, on it or its clause."""
    if not hasattr(isms, "candidates"):
        return []
    claims = list(isms.candidates(standard, item))
    for parent in _ancestors(standards, standard, item):
        claims += isms.candidates(standard, parent)
    return claims


def _sources(isms, found: dict[str, _Candidate], requirement_topic: set[str]
             ) -> list[IsmsSource]:
    ranked = sorted(found.items(),
                    key=lambda item: _rank(isms, isms.document(item[0]), item[1],
                                           requirement_topic))
    return [
        IsmsSource(doc_id, document.title, document.version, document.relpath,
                   tuple(candidate.via), candidate.provenance, candidate.evidence,
                   candidate.where)
        for doc_id, candidate in ranked
        for document in [isms.document(doc_id)]
    ]


def _rank(isms, document, candidate: _Candidate, requirement_topic: set[str]) -> tuple:
    """Most relevant first: shares words with the topic, is a governing document, is strong;
    then the more specific document (fewer items covered); then the id."""
    name = f"{document.title} {document.relpath.rsplit('/', 1)[-1]}"
    overlap = len(_words(name) & (requirement_topic | candidate.topic))
    is_record = getattr(document, "kind", "governing") != "governing"
    return (-overlap, is_record, -candidate.strength,
            PROVENANCE_ORDER.index(candidate.provenance), _breadth(isms, document.doc_id),
            -len(candidate.via), document.doc_id)


def _breadth(isms, doc_id: str) -> int:
    """How many items a document covers: a topic standard beats the policy that lists all."""
    return isms.breadth(doc_id) if hasattr(isms, "breadth") else 0


def _where(claim) -> str:
    return claim.where() if hasattr(claim, "where") else ""


def _value(provenance) -> str:
    return getattr(provenance, "value", provenance)


def _excluded_in_isms_soa(isms, link) -> bool:
    """A 27001 control the ISMS itself excluded cannot carry reuse."""
    if link.target_standard != "iso27001":
        return False
    entry = isms.soa.get(link.target) if isms.soa else None
    return entry is not None and entry.applicable is False


def _addendum(links) -> list[str]:
    seen: list[str] = []
    for link in links:
        if link.note and link.note not in seen and link.relationship != "equal":
            seen.append(link.note)
    return seen[:3]
