"""Decide, per ISO/IEC 42001 requirement, whether the existing ISMS is reused, extended or not.

Relationships are read from the 42001 side:
- equal, or subset_of (the ISMS item is the wider one): the ISMS process does the job -> reuse
- superset_of, intersects_with (42001 asks for more): cite the ISMS process, add an AI
  addendum -> extend
- nothing related covered by an ISMS document -> new

A document that covers a clause covers its sub-clauses too (an "Internal audit procedure"
found for 9.2 serves 9.2.2). Sources are ranked by relevance, so the document cited first is
the one a person would cite: a supplier policy for supplier controls, not the audit report that
happens to list every control.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aimsdocs.plan.model import IsmsSource, RequirementPlan, ReuseStrategy
from aimsdocs.standards import Requirement, Standards

REUSE_RELATIONSHIPS = ("equal", "subset_of")
MIN_STRENGTH = 4  # weaker links are context, not a basis for reuse
MAX_SOURCES = 5
PROVENANCE_ORDER = ("declared", "referenced", "soa", "inferred")
# Records and reports are evidence that a process ran, not the process itself.
RECORD_WORDS = ("report", "minutes", "log", "record", "register", "results", "template",
                "runbook", "plan-and-report", "exercise")
STOP_WORDS = {"and", "of", "the", "for", "to", "in", "a", "on", "with", "ai", "system",
              "systems", "information", "security", "policy", "management", "iso", "isms",
              "procedure", "process", "processes", "organization", "organizational"}


@dataclass
class _Candidate:
    """What is known about one ISMS document while the links of a requirement are read."""

    provenance: str
    evidence: str
    via: list[tuple[str, str, str]] = field(default_factory=list)
    strength: int = 0
    topic: set[str] = field(default_factory=set)  # words of the items it was found for

    def add(self, via: tuple[str, str, str], claim, strength: int, topic: set[str]) -> None:
        if via not in self.via:
            self.via.append(via)
        provenance = _value(claim.provenance)
        if PROVENANCE_ORDER.index(provenance) < PROVENANCE_ORDER.index(self.provenance):
            self.provenance, self.evidence = provenance, claim.evidence
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
    """The item and its parent clauses (sub-clause claims inherit from 9.2 or 7.5)."""
    chain = [item_id]
    catalogue = standards.catalogue(standard)
    entry = catalogue.get(item_id)
    while entry is not None and entry.parent and entry.kind == "clause":
        chain.append(entry.parent)
        entry = catalogue.get(entry.parent)
    return chain


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
    best: ReuseStrategy | None = None
    for link in links:
        if link.strength < MIN_STRENGTH or link.target is None:
            continue
        if _excluded_in_isms_soa(isms, link):
            continue
        claims = [c for item in _ancestors(standards, link.target_standard, link.target)
                  for c in isms.covering(link.target_standard, item)]
        if not claims:
            continue
        # Same wording about another subject (leading security is not leading AI): extend.
        strategy = (ReuseStrategy.reuse if link.relationship in REUSE_RELATIONSHIPS
                    and not link.subject_specific else ReuseStrategy.extend)
        if best is None or (best is ReuseStrategy.extend and strategy is ReuseStrategy.reuse):
            best = strategy
        via = (link.target_standard, link.target, link.relationship)
        topic = _words(standards.catalogue(link.target_standard)[link.target].title)
        for claim in claims:
            candidate = found.setdefault(
                claim.doc_id, _Candidate(_value(claim.provenance), claim.evidence))
            candidate.add(via, claim, link.strength, topic)
    if best is None:
        return plan
    plan.strategy = best
    requirement_topic = _words(requirement.title)
    ranked = sorted(found.items(),
                    key=lambda item: _rank(isms.document(item[0]), item[1], requirement_topic))
    plan.isms_sources = [
        IsmsSource(doc_id, document.title, document.version, document.relpath,
                   tuple(candidate.via), candidate.provenance, candidate.evidence)
        for doc_id, candidate in ranked[:MAX_SOURCES]
        for document in [isms.document(doc_id)]
    ]
    return plan


def _rank(document, candidate: _Candidate, requirement_topic: set[str]) -> tuple:
    """Most relevant first: shares words with the topic, is a governing document, is strong."""
    name = f"{document.title} {document.relpath.rsplit('/', 1)[-1]}"
    overlap = len(_words(name) & (requirement_topic | candidate.topic))
    lowered = f"{document.title} {document.relpath}".lower()
    is_record = any(word in lowered for word in RECORD_WORDS)
    return (-overlap, is_record, -candidate.strength,
            PROVENANCE_ORDER.index(candidate.provenance), -len(candidate.via), document.doc_id)


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
