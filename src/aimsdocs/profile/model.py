"""Typed profile model. Unknown keys are errors, so a typo never silently disappears."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from aimsdocs.profile.integration import Integration

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
    # The string under each field is its description in the JSON Schema (`aimsdocs schema`),
    # which editors show while a profile is written.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              use_attribute_docstrings=True)


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
    """Short key other fields use to name this person (lower case, digits, '_'), e.g. cto."""
    name: Name
    """Full name as it appears in documents."""
    title: Name
    """Job title, e.g. Chief Technology Officer."""
    email: Name | None = None
    """Contact e-mail address, shown where documents say whom to contact."""


class Site(Strict):
    name: Name
    """Name of the site or office."""
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    """Two-letter ISO 3166 country code, e.g. DE."""
    city: Name | None = None
    """City of the site."""
    activities: Text | None = None
    """What happens at this site that concerns the AIMS."""


class Organisation(Strict):
    legal_name: Name
    """Registered legal name; shown on every document."""
    short_name: Name
    """Short name used in running text; also names the pack folder."""
    sector: Name
    """Sector or line of business, e.g. logistics software (SaaS)."""
    description: Text | None = None
    """A few sentences on what the organisation does."""
    jurisdictions: list[Annotated[str, Field(pattern=r"^([A-Z]{2}|EU)$")]] = Field(min_length=1)
    """Two-letter country codes (or EU) whose law applies to the organisation."""
    size: Name
    """Size in words, e.g. about 380 employees."""
    sites: list[Site] = Field(min_length=1)
    """Sites within the AIMS scope."""


class Exclusion(Strict):
    item: Name
    """What is excluded from the scope."""
    reason: Text
    """Why it is excluded."""


class Scope(Strict):
    statement: Text
    """The AIMS scope statement (ISO/IEC 42001 clause 4.3)."""
    boundaries: list[Text] = []
    """Organisational, physical or technical boundaries of the scope."""
    exclusions: list[Exclusion] = []
    """Parts of the organisation or activities left out of the scope, each with a reason."""


class Roles(Strict):
    """Who holds the roles the documents name. Values are person keys from `people`."""

    top_management: Key
    """Person key of top management (the AIMS sponsor)."""
    aims_owner: Key
    """Person key of the AIMS owner, who runs the management system."""
    ai_risk_owner: Key
    """Person key of the owner of the AI risk process."""
    data_protection_officer: Key | None = None
    """Person key of the data protection officer, if there is one."""
    information_security_manager: Key | None = None
    """Person key of the information security manager (ISMS owner)."""
    quality_manager: Key | None = None
    """Person key of the quality manager (QMS owner), if there is one."""
    internal_audit_lead: Key | None = None
    """Person key of whoever leads internal audits."""
    hr_lead: Key | None = None
    """Person key of the HR lead (competence and awareness)."""
    legal_counsel: Key | None = None
    """Person key of legal counsel (legal and regulatory requirements)."""
    ai_ethics_contact: Key | None = None
    """Person key of the contact for AI ethics questions and concerns."""


class InterestedParty(Strict):
    name: Name
    """Name of the interested party or group, e.g. customers, regulators."""
    kind: Annotated[str, Field(pattern=r"^(internal|external)$")] = "external"
    """internal or external."""
    needs: list[Text] = Field(min_length=1)
    """What this party needs or expects from the organisation's AI."""
    how_addressed: Text | None = None
    """How the AIMS addresses those needs."""


class Objective(Strict):
    id: SystemId
    """Objective id, e.g. OBJ-01 (unique, ignoring case)."""
    objective: Text
    """What the organisation wants to achieve."""
    measure: Text
    """How achievement is measured."""
    target: Name
    """The target value or state, e.g. 100 % of systems assessed."""
    owner: Key
    """Person key of the objective's owner."""
    due: date
    """Date by which the target is due (YYYY-MM-DD)."""
    relates_to: list[SystemId] = []  # AI system ids
    """Ids of the AI systems this objective concerns."""


class RiskMethod(Strict):
    likelihood: list[Name] = Field(min_length=3, max_length=7)
    """Likelihood scale, lowest first (3 to 7 labels)."""
    impact: list[Name] = Field(min_length=3, max_length=7)
    """Impact scale, lowest first (3 to 7 labels)."""
    acceptance_threshold: int = Field(ge=1, le=49)
    """Risk score (likelihood x impact) above which a risk needs treatment."""
    review_frequency: Name = "at least annually and on significant change"
    """How often risks are reviewed, in words."""


class ThirdParty(Strict):
    name: Name
    """Name of the supplier or partner."""
    provides: Text
    """What it provides for the AI system (model, data, hosting...)."""


