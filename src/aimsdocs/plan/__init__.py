"""Planning: which documents exist, what each addresses, how each requirement is met.

All decisions live here, so templates only present them and the SoA, the gap report and the
documents can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from aimsdocs.isms.facts import IsmsFacts
from aimsdocs.plan.additions import Addition, addition_for
from aimsdocs.plan.amendments import DocumentView, IsmsAmendments, giving_way, plan_amendments
from aimsdocs.plan.applicability import default_exclusion
from aimsdocs.plan.facts import resolve_facts
from aimsdocs.plan.fit import COMBINED_PROCEDURES, OrganisationFit, organisation_fit
from aimsdocs.plan.health import OverdueDocument, overdue_documents
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
from aimsdocs.plan.scope import excludes
from aimsdocs.plan.soa import build_rows
from aimsdocs.plan.strategy import decide
from aimsdocs.profile.model import Profile
from aimsdocs.standards import Standards
from aimsdocs.support.names import safe_name

__all__ = ["Governing", "IsmsSource", "Plan", "PlannedDocument", "RequirementPlan",
           "ReuseStrategy", "SoaRow", "build_plan"]


@dataclass(frozen=True)
class Governing:
    """The ISMS basis of one AIMS process, as a document presents it."""

    source: IsmsSource | None  # the document that governs
    others: list[IsmsSource]  # every source, the governing one first
    extend: bool  # some requirement is extended rather than reused as is
    additions: list[Addition]  # what changes for AI, in the organisation's voice
    extended: list[str]  # the requirements extended


@dataclass
class Plan:
    profile: Profile
    standards: Standards
    documents: list[PlannedDocument]
    requirements: dict[str, RequirementPlan]  # every 42001 clause and control, in catalogue order
    soa: list[SoaRow]
    isms: object | None  # IsmsInventory when an existing ISMS was read
    risks: list[RiskEntry] = field(default_factory=list)  # the AI risk register (plan/risks.py)
    facts: IsmsFacts = field(default_factory=IsmsFacts)  # inherited ISMS facts (plan/facts.py)
    overdue: list[OverdueDocument] = field(default_factory=list)  # relied on, past review
    # Amend mode: the ISMS documents amended for AI and the AIMS procedures that gave way.
    amendments: IsmsAmendments | None = None

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

    def reference(self, local_id: str, fallback: str | None = None) -> str:
        """How a document names another: 'MFS-AIMS-PRO-07 Control of documented information',
        or the series of per-system records. A template that is not in the pack (a lean pack,
        an override that removed it) gives `fallback`, or an error when there is none."""
        found = self.by_local_id(local_id)
        replaced = self.amendments.replaced.get(local_id) if self.amendments else None
        if not found and replaced is not None:  # gave way to an amended ISMS document
            return replaced.reference
        if not found:
            if fallback is not None:
                return fallback
            raise KeyError(f"no document with local id {local_id!r}")
        parts = [p.local_id for p in found[0].parts]
        if local_id in parts:  # merged into the combined procedure set of a small organisation
            part = found[0].parts[parts.index(local_id)]
            return (f"{found[0].doc_id} {found[0].title}, part {parts.index(local_id) + 1} "
                    f"({part.title})")
        if found[0].system is not None and len(found) > 1:
            # Per-system records share the template's id; the system id may hold hyphens too.
            series = f"{self.profile.document_control.id_prefix}-{found[0].spec.local_id}"
            return f"{found[0].spec.title} records ({series}-…)"
        return f"{found[0].doc_id} {found[0].title}"

    def governing(self, ids: list[str], prefer: tuple[str, ...] | list[str] = ()) -> Governing:
        """The ISMS document that governs a process the AIMS reuses or extends.

        Sources of the requirements `ids` that are reused or extended; a source whose title
        holds one of the `prefer` words comes first (a management review procedure before
        the policy that lists it).
        """
        sources: list[IsmsSource] = []
        additions: list[Addition] = []
        extended: list[str] = []
        for item in ids:
            decision = self.requirements[item]
            if decision.strategy not in (ReuseStrategy.reuse, ReuseStrategy.extend):
                continue
            if decision.strategy is ReuseStrategy.extend:
                extended.append(item)
                if decision.addition and decision.addition.text not in [a.text for a in
                                                                         additions]:
                    additions.append(decision.addition)
            sources += [s for s in decision.isms_sources
                        if s.doc_id not in {known.doc_id for known in sources}]
        preferred = [s for word in prefer for s in sources if word in s.title.lower()]
        ordered = list(dict.fromkeys(preferred + sources))
        return Governing(ordered[0] if ordered else None, ordered, bool(extended), additions,
                         extended)

    def uncovered(self) -> list[str]:
        """Requirements no generated document addresses (must be none)."""
        return [r for r, p in self.requirements.items()
                if not p.documents and not p.amended_in and p.requirement.kind != "objective"]


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
                owner = system.owner
                documents.append(PlannedDocument(
                    spec, doc_id, title, safe_name(f"{spec.local_id}-{system.id}-{system.name}"),
                    system, owner, approver_for(profile, owner)))
        else:
            owner = process_owner(profile, spec)
            documents.append(PlannedDocument(
                spec, f"{prefix}-{spec.local_id}", spec.title,
                safe_name(f"{spec.local_id}-{spec.title}"), None, owner,
                approver_for(profile, owner), parts=merged if spec is combined else ()))
    return documents


def process_owner(profile: Profile, spec: TemplateSpec) -> str:
    """The holder of the role the template names as process owner, else the default owner.

    The process owner is the document owner, so the Roles table and the document-control
    block name the same person.
    """
    if spec.owner:
        key = getattr(profile.roles, spec.owner, None)
        if key:
            return key
    return profile.document_control.owner


def approver_for(profile: Profile, owner: str) -> str:
    """The default approver, unless that is the owner: nobody approves their own document."""
    for candidate in (profile.document_control.approver, profile.roles.top_management,
                      profile.roles.aims_owner, profile.document_control.owner):
        if candidate and candidate != owner:
            return candidate
    return profile.document_control.approver


def _honour_scope_exclusions(decision: RequirementPlan, isms) -> None:
    """Drop sources whose own scope leaves the subject out; with none left, the need is new."""
    if isms is None or not decision.isms_sources:
        return
    kept = []
    for source in decision.isms_sources:
        document = isms.documents.get(source.doc_id)
        if document is not None and excludes(document, decision.requirement):
            decision.scope_excluded.append(source.doc_id)
        else:
            kept.append(source)
    decision.isms_sources = kept
    if not kept:
        decision.strategy = ReuseStrategy.new


def _give_way(documents: list[PlannedDocument], requirements: dict[str, RequirementPlan],
              amendments: IsmsAmendments) -> list[PlannedDocument]:
    """The pack without the AIMS procedures an amended ISMS document takes the place of."""
    gone = {r.doc_id: r for r in amendments.replaced.values()}
    for decision in requirements.values():
        for doc_id in [d for d in decision.documents if d in gone]:
            decision.documents.remove(doc_id)
            if gone[doc_id].isms_doc_id not in decision.amended_in:
                decision.amended_in.append(gone[doc_id].isms_doc_id)
    return [d for d in documents if d.doc_id not in gone]


NOT_SUPPLIED_STRENGTH = 8  # a clause-level link this strong means the ISMS runs the process


def _not_supplied(decision: RequirementPlan, profile: Profile, isms) -> bool:
    """Certified to ISO/IEC 27001 (or 9001), yet no supplied document covers the process."""
    if decision.strategy is not ReuseStrategy.new or isms is None:
        return False
    certified = {"iso27001": profile.management_systems.iso27001.certified,
                 "iso9001": profile.management_systems.iso9001.certified}
    return any(certified[link.target_standard] and link.target and not link.target.startswith("A.")
               and link.relationship in ("equal", "subset_of")
               and link.strength >= NOT_SUPPLIED_STRENGTH for link in decision.links)


def build_plan(profile: Profile, standards: Standards, specs: list[TemplateSpec],
               isms=None, as_of: date | None = None, amend: DocumentView | None = None,
               isms_folder: str = "isms") -> Plan:
    """The plan. With `amend` (amend mode: how the writer reads the ISMS documents), the
    ISMS documents take the AI additions and the AIMS procedures they absorb give way."""
    documents = plan_documents(profile, specs)
    facts = resolve_facts(profile, isms)
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
        decision = decide(requirement, standards, isms, excluded)
        _honour_scope_exclusions(decision, isms)
        decision.not_supplied = _not_supplied(decision, profile, isms)
        if decision.strategy is ReuseStrategy.extend and decision.isms_sources:
            decision.addition = addition_for(requirement.id, profile, facts,
                                             decision.isms_sources[0].doc_id)
        requirements[requirement.id] = decision
    for document in documents:
        for item in document.addresses:
            plan = requirements.get(item)
            if plan is not None and document.doc_id not in plan.documents:
                plan.documents.append(document.doc_id)
    amendments = None
    if amend is not None and isms is not None:
        giving = giving_way(documents, requirements, isms)
        amendments = plan_amendments(profile, standards, facts, isms, requirements, documents,
                                     giving, amend, isms_folder)
        documents = _give_way(documents, requirements, amendments)
    statuses = isms_statuses(isms)
    risk_facts = RiskFacts(
        isms_status=statuses, isms_soa_name=_isms_soa_name(isms),
        applicable=frozenset(r for r, p in requirements.items()
                             if p.strategy is not ReuseStrategy.excluded),
        impact_records={d.system.id: d.doc_id for d in documents
                        if d.system is not None and d.spec.local_id == IMPACT_ASSESSMENT})
    runs_isms = isms is not None or profile.management_systems.iso27001.certified
    risks = seed_risks(profile, risk_facts, runs_isms)
    soa = build_rows(profile, standards, requirements, documents, risks, triggers, statuses,
                     risk_facts.isms_soa_name,
                     {d: amendments.located(d) for d in amendments.documents}
                     if amendments else None)
    relied_on = {s.doc_id for r in requirements.values() for s in r.isms_sources}
    overdue = overdue_documents(isms, relied_on,
                                as_of or profile.document_control.effective_date)
    return Plan(profile, standards, documents, requirements, soa, isms, risks, facts, overdue,
                amendments)


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
