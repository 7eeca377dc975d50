"""What we know about an organisation's existing ISMS: its documents, SoA and coverage claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Provenance(str, Enum):
    """How we know a document covers a requirement, strongest first."""

    DECLARED = "declared"  # the organisation said so (isms.yaml or front matter)
    REFERENCED = "referenced"  # the document cites the id
    SOA = "soa"  # the ISMS SoA names the document for the control
    INFERRED = "inferred"  # the headings or title are about the topic

    @property
    def rank(self) -> int:
        return list(Provenance).index(self)


@dataclass(frozen=True)
class IsmsSection:
    heading: str  # "" for text before the first heading
    level: int  # 0 for text before the first heading
    text: str


@dataclass(frozen=True)
class IsmsDocument:
    doc_id: str
    title: str
    version: str | None
    owner: str | None
    approver: str | None
    effective_date: str | None
    next_review: str | None
    path: Path  # absolute
    relpath: str  # posix path relative to the ISMS root
    format: str  # "md" | "docx"
    sections: tuple[IsmsSection, ...]

    def cite(self) -> str:
        version = f", version {self.version}" if self.version else ""
        return f"{self.doc_id} {self.title}{version}"


@dataclass(frozen=True)
class CoverageClaim:
    standard: str  # "iso27001" | "iso9001"
    item_id: str  # "A.8.15", "7.5", ...
    doc_id: str
    provenance: Provenance
    evidence: str  # human-readable: where the claim comes from

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.standard, self.item_id, self.doc_id)


@dataclass(frozen=True)
class SoaEntry:
    control_id: str
    title: str
    applicable: bool | None  # None: the SoA does not say
    justification: str
    status: str
    description: str
    references: tuple[str, ...]  # as written in the reference column, split
    doc_ids: tuple[str, ...]  # the references that resolved to ISMS documents
    row: int  # 1-based row in the sheet / line in the CSV


def item_sort_key(item_id: str) -> tuple:
    """Clauses before Annex A, numerically: 4.1 < 4.2 < 10.1 < A.5.1 < A.5.10."""
    parts = item_id.removeprefix("A.").split(".")
    return (item_id.startswith("A."), tuple(int(p) if p.isdigit() else 0 for p in parts))


def claim_order(claim: CoverageClaim) -> tuple:
    """Deterministic order: standard, item in document order, document, strongest first."""
    return (claim.standard, item_sort_key(claim.item_id), claim.doc_id, claim.provenance.rank)


@dataclass
class IsmsInventory:
    root: Path
    documents: dict[str, IsmsDocument]
    claims: list[CoverageClaim]
    soa: dict[str, SoaEntry]
    soa_path: Path | None
    warnings: list[str]
    _index: dict[tuple[str, str], list[CoverageClaim]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _indexed_claims: int = field(default=-1, init=False, repr=False, compare=False)

    def covering(self, standard: str, item_id: str) -> list[CoverageClaim]:
        """One claim per document (its strongest), strongest provenance first, then doc_id."""
        if self._indexed_claims != len(self.claims):
            self._rebuild_index()
        return list(self._index.get((standard, item_id), ()))

    def document(self, doc_id: str) -> IsmsDocument:
        try:
            return self.documents[doc_id]
        except KeyError:
            raise KeyError(f"no ISMS document with id {doc_id!r}") from None

    def _rebuild_index(self) -> None:
        strongest: dict[tuple[str, str, str], CoverageClaim] = {}
        for claim in self.claims:
            best = strongest.get(claim.key)
            if best is None or claim.provenance.rank < best.provenance.rank:
                strongest[claim.key] = claim
        index: dict[tuple[str, str], list[CoverageClaim]] = {}
        for claim in strongest.values():
            index.setdefault((claim.standard, claim.item_id), []).append(claim)
        for claims in index.values():
            claims.sort(key=lambda c: (c.provenance.rank, c.doc_id))
        self._index = index
        self._indexed_claims = len(self.claims)
