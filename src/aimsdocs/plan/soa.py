"""Statement of Applicability rows, derived from the profile and the plan — never a fixed list.

Defaults follow what the organisation does with AI: development controls apply only where it
develops AI, provider controls only where it makes AI available to others. The profile's
`controls:` section overrides any row.
"""

from __future__ import annotations

from aimsdocs.plan.model import PlannedDocument, RequirementPlan, ReuseStrategy, SoaRow
from aimsdocs.profile.model import AiActCategory, AiSystem, Profile
from aimsdocs.standards import Standards

RISK, LEGAL, CONTRACT, BUSINESS = ("risk assessment", "legal or regulatory", "contractual",
                                   "business requirement")
STATUSES = ("Not started", "Planned", "Partially implemented", "Implemented")

# Controls that only make sense where the organisation develops (produces) AI systems.
DEVELOPMENT_ONLY = {"A.6.1.2", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.4", "A.7.2", "A.7.6"}
# Controls about what a provider owes the people and organisations using its AI systems.
PROVIDER_ONLY = {"A.6.2.7", "A.8.2", "A.10.4"}
# Controls about using AI systems (someone else's or one's own).
USE = {"A.9.2", "A.9.3", "A.9.4"}
# Controls that carry EU AI Act duties for providers or deployers of regulated systems.
AI_ACT = {"A.4.6", "A.5.2", "A.5.3", "A.5.4", "A.6.2.6", "A.6.2.7", "A.6.2.8", "A.7.4", "A.8.2",
          "A.8.4", "A.8.5", "A.9.2", "A.9.4"}
PERSONAL_DATA = {"A.7.3", "A.7.4", "A.7.5", "A.7.6", "A.5.4"}
CONTRACTUAL = {"A.10.2", "A.10.3", "A.10.4", "A.8.2"}
BUSINESS_REQ = {"A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5",
                "A.4.6", "A.6.1.2", "A.9.3"}

# Who owns each objective's controls unless the profile says otherwise (Roles field names).
OWNER_ROLE = {"A.2": "aims_owner", "A.3": "aims_owner", "A.4": "aims_owner",
              "A.5": "ai_risk_owner", "A.6": "ai_risk_owner", "A.6.1": "ai_risk_owner",
              "A.6.2": "ai_risk_owner", "A.7": "data_protection_officer", "A.8": "aims_owner",
              "A.9": "aims_owner", "A.10": "legal_counsel"}


def applies_to(control_id: str, system: AiSystem) -> bool:
    """Whether a control concerns one AI system (the SoA's per-system columns)."""
    if control_id in DEVELOPMENT_ONLY:
        return system.develops
    if control_id in PROVIDER_ONLY:
        return system.provides
    if control_id in USE:
        return system.uses or system.provides
    if control_id == "A.10.3":
        return bool(system.third_parties)
    if control_id.startswith("A.7.") and control_id != "A.7.2":
        return system.develops or system.personal_data
    return True


def default_exclusion(control_id: str, profile: Profile) -> str | None:
    """Why a control is excluded by default, or None when it applies."""
    systems = profile.ai_systems
    if any(applies_to(control_id, s) for s in systems):
        return None
    name = profile.organisation.short_name
    if control_id in DEVELOPMENT_ONLY:
        return (f"{name} does not design, develop or train AI systems; every AI system in scope "
                "is acquired from a third party and used as supplied. Reviewed if that changes.")
    if control_id in PROVIDER_ONLY:
        return (f"{name} does not make AI systems available to customers or other external "
                "users; AI is used internally only. Reviewed if an AI feature is offered.")
    if control_id == "A.10.3":
        return "No AI system in scope relies on a supplier for models, data or AI services."
    return (f"No AI system in the inventory of {name} falls under this control.")


def inclusion_reasons(control_id: str, profile: Profile, systems: list[AiSystem]) -> list[str]:
    reasons = [RISK]
    regulated = {AiActCategory.high_risk, AiActCategory.limited_risk, AiActCategory.gpai}
    ai_act_duty = (profile.in_eu and control_id in AI_ACT
                   and any(s.eu_ai_act in regulated for s in systems))
    data_protection = control_id in PERSONAL_DATA and any(s.personal_data for s in systems)
    if ai_act_duty or data_protection:
        reasons.append(LEGAL)
    if control_id in CONTRACTUAL and any(s.third_parties or s.provides for s in systems):
        reasons.append(CONTRACT)
    if control_id in BUSINESS_REQ:
        reasons.append(BUSINESS)
    return reasons


def _inclusion_text(control_id: str, reasons: list[str], profile: Profile,
                    systems: list[AiSystem]) -> str:
    names = ", ".join(s.name for s in systems)
    parts = [f"Relevant to {names}." if len(systems) < len(profile.ai_systems)
             else "Relevant to every AI system in scope."]
    if LEGAL in reasons:
        if profile.in_eu and any(s.eu_ai_act for s in systems) and control_id in AI_ACT:
            regulated = [s.name for s in systems
                         if s.eu_ai_act in (AiActCategory.high_risk, AiActCategory.limited_risk,
                                            AiActCategory.gpai)]
            parts.append(f"Supports EU AI Act obligations for {', '.join(regulated)}.")
        else:
            parts.append("Personal data is processed, so data protection law applies.")
    if CONTRACT in reasons:
        parts.append("Supplier and customer agreements depend on it.")
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


def _default_status(strategy: ReuseStrategy) -> str:
    return {ReuseStrategy.reuse: "Implemented",
            ReuseStrategy.extend: "Partially implemented",
            ReuseStrategy.new: "Planned"}.get(strategy, "Not started")


def build_rows(profile: Profile, standards: Standards, requirements: dict[str, RequirementPlan],
               documents: list[PlannedDocument]) -> list[SoaRow]:
    rows = []
    for control in standards.iso42001.controls():
        plan = requirements[control.id]
        override = profile.controls.get(control.id)
        systems = [s for s in profile.ai_systems if applies_to(control.id, s)]
        applicable = plan.strategy is not ReuseStrategy.excluded
        implementing = [d for d in documents if control.id in d.addresses and
                        (d.system is None or d.system in systems)]
        reasons = inclusion_reasons(control.id, profile, systems or profile.ai_systems) \
            if applicable else []
        owner_key = (override.owner if override and override.owner else
                     getattr(profile.roles, OWNER_ROLE.get(control.parent or "", "aims_owner"))
                     or profile.roles.aims_owner)
        owner = profile.person(owner_key)
        isms_evidence = [f"{s.cite()} ({s.path}) via " +
                         ", ".join(f"{std.replace('iso', 'ISO ')} {item}" for std, item, _ in s.via)
                         for s in plan.isms_sources]
        rows.append(SoaRow(
            control=control,
            objective=standards.iso42001[control.parent],
            applicable=applicable,
            inclusion_reasons=reasons,
            inclusion_text=_inclusion_text(control.id, reasons, profile, systems)
            if applicable else "",
            exclusion_text=plan.exclusion if not applicable else "",
            status=(override.status if override and override.status else
                    _default_status(plan.strategy)) if applicable else "Not started",
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
        ))
    return rows
