"""The writer contract: every output format, in one table.

A format names its writer (imported only when something is really written), its file
extension, where it ranks as the copy of a document that the SoA links to, and whether it is
written per document (each file on its own, in any process) or per pack (one call writes every
document's file, e.g. PDF through one LibreOffice run). The pipeline and the CLI read this
table; adding a format is one entry here and one writer module.

Per-document writers: `write(doc, context) -> bytes`.
Per-pack writers: `write_all(docs, contexts) -> {doc_id: bytes}`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from aimsdocs.render.document import Brand, RenderedDocument


@dataclass(frozen=True)
class Neighbour:
    href: str
    title: str


@dataclass(frozen=True)
class DocumentContext:
    """What a writer needs beyond the document: brand, and where the other documents are."""

    brand: Brand | None = None
    links: dict[str, str] = field(default_factory=dict)  # doc id -> href of its copy
    index: str | None = None  # href of the pack's index page
    previous: Neighbour | None = None
    next: Neighbour | None = None


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    description: str
    writer: str  # "module:function"
    per_pack: bool = False
    link_rank: int | None = None  # lower is preferred as the SoA's link; None: never
    uses_brand: bool = False
    links_documents: bool = False  # mentions of other documents become links
    navigates: bool = False  # pages link to the index and to their neighbours
    index: str | None = None  # "module:function" writing the pack's index page
    gap_report: str | None = None  # "module:function" rendering the gap report in this format
    requires: str | None = None  # "module:function" raising InputError when unavailable

    def function(self, spec: str | None = None) -> Callable:
        module, _, name = (spec or self.writer).partition(":")
        return getattr(importlib.import_module(module), name)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("docx", "docx", "Word documents", "aimsdocs.writers.docx:write_document",
           link_rank=0, uses_brand=True, links_documents=True),
    Format("html", "html", "standalone web pages with an index",
           "aimsdocs.writers.html:write_document", link_rank=1, uses_brand=True,
           links_documents=True, navigates=True, index="aimsdocs.writers.html:write_index",
           gap_report="aimsdocs.writers.gap:render_gap_html"),
    Format("md", "md", "Markdown with YAML front matter",
           "aimsdocs.writers.markdown:write_document", link_rank=3,
           gap_report="aimsdocs.writers.gap:render_gap_markdown"),
    Format("pdf", "pdf", "PDF through LibreOffice", "aimsdocs.writers.pdf:write_all",
           per_pack=True, link_rank=2, uses_brand=True, links_documents=True,
           requires="aimsdocs.writers.pdf:require_libreoffice"),
)}
DEFAULT_FORMATS = ("docx", "html", "md")


def write_document(format_name: str, doc: RenderedDocument, context: DocumentContext) -> bytes:
    """One document in one per-document format (a module function: it pickles into workers)."""
    return FORMATS[format_name].function()(doc, context)


def help_text() -> str:
    listed = ", ".join(f"{f.name} ({f.description})" for f in FORMATS.values())
    return f"comma-separated: {listed}; default {','.join(DEFAULT_FORMATS)}"


class PackBatch:
    """A per-pack format's files, written together the first time any one is asked for."""

    def __init__(self, format_name: str, docs: list[RenderedDocument],
                 contexts: dict[str, DocumentContext]):
        self.format_name = format_name
        self.docs = docs
        self.contexts = contexts
        self._files: dict[str, bytes] | None = None

    def produce(self, doc_id: str) -> bytes:
        if self._files is None:
            self._files = FORMATS[self.format_name].function()(self.docs, self.contexts)
        return self._files[doc_id]
