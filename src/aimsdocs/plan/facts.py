"""The facts the AIMS inherits: what the ISMS documents say, overridden by the profile.

One place resolves them, so every document that states a retention period or a review cycle
states the same one, with the same source.
"""

from __future__ import annotations

from aimsdocs.isms.facts import Fact, FactSource, IsmsFacts, RiskTier, extract_facts
from aimsdocs.isms.phrases import MONTH_NAMES, Duration, durations, frequency_words
from aimsdocs.profile.model import Profile


def resolve_facts(profile: Profile, isms) -> IsmsFacts:
    """Declared facts (profile.yaml `integration:`) first, then those read from the ISMS."""
    resolved = IsmsFacts()
    for fact in declared_facts(profile):
        resolved.add(fact)
    if isms is not None:
        for fact in extract_facts(isms):
            resolved.add(fact)
    return resolved


def _declared(key: str, value, text: str, field: str) -> Fact:
    return Fact(key, value, text, FactSource("profile.yaml", "organisation profile",
                                             "profile.yaml", f"integration.{field}", text),
                declared=True)


def _duration(text: str) -> Duration:
    return durations(text)[0][0]


def declared_facts(profile: Profile) -> list[Fact]:
    declared = profile.integration
    facts: list[Fact] = []
    if declared.record_retention:
        value = _duration(declared.record_retention)
        facts.append(_declared("record_retention", value, str(value), "record_retention"))
    if declared.document_library:
        facts.append(_declared("document_library", declared.document_library,
                               declared.document_library, "document_library"))
    review = declared.management_review
    if review.per_year:
        facts.append(_declared("management_review_frequency", review.per_year,
                               frequency_words(review.per_year), "management_review.per_year"))
    if review.months:
        numbers = [MONTH_NAMES.index(m) + 1 for m in review.months]
        facts.append(_declared("management_review_months", numbers, " and ".join(review.months),
                               "management_review.months"))
    if declared.internal_audit_cycle_years:
        years = declared.internal_audit_cycle_years
        facts.append(_declared("internal_audit_cycle", years, f"{years}-year audit programme",
                               "internal_audit_cycle_years"))
    if declared.risk_threshold:
        facts.append(_declared("risk_threshold", declared.risk_threshold,
                               str(declared.risk_threshold), "risk_threshold"))
    if declared.risk_acceptance:
        tiers = [RiskTier(t.low, t.high, t.label, "", _holder(profile, t.accepted_by))
                 for t in declared.risk_acceptance]
        text = "; ".join(f"{t.label} {t.low}–{t.high}"
                         + (f" accepted by {t.accepted_by}" if t.accepted_by else "")
                         for t in tiers)
        facts.append(_declared("risk_tiers", tiers, text, "risk_acceptance"))
    capa = declared.corrective_action
    if capa.tool:
        facts.append(_declared("corrective_action_tool", capa.tool, capa.tool,
                               "corrective_action.tool"))
    if capa.owner:
        owner = profile.person(capa.owner).title
        facts.append(_declared("corrective_action_owner", owner, owner,
                               "corrective_action.owner"))
    if capa.effectiveness_check:
        facts.append(_declared("corrective_action_effectiveness", None, capa.effectiveness_check,
                               "corrective_action.effectiveness_check"))
    if declared.change_board:
        facts.append(_declared("change_board", declared.change_board, declared.change_board,
                               "change_board"))
    if declared.supplier_incident_notification:
        value = _duration(declared.supplier_incident_notification)
        facts.append(_declared("supplier_incident_notification", value, f"within {value}",
                               "supplier_incident_notification"))
    if declared.log_retention:
        facts.append(_declared("log_retention", declared.log_retention, declared.log_retention,
                               "log_retention"))
    return facts


def _holder(profile: Profile, who: str | None) -> str | None:
    """A person key names its holder's title; anything else is a role as written."""
    if who is None:
        return None
    person = next((p for p in profile.people if p.key == who), None)
    return person.title if person else who