class AiSystem(Strict):
    id: SystemId
    """AI system id, e.g. AIS-01 (unique, ignoring case); used in document ids and file names."""
    name: Name
    """Name of the AI system."""
    purpose: Text
    """What the system is for, in a sentence or two."""
    description: Text | None = None
    """How it works: model type, data, where it runs."""
    roles: list[AiRole] = Field(min_length=1)  # the organisation's role(s) for this system
    """The organisation's role(s) for it: provider, producer, customer, partner, subject."""
    kind: Name  # e.g. LLM, classifier, recommender, regression model
    """Kind of AI, e.g. LLM, classifier, recommender, regression model."""
    stage: Stage
    """Current life-cycle stage."""
    risk_level: Level
    """The organisation's overall risk rating: low, medium or high."""
    owner: Key
    """Person key of the system owner."""
    data_sources: list[Text] = Field(min_length=1)
    """Data the system is trained on or uses."""
    personal_data: bool = False
    """Whether the system processes personal data."""
    affected_groups: list[Text] = Field(min_length=1)
    """People or groups affected by the system's outputs."""
    human_oversight: Text
    """How people oversee the system and can override it."""
    third_parties: list[ThirdParty] = []
    """Suppliers and partners involved in the system."""
    deployment: Text
    """Where and how the system is deployed."""
    eu_ai_act: AiActCategory | None = None
    """EU AI Act classification, as the organisation has assessed it."""
    intended_use: Text | None = None
    """The intended use the organisation commits to."""
    out_of_scope_uses: list[Text] = []
    """Uses that are excluded or forbidden."""

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
    """Prefix of every document id, e.g. ACME-AIMS gives ACME-AIMS-POL-01."""
    owner: Key
    """Person key of the default document owner."""
    approver: Key
    """Person key of the default approver."""
    classification: Name = "Internal"
    """Classification printed on documents, e.g. Internal."""
    review_period_months: int = Field(default=12, ge=1, le=60)
    """Months between document reviews (1 to 60)."""
    effective_date: date
    """Date the documents take effect (YYYY-MM-DD); also the first revision's date."""
    status: Name = "Draft"
    """Status shown until a document is approved, e.g. Draft."""
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en-GB"
    """BCP 47 language of the documents (Word proofing language, HTML lang), e.g. en-GB."""


class Certification(Strict):
    certified: bool = False
    """Whether this management system is certified."""
    since: int | None = Field(default=None, ge=1990, le=2100)
    """Year of first certification."""
    certification_body: Name | None = None
    """Name of the certification body."""
    scope_note: Text | None = None
    """Notes on the certified scope, where it differs from the AIMS scope."""


class ManagementSystems(Strict):
    iso27001: Certification = Certification()
    """The ISO/IEC 27001 ISMS the AIMS builds on."""
    iso9001: Certification = Certification()
    """The ISO 9001 QMS, if the organisation runs one."""


class ControlOverride(Strict):
    """A profile decision on one ISO/IEC 42001 Annex A control in the SoA."""

    applicable: bool | None = None
    """Whether the control applies; false excludes it from the SoA (needs a justification)."""
    justification: Text | None = None
    """Why the control is included or excluded."""
    status: Annotated[
        str, Field(pattern=r"^(Not started|Planned|Partially implemented|Implemented)$")
    ] | None = None
    """Implementation status: Not started, Planned, Partially implemented or Implemented."""
    implementation: Text | None = None
    """How the control is implemented."""
    owner: Key | None = None
    """Person key of the control owner."""

    @model_validator(mode="after")
    def _exclusion_needs_reason(self):
        if self.applicable is False and not self.justification:
            raise ValueError("an excluded control needs a 'justification' saying why")
        return self


class Profile(Strict):
    """Everything aimsdocs needs to write an organisation's AIMS pack."""

    organisation: Organisation
    """Who the organisation is."""
    scope: Scope
    """The AIMS scope (ISO/IEC 42001 clause 4.3)."""
    ai_roles: list[AiRole] = []  # if empty, the union of the AI systems' roles
    """The organisation's AI roles; if empty, the union of its AI systems' roles."""
    people: list[Person] = Field(min_length=1)
    """People the documents name; other fields refer to them by key."""
    roles: Roles
    """Who holds the AIMS roles (person keys)."""
    interested_parties: list[InterestedParty] = Field(min_length=1)
    """Interested parties and their needs (clause 4.2)."""
    objectives: list[Objective] = Field(min_length=1)
    """AI objectives (clause 6.2)."""
    risk_method: RiskMethod
    """Scales and threshold for assessing AI risks (clause 6.1)."""
    ai_systems: list[AiSystem] = Field(min_length=1)
    """The AI system inventory: every system in scope."""
    document_control: DocumentControlDefaults
    """Defaults for document ids, owners, approval and review."""
    management_systems: ManagementSystems = ManagementSystems()
    """The certified management systems the AIMS builds on."""
    controls: dict[str, ControlOverride] = {}
    """Decisions on ISO/IEC 42001 Annex A controls, keyed by control id (e.g. A.6.2.4)."""
    integration: Integration = Integration()
    """Facts of the existing ISMS/QMS the organisation states itself (see integration.py)."""

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
