"""Obligations behind the AIMS: EU AI Act articles per system, GDPR, contracts and other law.

The AI Act duties follow from each system's classification and the organisation's role for it
(provider when it develops or provides the system, deployer when it uses it), through the
crosswalk in mappings/crosswalk-eu-ai-act.yaml. GDPR duties follow from personal data. Contracts
and other law come from the profile's `obligations:` and its suppliers. The SoA cites them per
control and the legal register lists them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from aimsdocs.plan.applicability import applies_to
from aimsdocs.profile.model import AiActCategory, AiSystem, Profile
from aimsdocs.standards import Standards
from aimsdocs.standards.ai_act import Article

AI_ACT, GDPR, CONTRACT, LAW, COMMITMENT = ("EU AI Act", "GDPR", "Contract", "Law", "Commitment")

# GDPR articles an Annex A control helps meet for systems that process personal data
# (aimsdocs' own judgement).
GDPR_ARTICLES: dict[str, tuple[tuple[str, str], ...]] = {
    "A.5.2": (("35", "Data protection impact assessment"),),
    "A.5.4": (("35", "Data protection impact assessment"),),
    "A.7.2": (("5", "Principles, including purpose limitation"), ("6", "Lawfulness")),
    "A.7.3": (("6", "Lawfulness"), ("14", "Information where data is not obtained from the "
                                         "person")),
    "A.7.4": (("5", "Principles, including accuracy"),),
    "A.7.5": (("30", "Records of processing activities"),),
    "A.7.6": (("25", "Data protection by design and by default"),),
    "A.8.5": (("13", "Information to data subjects"), ("14", "Information where data is not "
                                                             "obtained from the person")),
    "A.10.3": (("28", "Processors"),),
}
# Automated decisions about people with legal or similar effect (GDPR Art. 22).
AUTOMATED_DECISIONS = ("A.5.4", "A.9.4")
CATEGORY_SCOPES = {
    AiActCategory.high_risk: ("any", "high_risk"),
    AiActCategory.limited_risk: ("any", "transparency"),
    AiActCategory.gpai: ("any", "gpai"),
    AiActCategory.minimal_risk: ("any",),
    AiActCategory.prohibited: ("any",),
}


@dataclass(frozen=True)
class Obligation:
    """One obligation as cited in the SoA and the legal register."""

    source: str  # AI_ACT, GDPR, CONTRACT, LAW, COMMITMENT
    ref: str  # "Art. 26", "OB-01"
    title: str
    systems: tuple[str, ...]  # AI system names it concerns (empty: the organisation)
    holder: str = ""  # provider, deployer, controller, or the counterparty
    applies_from: date | None = None
    requirement: str = ""
    owner_key: str | None = None

    @property
    def legal(self) -> bool:
        return self.source in (AI_ACT, GDPR, LAW)

    def cite(self) -> str:
        if self.source in (AI_ACT, GDPR):
            where = f" for {', '.join(self.systems)}" if self.systems else ""
            role = f" as {self.holder}" if self.holder and self.source == AI_ACT else ""
            return f"{self.source} {self.ref} ({self.title}){role}{where}"
        return f"{self.source.lower()} {self.ref} ({self.title})"


def ai_act_holders(system: AiSystem) -> tuple[str, ...]:
    """The organisation's AI Act role(s) for a system: developing for own use makes it a
    provider too."""
    holders = []
    if system.develops or system.provides:
        holders.append("provider")
    if system.uses:
        holders.append("deployer")
    return tuple(holders)


def articles_for_system(article: Article, system: AiSystem) -> tuple[str, ...]:
    """The roles in which the organisation owes `article` for `system` (empty: not owed)."""
    if system.eu_ai_act is None or system.eu_ai_act is AiActCategory.not_in_scope:
        return ()
    if article.systems not in CATEGORY_SCOPES.get(system.eu_ai_act, ("any",)):
        return ()
    if article.annex_iii and system.annex_iii not in article.annex_iii:
        return ()
    return tuple(h for h in ai_act_holders(system) if h in article.holders)


def system_duties(profile: Profile, standards: Standards,
                  system: AiSystem) -> list[tuple[Article, tuple[str, ...]]]:
    """Every AI Act article owed for one system, with the roles, in article order."""
    if not profile.in_eu:
        return []
    owed = []
    for article in standards.ai_act.articles.values():
        holders = articles_for_system(article, system)
        if holders:
            owed.append((article, holders))
    return owed


def _gdpr_name(profile: Profile) -> str | None:
    if profile.in_eu:
        return GDPR
    if "GB" in profile.organisation.jurisdictions:
        return "UK GDPR"
    return None


def control_obligations(control_id: str, profile: Profile, standards: Standards,
                        systems: list[AiSystem]) -> list[Obligation]:
    """The obligations that make a control necessary, for the systems it applies to."""
    found: list[Obligation] = []
    if profile.in_eu:
        found += _ai_act_obligations(standards.ai_act.articles_for(control_id), systems)
    gdpr = _gdpr_name(profile)
    personal = [s.name for s in systems if s.personal_data]
    if gdpr and personal:
        for number, title in GDPR_ARTICLES.get(control_id, ()):
            found.append(Obligation(gdpr, f"Art. {number}", title, tuple(personal), "controller"))
        automated = [s.name for s in systems if s.personal_data and s.groups_of("subjects")
                     and s.autonomy and s.autonomy.value == "automatic"]
        if control_id in AUTOMATED_DECISIONS and automated:
            found.append(Obligation(gdpr, "Art. 22", "Automated individual decisions",
                                    tuple(automated), "controller"))
    ids = {s.id for s in systems}
    for declared in profile.obligations:
        concerned = not declared.systems or ids & set(declared.systems)
        if control_id in declared.controls and concerned:
            source = {"law": LAW, "contract": CONTRACT}.get(declared.source.value, COMMITMENT)
            found.append(Obligation(source, declared.id, declared.title,
                                    tuple(profile.system(i).name for i in declared.systems),
                                    declared.party or "", None, declared.requirement,
                                    declared.owner))
    found += _implied_contracts(control_id, profile, systems)
    return found


def _implied_contracts(control_id: str, profile: Profile,
                       systems: list[AiSystem]) -> list[Obligation]:
    """Supplier and customer terms the profile implies without declaring them."""
    declared = {i for o in profile.obligations if o.source.value == "contract" for i in o.systems}
    if control_id in ("A.10.2", "A.10.3"):
        suppliers = sorted({t.name for s in systems if s.id not in declared
                            for t in s.third_parties})
        if suppliers:
            return [Obligation(CONTRACT, "supplier terms", "terms agreed with "
                               + ", ".join(suppliers), ())]
    if control_id == "A.10.4":
        reached = [s.name for s in systems if s.reaches_customers and s.id not in declared]
        if reached:
            return [Obligation(CONTRACT, "customer terms", "terms with the customers who receive "
                               "output of " + ", ".join(reached), ())]
    return []


def _ai_act_obligations(articles: Iterable[Article], systems: list[AiSystem]) -> list[Obligation]:
    """One obligation per AI Act article and holder (provider, deployer...), naming the
    systems for which that holder carries it."""
    found: list[Obligation] = []
    for article in articles:
        by_holder: dict[str, list[str]] = {}
        for system in systems:
            for holder in articles_for_system(article, system):
                by_holder.setdefault(holder, []).append(system.name)
        for holder, names in by_holder.items():
            found.append(Obligation(AI_ACT, f"Art. {article.article}", article.title,
                                    tuple(names), holder, article.applies_from))
    return found


def legal_register(profile: Profile, standards: Standards) -> list[Obligation]:
    """Every obligation of the organisation, for the legal register: AI Act per article (with
    the systems and dates), GDPR, then the profile's declared obligations."""
    register: list[Obligation] = []
    if profile.in_eu:
        register += _ai_act_obligations(standards.ai_act.articles.values(), profile.ai_systems)
    gdpr = _gdpr_name(profile)
    personal = [s for s in profile.ai_systems if s.personal_data]
    if gdpr and personal:
        seen = set()
        for control_id, articles in GDPR_ARTICLES.items():
            concerned = [s.name for s in personal if applies_to(control_id, s)]
            for number, title in articles:
                if number not in seen and concerned:
                    seen.add(number)
                    register.append(Obligation(gdpr, f"Art. {number}", title,
                                               tuple(s.name for s in personal), "controller"))
        register.sort(key=lambda o: (o.source != AI_ACT, o.source, _article_key(o.ref)))
    for declared in profile.obligations:
        source = {"law": LAW, "contract": CONTRACT}.get(declared.source.value, COMMITMENT)
        register.append(Obligation(source, declared.id, declared.title,
                                   tuple(profile.system(i).name for i in declared.systems),
                                   declared.party or "", None, declared.requirement,
                                   declared.owner))
    return register


def _article_key(ref: str) -> tuple[int, str]:
    digits = "".join(c for c in ref.removeprefix("Art. ").split("(")[0] if c.isdigit())
    return (int(digits) if digits else 0, ref)
