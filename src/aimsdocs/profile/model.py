"""Typed profile model. Unknown keys are errors, so a typo never silently disappears."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

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


class SystemKind(str, Enum):
    """What an AI system does, from a closed list: it decides which risks and metrics apply."""

    prediction = "prediction"  # estimates a number or a time (forecasts, regression)
    classification = "classification"  # sorts cases into classes or scores them
    document_extraction = "document_extraction"  # reads documents and extracts fields
    generative_assistant = "generative_assistant"  # writes text, code or images on request
    ranking_of_people = "ranking_of_people"  # ranks, scores or selects people
    anomaly_detection = "anomaly_detection"  # flags unusual cases for a person to check
    recommender = "recommender"  # suggests items, actions or content
    computer_vision = "computer_vision"  # interprets images or video
    other = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self.value]


KIND_LABELS = {
    "prediction": "prediction", "classification": "classification",
    "document_extraction": "document extraction", "generative_assistant": "generative assistant",
    "ranking_of_people": "ranking or selection of people",
    "anomaly_detection": "anomaly detection", "recommender": "recommender",
    "computer_vision": "computer vision", "other": "other",
}


class Autonomy(str, Enum):
    """How far the system acts on its own."""

    advisory = "advisory"  # its output informs a person, who decides
    human_approval = "human_approval"  # it proposes; a person approves each output before use
    automatic = "automatic"  # its output takes effect without a person checking each case


class GroupRelation(str, Enum):
    """How an affected group meets the system: it decides which impacts are asked about."""

    users = "users"  # operate the system or act on its output in their work
    subjects = "subjects"  # the output ranks, scores, assesses or decides about them
    data_subjects = "data_subjects"  # named in its data, but not assessed by it
    recipients = "recipients"  # receive or rely on its output (customers, clients, consignees)
    organisations = "organisations"  # businesses affected by its output (suppliers, carriers)
    authorities = "authorities"  # public bodies that receive its output


class AffectedGroup(Strict):
    name: Name = Field(description="who they are, e.g. 'Job applicants'")
    relation: GroupRelation | None = Field(
        default=None, description="how the group meets the system; without it every impact "
        "area is asked about")

    def __str__(self) -> str:
        return self.name


def _group_from_text(value):
    return {"name": value} if isinstance(value, str) else value


GroupEntry = Annotated[AffectedGroup, BeforeValidator(_group_from_text,
                                                      json_schema_input_type=str | AffectedGroup)]
ControlId = Annotated[str, Field(pattern=r"^A\.\d{1,2}(\.\d{1,2}){1,2}$")]
AnnexIIIPoint = Annotated[str, Field(pattern=r"^[1-8][a-e]?$")]
SMALL_ORGANISATION = 50  # fewer employees than this: a small organisation (as the EU's SME rule)


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
    employees: int | None = Field(
        default=None, ge=1, le=10_000_000,
        description="head count; under 50 the pack is sized for a small organisation "
        "(merged roles, one procedure set, an external or reciprocal auditor)")
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
    external_auditor: Name | None = Field(
        default=None, description="who runs internal audits when nobody inside is independent "
        "of the work audited, e.g. an audit firm or a partner organisation (reciprocal audit)")


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
    review_interval_months: int = Field(
        default=12, ge=1, le=36,
        description="months between scheduled reviews of each risk (sets the register's "
        "review dates)")


class ThirdParty(Strict):
    name: Name
    provides: Text


_PSEUDONYMISED = re.compile(r"pseudonymi[sz]", re.IGNORECASE)


class AiSystem(Strict):
    id: SystemId
    name: Name
    purpose: Text
    description: Text | None = None
    roles: list[AiRole] = Field(min_length=1)  # the organisation's role(s) for this system
    kind: SystemKind = Field(description="what the system does, from a closed list; describe "
                             "the technique in 'model'")
    model: Name | None = Field(
        default=None, description="the technique in your words, e.g. 'gradient-boosted "
        "regression trees' or 'hosted large language model'")
    stage: Stage
    risk_level: Level
    owner: Key
    data_sources: list[Text] = Field(min_length=1)
    personal_data: bool = False
    pseudonymised: bool = Field(
        default=False, description="the personal data is pseudonymised; it is still personal "
        "data, so personal_data stays true")
    affected_groups: list[GroupEntry] = Field(
        min_length=1, description="a name, or {name, relation}; the relation decides which "
        "impacts the assessment asks about")
    human_oversight: Text
    autonomy: Autonomy | None = Field(
        default=None, description="advisory, human_approval or automatic")
    scale: Level | None = Field(
        default=None, description="how many people or cases the output reaches: low (tens a "
        "month), medium (hundreds to thousands), high (tens of thousands or more)")
    output_reaches_customers: bool = Field(
        default=False, description="the output, or work built on it, goes to customers or "
        "clients (always so for systems the organisation provides)")
    third_parties: list[ThirdParty] = []
    deployment: Text
    eu_ai_act: AiActCategory | None = None
    annex_iii: AnnexIIIPoint | None = Field(
        default=None, description="EU AI Act Annex III point of a high-risk use, e.g. '4a' "
        "(recruitment and selection); the points are listed in "
        "mappings/crosswalk-eu-ai-act.yaml")
    intended_use: Text | None = None
    out_of_scope_uses: list[Text] = []

    @model_validator(mode="after")
    def _pseudonymised_is_personal(self):
        said = [d for d in self.data_sources if _PSEUDONYMISED.search(d)]
        if not self.personal_data and (self.pseudonymised or said):
            raise ValueError(
                "pseudonymised data is still personal data under the GDPR, but personal_data "
                "is false" + (f" (see data source {said[0]!r})" if said else "")
                + "; set personal_data: true and pseudonymised: true")
        return self

    @property
    def groups(self) -> list[AffectedGroup]:
        return list(self.affected_groups)

    def groups_of(self, *relations: str) -> list[AffectedGroup]:
        return [g for g in self.affected_groups if g.relation and g.relation.value in relations]

    @property
    def reaches_customers(self) -> bool:
        return self.provides or self.output_reaches_customers

    @property
    def acquired(self) -> bool:
        """Bought in and used as supplied: the organisation does not develop it."""
        return not self.develops

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


class Certification(Strict):
    certified: bool = False
    since: int | None = Field(default=None, ge=1990, le=2100)
    certification_body: Name | None = None
    scope_note: Text | None = None


class ManagementSystems(Strict):
    iso27001: Certification = Certification()
    iso9001: Certification = Certification()


class ObligationSource(str, Enum):
    law = "law"
    contract = "contract"
    commitment = "commitment"  # a voluntary commitment, code of conduct or customer promise


class Obligation(Strict):
    """A legal, contractual or voluntary requirement the AIMS must meet (the legal register)."""

    id: SystemId = Field(description="e.g. OB-01")
    source: ObligationSource
    title: Name = Field(description="the law, contract or commitment, e.g. 'Customer "
                        "subscription agreement, AI annex'")
    party: Name | None = Field(default=None, description="counterparty or authority")
    requirement: Text = Field(description="what it requires, in your words")
    systems: list[SystemId] = Field(default=[], description="AI systems it concerns; empty for "
                                    "all")
    controls: list[ControlId] = Field(default=[], description="ISO/IEC 42001 Annex A controls "
                                      "that meet it; the SoA cites the obligation for them")
    owner: Key | None = None


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
    obligations: list[Obligation] = Field(
        default=[], description="laws, contracts and commitments beyond the EU AI Act and the "
        "GDPR (which aimsdocs derives): customer and supplier terms, sector rules")

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
    def small(self) -> bool:
        employees = self.organisation.employees
        return employees is not None and employees < SMALL_ORGANISATION

    def system(self, system_id: str) -> AiSystem:
        return next(s for s in self.ai_systems if s.id == system_id)

    @property
    def in_eu(self) -> bool:
        eu = {"EU", "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
              "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
        return bool(eu & set(self.organisation.jurisdictions))
