"""Describe every output of a pack: path, what it is built from, and how to produce it.

Producing bytes (DOCX, XLSX) is the slow part, so it is deferred: the incremental step first
compares input hashes and only calls `produce` for outputs that are new or stale. Producers
are partials of module functions, so they pickle into spawned worker processes, and writer
libraries are imported only when something is really produced.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import partial

from aimsdocs import __version__
from aimsdocs.pipeline.options import BuildOptions, Output
from aimsdocs.plan import Plan, PlannedDocument
from aimsdocs.render.document import Brand, DocumentControl, RenderedDocument
from aimsdocs.writers.registry import (
    FORMATS,
    DocumentContext,
    Neighbour,
    PackBatch,
    write_document,
)
from aimsdocs.writers.tree import mentioned


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
    parts = [brand.accent_colour or "-"]
    for path in (brand.reference_docx, brand.logo):
        parts.append(hashlib.sha256(path.read_bytes()).hexdigest() if path else "-")
    return "|".join(parts)


def describe_outputs(plan: Plan, rendered: list[RenderedDocument], options: BuildOptions,
                     brand: Brand | None, reads: dict[str, dict[str, str]],
                     template_hash: str, soa_control: DocumentControl | None = None,
                     workbooks: list[Output] | None = None) -> list[Output]:
    """Every output of the pack; `workbooks`, when given, are the `workbook_outputs` already
    described (before the documents were rendered, see `prepare`)."""
    outputs: list[Output] = []
    brand_print = brand_fingerprint(brand)
    slugs = {d.doc_id: d.slug for d in plan.documents}
    ids = {doc.doc_id for doc in rendered}
    named = {doc.doc_id: mentioned(doc.markdown, ids) for doc in rendered}
    formats = [FORMATS[name] for name in options.formats]
    contexts = {fmt.name: {doc.doc_id: _context(fmt, doc, index, rendered, slugs, named, brand)
                           for index, doc in enumerate(rendered)} for fmt in formats}
    batches = {fmt.name: PackBatch(fmt.name, rendered, contexts[fmt.name])
               for fmt in formats if fmt.per_pack}
    for doc in rendered:  # a document's formats side by side: they share one Markdown parse
        for fmt in formats:
            context = contexts[fmt.name][doc.doc_id]
            batch = batches.get(fmt.name)
            outputs.append(Output(
                relpath=f"{fmt.name}/{slugs[doc.doc_id]}.{fmt.extension}",
                input_hash=fingerprint(fmt.name, doc.markdown, repr(doc.control),
                                       brand_print if fmt.uses_brand else "",
                                       context.links, repr(context.previous),
                                       repr(context.next), context.index),
                produce=(partial(batch.produce, doc.doc_id) if batch is not None
                         else partial(write_document, fmt.name, doc, context)),
                document=doc.doc_id,
                reads=reads.get(doc.doc_id, {}),
                template_hash=template_hash,
                title=doc.title,
                parallel=not fmt.per_pack,
            ))
    for fmt in formats:
        if fmt.index:
            outputs.append(_index(fmt.name, plan, rendered, slugs, brand, brand_print))
    if workbooks is None:
        workbooks = workbook_outputs(plan, rendered, options, slugs, brand, soa_control)
    outputs.extend(workbooks)
    return outputs


def _context(fmt, doc: RenderedDocument, index: int, rendered: list[RenderedDocument],
             slugs: dict[str, str], named: dict[str, list[str]],
             brand: Brand | None) -> DocumentContext:
    """Brand, the links this document's mentions need (only those, so a new document elsewhere
    does not invalidate it), and for navigating formats its neighbours and the index."""
    def href(doc_id: str) -> str:
        return f"{slugs[doc_id]}.{fmt.extension}"

    links = ({i: href(i) for i in named[doc.doc_id] if i != doc.doc_id and i in slugs}
             if fmt.links_documents else {})
    if not fmt.navigates:
        return DocumentContext(brand if fmt.uses_brand else None, links)
    before = rendered[index - 1] if index > 0 else None
    after = rendered[index + 1] if index + 1 < len(rendered) else None
    return DocumentContext(
        brand if fmt.uses_brand else None, links, "index.html",
        Neighbour(href(before.doc_id), before.title) if before else None,
        Neighbour(href(after.doc_id), after.title) if after else None)


def _write_index(format_name: str, rendered: list[RenderedDocument], links: dict[str, str],
                 organisation: str, extra: list[tuple[str, str]], brand: Brand | None) -> bytes:
    return FORMATS[format_name].function(FORMATS[format_name].index)(
        rendered, links, organisation, extra, brand)


def _index(format_name: str, plan: Plan, rendered: list[RenderedDocument],
           slugs: dict[str, str], brand: Brand | None, brand_print: str) -> Output:
    fmt = FORMATS[format_name]
    links = {d.doc_id: f"{slugs[d.doc_id]}.{fmt.extension}" for d in rendered}
    extra = [("Statement of Applicability (Excel)", "../statement-of-applicability.xlsx"),
             ("AIMS registers (Excel)", "../registers.xlsx"),
             ("Gap and traceability report", f"gap-analysis.{fmt.extension}")]
    controls = [repr(d.control) for d in rendered]
    produce = partial(_write_index, format_name, rendered, links,
                      plan.profile.organisation.legal_name, extra, brand)
    return Output(f"{format_name}/index.{fmt.extension}",
                  fingerprint("index", controls, links, extra, brand_print), produce,
                  title="Index of the AIMS pack")


# Pack workbooks and the gap report. Each is fingerprinted over the same plain description its
# writer lays out, so an unchanged plan gives an unchanged hash, and any visible change
# changes it.

def workbook_outputs(plan: Plan, documents: Sequence[RenderedDocument | PlannedDocument],
                     options: BuildOptions, slugs: dict[str, str], brand: Brand | None = None,
                     soa_control: DocumentControl | None = None) -> list[Output]:
    """The workbooks and gap reports. They need the plan and the documents' ids only (rendered
    or planned ones alike), so they can be described before anything is rendered."""
    from aimsdocs.writers import gap, registers, soa

    brand_print = brand_fingerprint(brand)
    description = gap.describe_gap(plan)
    outputs = [
        _described("statement-of-applicability.xlsx", "soa",
                   soa.describe_soa(plan, document_links(documents, options.formats, slugs),
                                    soa_control),
                   soa.render_soa, "Statement of Applicability", brand, brand_print),
        _described("registers.xlsx", "registers", registers.describe_registers(plan),
                   registers.render_registers, "AIMS registers", brand, brand_print),
        _described("gap-analysis.xlsx", "gap-xlsx", description, gap.render_gap_xlsx,
                   "Gap and traceability report", brand, brand_print),
    ]
    for name in options.formats:
        fmt = FORMATS[name]
        if fmt.gap_report:
            outputs.append(_described(f"{name}/gap-analysis.{fmt.extension}", f"gap-{name}",
                                      description, _gap_report, "Gap and traceability report",
                                      brand, brand_print, name))
    return outputs


def _gap_report(format_name: str, description: dict, brand: Brand | None = None) -> bytes:
    return FORMATS[format_name].function(FORMATS[format_name].gap_report)(description, brand)


def document_links(rendered: Sequence[RenderedDocument | PlannedDocument],
                   formats: tuple[str, ...], slugs: dict[str, str]) -> dict[str, str]:
    """doc id -> path of its preferred copy, relative to the workbooks at the pack's root."""
    ranked = sorted((FORMATS[f] for f in formats if FORMATS[f].link_rank is not None),
                    key=lambda f: f.link_rank or 0)
    if not ranked:
        return {}
    fmt = ranked[0]
    return {doc.doc_id: f"{fmt.name}/{slugs[doc.doc_id]}.{fmt.extension}" for doc in rendered
            if doc.doc_id in slugs}


def _described(relpath: str, kind: str, description: dict, render: Callable, title: str,
               brand: Brand | None, brand_print: str, format_name: str | None = None) -> Output:
    produce = (partial(render, format_name, description, brand) if format_name
               else partial(render, description, brand))
    return Output(relpath, fingerprint(kind, description, brand_print), produce, title=title)
