"""Statement of Applicability rows, derived from the profile and the plan — never a fixed list.

Applicability follows what the organisation does with AI (plan/applicability.py); the profile's
`controls:` section overrides any row. Each included control is justified by the register risks
whose treatment relies on it (the reverse of the treatment plan) and by the obligations behind
it (EU AI Act articles, GDPR, contracts). The status is what has been declared — in the profile,
or in the ISMS SoA for a control reused as it is — and otherwise "Not assessed", never a guess.
"""

from __future__ import annotations

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


def justification(risks: list[RiskEntry], obligations: list[Obligation]) -> str:
    """Why the control is included: the risks it treats, then the obligations it serves."""
    parts = []
    if risks:
        shown = "; ".join(f"{r.risk_id} ({r.title})" for r in risks[:RISKS_SHOWN])
        more = f"; and {len(risks) - RISKS_SHOWN} more" if len(risks) > RISKS_SHOWN else ""
        parts.append(f"Treats {shown}{more}.")
    if obligations:
        parts.append("Required by " + "; ".join(o.cite() for o in obligations) + ".")
    return " ".join(parts)


def _implementation(plan: RequirementPlan, documents: list[PlannedDocument]) -> str:
    docs = "; ".join(f"{d.doc_id} {d.title}" for d in documents)
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
               isms_soa: str) -> list[SoaRow]:
    by_control: dict[str, list[RiskEntry]] = {}
    for risk in risks:
        for control in risk.controls:
            by_control.setdefault(control, []).append(risk)
    rows = []
    for control in standards.iso42001.controls():
        plan = requirements[control.id]
        override = profile.controls.get(control.id)
        systems = [s for s in profile.ai_systems if applies_to(control.id, s)]
        applicable = plan.strategy is not ReuseStrategy.excluded
        implementing = [d for d in documents if control.id in d.addresses and
                        (d.system is None or d.system in systems)]
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
            objective=standards.iso42001[control.parent],
            applicable=applicable,
            inclusion_reasons=inclusion_reasons(control.id, treated, obligations)
            if applicable else [],
            inclusion_text=" ".join(p for p in (declared_text, justification(
                treated, obligations)) if p) if applicable else "",
            exclusion_text=plan.exclusion if not applicable else "",
            status=status,
            implementation=(override.implementation if override and override.implementation
                            else _implementation(plan, implementing)) if applicable else "",
            documents=implementing,
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
