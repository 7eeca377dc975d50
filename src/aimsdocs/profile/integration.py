"""`integration:` in profile.yaml: facts of the ISMS/QMS that the organisation states itself.

aimsdocs reads these facts from the ISMS documents; a value given here wins over what was
read (for a document that says it unclearly, or for a process that is not documented in the
folder supplied). Every value is optional: what is neither read nor declared stays unknown,
and the AIMS documents then point to the ISMS document instead of stating a value.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Phrase = Annotated[str, Field(min_length=1, max_length=300)]
PersonKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
DurationText = Annotated[str, Field(
    pattern=r"^\s*\d{1,4}\s+(hours?|days?|working days?|weeks?|months?|years?)\s*$",
    description="A number and a unit, e.g. '6 years', '72 hours', '10 working days'.")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ManagementReviewFacts(_Strict):
    per_year: float | None = Field(
        default=None, gt=0, le=12, description="How many management reviews a year (e.g. 2).")
    months: list[Annotated[str, Field(pattern=r"^(January|February|March|April|May|June|July|"
                                              r"August|September|October|November|December)$")]
                 ] = Field(default=[], description="The months they take place in.")


class RiskAcceptanceTier(_Strict):
    low: int = Field(ge=0, le=100, description="Lowest risk score of the band.")
    high: int = Field(ge=0, le=100, description="Highest risk score of the band.")
    label: Phrase = Field(description="Name of the band, e.g. 'High'.")
    accepted_by: Phrase | None = Field(
        default=None, description="Who may accept a risk in this band (role or person).")


class CorrectiveActionFacts(_Strict):
    tool: Phrase | None = Field(default=None,
                                description="Where nonconformities are logged, e.g. 'Jira'.")
    owner: PersonKey | None = Field(
        default=None, description="Person key (from people) who runs the process.")
    effectiveness_check: Phrase | None = Field(
        default=None, description="When and how the effectiveness of actions is checked.")


class Integration(_Strict):
    """Facts of the existing management system the AIMS inherits and must not contradict."""

    record_retention: DurationText | None = Field(
        default=None, description="Default retention of records, e.g. '6 years'.")
    document_library: Phrase | None = Field(
        default=None, description="Where controlled documents are published.")
    management_review: ManagementReviewFacts = Field(
        default=ManagementReviewFacts(), description="When management reviews take place.")
    internal_audit_cycle_years: int | None = Field(
        default=None, ge=1, le=5, description="Length of the internal audit programme cycle.")
    risk_threshold: int | None = Field(
        default=None, ge=1, le=100, description="Risk score above which risks are treated.")
    risk_acceptance: list[RiskAcceptanceTier] = Field(
        default=[], description="Risk bands and who may accept each.")
    corrective_action: CorrectiveActionFacts = Field(
        default=CorrectiveActionFacts(), description="The corrective-action process.")
    change_board: Phrase | None = Field(
        default=None, description="The body that approves significant changes.")
    supplier_incident_notification: DurationText | None = Field(
        default=None, description="How fast suppliers must report incidents, e.g. '24 hours'.")
    log_retention: Phrase | None = Field(default=None, description="How long logs are kept.")
