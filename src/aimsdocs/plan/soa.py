"""Statement of Applicability rows, derived from the profile and the plan — never a fixed list.

Applicability follows what the organisation does with AI (plan/applicability.py); the profile's
`controls:` section overrides any row. Each included control is justified by the register risks
whose treatment relies on it (the reverse of the treatment plan) and by the obligations behind
it (EU AI Act articles, GDPR, contracts). The status is what has been declared — in the profile,
or in the ISMS SoA for a control reused as it is — and otherwise "Not assessed", never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence

from aimsdocs.plan.applicability import applies_to
from aimsdocs.plan.model import PlannedDocument, RequirementPlan, ReuseStrategy, SoaRow
from aimsdocs.plan.obligations import CONTRACT, Obligation, control_obligations
from aimsdocs.plan.risks import RiskEntry
from aimsdocs.profile.model import Profile
from aimsdocs.standards import Standards

RISK, LEGAL, CONTRACTUAL, BUSINESS = ("risk assessment", "legal or regulatory", "contractual",
                                      "business requirement")
NOT_ASSESSED = "Not assessed"
STATUSES = (NOT_ASSESSED, "Not started", "Planned", "Partially implemented", "Implemented")
# Worst first: a control reused from several ISMS controls is only as done as the least done.
_PROGRESS = ("Not started", "Planned", "Partially implemented", "Implemented")
BUSINESS_REQ = {"A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5",
                "A.4.6", "A.6.1.2", "A.9.3"}
RISKS_SHOWN = 6  # risk ids named in a justification; the "Risks treated" column has them all

# Who owns each objective's controls unless the profile says otherwise (Roles field names).
OWNER_ROLE = {"A.2": "aims_owner", "A.3": "aims_owner", "A.4": "aims_owner",
              "A.5": "ai_risk_owner", "A.6": "ai_risk_owner", "A.6.1": "ai_risk_owner",
              "A.6.2": "ai_risk_owner", "A.7": "data_protection_officer", "A.8": "aims_owner",
              "A.9": "aims_owner", "A.10": "legal_counsel"}
# What each control does for the organisation, in aimsdocs' own words: the first half of every
# justification, so that two controls treating the same risk still read differently.
CONTROL_PURPOSE = {
    "A.2.2": "sets the direction and rules for all AI work",
    "A.2.3": "keeps the AI policy consistent with the other policies",
    "A.2.4": "keeps the AI policy current as law and AI use change",
    "A.3.2": "gives every AI activity and system an accountable person",
    "A.3.3": "lets staff and others raise concerns about AI safely",
    "A.4.2": "keeps the inventory of AI systems and their resources complete",
    "A.4.3": "records the data each AI system depends on",
    "A.4.4": "records the tools each AI system depends on",
    "A.4.5": "records the computing and hosting each AI system depends on",
    "A.4.6": "makes sure the people involved have the competence they need",
    "A.5.2": "decides when and how impacts of AI systems are assessed",
    "A.5.3": "keeps the results of impact assessments as evidence",
    "A.5.4": "assesses effects on the individuals and groups affected",
    "A.5.5": "assesses effects on society and the environment",
    "A.6.1.2": "sets objectives for responsible development",
    "A.6.1.3": "builds responsibility into design and development",
    "A.6.2.2": "fixes requirements before a system is built",
    "A.6.2.3": "documents design choices so they can be reviewed",
    "A.6.2.4": "tests that a system meets its criteria before release",
    "A.6.2.5": "releases systems in a planned, reversible way",
    "A.6.2.6": "watches systems in operation and acts on what it finds",
    "A.6.2.7": "gives users and auditors the documentation they need",
    "A.6.2.8": "keeps the logs needed to trace and investigate outputs",
    "A.7.2": "governs the data used to train and improve models",
    "A.7.3": "governs how data is obtained",
    "A.7.4": "keeps data fit for its purpose",
    "A.7.5": "records where data comes from",
    "A.7.6": "controls how data is prepared",
    "A.8.2": "tells users what a system does and where it fails",
    "A.8.3": "lets people outside report problems with AI",
    "A.8.4": "tells those affected about AI incidents in time",
    "A.8.5": "gives interested parties the information they are owed",
    "A.9.2": "sets the rules for using AI responsibly",
    "A.9.3": "sets objectives for responsible use",
    "A.9.4": "keeps use within what a system was made and assessed for",
    "A.10.2": "allocates responsibilities between the organisation and its partners",
    "A.10.3": "holds suppliers of AI to the terms the organisation needs",
    "A.10.4": "meets customers' needs for AI output they receive",
}
DECLARED_EXCLUSION_TRIGGER = ("Review at each SoA review, and as soon as the reason given no "
                              "longer holds.")


def inclusion_reasons(control_id: str, risks: list[RiskEntry],
                      obligations: list[Obligation]) -> list[str]:
    reasons = [RISK] if risks else []
    if any(o.legal for o in obligations):
        reasons.append(LEGAL)
    if any(o.source == CONTRACT for o in obligations):
        reasons.append(CONTRACTUAL)
    if control_id in BUSINESS_REQ or not reasons:
        reasons.append(BUSINESS)
    return reasons


def justification(risks: list[RiskEntry], obligations: list[Obligation],
                  control_id: str = "") -> str:
    """Why the control is included: what it does, the risks it treats, the obligations."""
    purpose = CONTROL_PURPOSE.get(control_id)
    parts = [f"Included because it {purpose}."] if purpose else []
    if risks:
        shown = "; ".join(f"{r.risk_id} ({r.title})" for r in risks[:RISKS_SHOWN])
        more = f"; and {len(risks) - RISKS_SHOWN} more" if len(risks) > RISKS_SHOWN else ""
        parts.append(f"Treats {shown}{more}.")
    if obligations:
        parts.append("Required by " + "; ".join(o.cite() for o in obligations) + ".")
    return " ".join(parts)


def _implementation(plan: RequirementPlan, documents: list[PlannedDocument],
                    amended: Sequence[str] = ()) -> str:
    docs = "; ".join([f"{d.doc_id} {d.title}" for d in documents] + list(amended))
    if plan.strategy is ReuseStrategy.reuse:
        cited = "; ".join(s.cite() for s in plan.isms_sources[:2])
        return f"Existing ISMS process {cited} applies to AI systems as set out in {docs}."
    if plan.strategy is ReuseStrategy.extend:
        cited = "; ".join(s.cite() for s in plan.isms_sources[:2])
        return f"Existing ISMS process {cited}, extended for AI by {docs}."
    return f"Set out in {docs}." if docs else ""


def declared_status(control_id: str, plan: RequirementPlan, profile: Profile,
                    isms_status: dict[str, str], isms_soa: str) -> tuple[str, str]:
    """(status, where it comes from). Only what someone declared counts."""
    override = profile.controls.get(control_id)
    if override is not None and override.status:
        return override.status, f"Declared in profile.yaml (controls: {control_id})"
    related = sorted({item for source in plan.isms_sources
                      for standard, item, _ in source.via if standard == "iso27001"}
                     | {link.target for link in plan.links
                        if link.target_standard == "iso27001" and link.target})
    found = [(item, isms_status[item]) for item in related if item in isms_status]
    shown = ", ".join(f"{item} {status.lower()}" for item, status in found)
    if plan.strategy is ReuseStrategy.reuse and found:
        status = min((s for _, s in found), key=_PROGRESS.index)
        return status, f"{isms_soa}: {shown} (the ISMS process is reused as it is)"
    if found:
        return NOT_ASSESSED, (f"{isms_soa}: {shown}; the AI-specific addition is not assessed "
                              f"yet: declare it under controls: {control_id} in profile.yaml")
    return NOT_ASSESSED, (f"Nothing declared; record it under controls: {control_id} in "
                          "profile.yaml")


def build_rows(profile: Profile, standards: Standards, requirements: dict[str, RequirementPlan],
               documents: list[PlannedDocument], risks: list[RiskEntry],
               triggers: dict[str, str], isms_status: dict[str, str],
               isms_soa: str, amended: dict[str, str] | None = None) -> list[SoaRow]:
    """`amended`: amend mode, ISMS doc id -> how the SoA names its amended version."""
    by_control: dict[str, list[RiskEntry]] = {}
    for risk in risks:
        for control_id in risk.controls:
            by_control.setdefault(control_id, []).append(risk)
    rows = []
    for control in standards.iso42001.controls():
        plan = requirements[control.id]
        override = profile.controls.get(control.id)
        systems = [s for s in profile.ai_systems if applies_to(control.id, s)]
        system_ids = {s.id for s in systems}  # ids are unique; comparing models is slow
        applicable = plan.strategy is not ReuseStrategy.excluded
        implementing = [d for d in documents if control.id in d.addresses and
                        (d.system is None or d.system.id in system_ids)]
        in_isms = [(amended or {})[d] for d in plan.amended_in if d in (amended or {})]
        treated = by_control.get(control.id, []) if applicable else []
        obligations = control_obligations(control.id, profile, standards,
                                          systems or profile.ai_systems) if applicable else []
        owner_key = (override.owner if override and override.owner else
                     getattr(profile.roles, OWNER_ROLE.get(control.parent or "", "aims_owner"))
                     or profile.roles.aims_owner)
        owner = profile.person(owner_key)
        isms_evidence = [f"{s.cite()} ({s.path}) via " +
                         ", ".join(f"{std.replace('iso', 'ISO ')} {item}" for std, item, _ in s.via)
                         for s in plan.isms_sources]
        status, source = (declared_status(control.id, plan, profile, isms_status, isms_soa)
                          if applicable else ("", ""))
        declared_text = override.justification if override and override.justification else ""
        rows.append(SoaRow(
            control=control,
            objective=standards.iso42001[control.parent or ""],
            applicable=applicable,
            inclusion_reasons=inclusion_reasons(control.id, treated, obligations)
            if applicable else [],
            inclusion_text=" ".join(p for p in (declared_text, justification(
                treated, obligations, control.id)) if p) if applicable else "",
            exclusion_text=plan.exclusion if not applicable else "",
            status=status,
            implementation=(override.implementation if override and override.implementation
                            else _implementation(plan, implementing, in_isms))
            if applicable else "",
            documents=implementing,
            amended=in_isms,
            owner=f"{owner.name}, {owner.title}",
            related=plan.links,
            isms_evidence=isms_evidence,
            per_system={s.id: applicable and applies_to(control.id, s)
                        for s in profile.ai_systems},
            strategy=plan.strategy,
            review_date=profile.document_control.effective_date,
            risks=treated,
            obligations=obligations,
            status_source=source,
            review_trigger=triggers.get(control.id, DECLARED_EXCLUSION_TRIGGER)
            if not applicable else "",
        ))
    return rows
