"""Planning: which documents exist, what each addresses, how each requirement is met.

All decisions live here, so templates only present them and the SoA, the gap report and the
documents can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from aimsdocs.isms.facts import IsmsFacts
from aimsdocs.isms.model import IsmsInventory
from aimsdocs.isms.phrases import frequency_words
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
    preferred: list[IsmsSource]  # the sources whose titles hold a preferred word


@dataclass
class Plan:
    profile: Profile
    standards: Standards
    documents: list[PlannedDocument]
    requirements: dict[str, RequirementPlan]  # every 42001 clause and control, in catalogue order
    soa: list[SoaRow]
    isms: IsmsInventory | None  # when an existing ISMS (or QMS) was read
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

    @cached_property
    def _records_by_system(self) -> dict[str, list[PlannedDocument]]:
        grouped: dict[str, list[PlannedDocument]] = {}
        for document in self.documents:
            if document.system is not None:
                grouped.setdefault(document.system.id, []).append(document)
        return grouped

    def records_of(self, system_id: str) -> list[PlannedDocument]:
        """The per-system records of one AI system, in pack order (a lookup, so a template
        looping over a thousand systems does not scan every document for each)."""
        return self._records_by_system.get(system_id, [])

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
                         extended, list(dict.fromkeys(preferred)))

    def person_for(self, role: str | None):
        """The person a role named in the ISMS stands for ('Quality Manager', 'the CTO')."""
        return person_for(self.profile, role)

    @property
    def management_review_cycle(self) -> str:
        """When management reviews take place: the ISMS's cycle where it sets one, else the
        AIMS's own minimum. Every document that mentions the cycle states this one."""
        frequency = self.facts.get("management_review_frequency")
        if frequency is None:
            return "at least once a year"
        months = self.facts.get("management_review_months")
        when = frequency_words(frequency.value)
        if months is not None:
            when += f", in {months.text}"
        return when if frequency.declared else f"{when} ({frequency.source.cite()})"

    @cached_property
    def review_attendees(self) -> list:
        """Who takes part in the management review of the AIMS: top management, the AIMS and
        AI risk owners, the holders of the other AIMS roles and the system owners."""
        roles = self.profile.roles
        keys = [roles.top_management, roles.aims_owner, roles.ai_risk_owner,
                roles.data_protection_officer, roles.information_security_manager,
                roles.quality_manager, roles.internal_audit_lead, roles.hr_lead,
                roles.legal_counsel] + [s.owner for s in self.profile.ai_systems]
        return [self.profile.person(k) for k in dict.fromkeys(k for k in keys if k)]

    @cached_property
    def review_members_already(self) -> list:
        """Attendees the ISMS management review already has as members (read from it)."""
        members = self.facts.get("management_review_members")
        found = [self.person_for(role) for role in (members.value if members else [])]
        keys = {p.key for p in found if p is not None}
        return [p for p in self.review_attendees if p.key in keys]

    @cached_property
    def risk_acceptor(self) -> str:
        """Who decides on a residual AI risk above the threshold: the holders the ISMS risk
        method names for each level where it names them, else top management."""
        named = self._acceptors_above_threshold()
        tiers = self.facts.get("risk_tiers")
        if named and tiers is not None:
            source = "" if tiers.declared else f", as {tiers.source.cite()} sets"
            return "the holder the ISMS risk method names for its level (" + \
                "; ".join(named) + source + ")"
        top = self.profile.person(self.profile.roles.top_management)
        return f"top management ({top.name})"

    @property
    def risk_scales_same(self) -> bool | None:
        """Whether the AIMS risk scales are the ISMS's (the same labels in the same order);
        None when the ISMS does not state its scales (the organisation must confirm)."""
        likelihood = self.facts.get("risk_likelihood_scale")
        impact = self.facts.get("risk_impact_scale")
        if likelihood is None or impact is None:
            return None
        method = self.profile.risk_method

        def labels(values: list[str]) -> list[str]:
            return [value.casefold() for value in values]
        return (labels(likelihood.value) == labels(method.likelihood)
                and labels(impact.value) == labels(method.impact))

    @property
    def risk_scales_isms(self) -> str:
        """The ISMS's scales as the AIMS states them, with their source."""
        likelihood = self.facts.get("risk_likelihood_scale")
        impact = self.facts.get("risk_impact_scale")
        if likelihood is None or impact is None:
            return ""
        source = "" if likelihood.declared else f" ({likelihood.source.cite()})"
        return (f"{len(likelihood.value)} likelihood levels ({likelihood.text}) and "
                f"{len(impact.value)} impact levels ({impact.text}){source}")

    @property
    def risk_acceptance_tiered(self) -> bool:
        """Whether the ISMS risk method names who accepts each level above the threshold."""
        return bool(self._acceptors_above_threshold())

    def _acceptors_above_threshold(self) -> list[str]:
        """"9–14 by Name (Title)" for each ISMS risk level above the AIMS threshold."""
        threshold = self.profile.risk_method.acceptance_threshold
        tiers = self.facts.get("risk_tiers")
        named = []
        for tier in (tiers.value if tiers is not None else []):
            person = self.person_for(tier.accepted_by)
            if tier.high > threshold and tier.accepted_by:
                who = f"{person.name} ({person.title})" if person else tier.accepted_by
                named.append(f"{max(tier.low, threshold + 1)}–{tier.high} by {who}")
        return named

    @cached_property
    def approvers(self) -> list[tuple[list[str], list[str]]]:
        """Who approves the pack's documents: (document types, approver names), one entry per
        distinct set of approvers, in pack order."""
        by_type: dict[str, list[str]] = {}
        for document in self.documents:
            key = document.approver_key or self.profile.document_control.approver
            names = by_type.setdefault(document.spec.doc_type, [])
            if self.profile.person(key).name not in names:
                names.append(self.profile.person(key).name)
        grouped: dict[tuple[str, ...], list[str]] = {}
        for doc_type, names in by_type.items():
            grouped.setdefault(tuple(names), []).append(doc_type)
        return [(types, list(names)) for names, types in grouped.items()]

    # The AIMS's own time limit for acknowledging a concern or an external report: one
    # value, used by every document that mentions it.
    acknowledgement_time = "seven days"

    @property
    def record_retention(self) -> str:
        """How long AIMS records are kept by default: the ISMS default where it sets one (a
        reused document-control process), else the AIMS's own three years."""
        fact = self.facts.get("record_retention")
        return fact.text if fact is not None else "3 years"

    def acceptor_for(self, score: int) -> str:
        """Who decides on one residual risk of this score (a name)."""
        tiers = self.facts.get("risk_tiers")
        for tier in (tiers.value if tiers is not None else []):
            if tier.low <= score <= tier.high and tier.accepted_by:
                person = self.person_for(tier.accepted_by)
                return person.name if person else tier.accepted_by
        return self.profile.person(self.profile.roles.top_management).name

    def fact_text(self, key: str, fallback: str) -> str:
        """A fact's value as the AIMS states it, with its source; else `fallback`."""
        fact = self.facts.get(key)
        if fact is None:
            return fallback
        if fact.declared:
            return fact.text
        return f"{fact.text} ({fact.source.cite()})"

    def isms_document_for(self, standard: str, item_id: str):
        """The organisation's own document for an ISO/IEC 27001 or ISO 9001 item, on firm
        evidence only (declared, mapped or referenced); None when there is none."""
        if self.isms is None:
            return None
        claims = self.isms.covering(standard, item_id)
        return self.isms.documents.get(claims[0].doc_id) if claims else None

    def uncovered(self) -> list[str]:
        """Requirements no generated document addresses (must be none)."""
        return [r for r, p in self.requirements.items()
                if not p.documents and not p.amended_in and p.requirement.kind != "objective"]


