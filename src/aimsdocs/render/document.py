"""The rendered document: the contract between content (templates) and formats (writers).

Every writer takes a RenderedDocument and returns bytes; none of them reads input files or
decides content, so DOCX, HTML and Markdown always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DOCUMENT_TYPES = ("policy", "procedure", "plan", "register", "record", "report", "manual")


@dataclass(frozen=True)
class Revision:
    """One line of a document's revision history."""

    version: str
    date: date
    author: str
    description: str


@dataclass(frozen=True)
class DocumentControl:
    """Identity and control data shown in the document-control block, header and footer."""

    doc_id: str
    title: str
    doc_type: str
    organisation: str
    version: str = "1.0"
    status: str = "Draft"
    classification: str = "Internal"
    owner: str = ""
    approver: str = ""
    effective_date: date | None = None
    next_review: date | None = None
    approved_by: str | None = None  # set once `aimsdocs approve` recorded an approval
    approved_on: date | None = None
    addresses: tuple[str, ...] = ()  # ISO/IEC 42001 ids this document addresses
    revisions: tuple[Revision, ...] = ()
    language: str = "en-GB"  # BCP 47 tag: Word's proofing language, HTML lang, properties

    @property
    def revision_date(self) -> date | None:
        """Date of the current version: drives document properties, so output is reproducible."""
        if self.revisions:
            return self.revisions[-1].date
        return self.effective_date


@dataclass(frozen=True)
class Brand:
    """Consultant or organisation branding. All optional: without it, a clean default."""

    # pandoc's reference-doc convention: styles, fonts, header logo
    reference_docx: Path | None = None
    logo: Path | None = None  # used in HTML, and in the DOCX header when no reference.docx has one
    # hex RGB: headings and table header shading. None: the default accent for tables, and a
    # reference.docx keeps its own heading colours.
    accent_colour: str | None = None


@dataclass(frozen=True)
class RenderedDocument:
    """Markdown body (no front matter) plus its control data."""

    control: DocumentControl
    markdown: str
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def doc_id(self) -> str:
        return self.control.doc_id

    @property
    def title(self) -> str:
        return self.control.title
