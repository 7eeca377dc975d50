"""Planning: which documents exist, what each addresses, how each requirement is met.

All decisions live here, so templates only present them and the SoA, the gap report and the
documents can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from aimsdocs.plan.applicability import default_exclusion
from aimsdocs.plan.fit import COMBINED_PROCEDURES, OrganisationFit, organisation_fit
from aimsdocs.plan.impacts import ImpactAssessment, assess
from aimsdocs.plan.model import (
    IsmsSource,
    PlannedDocument,
    RequirementPlan,
    ReuseStrategy,
    SoaRow,
    TemplateSpec,
)
from aimsdocs.plan.obligations import Obligation, legal_register, system_duties
from aimsdocs.plan.risks import RiskEntry, RiskFacts, isms_statuses, seed_risks
from aimsdocs.plan.soa import build_rows
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
    risks: list[RiskEntry] = field(default_factory=list)  # the AI risk register (plan/risks.py)

    @cached_property
    def risks_by_system(self) -> dict[str, list[RiskEntry]]:
        grouped: dict[str, list[RiskEntry]] = {}
        for risk in self.risks:
            grouped.setdefault(risk.system.id if risk.system else "AIMS", []).append(risk)
        return grouped

    @property
    def runs_isms(self) -> bool:
        """An ISMS exists: supplied to this pack, or declared as certified in the profile."""
        return self.isms is not None or self.profile.management_systems.iso27001.certified

    @property
    def soa_document_id(self) -> str:
        return f"{self.profile.document_control.id_prefix}-SOA"

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
            for part in document.parts:  # a merged procedure is found in the combined set
                grouped.setdefault(part.local_id, []).append(document)
        return grouped

    @cached_property
    def fit(self) -> OrganisationFit:
        return organisation_fit(self.profile)

    @cached_property
    def _impacts(self) -> dict[str, ImpactAssessment]:
        return {s.id: assess(s, self.profile, self.standards, self.risks_by_system.get(s.id, []))
                for s in self.profile.ai_systems}

    def impact(self, system_id: str) -> ImpactAssessment:
        """The drafted impact assessment of one AI system."""
        return self._impacts[system_id]

    @cached_property
    def legal_register(self) -> list[Obligation]:
        return legal_register(self.profile, self.standards)

    def duties(self, system_id: str) -> list:
        """(article, roles) the EU AI Act imposes for one AI system."""
        return system_duties(self.profile, self.standards, self.profile.system(system_id))

    def by_local_id(self, local_id: str) -> list[PlannedDocument]:
        return self._documents_by_local_id.get(local_id, [])

    def strategy(self, requirement_id: str) -> ReuseStrategy:
        return self.requirements[requirement_id].strategy

    def uncovered(self) -> list[str]:
        """Requirements no generated document addresses (must be none)."""
        return [r for r, p in self.requirements.items()
                if not p.documents and p.requirement.kind != "objective"]


# Per-system records that only some systems need: a model card documents a model the
# organisation builds or makes available, not one it only uses.
RECORD_FOR = {"REC-03": lambda system: system.develops or system.provides}


def plan_documents(profile: Profile, specs: list[TemplateSpec]) -> list[PlannedDocument]:
    """The pack's documents. A small organisation gets its procedures as one combined set."""
    prefix = profile.document_control.id_prefix
    combined = next((s for s in specs if s.local_id == COMBINED_PROCEDURES), None)
    merged: tuple[TemplateSpec, ...] = ()
    if combined is not None and profile.small:
        merged = tuple(s for s in specs if s.doc_type == "procedure" and s.per is None
                       and s is not combined)
    documents = []
    for spec in specs:
        if spec in merged or (spec is combined and not merged):
            continue
        if spec.per == "ai_system":
            wanted = RECORD_FOR.get(spec.local_id, lambda system: True)
            for system in profile.ai_systems:
                if not wanted(system):
                    continue
                doc_id = f"{prefix}-{spec.local_id}-{system.id}"
                title = f"{spec.title}: {system.name}"
                documents.append(PlannedDocument(
                    spec, doc_id, title, safe_name(f"{spec.local_id}-{system.id}-{system.name}"),
                    system))
        else:
            documents.append(PlannedDocument(
                spec, f"{prefix}-{spec.local_id}", spec.title,
                safe_name(f"{spec.local_id}-{spec.title}"),
                parts=merged if spec is combined else ()))
    return documents


def build_plan(profile: Profile, standards: Standards, specs: list[TemplateSpec],
               isms=None) -> Plan:
    documents = plan_documents(profile, specs)
    requirements: dict[str, RequirementPlan] = {}
    triggers: dict[str, str] = {}
    for requirement in standards.iso42001.requirements():
        excluded = None
        if requirement.kind == "control":
            override = profile.controls.get(requirement.id)
            if override is not None and override.applicable is False:
                excluded = override.justification
            elif override is None or override.applicable is None:
                default = default_exclusion(requirement.id, profile)
                if default is not None:
                    excluded, triggers[requirement.id] = default
        requirements[requirement.id] = decide(requirement, standards, isms, excluded)
    for document in documents:
        for item in document.addresses:
            plan = requirements.get(item)
            if plan is not None and document.doc_id not in plan.documents:
                plan.documents.append(document.doc_id)
    statuses = isms_statuses(isms)
    facts = RiskFacts(
        isms_status=statuses, isms_soa_name=_isms_soa_name(isms),
        applicable=frozenset(r for r, p in requirements.items()
                             if p.strategy is not ReuseStrategy.excluded),
        impact_records={d.system.id: d.doc_id for d in documents
                        if d.system is not None and d.spec.local_id == IMPACT_ASSESSMENT})
    runs_isms = isms is not None or profile.management_systems.iso27001.certified
    risks = seed_risks(profile, facts, runs_isms)
    soa = build_rows(profile, standards, requirements, documents, risks, triggers, statuses,
                     facts.isms_soa_name)
    return Plan(profile, standards, documents, requirements, soa, isms, risks)


IMPACT_ASSESSMENT = "REC-01"  # local id of the per-system impact assessment record


def _isms_soa_name(isms) -> str:
    """How the ISMS SoA is cited: its document id and version when the register knows it."""
    path = getattr(isms, "soa_path", None)
    if path is None:
        return "the ISMS SoA"
    for document in isms.documents.values():
        if document.path == path:
            return f"ISMS SoA {document.cite()}"
    return f"ISMS SoA ({path.name})"
