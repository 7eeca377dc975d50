"""The plan: every decision in one place. Templates present it; writers format it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path

from aimsdocs.plan.additions import Addition
from aimsdocs.profile.model import AiSystem
from aimsdocs.standards import Link, Requirement


class ReuseStrategy(str, Enum):
    """How the AIMS meets one ISO/IEC 42001 requirement relative to the existing ISMS."""

    reuse = "reuse"  # the ISMS process governs as it is; the AIMS cites it
    extend = "extend"  # cite the ISMS process and add an AI addendum
    new = "new"  # nothing related exists: full AI-specific content
    excluded = "excluded"  # Annex A control excluded in the SoA, with a justification


@dataclass(frozen=True)
class IsmsSource:
    """An existing ISMS document that (partly) meets a 42001 requirement, and how we know."""

    doc_id: str
    title: str
    version: str | None
    path: str  # relative to the ISMS folder
    via: tuple[tuple[str, str, str], ...]  # (standard, item id, relationship from 42001's side)
    provenance: str  # strongest: declared, mapped, referenced (inferred for candidates)
    evidence: str
    where: str = ""  # file and line (or section) of the evidence

    def cite(self) -> str:
        version = f", version {self.version}" if self.version else ""
        return f"{self.doc_id} {self.title}{version}"


@dataclass
class RequirementPlan:
    """Decision and traceability for one ISO/IEC 42001 requirement."""

    requirement: Requirement
    strategy: ReuseStrategy
    isms_sources: list[IsmsSource] = field(default_factory=list)  # evidence that carries reuse
    # Weak evidence (inferred topics, records): shown as "candidate — confirm", never reuse.
    candidates: list[IsmsSource] = field(default_factory=list)
    addendum: list[str] = field(default_factory=list)  # what 42001 adds (from crosswalk notes)
    addition: Addition | None = None  # the concrete AI addition, in the organisation's voice
    # ISMS documents set aside because their own scope excludes the subject (doc ids).
    scope_excluded: list[str] = field(default_factory=list)
    # The organisation is certified, so the ISMS process exists, but no document was supplied.
    not_supplied: bool = False
    links: list[Link] = field(default_factory=list)  # related crosswalk links
    documents: list[str] = field(default_factory=list)  # generated doc ids addressing it
    # Amend mode: ISMS documents (ids) whose amended version meets it in place of an AIMS
    # procedure that gave way to them (plan/amendments.py).
    amended_in: list[str] = field(default_factory=list)
    exclusion: str = ""

    @property
    def id(self) -> str:
        return self.requirement.id


@dataclass(frozen=True)
class TemplateSpec:
    """What a template declares about the document it produces (read by render.templates)."""

    name: str  # template file name, e.g. "ai-policy.md.j2"
    path: Path
    local_id: str
    title: str
    doc_type: str
    addresses: tuple[str, ...]
    per: str | None  # None or "ai_system"
    order: int
    description: str
    owner: str | None = None  # the role that owns the process (a field of profile roles)


@dataclass(frozen=True)
class PlannedDocument:
    """One output document: its template, identity and, for per-system records, its AI system."""

    spec: TemplateSpec
    doc_id: str
    title: str
    slug: str  # file name stem
    system: AiSystem | None = None
    owner_key: str = ""  # person key: the process owner is the document owner
    approver_key: str = ""  # person key: never the owner
    parts: tuple[TemplateSpec, ...] = ()  # templates merged into this one (small organisations)

    @property
    def addresses(self) -> tuple[str, ...]:
        merged = [a for part in self.parts for a in part.addresses]
        return tuple(dict.fromkeys((*self.spec.addresses, *merged)))


@dataclass
class SoaRow:
    """One ISO/IEC 42001 Annex A control in the Statement of Applicability."""

    control: Requirement
    objective: Requirement
    applicable: bool
    # coded: risk assessment, legal or regulatory, contractual, business requirement
    inclusion_reasons: list[str]
    inclusion_text: str
    exclusion_text: str
    status: str
    implementation: str
    documents: list[PlannedDocument]
    owner: str
    related: list[Link]
    isms_evidence: list[str]
    per_system: dict[str, bool]
    strategy: ReuseStrategy
    review_date: date
    risks: list = field(default_factory=list)  # RiskEntry rows whose treatment relies on it
    obligations: list = field(default_factory=list)  # plan.obligations.Obligation
    status_source: str = ""  # where the status comes from (profile, ISMS SoA) or why unknown
    review_trigger: str = ""  # for an exclusion: what brings the control back in
    amended: list[str] = field(default_factory=list)  # amended ISMS documents implementing it
