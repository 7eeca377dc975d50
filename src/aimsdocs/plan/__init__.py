"""Planning: which documents exist, what each addresses, how each requirement is met.

All decisions live here, so templates only present them and the SoA, the gap report and the
documents can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from aimsdocs.isms.facts import IsmsFacts
from aimsdocs.plan.additions import addition_for
from aimsdocs.plan.facts import resolve_facts
from aimsdocs.plan.model import (
    IsmsSource,
    PlannedDocument,
    RequirementPlan,
    ReuseStrategy,
    SoaRow,
    TemplateSpec,
)
from aimsdocs.plan.risks import seed_risks
from aimsdocs.plan.soa import build_rows, default_exclusion
from aimsdocs.plan.strategy import decide
from aimsdocs.profile.model import Profile
from aimsdocs.standards import Standards
from aimsdocs.support.names import safe_name

__all__ = ["IsmsSource", "Plan", "PlannedDocument", "RequirementPlan", "ReuseStrategy", "SoaRow",
           "build_plan"]


@dataclass
class Plan:
    profile: Profile
    standards: Standards
    documents: list[PlannedDocument]
    requirements: dict[str, RequirementPlan]  # every 42001 clause and control, in catalogue order
    soa: list[SoaRow]
    isms: object | None  # IsmsInventory when an existing ISMS was read
    risks: list = field(default_factory=list)  # seeded RiskEntry rows (plan/risks.py)
    facts: IsmsFacts = field(default_factory=IsmsFacts)  # inherited ISMS facts (plan/facts.py)

    @cached_property
    def risks_by_system(self) -> dict[str, list]:
        grouped: dict[str, list] = {}
        for risk in self.risks:
            grouped.setdefault(risk.system.id, []).append(risk)
        return grouped

    @cached_property
    def _documents_by_id(self) -> dict[str, PlannedDocument]:
        return {d.doc_id: d for d in self.documents}

    def document(self, doc_id: str) -> PlannedDocument:
        return self._documents_by_id[doc_id]

    @cached_property
    def _documents_by_local_id(self) -> dict[str, list[PlannedDocument]]:
        grouped: dict[str, list[PlannedDocument]] = {}
        for document in self.documents:
            grouped.setdefault(document.spec.local_id, []).append(document)
        return grouped

    def by_local_id(self, local_id: str) -> list[PlannedDocument]:
        return self._documents_by_local_id.get(local_id, [])

    def strategy(self, requirement_id: str) -> ReuseStrategy:
        return self.requirements[requirement_id].strategy

    def uncovered(self) -> list[str]:
        """Requirements no generated document addresses (must be none)."""
        return [r for r, p in self.requirements.items()
                if not p.documents and p.requirement.kind != "objective"]


def plan_documents(profile: Profile, specs: list[TemplateSpec]) -> list[PlannedDocument]:
    prefix = profile.document_control.id_prefix
    documents = []
    for spec in specs:
        if spec.per == "ai_system":
            for system in profile.ai_systems:
                doc_id = f"{prefix}-{spec.local_id}-{system.id}"
                title = f"{spec.title}: {system.name}"
                documents.append(PlannedDocument(
                    spec, doc_id, title, safe_name(f"{spec.local_id}-{system.id}-{system.name}"),
                    system))
        else:
            documents.append(PlannedDocument(
                spec, f"{prefix}-{spec.local_id}", spec.title,
                safe_name(f"{spec.local_id}-{spec.title}")))
    return documents


def build_plan(profile: Profile, standards: Standards, specs: list[TemplateSpec],
               isms=None) -> Plan:
    documents = plan_documents(profile, specs)
    facts = resolve_facts(profile, isms)
    requirements: dict[str, RequirementPlan] = {}
    for requirement in standards.iso42001.requirements():
        excluded = None
        if requirement.kind == "control":
            override = profile.controls.get(requirement.id)
            if override is not None and override.applicable is False:
                excluded = override.justification
            elif override is None or override.applicable is None:
                excluded = default_exclusion(requirement.id, profile)
        decision = decide(requirement, standards, isms, excluded)
        if decision.strategy is ReuseStrategy.extend and decision.isms_sources:
            decision.addition = addition_for(requirement.id, profile, facts,
                                             decision.isms_sources[0].doc_id)
        requirements[requirement.id] = decision
    for document in documents:
        for item in document.addresses:
            plan = requirements.get(item)
            if plan is not None and document.doc_id not in plan.documents:
                plan.documents.append(document.doc_id)
    soa = build_rows(profile, standards, requirements, documents)
    return Plan(profile, standards, documents, requirements, soa, isms, seed_risks(profile),
                facts)
