"""Typed profile model. Unknown keys are errors, so a typo never silently disappears."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

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
    employees: int | None = Field(
        default=None, ge=1, le=10_000_000,
        description="head count; under 50 the pack is sized for a small organisation "
        "(merged roles, one procedure set, an external or reciprocal auditor)")
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
    external_auditor: Name | None = Field(
        default=None, description="who runs internal audits when nobody inside is independent "
        "of the work audited, e.g. an audit firm or a partner organisation (reciprocal audit)")


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
    review_interval_months: int = Field(
        default=12, ge=1, le=36,
        description="months between scheduled reviews of each risk (sets the register's "
        "review dates)")


class ThirdParty(Strict):
    name: Name
    """Name of the supplier or partner."""
    provides: Text
    """What it provides for the AI system (model, data, hosting...)."""


_PSEUDONYMISED = re.compile(r"pseudonymi[sz]", re.IGNORECASE)


class AiSystem(Strict):
    id: SystemId
    """AI system id, e.g. AIS-01 (unique, ignoring case); used in document ids and file names."""

    def __eq__(self, other: object) -> bool:
        # Systems with different ids are never equal. Answering that from the id alone keeps
        # `system in systems` in the templates cheap: with a thousand systems the full model
        # comparison of every pair cost seconds. (pydantic still derives __hash__.)
        if isinstance(other, AiSystem) and other.id != self.id:
            return False
        return super().__eq__(other)

    name: Name
    """Name of the AI system."""
    purpose: Text
    """What the system is for, in a sentence or two."""
    description: Text | None = None
    """How it works: model type, data, where it runs."""
    roles: list[AiRole] = Field(min_length=1)  # the organisation's role(s) for this system
    """The organisation's role(s) for it: provider, producer, customer, partner, subject."""
    kind: SystemKind = Field(description="what the system does, from a closed list; describe "
                             "the technique in 'model'")
    model: Name | None = Field(
        default=None, description="the technique in your words, e.g. 'gradient-boosted "
        "regression trees' or 'hosted large language model'")
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
    pseudonymised: bool = Field(
        default=False, description="the personal data is pseudonymised; it is still personal "
        "data, so personal_data stays true")
    affected_groups: list[GroupEntry] = Field(
        min_length=1, description="a name, or {name, relation}; the relation decides which "
        "impacts the assessment asks about")
    human_oversight: Text
    """How people oversee the system and can override it."""
    autonomy: Autonomy | None = Field(
        default=None, description="advisory, human_approval or automatic")
    scale: Level | None = Field(
        default=None, description="how many people or cases the output reaches: low (tens a "
        "month), medium (hundreds to thousands), high (tens of thousands or more)")
    output_reaches_customers: bool = Field(
        default=False, description="the output, or work built on it, goes to customers or "
        "clients (always so for systems the organisation provides)")
    third_parties: list[ThirdParty] = []
    """Suppliers and partners involved in the system."""
    deployment: Text
    """Where and how the system is deployed."""
    eu_ai_act: AiActCategory | None = None
    """EU AI Act classification, as the organisation has assessed it."""
    annex_iii: AnnexIIIPoint | None = Field(
        default=None, description="EU AI Act Annex III point of a high-risk use, e.g. '4a' "
        "(recruitment and selection); the points are listed in "
        "mappings/crosswalk-eu-ai-act.yaml")
    intended_use: Text | None = None
    """The intended use the organisation commits to."""
    out_of_scope_uses: list[Text] = []
    """Uses that are excluded or forbidden."""

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


class IsmsMode(str, Enum):
    reference = "reference"
    include = "include"
    amend = "amend"


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
    isms_mode: IsmsMode = Field(
        default=IsmsMode.reference,
        description="How the pack uses the existing ISMS documents: reference (cite them), "
        "include (also quote their relevant sections) or amend (propose the AI additions as "
        "Word tracked changes and Markdown patches to the ISMS documents themselves, in "
        "isms-amendments/, and drop the AIMS procedures whose content moves into them). "
        "`build --isms-mode` overrides it.")


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


class ObligationSource(str, Enum):
    law = "law"
    contract = "contract"
    commitment = "commitment"  # a voluntary commitment, code of conduct or customer promise


class Obligation(Strict):
    """A legal, contractual or voluntary requirement the AIMS must meet (the legal register)."""

    id: SystemId = Field(description="e.g. OB-01")
    source: ObligationSource
    """law, contract or commitment (a voluntary one, a code of conduct, a customer promise)."""
    title: Name = Field(description="the law, contract or commitment, e.g. 'Customer "
                        "subscription agreement, AI annex'")
    party: Name | None = Field(default=None, description="counterparty or authority")
    requirement: Text = Field(description="what it requires, in your words")
    systems: list[SystemId] = Field(default=[], description="AI systems it concerns; empty for "
                                    "all")
    controls: list[ControlId] = Field(default=[], description="ISO/IEC 42001 Annex A controls "
                                      "that meet it; the SoA cites the obligation for them")
    owner: Key | None = None
    """Person key of who keeps track of it (defaults to Legal Counsel or the AIMS owner)."""


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