# Per-system records that only some systems need: a model card documents a model the
# organisation builds or makes available, not one it only uses.
RECORD_FOR = {"REC-03": lambda system: system.develops or system.provides}


def plan_documents(profile: Profile, specs: list[TemplateSpec],
                   facts: IsmsFacts | None = None) -> list[PlannedDocument]:
    """The pack's documents. A small organisation gets its procedures as one combined set."""
    prefix = profile.document_control.id_prefix
    facts = facts if facts is not None else IsmsFacts()
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
                    system, owner, approver_for(profile, owner,
                                                scheme_approver(profile, facts, spec.doc_type))))
        else:
            owner = process_owner(profile, spec)
            documents.append(PlannedDocument(
                spec, f"{prefix}-{spec.local_id}", spec.title,
                safe_name(f"{spec.local_id}-{spec.title}"), None, owner,
                approver_for(profile, owner, scheme_approver(profile, facts, spec.doc_type)),
                parts=merged if spec is combined else ()))
    return documents


def person_for(profile: Profile, role: str | None):
    """The person a role named in the ISMS stands for ('Quality Manager', 'the CTO'): by job
    title, by the title's initials, or by the AIMS role of that name; else None."""
    if not role:
        return None
    wanted = " ".join(re.sub(r"^(?:the|der|die)\s+", "", role.strip(), flags=re.I).lower()
                      .split())
    for person in profile.people:
        title = person.title.lower()
        initials = "".join(w[0] for w in re.findall(r"[a-z]+", title) if w not in
                           ("of", "and", "the"))
        if wanted in (title, initials) or wanted == person.name.lower():
            return person
    field = wanted.replace(" ", "_")
    key = getattr(profile.roles, field, None) if field in type(profile.roles).model_fields \
        else None
    return profile.person(key) if key else None


def _singular(word: str) -> str:
    word = " ".join(word.lower().split())
    return word[:-1] if word.endswith("s") else word


def scheme_approver(profile: Profile, facts: IsmsFacts, doc_type: str) -> str | None:
    """The person the ISMS approval scheme names for this type of document, if it names one."""
    scheme = facts.get("approval_scheme")
    for kind, approver in (scheme.value if scheme is not None else []):
        if _singular(kind) == _singular(doc_type):
            person = person_for(profile, approver)
            return person.key if person else None
    return None


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


def approver_for(profile: Profile, owner: str, preferred: str | None = None) -> str:
    """The approver the ISMS scheme names for the document type, else the default approver,
    unless that is the owner: nobody approves their own document."""
    for candidate in (preferred, profile.document_control.approver, profile.roles.top_management,
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
    facts = resolve_facts(profile, isms)
    documents = plan_documents(profile, specs, facts)
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
