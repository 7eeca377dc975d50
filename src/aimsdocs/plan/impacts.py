"""Drafted impact assessments: per AI system, the EU AI Act classification with its reason, the
foreseeable impacts on each affected group (only the areas that fit the group), societal
impacts, misuse controls seeded from the oversight arrangement, validation metrics that fit the
kind, and a decision on sharing the results.

Everything here is a draft for the assessors to confirm: each entry says so, and ratings come
from the risk register's first estimates for the same system, so the two stay consistent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from aimsdocs.plan.obligations import system_duties
from aimsdocs.plan.risks import RiskEntry, lower_first, proper_names
from aimsdocs.profile.model import AffectedGroup, AiActCategory, AiSystem, Autonomy, Profile
from aimsdocs.standards import Standards
from aimsdocs.standards.ai_act import Article

DRAFT = "Draft — confirm"
LITERACY_FROM = date(2025, 2, 2)

AREAS = {
    "fairness": "Fairness and non-discrimination",
    "privacy": "Privacy and data protection",
    "safety": "Safety, health and wellbeing",
    "autonomy": "Autonomy and the ability to contest",
    "transparency": "Transparency",
    "access": "Access to work, income or services",
    "work": "Work, skills and accountability",
    "accuracy": "Accuracy of what they receive",
}
# The areas that fit how a group meets the system; a group without a relation gets them all.
AREAS_FOR = {
    "users": ("work", "privacy"),
    "subjects": ("fairness", "privacy", "autonomy", "transparency", "access"),
    "data_subjects": ("privacy", "transparency", "fairness"),
    "recipients": ("safety", "access", "transparency"),
    "organisations": ("fairness", "access"),
    "authorities": ("accuracy",),
}
ALL_AREAS = ("fairness", "privacy", "safety", "autonomy", "transparency", "access")
# (relation, area) pairs asked only when the register holds a risk for them, and pairs that
# always take the general text (a user's privacy concerns the logs kept about their use).
ONLY_WITH_RISK = {("data_subjects", "fairness")}
GENERAL_TEXT = {("users", "privacy")}
# Register risks that inform each area (first match rates it).
RISKS_FOR = {
    "fairness": ("fairness",),
    "privacy": ("privacy", "security", "confidentiality"),
    "safety": ("wrong_output", "drift"),
    "autonomy": ("misuse", "deployer_duties", "transparency"),
    "transparency": ("transparency",),
    "access": ("fairness", "wrong_output"),
    "work": ("overreliance",),
    "accuracy": ("wrong_output",),
}

METRICS = {
    "prediction": ("Mean absolute error per segment (for example per lane or route), and the "
                   "share of estimates within the agreed tolerance",
                   "Bias of the error (systematically early or late) per segment"),
    "classification": ("Precision and recall per class",
                       "Error rates compared between the groups of people affected",
                       "Calibration: scores match observed frequencies"),
    "document_extraction": ("Field-level accuracy per field and document type",
                            "Error rate among fields accepted without review",
                            "Share of fields routed to a person"),
    "generative_assistant": ("Factual accuracy and grounding on a fixed set of real questions, "
                             "checked by a person",
                             "Share of answers that cite an approved source",
                             "Refusal of out-of-scope requests and resistance to injected "
                             "instructions"),
    "ranking_of_people": ("Selection-rate ratio between groups at each stage, with 0.8 as the "
                          "alert level", "Agreement of the ranking with independent "
                          "assessments of suitability on a sample"),
    "anomaly_detection": ("Precision of flags (share that prove genuine)",
                          "Recall on known anomalies found later", "Flag rate against the "
                          "review capacity"),
    "recommender": ("Acceptance rate of recommendations", "Coverage and diversity of what is "
                    "recommended", "Complaints about unsuitable recommendations"),
    "computer_vision": ("Precision and recall per condition (camera, lighting, site)",
                        "Rate of misidentification of people or objects"),
}

MISUSE_BY_KIND = {
    "prediction": "Treating estimates as commitments, for example in contracts or penalties",
    "classification": "Treating a class or score as a final decision about a person",
    "document_extraction": "Passing extracted data on without the required human check",
    "generative_assistant": "Entering special categories of personal data or client secrets, "
                            "or sending drafts unreviewed",
    "ranking_of_people": "Using the rank to reject people without reading their application",
    "anomaly_detection": "Treating a flag as proof of wrongdoing",
    "recommender": "Using recommendations to steer vulnerable people",
    "computer_vision": "Using images to identify or monitor individuals",
}


@dataclass(frozen=True)
class Classification:
    category: str | None  # AiActCategory value, None when not classified
    ground: str  # Annex III point, Article 50 transparency, minimal risk ...
    reason: str
    duties: tuple[tuple[Article, tuple[str, ...]], ...]
    dates: tuple[tuple[date, str], ...]  # when each group of duties applies
    open_question: str = ""  # what the assessors still have to settle
    annex_use: str = ""  # the Annex III use, with its point, when one is recorded


@dataclass(frozen=True)
class DraftImpact:
    area: str
    impact: str
    severity: int | None
    likelihood: int | None
    risk_id: str = ""


@dataclass
class GroupImpacts:
    group: AffectedGroup
    impacts: list[DraftImpact]
    not_asked: list[str] = field(default_factory=list)  # area titles that do not fit the group

    @property
    def worst(self) -> DraftImpact | None:
        rated = [i for i in self.impacts if i.severity]
        return max(rated, key=lambda i: (i.severity or 0) * (i.likelihood or 0), default=None)


@dataclass(frozen=True)
class SocietalImpact:
    area: str
    relevant: bool
    text: str
    severity: int | None = None
    likelihood: int | None = None
    risk: RiskEntry | None = None  # the register risk behind it, for the residual rating

    @property
    def residual(self) -> tuple[int | None, int | None]:
        if self.risk is not None:
            return self.risk.residual_impact, self.risk.residual_likelihood
        return self.severity, self.likelihood


@dataclass
class ImpactAssessment:
    system: AiSystem
    classification: Classification
    groups: list[GroupImpacts]
    societal: list[SocietalImpact]
    misuse: list[tuple[str, str]]  # (use, control)
    other_misuse: str
    metrics: tuple[str, ...]
    sharing: str
    mitigations: list[RiskEntry]  # register risks to treat for this system


# Classification --------------------------------------------------------------------------------

def classify(system: AiSystem, profile: Profile, standards: Standards) -> Classification:
    if not profile.in_eu:
        return Classification(None, "outside the EU", "The organisation does not operate in the "
                              "EU, so the EU AI Act is not applied; other AI law is recorded "
                              "in the legal register.", (), ())
    duties = tuple(system_duties(profile, standards, system))
    dates = _dates(duties)
    category = system.eu_ai_act
    point = standards.ai_act.annex_iii.get(system.annex_iii or "")
    name = profile.organisation.short_name
    if category is AiActCategory.high_risk:
        if point is None:
            return Classification(category.value, "high-risk (ground not recorded)",
                                  f"{system.name} is recorded as high-risk, but the Annex III "
                                  "point or regulated product that makes it so is not recorded.",
                                  duties, dates, "the Annex III point (annex_iii in the profile) "
                                  "or the product legislation of Annex I that makes it high-risk")
        reason = (f"Its intended use falls under {point.cite()} ({point.area}: {point.use}), "
                  "which makes it a high-risk AI system under Article 6(2).")
        if system.groups_of("subjects"):
            reason += (" The exception of Article 6(3) is not available, because the system "
                       "assesses or ranks people, which is profiling.")
        return Classification(category.value, f"high-risk, {point.cite()}", reason, duties,
                              dates, annex_use=f"{point.use} ({point.cite()})")
    if category is AiActCategory.limited_risk:
        return Classification(category.value, "transparency obligations (Article 50)",
                              _transparency_reason(system, name), duties, dates)
    if category in (AiActCategory.minimal_risk, AiActCategory.not_in_scope):
        if point is not None:
            reason = (f"Its use falls under {point.cite()} ({point.use}), but it is recorded "
                      "as not high-risk under the exception of Article 6(3). That assessment "
                      "must be documented before use, and the system registered.")
            return Classification(category.value, f"{point.cite()}, exception claimed", reason,
                                  duties, dates, "the documented Article 6(3) assessment")
        use = lower_first((system.intended_use or system.purpose).rstrip("."))
        reason = (f"Its intended use ({use}) is none of the uses listed in Annex III, it is not "
                  "a safety component of a product under Annex I")
        if system.kind.value != "generative_assistant":
            reason += ", and it neither converses with people nor generates content for them"
        reason += (". So only the prohibitions and the AI literacy duty (Articles 5 and 4, in "
                   "force since 2 February 2025) apply.")
        question = ""
        if system.groups_of("subjects") or system.kind.value == "ranking_of_people":
            question = ("whether assessing or ranking people here falls under an Annex III "
                        "point (employment, education, credit, insurance, public services)")
        return Classification(category.value, "minimal risk", reason, duties, dates, question)
    if category is AiActCategory.prohibited:
        return Classification(category.value, "prohibited practice (Article 5)",
                              "It is recorded as a practice Article 5 prohibits; it must not be "
                              "developed, provided or used.", duties, dates)
    if category is AiActCategory.gpai:
        return Classification(category.value, "general-purpose AI model (Article 53)",
                              "It is recorded as a general-purpose AI model; the model duties "
                              "rest with its provider.", duties, dates)
    return Classification(None, "not classified", f"{system.name} has not been classified "
                          "under the EU AI Act yet.", duties, dates,
                          "the category and its reason, confirmed by the person responsible "
                          "for legal matters")


def _transparency_reason(system: AiSystem, name: str) -> str:
    if system.develops or system.provides:
        return (f"It converses with people or generates content, so {name} as provider makes "
                "it clear to people that they deal with AI and marks generated content in a "
                "machine-readable way (Article 50(1) and (2)).")
    supplier = ", ".join(t.name for t in system.third_parties) or "its provider"
    return (f"It generates content for its users. The duties to tell people they deal with AI "
            f"and to mark output rest with {supplier} as provider. As deployer, {name} must "
            "disclose deep fakes it publishes — always, with a lighter disclosure for evidently "
            "artistic, satirical or fictional work — and must disclose AI-generated text "
            "published to inform the public on matters of public interest, unless a person has "
            "reviewed it and holds editorial responsibility (Article 50(4)). The editorial "
            "exception covers that text only, never deep fakes.")


def _dates(duties) -> tuple[tuple[date, str], ...]:
    by_date: dict[date, list[str]] = {}
    for article, _holders in duties:
        by_date.setdefault(article.applies_from, []).append(f"Art. {article.article}")
    return tuple((when, ", ".join(arts)) for when, arts in sorted(by_date.items()))


# Impacts on groups ------------------------------------------------------------------------------

def _related(area: str, group: AffectedGroup, risks: list[RiskEntry],
             used: set[str]) -> RiskEntry | None:
    """The register risk that describes this impact on this group, each used once per group."""
    for key in RISKS_FOR[area]:
        for risk in risks:
            if risk.key == key and group.name in risk.affected and risk.risk_id not in used:
                return risk
    return None


def _default_text(area: str, group: AffectedGroup, system: AiSystem, name: str) -> str:
    who = lower_first(group.name)
    oversight = lower_first(system.human_oversight.rstrip("."))
    texts = {
        "work": (f"The system changes how {who} work; they remain accountable for what they do "
                 f"with its output ({oversight})."),
        "privacy": (f"Use of {system.name} is logged under their names; those logs are personal "
                    f"data about {who} and are used only to run and investigate the system, not "
                    "to monitor their performance." if group.relation and
                    group.relation.value == "users" else
                    f"Data about {who} is processed by the system; it is used only for the "
                    "intended purpose and kept no longer than needed."),
        "safety": (f"A wrong output that nobody catches could cost {who} time or money, or "
                   "lead to a poor decision."),
        "autonomy": (f"{group.name} can question or contest an outcome only if they know AI is "
                     f"involved and whom to ask; the oversight arrangement keeps a person "
                     f"responsible ({oversight})."),
        "transparency": (f"{group.name} may not know that AI is involved or what it does."),
        "access": (f"A wrong or unequal outcome could cost {who} an opportunity, income or "
                   "a service."),
        "fairness": (f"Outcomes could differ between groups of {who} in ways that have nothing "
                     "to do with the purpose of the system."),
        "accuracy": (f"Errors in what reaches {who} cost them checks and corrections, and "
                     f"questions to {name}."),
    }
    return texts[area]


def _group_impacts(system: AiSystem, risks: list[RiskEntry], profile: Profile,
                   threshold_levels: int) -> list[GroupImpacts]:
    name = profile.organisation.short_name
    found = []
    for group in system.groups:
        relation = group.relation.value if group.relation else None
        areas = AREAS_FOR[relation] if relation else ALL_AREAS
        impacts = []
        used: set[str] = set()
        for area in areas:
            if area == "privacy" and not system.personal_data and relation != "users":
                continue
            risk = None if (relation, area) in GENERAL_TEXT else _related(area, group, risks,
                                                                            used)
            if risk is None and (relation, area) in ONLY_WITH_RISK:
                continue
            if risk:
                used.add(risk.risk_id)
                impacts.append(DraftImpact(
                    AREAS[area], f"{risk.event}: "
                    f"{lower_first(risk.consequence, proper_names(profile))}.",
                    risk.impact, risk.likelihood, risk.risk_id))
            else:
                impacts.append(DraftImpact(AREAS[area], _default_text(area, group, system, name),
                                           2, 2))
        not_asked = [AREAS[a] for a in ALL_AREAS if a not in areas] if relation else []
        if not system.personal_data and relation and relation != "users" \
                and "privacy" in areas:
            not_asked.append(AREAS["privacy"] + " (no personal data recorded)")
        found.append(GroupImpacts(group, impacts, not_asked))
    return found


# Societal impacts -------------------------------------------------------------------------------

def _societal(system: AiSystem, risks: list[RiskEntry], profile: Profile) -> list[SocietalImpact]:
    name = profile.organisation.short_name
    energy = next((r for r in risks if r.key == "energy"), None)
    supplier = ", ".join(t.name for t in system.third_parties) or "the provider"
    kind = system.kind.value
    rows = []
    if system.develops:
        rows.append(SocietalImpact(
            "Environment", True, f"Training and serving use cloud compute ({system.deployment}); "
            "energy use grows with retraining frequency and model size"
            + (f" ({energy.risk_id})." if energy else "."),
            energy.impact if energy else 2, energy.likelihood if energy else 3, energy))
    else:
        rows.append(SocietalImpact(
            "Environment", True, f"Runs on {supplier}'s infrastructure; {name}'s share of its "
            "energy use is small but unmeasured, so the provider's figures are requested.", 1, 3))
    employment = {
        "generative_assistant": "Drafting and summarising tasks shift from people to the "
                                "assistant; skills in writing and checking must be kept.",
        "ranking_of_people": "It shapes who gets a job interview, and so access to work.",
        "anomaly_detection": "Flags can delay payments to partners and affect their cash flow.",
    }.get(kind)
    rows.append(SocietalImpact("Employment and the economy", employment is not None,
                               employment or f"{system.name} supports existing work; no jobs "
                               "or partners' income are expected to depend on it.",
                               2 if employment else None, 2 if employment else None))
    authorities = system.groups_of("authorities")
    rows.append(SocietalImpact(
        "Public authorities and services", bool(authorities),
        f"Its output reaches {lower_first(authorities[0].name)}; errors burden their checks."
        if authorities else "No output reaches public authorities (none is among the affected "
        "groups).", 3 if authorities else None, 2 if authorities else None))
    trust = kind == "generative_assistant" or system.provides
    rows.append(SocietalImpact(
        "Information and trust", trust,
        "Fluent but wrong content can spread and erode trust in information people rely on."
        if kind == "generative_assistant" else
        f"Customers rely on {system.name}'s output; undisclosed limits would erode trust in it."
        if system.provides else "Its output is used internally and does not inform the public.",
        2 if trust else None, 2 if trust else None))
    physical = kind == "computer_vision" or system.autonomy is Autonomy.automatic
    rows.append(SocietalImpact(
        "Health and safety", physical,
        "Its output can steer physical decisions; errors could lead to harm." if physical else
        "Its output informs a person's decision and does not control vehicles, equipment or "
        "working conditions.", 4 if physical else None, 2 if physical else None))
    unequal = next((r for r in risks if r.key == "fairness" and system.groups_of("subjects")),
                   None)
    rows.append(SocietalImpact(
        "Rights and equal treatment in society", unequal is not None,
        f"Used at scale, an unequal ranking would repeat the same exclusion for many people "
        f"({unequal.risk_id})." if unequal else "It makes no decisions about people, so it "
        "cannot reinforce exclusion at scale.",
        unequal.impact if unequal else None, unequal.likelihood if unequal else None, unequal))
    return rows


# Misuse, metrics, sharing ----------------------------------------------------------------------

def _misuse(system: AiSystem) -> list[tuple[str, str]]:
    oversight = system.human_oversight.rstrip(".")
    checks = ("Usage and the decisions taken with the output are sampled at each review for "
              "signs of this use" if system.autonomy is not Autonomy.automatic else
              "Outputs are logged and reviewed for signs of this use")
    return [(use.rstrip("."), f"{oversight}. {checks}; users are briefed on it when they get "
             "access.") for use in system.out_of_scope_uses]


def _sharing(system: AiSystem, profile: Profile) -> str:
    name = profile.organisation.short_name
    parts = []
    if system.provides:
        parts.append("a summary of the results and the known limits goes to customers in the "
                     "model card and instructions for use; the full record is available to "
                     "them under confidentiality on request")
    if system.eu_ai_act is AiActCategory.high_risk and system.uses and not system.provides:
        supplier = ", ".join(t.name for t in system.third_parties) or "the provider"
        parts.append(f"findings about the system's behaviour are shared with {supplier}, and a "
                     "summary with workers' representatives before use")
    if system.groups_of("subjects"):
        parts.append(f"{lower_first(system.groups_of('subjects')[0].name)} get a plain summary "
                     "of how the system is used, and an explanation of their own result on "
                     "request")
    if not parts:
        parts.append(f"the record stays internal to {name}")
    return ("Proposed: " + "; ".join(parts) + "; the record is open to auditors and, on "
            "request, to the competent authorities.")


def assess(system: AiSystem, profile: Profile, standards: Standards,
           risks: list[RiskEntry]) -> ImpactAssessment:
    threshold = profile.risk_method.acceptance_threshold
    levels = min(len(profile.risk_method.likelihood), len(profile.risk_method.impact))
    return ImpactAssessment(
        system=system,
        classification=classify(system, profile, standards),
        groups=_group_impacts(system, risks, profile, levels),
        societal=_societal(system, risks, profile),
        misuse=_misuse(system),
        other_misuse=MISUSE_BY_KIND.get(system.kind.value, ""),
        metrics=METRICS.get(system.kind.value, ()),
        sharing=_sharing(system, profile),
        mitigations=[r for r in risks if r.treated(threshold)],
    )
