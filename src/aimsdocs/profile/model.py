"""Typed profile model. Unknown keys are errors, so a typo never silently disappears."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _clean_text(value: str) -> str:
    bad = _ILLEGAL.search(value)
    if bad:
        raise ValueError(
            f"contains a control character (U+{ord(bad.group()):04X}) that documents cannot "
            "hold; remove it")
    return value.strip()


# Short text: names, titles, labels. Text: sentences and paragraphs.
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_clean_text)]
Text = Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_clean_text)]
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
SystemId = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class AiRole(str, Enum):
    """Roles of ISO/IEC 22989 (5.17); the organisation may hold several."""

    provider = "provider"  # makes an AI product or service available
    producer = "producer"  # designs, develops, trains (the "developer")
    customer = "customer"  # uses an AI product or service (the "user"; EU AI Act "deployer")
    partner = "partner"  # integrator, data supplier, evaluator, auditor
    subject = "subject"  # its data or people are processed by others' AI


class Stage(str, Enum):
    """AI system life-cycle stages (ISO/IEC 22989 Figure 3, condensed)."""

    inception = "inception"
    design_development = "design_development"
    verification_validation = "verification_validation"
    deployment = "deployment"
    operation = "operation"
    retirement = "retirement"


class Level(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"


class AiActCategory(str, Enum):
    """EU AI Act risk tiers, as the organisation has classified the system."""

    prohibited = "prohibited"
    high_risk = "high_risk"
    limited_risk = "limited_risk"  # transparency obligations (Art. 50)
    minimal_risk = "minimal_risk"
    gpai = "gpai"  # general-purpose AI model
    not_in_scope = "not_in_scope"


class Person(Strict):
    key: Key
    name: Name
    title: Name
    email: Name | None = None


class Site(Strict):
    name: Name
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    city: Name | None = None
    activities: Text | None = None


class Organisation(Strict):
    legal_name: Name
    short_name: Name
    sector: Name
    description: Text | None = None
    jurisdictions: list[Annotated[str, Field(pattern=r"^([A-Z]{2}|EU)$")]] = Field(min_length=1)
    size: Name
    sites: list[Site] = Field(min_length=1)


class Exclusion(Strict):
    item: Name
    reason: Text


class Scope(Strict):
    statement: Text
    boundaries: list[Text] = []
    exclusions: list[Exclusion] = []


class Roles(Strict):
    """Who holds the roles the documents name. Values are person keys from `people`."""

    top_management: Key
    aims_owner: Key
    ai_risk_owner: Key
    data_protection_officer: Key | None = None
    information_security_manager: Key | None = None
    quality_manager: Key | None = None
    internal_audit_lead: Key | None = None
    hr_lead: Key | None = None
    legal_counsel: Key | None = None
    ai_ethics_contact: Key | None = None


class InterestedParty(Strict):
    name: Name
    kind: Annotated[str, Field(pattern=r"^(internal|external)$")] = "external"
    needs: list[Text] = Field(min_length=1)
    how_addressed: Text | None = None


class Objective(Strict):
    id: SystemId
    objective: Text
    measure: Text
    target: Name
    owner: Key
    due: date
    relates_to: list[SystemId] = []  # AI system ids


class RiskMethod(Strict):
    likelihood: list[Name] = Field(min_length=3, max_length=7)
    impact: list[Name] = Field(min_length=3, max_length=7)
    acceptance_threshold: int = Field(ge=1, le=49)
    review_frequency: Name = "at least annually and on significant change"


class ThirdParty(Strict):
    name: Name
    provides: Text


class AiSystem(Strict):
    id: SystemId
    name: Name
    purpose: Text
    description: Text | None = None
    roles: list[AiRole] = Field(min_length=1)  # the organisation's role(s) for this system
    kind: Name  # e.g. LLM, classifier, recommender, regression model
    stage: Stage
    risk_level: Level
    owner: Key
    data_sources: list[Text] = Field(min_length=1)
    personal_data: bool = False
    affected_groups: list[Text] = Field(min_length=1)
    human_oversight: Text
    third_parties: list[ThirdParty] = []
    deployment: Text
    eu_ai_act: AiActCategory | None = None
    intended_use: Text | None = None
    out_of_scope_uses: list[Text] = []

    @property
    def develops(self) -> bool:
        return AiRole.producer in self.roles

    @property
    def provides(self) -> bool:
        return AiRole.provider in self.roles

    @property
    def uses(self) -> bool:
        return AiRole.customer in self.roles


class DocumentControlDefaults(Strict):
    id_prefix: Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{0,19}$")] = "AIMS"
    owner: Key
    approver: Key
    classification: Name = "Internal"
    review_period_months: int = Field(default=12, ge=1, le=60)
    effective_date: date
    status: Name = "Draft"
    # BCP 47 language of the documents (Word's proofing language, HTML lang): en-GB, de-DE
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en-GB"


class Certification(Strict):
    certified: bool = False
    since: int | None = Field(default=None, ge=1990, le=2100)
    certification_body: Name | None = None
    scope_note: Text | None = None


class ManagementSystems(Strict):
    iso27001: Certification = Certification()
    iso9001: Certification = Certification()


class ControlOverride(Strict):
    """A profile decision on one ISO/IEC 42001 Annex A control in the SoA."""

    applicable: bool | None = None
    justification: Text | None = None
    status: Annotated[
        str, Field(pattern=r"^(Not started|Planned|Partially implemented|Implemented)$")
    ] | None = None
    implementation: Text | None = None
    owner: Key | None = None

    @model_validator(mode="after")
    def _exclusion_needs_reason(self):
        if self.applicable is False and not self.justification:
            raise ValueError("an excluded control needs a 'justification' saying why")
        return self


class Profile(Strict):
    """Everything aimsdocs needs to write an organisation's AIMS pack."""

    organisation: Organisation
    scope: Scope
    ai_roles: list[AiRole] = []  # if empty, the union of the AI systems' roles
    people: list[Person] = Field(min_length=1)
    roles: Roles
    interested_parties: list[InterestedParty] = Field(min_length=1)
    objectives: list[Objective] = Field(min_length=1)
    risk_method: RiskMethod
    ai_systems: list[AiSystem] = Field(min_length=1)
    document_control: DocumentControlDefaults
    management_systems: ManagementSystems = ManagementSystems()
    controls: dict[str, ControlOverride] = {}

    # Lookups used by the plan and the templates ---------------------------------------------
    def person(self, key: str) -> Person:
        return next(p for p in self.people if p.key == key)

    def role_holder(self, role: str) -> Person | None:
        key = getattr(self.roles, role)
        return self.person(key) if key else None

    @property
    def effective_ai_roles(self) -> list[AiRole]:
        roles = set(self.ai_roles) | {r for s in self.ai_systems for r in s.roles}
        return [r for r in AiRole if r in roles]

    @property
    def in_eu(self) -> bool:
        eu = {"EU", "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
              "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
        return bool(eu & set(self.organisation.jurisdictions))
