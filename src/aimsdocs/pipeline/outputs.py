"""Describe every output of a pack: path, what it is built from, and how to produce it.

Producing bytes (DOCX, XLSX) is the slow part, so it is deferred: the incremental step first
compares input hashes and only calls `produce` for outputs that are new or stale. Producers
are partials of module functions, so they pickle into spawned worker processes, and writer
libraries are imported only when something is really produced.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import partial

from aimsdocs import __version__
from aimsdocs.pipeline.options import BuildOptions, Output
from aimsdocs.plan import Plan
from aimsdocs.render.document import Brand, DocumentControl, RenderedDocument

EXTENSIONS = {"docx": "docx", "html": "html", "md": "md", "pdf": "pdf"}
LINK_PREFERENCE = ("docx", "html", "pdf", "md")  # which copy of a document the SoA opens


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
                     template_hash: str, soa_control: DocumentControl | None = None
                     ) -> list[Output]:
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
                produce=(partial(pdf_batch.pdf, doc.doc_id) if fmt == "pdf" and pdf_batch
                         else partial(write_document, fmt, doc, brand)),
                document=doc.doc_id,
                reads=reads.get(doc.doc_id, {}),
                template_hash=template_hash,
                title=doc.title,
                parallel=fmt != "pdf",
            ))
    if "html" in options.formats:
        outputs.append(_index(plan, rendered, slugs))
    outputs.extend(workbook_outputs(plan, rendered, options, slugs, soa_control))
    return outputs


def write_document(fmt: str, doc: RenderedDocument, brand: Brand | None) -> bytes:
    if fmt == "docx":
        from aimsdocs.writers.docx import write_docx

        return write_docx(doc, brand)
    if fmt == "html":
        from aimsdocs.writers.html import write_html

        return write_html(doc, brand)
    from aimsdocs.writers.markdown import write_markdown

    return write_markdown(doc)


def _write_index(rendered: list[RenderedDocument], links: dict[str, str], organisation: str,
                 extra: list[tuple[str, str]]) -> bytes:
    from aimsdocs.writers.html import write_index

    return write_index(rendered, links, organisation, extra)


def _index(plan: Plan, rendered: list[RenderedDocument], slugs: dict[str, str]) -> Output:
    links = {d.doc_id: f"{slugs[d.doc_id]}.html" for d in rendered}
    extra = [("Statement of Applicability (Excel)", "../statement-of-applicability.xlsx"),
             ("AIMS registers (Excel)", "../registers.xlsx"),
             ("Gap and traceability report", "gap-analysis.html")]
    controls = [repr(d.control) for d in rendered]
    produce = partial(_write_index, rendered, links, plan.profile.organisation.legal_name, extra)
    return Output("html/index.html", fingerprint("index", controls, links, extra), produce,
                  title="Index of the AIMS pack")


# Pack workbooks and the gap report. Each is fingerprinted over the same plain description its
# writer lays out, so an unchanged plan gives an unchanged hash, and any visible change
# changes it.

def workbook_outputs(plan: Plan, rendered: list[RenderedDocument], options: BuildOptions,
                     slugs: dict[str, str], soa_control: DocumentControl | None = None
                     ) -> list[Output]:
    from aimsdocs.writers import gap, registers, soa

    description = gap.describe_gap(plan)
    outputs = [
        _described("statement-of-applicability.xlsx", "soa",
                   soa.describe_soa(plan, document_links(rendered, options.formats, slugs),
                                    soa_control),
                   soa.render_soa, "Statement of Applicability"),
        _described("registers.xlsx", "registers", registers.describe_registers(plan),
                   registers.render_registers, "AIMS registers"),
        _described("gap-analysis.xlsx", "gap-xlsx", description, gap.render_gap_xlsx,
                   "Gap and traceability report"),
    ]
    if "html" in options.formats:
        outputs.append(_described("html/gap-analysis.html", "gap-html", description,
                                  gap.render_gap_html, "Gap and traceability report"))
    if "md" in options.formats:
        outputs.append(_described("md/gap-analysis.md", "gap-md", description,
                                  gap.render_gap_markdown, "Gap and traceability report"))
    return outputs


def document_links(rendered: list[RenderedDocument], formats: tuple[str, ...],
                   slugs: dict[str, str]) -> dict[str, str]:
    """doc id -> path of its preferred copy, relative to the workbooks at the pack's root."""
    fmt = next((f for f in LINK_PREFERENCE if f in formats), None)
    if fmt is None:
        return {}
    return {doc.doc_id: f"{fmt}/{slugs[doc.doc_id]}.{EXTENSIONS[fmt]}" for doc in rendered
            if doc.doc_id in slugs}


def _described(relpath: str, kind: str, description: dict, render: Callable[[dict], bytes],
               title: str) -> Output:
    return Output(relpath, fingerprint(kind, description), partial(render, description),
                  title=title)
