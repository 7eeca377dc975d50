"""Decide, per ISO/IEC 42001 requirement, whether the existing ISMS is reused, extended or not.

Relationships are read from the 42001 side:
- equal, or subset_of (the ISMS item is the wider one): the ISMS process already does the job -> reuse
- superset_of, intersects_with (42001 asks for more): cite the ISMS process, add an AI addendum -> extend
- nothing related covered by an ISMS document -> new
"""

from __future__ import annotations

from aimsdocs.plan.model import IsmsSource, RequirementPlan, ReuseStrategy
from aimsdocs.standards import Requirement, Standards

REUSE_RELATIONSHIPS = ("equal", "subset_of")
EXTEND_RELATIONSHIPS = ("superset_of", "intersects_with")
MIN_STRENGTH = 4  # weaker links are context, not a basis for reuse
PROVENANCE_ORDER = ("declared", "referenced", "soa", "inferred")


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
    sources: dict[str, IsmsSource] = {}
    best: ReuseStrategy | None = None
    for link in links:
        if link.strength < MIN_STRENGTH or link.target is None:
            continue
        if _excluded_in_isms_soa(isms, link):
            continue
        claims = isms.covering(link.target_standard, link.target)
        if not claims:
            continue
        strategy = (ReuseStrategy.reuse if link.relationship in REUSE_RELATIONSHIPS
                    else ReuseStrategy.extend)
        if best is None or (best is ReuseStrategy.extend and strategy is ReuseStrategy.reuse):
            best = strategy
        for claim in claims:
            document = isms.document(claim.doc_id)
            via = (link.target_standard, link.target, link.relationship)
            previous = sources.get(claim.doc_id)
            provenance = _value(claim.provenance)
            if previous is None:
                sources[claim.doc_id] = IsmsSource(
                    document.doc_id, document.title, document.version, document.relpath,
                    (via,), provenance, claim.evidence)
            else:
                stronger = min(previous.provenance, provenance, key=PROVENANCE_ORDER.index)
                sources[claim.doc_id] = IsmsSource(
                    previous.doc_id, previous.title, previous.version, previous.path,
                    previous.via + ((via,) if via not in previous.via else ()),
                    stronger, previous.evidence if stronger == previous.provenance
                    else claim.evidence)
    if best is None:
        return plan
    plan.strategy = best
    plan.isms_sources = sorted(
        sources.values(), key=lambda s: (PROVENANCE_ORDER.index(s.provenance), s.doc_id))
    return plan


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
