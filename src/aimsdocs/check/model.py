"""What the consistency check reads (the rendered pack) and what it reports (findings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aimsdocs.isms.facts import document_sentences, document_tables
from aimsdocs.isms.markdown_reader import read_markdown_text
from aimsdocs.isms.model import IsmsSection
from aimsdocs.render.document import RenderedDocument


@dataclass(frozen=True)
class PackDocument:
    """A rendered AIMS document, read back into sections like any ISMS document."""

    doc_id: str
    title: str
    relpath: str  # where a reader finds it in the pack, e.g. "md/pro-10-….md"
    sections: tuple[IsmsSection, ...]
    rendered: RenderedDocument
    # every rule reads these, so they are read once (see `sentences_of` and `tables_of`)
    sentence_cache: list = field(default_factory=list, compare=False, repr=False)
    table_cache: list = field(default_factory=list, compare=False, repr=False)
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # per-rule derivations

    @property
    def control(self):
        return self.rendered.control

    def forget(self) -> None:
        """Drop what was read, so the document is freed without a cycle collection."""
        self.sentence_cache.clear()
        self.table_cache.clear()
        self.memo.clear()


def read_pack(rendered: list[RenderedDocument], slugs: dict[str, str]) -> list[PackDocument]:
    documents = []
    for doc in rendered:
        relpath = f"md/{slugs.get(doc.doc_id, doc.doc_id)}.md"
        parsed = read_markdown_text(doc.markdown, Path(relpath))
        document = PackDocument(doc.doc_id, doc.title, relpath, parsed.sections(), doc)
        document.sentence_cache.extend(document_sentences(document))
        document.table_cache.extend(document_tables(document))
        documents.append(document)
    return documents


@dataclass(frozen=True)
class Statement:
    """One place that says something: a document, a section and the words it uses."""

    where: str  # "md/pro-10-management-review-procedure.md" or "ISMS MFS-PRO-004 §2"
    section: str
    text: str

    def __str__(self) -> str:
        section = f' § "{self.section}"' if self.section else ""
        return f'{self.where}{section}: "{self.text}"'


@dataclass(frozen=True)
class Finding:
    """Two statements that cannot both be true, or one that points at nothing."""

    kind: str  # role, parameter, reference, self-approval
    subject: str  # what the statements are about ("management review frequency")
    statement: Statement
    other: Statement | None = None
    hint: str = ""

    def lines(self) -> list[str]:
        lines = [f"{self.kind}: {self.subject}", f"  {self.statement}"]
        if self.other is not None:
            lines.append(f"  but {self.other}")
        if self.hint:
            lines.append(f"  fix: {self.hint}")
        return lines

    def as_json(self) -> dict:
        def statement(s: Statement | None):
            return None if s is None else {"where": s.where, "section": s.section, "text": s.text}

        return {"kind": self.kind, "subject": self.subject,
                "statement": statement(self.statement), "other": statement(self.other),
                "hint": self.hint}
