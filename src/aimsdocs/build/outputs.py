"""Describe every output of a pack: path, what it is built from, and how to produce it.

Producing bytes (DOCX, XLSX) is the slow part, so it is deferred: the incremental step first
compares input hashes and only calls `produce` for outputs that are new or stale.
"""

from __future__ import annotations

import hashlib
import json

from aimsdocs import __version__
from aimsdocs.build.pipeline import BuildOptions, Output
from aimsdocs.plan import Plan
from aimsdocs.render.document import Brand, RenderedDocument

EXTENSIONS = {"docx": "docx", "html": "html", "md": "md", "pdf": "pdf"}


def fingerprint(*parts) -> str:
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        if not isinstance(part, (str, bytes)):
            part = json.dumps(part, sort_keys=True, default=str, ensure_ascii=False)
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()


def brand_fingerprint(brand: Brand | None) -> str:
    if brand is None:
        return "-"
    parts = [brand.accent_colour]
    for path in (brand.reference_docx, brand.logo):
        parts.append(hashlib.sha256(path.read_bytes()).hexdigest() if path else "-")
    return "|".join(parts)


def describe_outputs(plan: Plan, rendered: list[RenderedDocument], options: BuildOptions,
                     brand: Brand | None, reads: dict[str, dict[str, str]],
                     template_hash: str) -> list[Output]:
    outputs: list[Output] = []
    brand_print = brand_fingerprint(brand)
    slugs = {d.doc_id: d.slug for d in plan.documents}
    pdf_batch = None
    if "pdf" in options.formats:
        from aimsdocs.writers.pdf import PdfBatch

        pdf_batch = PdfBatch(rendered, brand)
    for doc in rendered:
        source = fingerprint(doc.markdown, repr(doc.control))
        for fmt in options.formats:
            outputs.append(Output(
                relpath=f"{fmt}/{slugs[doc.doc_id]}.{EXTENSIONS[fmt]}",
                input_hash=fingerprint(fmt, source, brand_print if fmt in ("docx", "pdf", "html")
                                       else ""),
                produce=_producer(fmt, doc, brand, pdf_batch),
                document=doc.doc_id,
                reads=reads.get(doc.doc_id, {}),
                template_hash=template_hash,
                title=doc.title,
            ))
    if "html" in options.formats:
        outputs.append(_index(plan, rendered, slugs, brand))
    outputs.extend(_workbooks(plan, rendered, options, slugs))
    return outputs


def _producer(fmt: str, doc: RenderedDocument, brand: Brand | None, pdf_batch=None):
    def produce() -> bytes:
        if fmt == "docx":
            from aimsdocs.writers.docx import write_docx

            return write_docx(doc, brand)
        if fmt == "html":
            from aimsdocs.writers.html import write_html

            return write_html(doc, brand)
        if fmt == "md":
            from aimsdocs.writers.markdown import write_markdown

            return write_markdown(doc)
        return pdf_batch.pdf(doc.doc_id)

    return produce


def _index(plan: Plan, rendered: list[RenderedDocument], slugs: dict[str, str],
           brand: Brand | None) -> Output:
    links = {d.doc_id: f"{slugs[d.doc_id]}.html" for d in rendered}
    extra = [("Statement of Applicability (Excel)", "../statement-of-applicability.xlsx"),
             ("AIMS registers (Excel)", "../registers.xlsx"),
             ("Gap and traceability report", "gap-analysis.html")]

    def produce() -> bytes:
        from aimsdocs.writers.html import write_index

        return write_index(rendered, links, plan.profile.organisation.legal_name, extra)

    controls = [repr(d.control) for d in rendered]
    return Output("html/index.html", fingerprint("index", controls, links, extra), produce,
                  title="Index of the AIMS pack")


def _workbooks(plan: Plan, rendered: list[RenderedDocument], options: BuildOptions,
               slugs: dict[str, str]) -> list[Output]:
    """SoA, registers and gap report, when their writers are available."""
    try:
        from aimsdocs.writers.workbooks import pack_workbooks
    except ImportError:
        return []
    return pack_workbooks(plan, rendered, options, slugs)
