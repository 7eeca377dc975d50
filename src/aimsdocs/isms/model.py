"""What we know about an organisation's existing ISMS: its documents, SoA and coverage claims.

Everything here is plain data (picklable: the inventory is cached between runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Provenance(str, Enum):
    """How we know a document covers a requirement: the evidence tiers, most trusted first."""

    DECLARED = "declared"  # the organisation said so (isms.yaml or front matter)
    MAPPED = "mapped"  # a structure pairs the id with the document (SoA, cross-reference...)
    REFERENCED = "referenced"  # a governing document cites the id in its own text
    INFERRED = "inferred"  # the title, headings or text are about the topic: a candidate

    @property
    def rank(self) -> int:
        return list(Provenance).index(self)


# Document kinds: a governing document (policy, procedure, standard, plan, manual, method) can
# satisfy a requirement; a record (report, minutes, log, checklist, register, SoA, mapping
# appendix) is evidence that a process runs and never carries reuse on its own.
GOVERNING = "governing"
RECORD = "record"


@dataclass(frozen=True)
class IsmsSection:
    heading: str  # "" for text before the first heading
    level: int  # 0 for text before the first heading
    text: str
    line: int = 0  # where the heading is (line or paragraph number), 0 when unknown
    # The section's blocks (paragraph, list item, table row…), each whole: a wrapped line in
    # `text` cannot tell a new item from a continued one.
    blocks: tuple[str, ...] = ()


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
    kind: str = GOVERNING
    doc_type: str = ""  # the word the kind was read from: "policy", "report", "Richtlinie"...
    kind_source: str = ""  # where the kind came from, for the user
    field_sources: tuple[tuple[str, str], ...] = ()  # (identity field, where it came from)
    blocks: tuple = ()  # the parsed blocks (aimsdocs.isms.parsed.Block), for later readers

    @property
    def governing(self) -> bool:
        return self.kind == GOVERNING

    def source_of(self, name: str) -> str:
        return dict(self.field_sources).get(name, "")

    def cite(self) -> str:
        version = f", version {self.version}" if self.version else ""
        return f"{self.doc_id} {self.title}{version}"


@dataclass(frozen=True)
class CoverageClaim:
    standard: str  # "iso27001" | "iso9001"
    item_id: str  # "A.8.15", "7.5", ...
    doc_id: str
    provenance: Provenance
    evidence: str  # human-readable: what says so ('heading "4. Logging (A.8.15)"')
    source: str = ""  # relpath of the file that holds the evidence ("" = isms.yaml etc.)
    line: int = 0  # line (or paragraph) in that file, 0 when unknown
    section: str = ""  # heading or #anchor the evidence sits under / points to
    note: str = ""  # e.g. "ISO/IEC 27001:2013 A.12.4.1, now A.8.15"
    candidate: bool = False  # may not carry reuse: inferred, or the document is a record

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.standard, self.item_id, self.doc_id)

    def where(self) -> str:
        """'appendix/iso.md line 23, section "6.1.1 Roles"' (empty parts left out)."""
        parts = [self.source] if self.source else []
        if self.line:
            parts.append(f"line {self.line}" if self.source.endswith((".md", ".markdown",
                                                                       ".yaml", ".yml"))
                         else f"paragraph {self.line}" if self.source.endswith(".docx")
                         else f"row {self.line}")
        text = " ".join(parts)
        if self.section:
            text += f"{', ' if text else ''}section \"{self.section}\""
        return text


@dataclass(frozen=True)
class SoaEntry:
    control_id: str
    title: str
    applicable: bool | None  # None: the SoA does not say
    justification: str
    status: str
    description: str
    references: tuple[str, ...]  # as written in the reference column, split
    doc_ids: tuple[str, ...]  # the ISMS documents the row names
    row: int  # 1-based row in the sheet / line in the CSV
    unresolved: tuple[str, ...] = ()  # references that name no document of the folder
    note: str = ""  # e.g. the row's 2013 id and its translation
    files: tuple[str, ...] = ()  # tables of the folder the row names (a RACI matrix...)

    @property
    def speaks(self) -> bool:
        """The row settles the control: it names its implementation, or excludes it."""
        return self.applicable is False or bool(self.doc_ids or self.unresolved or self.files)


@dataclass(frozen=True)
class NamedReference:
    """A document the ISMS names (SoA, cross-reference, register, link) that is not supplied."""

    name: str  # as written: "PROC-001", "Incident Response Plan", "../ops/backup.md"
    items: tuple[str, ...]  # ISO/IEC 27001 ids it is named for (may be empty)
    places: tuple[str, ...]  # where it is named ("statement-of-applicability.xlsx row 25")


@dataclass(frozen=True)
class FileEntry:
    """One file under the ISMS folder and what the importer did with it."""

    relpath: str
    role: str  # document | soa | register | table | config | skipped
    reason: str = ""  # why skipped, or what it gave


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
    files: list[FileEntry] = field(default_factory=list)
    not_supplied: list[NamedReference] = field(default_factory=list)
    # Weaker evidence for items a stronger statement already settles ("also cited by").
    mentions: list[CoverageClaim] = field(default_factory=list)
    _index: dict[tuple[str, str, bool], list[CoverageClaim]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    _indexed_claims: int = field(default=-1, init=False, repr=False, compare=False)
    _breadth: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def covering(self, standard: str, item_id: str) -> list[CoverageClaim]:
        """Claims that may carry reuse: declared, mapped or referenced, on a governing document.

        One claim per document (its strongest), strongest provenance first, then doc_id.
        """
        return self._lookup(standard, item_id, candidate=False)

    def candidates(self, standard: str, item_id: str) -> list[CoverageClaim]:
        """Evidence to confirm, never reuse on its own: inferred claims and records' claims."""
        return self._lookup(standard, item_id, candidate=True)

    def breadth(self, doc_id: str) -> int:
        """How many items the document firmly covers (fewer: a more specific document)."""
        if self._indexed_claims != len(self.claims):
            self._rebuild_index()
        return self._breadth.get(doc_id, 0)

    def document(self, doc_id: str) -> IsmsDocument:
        try:
            return self.documents[doc_id]
        except KeyError:
            raise KeyError(f"no ISMS document with id {doc_id!r}") from None

    @property
    def soa_unresolved(self) -> list[SoaEntry]:
        """SoA rows that name a document reference aimsdocs could not find."""
        return [entry for entry in self.soa.values() if entry.unresolved]

    def silent_documents(self) -> list[str]:
        """Documents that contribute no claim at all."""
        claimed = {claim.doc_id for claim in self.claims}
        return [doc_id for doc_id in self.documents if doc_id not in claimed]

    def summary(self) -> str:
        """One line for validate/build/gap: what was read and what it gave."""
        governing = sum(1 for d in self.documents.values() if d.governing)
        firm = {(c.standard, c.item_id) for c in self.claims if not c.candidate}
        loose = {(c.standard, c.item_id) for c in self.claims if c.candidate} - firm
        parts = [f"{len(self.documents)} documents ({governing} governing, "
                 f"{len(self.documents) - governing} records)",
                 f"{len(firm)} items covered", f"{len(loose)} candidates to confirm"]
        if self.soa_path is not None:
            parts.append(f"SoA {len(self.soa)} rows")
        if self.not_supplied:
            parts.append(f"{len(self.not_supplied)} named but not supplied")
        skipped = sum(1 for f in self.files if f.role == "skipped")
        if skipped:
            parts.append(f"{skipped} files skipped")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        return "ISMS: " + ", ".join(parts)

    def import_lines(self, limit: int = 20) -> list[str]:
        """The summary line and the warnings, as validate, build and gap print them."""
        lines = [self.summary()]
        lines += [f"  warning: {w}" for w in self.warnings[:limit]]
        if len(self.warnings) > limit:
            lines.append(f"  … and {len(self.warnings) - limit} more warnings "
                         "(see `aimsdocs isms ORG`)")
        return lines

    def _lookup(self, standard: str, item_id: str, candidate: bool) -> list[CoverageClaim]:
        if self._indexed_claims != len(self.claims):
            self._rebuild_index()
        return list(self._index.get((standard, item_id, candidate), ()))

    def _rebuild_index(self) -> None:
        strongest: dict[tuple[str, str, str, bool], CoverageClaim] = {}
        for claim in self.claims:
            key = claim.key + (claim.candidate,)
            best = strongest.get(key)
            if best is None or claim.provenance.rank < best.provenance.rank:
                strongest[key] = claim
        firm = {c.key for c in strongest.values() if not c.candidate}
        index: dict[tuple[str, str, bool], list[CoverageClaim]] = {}
        for claim in strongest.values():
            if claim.candidate and claim.key in firm:
                continue  # the document is already a firm source for the item
            index.setdefault((claim.standard, claim.item_id, claim.candidate), []).append(claim)
        for claims in index.values():
            claims.sort(key=lambda c: (c.provenance.rank, c.doc_id))
        self._index = index
        items: dict[str, set[tuple[str, str]]] = {}
        for claim in self.claims:
            if not claim.candidate:
                items.setdefault(claim.doc_id, set()).add((claim.standard, claim.item_id))
        self._breadth = {doc_id: len(found) for doc_id, found in items.items()}
        self._indexed_claims = len(self.claims)
