"""The AI risk register: risks per AI system from the risk library, plus AIMS-level risks and
opportunities (6.1.1), each rated from the facts that drive it.

Ratings are first estimates that say how they were reached. Likelihood starts from the
pattern's base and moves with the system's autonomy (a person checking each output catches
errors), its scale, and the controls already in place (declared in the profile, or implemented
according to the ISMS SoA). Impact moves with whom the system affects (decisions about people
weigh more), its scale and pattern-specific stakes. The risk level in the inventory is not an
input: it is a summary, not a cause. Treatments follow the organisation's role: a developer can
retrain and test, a deployer configures, contracts and oversees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from aimsdocs.plan.applicability import applies_to
from aimsdocs.plan.risk_library import (
    AIMS_PATTERNS,
    DRIFT_EXAMPLES,
    SYSTEM_PATTERNS,
    RiskPattern,
)
from aimsdocs.profile.model import AiActCategory, AiSystem, Autonomy, Level, Profile
from aimsdocs.support.cache import per_object
from aimsdocs.support.dates import add_months

RISK, OPPORTUNITY = "Risk", "Opportunity"
ACCEPT, TREAT, ESCALATE, PURSUE = ("Accept", "Treat", "Treat; residual to top management",
                                   "Pursue")
IMPLEMENTED = "Implemented"


@dataclass(frozen=True)
class RiskEntry:
    """One row of the AI risk register."""

    risk_id: str
    kind: str  # RISK or OPPORTUNITY
    key: str  # the library pattern
    system: AiSystem | None  # None for AIMS-level entries
    title: str
    cause: str
    event: str
    consequence: str
    affected: tuple[str, ...]
    existing_controls: tuple[str, ...]
    likelihood: int
    impact: int
    treatment: str
    controls: tuple[str, ...]  # Annex A controls the treatment relies on (applicable ones)
    residual_likelihood: int
    residual_impact: int
    owner_key: str
    review_date: date
    impact_assessment: str  # doc id of the system's impact assessment record, or ""
    basis: str  # how the rating was reached
    due: date | None = None  # proposed completion date of the treatment (treated risks only)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    @property
    def scope(self) -> str:
        return f"{self.system.id} {self.system.name}" if self.system else "AIMS"

    @property
    def is_opportunity(self) -> bool:
        return self.kind == OPPORTUNITY

    def decision(self, threshold: int) -> str:
        if self.is_opportunity:
            return PURSUE
        if self.score <= threshold:
            return ACCEPT
        return TREAT if self.residual_score <= threshold else ESCALATE

    def treated(self, threshold: int) -> bool:
        return not self.is_opportunity and self.score > threshold


@dataclass
class RiskFacts:
    """What the ratings may draw on besides the profile: controls already in place."""

    isms_status: dict[str, str] = field(default_factory=dict)  # 27001 id -> status in ISMS SoA
    isms_soa_name: str = "the ISMS SoA"
    applicable: frozenset[str] | None = None  # applicable Annex A controls (None: all)
    impact_records: dict[str, str] = field(default_factory=dict)  # system id -> record doc id


# Ratings ---------------------------------------------------------------------------------------

def _rescale(value: int, levels: int) -> int:
    """A 1-5 rating on a scale of `levels` points."""
    value = max(1, min(5, value))
    return value if levels == 5 else max(1, min(levels, round(1 + (value - 1) * (levels - 1) / 4)))


def _rate(pattern: RiskPattern, system: AiSystem, profile: Profile,
          existing: list[str]) -> tuple[int, int, str]:
    likelihood, impact = pattern.likelihood, pattern.impact
    l_notes = [f"base {likelihood}"]
    i_notes = [f"base {impact}"]
    if pattern.checked_by_people:
        if system.autonomy in (Autonomy.advisory, Autonomy.human_approval):
            likelihood -= 1
            l_notes.append("−1 a person checks each output")
        elif system.autonomy is Autonomy.automatic:
            likelihood += 1
            l_notes.append("+1 output takes effect unchecked")
    if system.scale is Level.high and pattern.checked_by_people:
        likelihood += 1
        l_notes.append("+1 high volume")
    if existing:
        likelihood -= 1
        l_notes.append("−1 controls in place")
    if pattern.harms_people and system.groups_of("subjects"):
        impact += 1
        i_notes.append("+1 decisions about people")
    if system.scale is Level.high and pattern.harms_people:
        impact += 1
        i_notes.append("+1 many people affected")
    elif system.scale is Level.low:
        impact -= 1
        i_notes.append("−1 low scale")
    bonus = pattern.impact_bonus(system)
    if bonus:
        impact += bonus
        i_notes.append(f"+{bonus} stakes for this kind of output")
    levels = min(len(profile.risk_method.likelihood), len(profile.risk_method.impact))
    basis = (f"Likelihood: {'; '.join(l_notes)}. Impact: {'; '.join(i_notes)}. First estimate "
             "from the system's facts; confirm or change it.")
    return _rescale(likelihood, levels), _rescale(impact, levels), basis


def _residual(pattern: RiskPattern, system: AiSystem | None, likelihood: int, impact: int,
              threshold: int) -> tuple[int, int]:
    """Expected rating once the treatment works; accepted risks keep their rating."""
    if likelihood * impact <= threshold:
        return likelihood, impact
    # A developer acts on the cause itself; a deployer mostly through others.
    step = 2 if system is None or system.develops else 1
    if pattern.reduces == "impact":
        return likelihood, max(1, impact - 1)
    if pattern.reduces == "both":
        return max(1, likelihood - step + 1), max(1, impact - 1)
    return max(1, likelihood - step), impact


# Text ------------------------------------------------------------------------------------------

def lower_first(text: str, names: Iterable[str] = ()) -> str:
    """`text` to continue a sentence: first letter in lower case, unless it starts with an
    acronym or one of `names` (the organisation, its systems and suppliers)."""
    if len(text) > 1 and text[1].isupper():
        return text
    if isinstance(names, ProperNames):
        if names.starts(text):
            return text
    elif any(text.startswith(n) for n in names if n):
        return text
    return text[:1].lower() + text[1:]


class ProperNames(tuple):
    """Names that keep their capital inside a sentence, longest first. `starts` looks up each
    length of name the text could start with, so its cost does not grow with the number of
    AI systems (a thousand systems give a thousand names)."""

    def __new__(cls, names: Iterable[str]):
        return super().__new__(cls, sorted({n for n in names if n}, key=len, reverse=True))

    def __init__(self, names: Iterable[str]):
        self._set = frozenset(self)
        self._lengths = sorted({len(n) for n in self}, reverse=True)

    def starts(self, text: str) -> bool:
        return any(text[:length] in self._set for length in self._lengths
                   if length <= len(text))


@per_object
def proper_names(profile: Profile) -> ProperNames:
    """Names that keep their capital inside a sentence; worked out once per profile (which
    is frozen), since every risk and every document asks."""
    names = {profile.organisation.short_name, profile.organisation.legal_name}
    for system in profile.ai_systems:
        names.add(system.name)
        names.update(t.name for t in system.third_parties)
    return ProperNames(names)


def join_words(items: Iterable[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _words(system: AiSystem, profile: Profile) -> dict[str, str]:
    def names(*relations: str, fallback: str) -> str:
        return join_words(lower_first(g.name) for g in system.groups_of(*relations)) or fallback

    org = profile.organisation.short_name
    oversight = lower_first(system.human_oversight.rstrip("."))
    misuse = [lower_first(u.rstrip(".")) for u in system.out_of_scope_uses]
    high_risk_use = (profile.in_eu and system.eu_ai_act is not AiActCategory.high_risk
                     and system.eu_ai_act is not None)
    return {
        "system": system.name,
        "org": org,
        "users": names("users", fallback="the people who use it"),
        "subjects": names("subjects", fallback="the people it assesses"),
        "data_subjects": names("data_subjects", "subjects",
                               fallback="the people named in its data"),
        "recipients": names("recipients", fallback=names("organisations", fallback=(
            "the customers who receive work built on it" if system.reaches_customers
            else "the colleagues who rely on it"))),
        "organisations": names("organisations", fallback="business partners"),
        "authorities": names("authorities", fallback="public authorities"),
        "people": names("subjects", "data_subjects", "recipients",
                        fallback="the people concerned"),
        "supplier": join_words(t.name for t in system.third_parties) or "the supplier",
        "sources": join_words(lower_first(d) for d in system.data_sources[:2]),
        "misuse": (misuse[0] + (" or another excluded use" if len(misuse) > 1 else "")
                   if misuse else "a purpose it was not built for"),
        "oversight": oversight,
        "drift_examples": DRIFT_EXAMPLES[system.kind.value],
        "pseudonymised": " (pseudonymised, but still personal data)"
        if system.pseudonymised else "",
        "reidentified": ", or linked back to individuals by combining it with other data"
        if system.pseudonymised else "",
        "ai_act_shift": " — and such a use could make it a high-risk use under the EU AI Act"
        if high_risk_use else "",
        "art26": "; as deployer of a high-risk system, also Article 26 of the EU AI Act"
        if profile.in_eu and system.eu_ai_act is AiActCategory.high_risk and system.uses
        else "",
    }


def _fill(text: str, words: dict[str, str]) -> str:
    filled = text.format_map(words)
    return filled[:1].upper() + filled[1:]


def _affected(pattern: RiskPattern, system: AiSystem, profile: Profile) -> tuple[str, ...]:
    names = []
    for relation in pattern.parties:
        if relation == "organisation":
            names.append(profile.organisation.short_name)
        else:
            names += [g.name for g in system.groups_of(relation) if g.name not in names]
    unknown = [g.name for g in system.groups if g.relation is None]
    if unknown:  # a group without a relation may be affected by anything
        names = unknown + names
    elif len(names) == names.count(profile.organisation.short_name):
        # No group of the system meets the pattern: name whom it would harm, in general terms.
        words = _words(system, profile)
        names = [words[r] for r in pattern.parties if r in words][:1] + names
    return tuple(dict.fromkeys(names))


# Existing controls -----------------------------------------------------------------------------

def _existing(pattern: RiskPattern, system: AiSystem, profile: Profile,
              facts: RiskFacts) -> list[str]:
    """Controls already in place that lower the likelihood, each with where it is declared."""
    found = []
    for control in pattern.controls:
        override = profile.controls.get(control)
        if override and override.status == IMPLEMENTED and applies_to(control, system):
            found.append(f"{control} implemented (declared in the profile)")
    implemented = [c for c in pattern.isms_controls if facts.isms_status.get(c) == IMPLEMENTED]
    if implemented:
        found.append(f"ISO/IEC 27001 {', '.join(implemented)} implemented "
                     f"({facts.isms_soa_name})")
    if pattern.key in ("supplier_change", "privacy", "confidentiality"):
        for obligation in profile.obligations:
            if obligation.source.value == "contract" and system.id in obligation.systems:
                found.append(f"Contract {obligation.id}: {obligation.title}")
    return found


# Seeding ---------------------------------------------------------------------------------------

def _fits(pattern: RiskPattern, system: AiSystem) -> bool:
    if pattern.kinds is not None and system.kind.value not in pattern.kinds:
        return False
    if not pattern.when(system):
        return False
    return bool(pattern.developer_treatment if system.develops else
                pattern.deployer_treatment or pattern.developer_treatment)


def _system_risks(system: AiSystem, profile: Profile, facts: RiskFacts,
                  review: date) -> list[RiskEntry]:
    threshold = profile.risk_method.acceptance_threshold
    words = _words(system, profile)
    entries: list[RiskEntry] = []
    seen: set[tuple[str, str]] = set()
    for pattern in SYSTEM_PATTERNS:
        if not _fits(pattern, system) or (pattern.key, pattern.title) in seen:
            continue
        if pattern.key in {e.key for e in entries} and pattern.key in ("wrong_output",
                                                                          "transparency"):
            continue  # one core-failure and one transparency risk per system
        seen.add((pattern.key, pattern.title))
        existing = _existing(pattern, system, profile, facts)
        likelihood, impact, basis = _rate(pattern, system, profile, existing)
        residual = _residual(pattern, system, likelihood, impact, threshold)
        treatment = (pattern.developer_treatment if system.develops and
                     pattern.developer_treatment else
                     pattern.deployer_treatment or pattern.developer_treatment)
        controls = tuple(c for c in pattern.controls if applies_to(c, system)
                         and (facts.applicable is None or c in facts.applicable))
        shown = [f"Human oversight: {system.human_oversight}"] if pattern.checked_by_people \
            or pattern.key == "overreliance" else []
        entries.append(RiskEntry(
            risk_id=f"R-{system.id}-{len(entries) + 1:02d}", kind=RISK, key=pattern.key,
            system=system, title=pattern.title, cause=_fill(pattern.cause, words),
            event=_fill(pattern.event, words), consequence=_fill(pattern.consequence, words),
            affected=_affected(pattern, system, profile),
            existing_controls=tuple(shown + existing),
            likelihood=likelihood, impact=impact, treatment=_fill(treatment, words),
            controls=controls, residual_likelihood=residual[0], residual_impact=residual[1],
            owner_key=system.owner, review_date=review,
            impact_assessment=facts.impact_records.get(system.id, ""), basis=basis))
    return entries


def _aims_words(profile: Profile) -> dict[str, str]:
    generative = [s.name for s in profile.ai_systems if s.kind.value == "generative_assistant"]
    developed = [s.name for s in profile.ai_systems if s.develops]
    return {
        "org": profile.organisation.short_name,
        "small_note": ", and in a small team several roles fall to the same people"
        if profile.small else "",
        "generative": join_words(generative) or "Generative AI",
        "developed": join_words(developed) or "its AI systems",
        "climate_means": "smaller models, fewer retraining runs, efficient regions" if developed
        else "the smallest service that does the job, and providers that report their energy use",
    }


def _owner(profile: Profile, role: str) -> str:
    return getattr(profile.roles, role, None) or profile.roles.aims_owner


def _aims_entries(profile: Profile, facts: RiskFacts, runs_isms: bool,
                  review: date) -> list[RiskEntry]:
    threshold = profile.risk_method.acceptance_threshold
    levels = min(len(profile.risk_method.likelihood), len(profile.risk_method.impact))
    words = _aims_words(profile)
    entries: list[RiskEntry] = []
    counters = {RISK: 0, OPPORTUNITY: 0}
    for pattern in AIMS_PATTERNS:
        if not pattern.when(profile, runs_isms):
            continue
        kind = OPPORTUNITY if pattern.opportunity else RISK
        counters[kind] += 1
        likelihood = _rescale(pattern.likelihood, levels)
        impact = _rescale(pattern.impact + (1 if pattern.key == "regulation" and any(
            s.eu_ai_act is AiActCategory.high_risk for s in profile.ai_systems) else 0), levels)
        if kind == RISK and likelihood * impact > threshold:
            residual = (max(1, likelihood - 1), impact)
        else:
            residual = (likelihood, impact)
        controls = tuple(c for c in pattern.controls
                         if facts.applicable is None or c in facts.applicable)
        prefix = "O" if pattern.opportunity else "R"
        entries.append(RiskEntry(
            risk_id=f"{prefix}-AIMS-{counters[kind]:02d}", kind=kind, key=pattern.key,
            system=None, title=pattern.title, cause=_fill(pattern.cause, words),
            event=_fill(pattern.event, words), consequence=_fill(pattern.consequence, words),
            affected=tuple(p.strip() for p in _fill(pattern.parties, words).split(";")),
            existing_controls=(), likelihood=likelihood, impact=impact,
            treatment=_fill(pattern.action, words), controls=controls,
            residual_likelihood=residual[0], residual_impact=residual[1],
            owner_key=_owner(profile, pattern.owner_role), review_date=review,
            impact_assessment="",
            basis=("Benefit rated on the impact scale. " if pattern.opportunity else "")
            + "First estimate for the AIMS as a whole; confirm or change it."))
    return entries


def seed_risks(profile: Profile, facts: RiskFacts | None = None,
               runs_isms: bool | None = None) -> list[RiskEntry]:
    """Every register row: per-system risks in inventory order, then AIMS-level entries."""
    facts = facts or RiskFacts()
    if runs_isms is None:
        runs_isms = profile.management_systems.iso27001.certified
    review = add_months(profile.document_control.effective_date,
                        profile.risk_method.review_interval_months)
    entries: list[RiskEntry] = []
    for system in profile.ai_systems:
        entries += _system_risks(system, profile, facts, review)
    entries += _aims_entries(profile, facts, runs_isms, review)
    return [_with_due(e, profile) for e in entries]


def _with_due(entry: RiskEntry, profile: Profile) -> RiskEntry:
    """A proposed due date by priority: the worst risks within three months, others in six."""
    threshold = profile.risk_method.acceptance_threshold
    if not entry.treated(threshold):
        return entry
    urgent = entry.residual_score > threshold or entry.score >= 2 * threshold - 1
    return replace(entry, due=add_months(profile.document_control.effective_date,
                                         3 if urgent else 6))


# Reading the ISMS SoA ---------------------------------------------------------------------------

_STATUS_WORDS = (
    (re.compile(r"partial|in progress|ongoing|teilweise", re.I), "Partially implemented"),
    (re.compile(r"not started|not implemented|open|nicht", re.I), "Not started"),
    (re.compile(r"planned|geplant", re.I), "Planned"),
    (re.compile(r"implemented|in place|done|complete|operational|umgesetzt|yes", re.I),
     IMPLEMENTED),
)


def normalise_status(text: str) -> str | None:
    """An ISMS SoA status cell as one of the SoA statuses, or None when it says nothing clear."""
    for pattern, status in _STATUS_WORDS:
        if pattern.search(text or ""):
            return status
    return None


def isms_statuses(isms) -> dict[str, str]:
    """ISO/IEC 27001 control id -> normalised status, for applicable rows of the ISMS SoA."""
    if isms is None or not getattr(isms, "soa", None):
        return {}
    found = {}
    for control_id, entry in isms.soa.items():
        status = normalise_status(entry.status)
        if entry.applicable is not False and status:
            found[control_id] = status
    return found
