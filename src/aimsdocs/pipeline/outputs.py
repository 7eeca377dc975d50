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
from aimsdocs.writers.tree import Mentions


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
                     workbooks: list[Output] | None = None,
                     described: dict[str, list[Output]] | None = None) -> list[Output]:
    """Every output of the pack. `workbooks`, when given, are the `workbook_outputs` already
    described (before the documents were rendered, see `prepare`); `described`, a document's
    outputs of formats written one document at a time, as `DocumentOutputs` described them."""
    describer = DocumentOutputs(plan, options, brand, template_hash)
    batches = {fmt.name: PackBatch(fmt.name, rendered, {
        doc.doc_id: describer.context(fmt, doc.doc_id, index,
                                      describer.mentions.of(doc.markdown))
        for index, doc in enumerate(rendered)}) for fmt in describer.formats if fmt.per_pack}
    outputs: list[Output] = []
    for index, doc in enumerate(rendered):  # a document's formats side by side: one parse
        alone = (described or {}).get(doc.doc_id) or describer.outputs(doc, index, reads)
        together = describer.outputs(doc, index, reads, batches) if batches else []
        by_format = {output.relpath.split("/", 1)[0]: output for output in alone + together}
        outputs.extend(by_format[fmt.name] for fmt in describer.formats)
    for fmt in describer.formats:
        if fmt.index:
            outputs.append(_index(fmt.name, plan, rendered, describer.slugs, brand,
                                  describer.brand_print))
    if workbooks is None:
        workbooks = workbook_outputs(plan, rendered, options, describer.slugs, brand,
                                     soa_control)
    outputs.extend(workbooks)
    return outputs


class DocumentOutputs:
    """Describes one document's outputs: everything they need is known from the plan once the
    document itself is rendered, so a build can start producing them while the next renders."""

    def __init__(self, plan: Plan, options: BuildOptions, brand: Brand | None,
                 template_hash: str):
        self.brand = brand
        self.brand_print = brand_fingerprint(brand)
        self.template_hash = template_hash
        self.formats = [FORMATS[name] for name in options.formats]
        self.slugs = {d.doc_id: d.slug for d in plan.documents}
        self.mentions = Mentions(self.slugs)
        self._titles = [(d.doc_id, d.title) for d in plan.documents]  # as rendered, in order

    def outputs(self, doc: RenderedDocument, index: int, reads: dict[str, dict[str, str]],
                batches: dict[str, PackBatch] | None = None) -> list[Output]:
        """The document's outputs in formats written one document at a time; with `batches`,
        those of the per-pack formats instead."""
        named = self.mentions.of(doc.markdown)
        outputs = []
        for fmt in self.formats:
            if fmt.per_pack != (batches is not None):
                continue
            context = self.context(fmt, doc.doc_id, index, named)
            outputs.append(Output(
                relpath=f"{fmt.name}/{self.slugs[doc.doc_id]}.{fmt.extension}",
                input_hash=fingerprint(fmt.name, doc.markdown, repr(doc.control),
                                       self.brand_print if fmt.uses_brand else "",
                                       context.links, repr(context.previous),
                                       repr(context.next), context.index),
                produce=(partial(batches[fmt.name].produce, doc.doc_id) if batches is not None
                         else partial(write_document, fmt.name, doc, context)),
                document=doc.doc_id,
                reads=reads.get(doc.doc_id, {}),
                template_hash=self.template_hash,
                title=doc.title,
                parallel=not fmt.per_pack,
            ))
        return outputs

    def context(self, fmt, doc_id: str, index: int,
                named: list[str] | None = None) -> DocumentContext:
        """Brand, the links this document's mentions need (only those, so a new document
        elsewhere does not invalidate it), and for navigating formats its neighbours and the
        index."""
        def href(other: str) -> str:
            return f"{self.slugs[other]}.{fmt.extension}"

        brand = self.brand if fmt.uses_brand else None
        links = ({i: href(i) for i in (named or []) if i != doc_id and i in self.slugs}
                 if fmt.links_documents else {})
        if not fmt.navigates:
            return DocumentContext(brand, links)
        before = self._titles[index - 1] if index > 0 else None
        after = self._titles[index + 1] if index + 1 < len(self._titles) else None
        return DocumentContext(
            brand, links, "index.html",
            Neighbour(href(before[0]), before[1]) if before else None,
            Neighbour(href(after[0]), after[1]) if after else None)


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
