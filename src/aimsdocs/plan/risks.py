"""Seed the AI risk register: typical AI risk sources, per AI system, as rows to assess.

The seed is a starting point for the AI risk owner, not an assessment: likelihood and impact
are first estimates derived from the system's risk level and characteristics, and every row says
so. Risk sources are described in aimsdocs' own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from aimsdocs.profile.model import AiSystem, Profile


@dataclass(frozen=True)
class RiskSource:
    key: str
    name: str
    question: str  # what the assessor should ask about this system
    # "all", "develops", "personal_data", "third_party", "generative", "affects_people"
    applies: str
    treatment: str  # a typical treatment, own words


RISK_SOURCES = (
    RiskSource("bias", "Unfair bias",
               "Could the system's outputs be systematically worse for some groups of people?",
               "affects_people",
               "Test outcomes per group before release and quarterly; adjust data or thresholds."),
    RiskSource("transparency", "Lack of transparency",
               "Can users and affected people tell that AI is involved and understand its limits?",
               "all",
               "Publish intended use, limits and confidence information; label AI output."),
    RiskSource("robustness", "Poor robustness and accuracy drift",
               "Does performance degrade on unusual inputs or as real-world data shifts?",
               "all",
               "Monitor accuracy and input drift; set retraining and rollback triggers."),
    RiskSource("privacy", "Privacy and data protection",
               "Could personal data be used beyond its purpose, exposed or re-identified?",
               "personal_data",
               "Minimise and pseudonymise data; run a DPIA; restrict access and retention."),
    RiskSource("safety", "Harm from wrong output",
               "What happens downstream when the output is wrong and nobody notices?",
               "all",
               "Keep a person in the loop for consequential outputs; define fallbacks."),
    RiskSource("security", "AI-specific security attacks",
               "Could poisoned data, prompt injection, model extraction or evasion subvert it?",
               "all",
               "Threat-model AI attack paths; validate inputs; protect training data and models."),
    RiskSource("misuse", "Use outside the intended purpose",
               "Could staff or customers use the system for decisions it was not built for?",
               "all",
               "State intended and excluded uses; monitor usage; train users."),
    RiskSource("supplier", "Supplier and model dependency",
               "Could a supplier change, withdraw or mishandle the model or data without notice?",
               "third_party",
               "Contract for change notice, data use limits and exit; assess the supplier yearly."),
    RiskSource("hallucination", "Fabricated or misleading content",
               "Could generated text state falsehoods convincingly or leak confidential input?",
               "generative",
               "Ground answers in approved sources; require human review before external use."),
    RiskSource("accountability", "Unclear accountability",
               "Is it clear who answers for decisions that the system informs?",
               "affects_people",
               "Name the decision owner per use; record overrides and escalations."),
)


@dataclass(frozen=True)
class RiskEntry:
    risk_id: str
    system: AiSystem
    source: RiskSource
    likelihood: int
    impact: int
    owner_key: str

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    def decision(self, threshold: int) -> str:
        return "Treat" if self.score > threshold else "Accept (monitor)"


def _applies(source: RiskSource, system: AiSystem) -> bool:
    text = f"{system.kind} {system.name}".lower()
    generative = any(w in text for w in ("llm", "language model", "generative", "gpt", "chat"))
    return {
        "all": True,
        "develops": system.develops,
        "personal_data": system.personal_data,
        "third_party": bool(system.third_parties),
        "generative": generative,
        "affects_people": system.personal_data or system.risk_level.value == "high",
    }[source.applies]


def _estimate(system: AiSystem, source: RiskSource, scale: int) -> tuple[int, int]:
    """First estimate on the profile's scales: higher risk level, higher impact."""
    base_impact = {"low": 2, "medium": 3, "high": 4}[system.risk_level.value]
    impact = min(scale, base_impact + (1 if source.key in ("bias", "privacy", "safety")
                                       and system.risk_level.value == "high" else 0))
    likelihood = {"low": 2, "medium": 3, "high": 3}[system.risk_level.value]
    if source.key in ("robustness", "misuse", "hallucination"):
        likelihood += 1
    return min(scale, likelihood), max(1, impact)


def seed_risks(profile: Profile) -> list[RiskEntry]:
    method = profile.risk_method
    entries = []
    for system in profile.ai_systems:
        number = 0
        for source in RISK_SOURCES:
            if not _applies(source, system):
                continue
            number += 1
            likelihood, impact = _estimate(system, source, min(len(method.likelihood),
                                                                len(method.impact)))
            entries.append(RiskEntry(f"R-{system.id}-{number:02d}", system, source, likelihood,
                                     impact, system.owner))
    return entries
