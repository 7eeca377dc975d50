"""Fit the pack to the organisation: its size, the roles one person holds, the conflicts that
follows from it, and who can audit the AIMS independently.

A small organisation (under 50 employees) gets merged roles, one combined procedure set and an
external or reciprocal auditor; any organisation is told where one person holds roles that
check each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from aimsdocs.profile.model import Person, Profile

ROLE_LABELS = {
    "top_management": "top management",
    "aims_owner": "AIMS owner",
    "ai_risk_owner": "AI risk owner",
    "data_protection_officer": "data protection officer",
    "information_security_manager": "information security manager",
    "quality_manager": "quality manager",
    "internal_audit_lead": "internal audit lead",
    "hr_lead": "HR lead",
    "legal_counsel": "legal counsel",
    "ai_ethics_contact": "contact for AI concerns",
}
COMBINED_PROCEDURES = "PRO-00"  # local id of the combined procedure set of small organisations


@dataclass(frozen=True)
class RoleConflict:
    person: Person
    roles: tuple[str, ...]  # labels
    issue: str
    safeguard: str


@dataclass(frozen=True)
class OrganisationFit:
    small: bool
    merged: tuple[tuple[Person, tuple[str, ...]], ...]  # people holding two or more roles
    conflicts: tuple[RoleConflict, ...]
    external_audit: bool  # nobody inside can audit the AIMS independently
    auditor: str  # who audits, in words

    def roles_of(self, key: str) -> tuple[str, ...]:
        return next((roles for person, roles in self.merged if person.key == key), ())


def _holders(profile: Profile) -> dict[str, list[str]]:
    held: dict[str, list[str]] = {}
    for role, key in profile.roles.model_dump().items():
        if role in ROLE_LABELS and key:
            held.setdefault(key, []).append(role)
    return held


def _conflicts(profile: Profile, held: dict[str, list[str]]) -> list[RoleConflict]:
    owners = {s.owner for s in profile.ai_systems}
    found = []
    for key, roles in held.items():
        person = profile.person(key)
        owns = key in owners
        labels = tuple(ROLE_LABELS[r] for r in roles) + (("AI system owner",) if owns else ())
        deciding = {"top_management", "aims_owner", "ai_risk_owner"} & set(roles)
        if "data_protection_officer" in roles and (deciding or owns):
            found.append(RoleConflict(
                person, labels,
                "A data protection officer advises on, and monitors, processing without "
                "deciding its purposes and means; as " + ", ".join(
                    ROLE_LABELS[r] for r in sorted(deciding)) + (" and system owner" if owns
                                                                   else "")
                + " this person takes those decisions for AI systems (GDPR Article 38(6)).",
                "Data protection advice on AI decisions this person takes is given or reviewed "
                "by someone else (an external DPO service or a second adviser), and the review "
                "is recorded in the impact assessment."))
        if "internal_audit_lead" in roles and (set(roles) - {"internal_audit_lead", "hr_lead",
                                                             "quality_manager"} or owns):
            found.append(RoleConflict(
                person, labels, "Internal audits must be independent of the work audited; this "
                "person would audit AIMS work they run themselves.",
                "AIMS areas this person runs are audited by " + _external(profile) + "."))
        if {"ai_risk_owner", "top_management"} <= set(roles):
            found.append(RoleConflict(
                person, labels, "The owner of the AI risks also accepts residual risks above "
                "the threshold, so nobody checks the acceptance.",
                "Each acceptance above the threshold is minuted with its reason and confirmed "
                "at the next management review by another member of management, or the "
                "board."))
        elif "ai_risk_owner" in roles and owns:
            systems = ", ".join(s.name for s in profile.ai_systems if s.owner == key)
            found.append(RoleConflict(
                person, labels, f"The AI risk owner checks every risk assessment, including "
                f"those of systems they own ({systems}).",
                "The AIMS owner checks the risk and impact assessments of those systems instead."
                if profile.roles.aims_owner != key else
                "Top management checks the risk and impact assessments of those systems."))
        if "ai_ethics_contact" in roles and (owns or "aims_owner" in roles):
            found.append(RoleConflict(
                person, labels, "Concerns about AI may be about systems or decisions of the "
                "person who receives them.",
                "A second route for concerns goes straight to top management, or to an "
                "outside contact, and is published with the first."))
    return found


def _external(profile: Profile) -> str:
    return profile.roles.external_auditor or ("an external auditor, or a peer organisation "
                                              "under a reciprocal audit arrangement")


def organisation_fit(profile: Profile) -> OrganisationFit:
    held = _holders(profile)
    merged = tuple((profile.person(k), tuple(ROLE_LABELS[r] for r in roles))
                   for k, roles in held.items() if len(roles) > 1)
    conflicts = tuple(_conflicts(profile, held))
    lead = profile.roles.internal_audit_lead
    lead_conflicted = any(c.person.key == lead and "internal audit lead" in c.roles
                          for c in conflicts)
    if profile.small or lead is None or lead_conflicted:
        external, auditor = True, _external(profile)
    else:
        external, person = False, profile.person(lead)
        auditor = f"{person.name} ({person.title}) with auditors independent of the area audited"
    return OrganisationFit(profile.small, merged, conflicts, external, auditor)
