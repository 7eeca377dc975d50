"""Which Annex A controls concern which AI system, from the organisation's role for it.

Shared by the SoA (per-system columns, default exclusions) and the risk register (the controls a
treatment relies on), so both always agree on what applies.
"""

from __future__ import annotations

from aimsdocs.profile.model import AiSystem, Profile

# Controls that only make sense where the organisation develops (produces) AI systems.
DEVELOPMENT_ONLY = frozenset({"A.6.1.2", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.4", "A.7.2",
                              "A.7.6"})
# Controls about what a provider owes the people and organisations using its AI systems.
PROVIDER_ONLY = frozenset({"A.6.2.7", "A.8.2"})
# The customer control: whenever AI output reaches customers, whoever produced it.
CUSTOMER = "A.10.4"
# Controls about using AI systems (someone else's or one's own).
USE = frozenset({"A.9.2", "A.9.3", "A.9.4"})


def applies_to(control_id: str, system: AiSystem) -> bool:
    """Whether a control concerns one AI system (the SoA's per-system columns)."""
    if control_id in DEVELOPMENT_ONLY:
        return system.develops
    if control_id in PROVIDER_ONLY:
        return system.provides
    if control_id == CUSTOMER:
        return system.reaches_customers
    if control_id in USE:
        return system.uses or system.provides
    if control_id == "A.10.3":
        return bool(system.third_parties)
    if control_id.startswith("A.7.") and control_id != "A.7.2":
        return system.develops or system.personal_data
    return True


def default_exclusion(control_id: str, profile: Profile) -> tuple[str, str] | None:
    """(reason, review trigger) when a control is excluded by default, or None when it applies.

    Reasons follow the organisation's roles, so they stay true as long as the roles do; the
    trigger says what would bring the control back in.
    """
    if any(applies_to(control_id, s) for s in profile.ai_systems):
        return None
    name = profile.organisation.short_name
    if control_id in DEVELOPMENT_ONLY:
        return (f"{name} does not design, develop or train AI systems; every AI system in scope "
                "is acquired from a third party and used as supplied.",
                f"Review before {name} designs, trains or fine-tunes an AI system.")
    if control_id in PROVIDER_ONLY:
        return (f"{name} does not make AI systems available to customers or other external "
                "users, so it owes no user documentation as a provider.",
                f"Review before {name} offers an AI system or AI feature to others.")
    if control_id == CUSTOMER:
        return (f"{name} does not make AI systems available to others, and no AI output goes "
                "into work delivered to its customers.",
                "Review as soon as AI output, or work built on it, reaches a customer.")
    if control_id == "A.10.3":
        return ("No AI system in scope relies on a supplier for models, data or AI services.",
                "Review when an AI system, model, dataset or AI service is bought in.")
    if control_id in USE:
        return (f"{name} neither uses nor provides AI systems in operation.",
                "Review when an AI system is put into use.")
    return (f"No AI system in the inventory of {name} falls under this control.",
            "Review when an AI system is added to the inventory.")
