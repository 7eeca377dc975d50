"""The pack's workbooks and gap report as build outputs.

Each output is fingerprinted over the same plain description its writer lays out, so an
unchanged plan gives an unchanged hash, and any change the reader could see changes it.
"""

from __future__ import annotations

from collections.abc import Callable

from aimsdocs.build.outputs import EXTENSIONS, fingerprint
from aimsdocs.build.pipeline import BuildOptions, Output
from aimsdocs.plan import Plan
from aimsdocs.render.document import RenderedDocument
from aimsdocs.writers.gap import describe_gap, render_gap_html, render_gap_markdown, render_gap_xlsx
from aimsdocs.writers.registers import describe_registers, render_registers
from aimsdocs.writers.soa import describe_soa, render_soa

LINK_PREFERENCE = ("docx", "html", "pdf", "md")  # which copy of a document the SoA opens


def pack_workbooks(plan: Plan, rendered: list[RenderedDocument], options: BuildOptions,
                   slugs: dict[str, str]) -> list[Output]:
    soa = describe_soa(plan, document_links(rendered, options.formats, slugs))
    registers = describe_registers(plan)
    gap = describe_gap(plan)
    outputs = [
        _output("statement-of-applicability.xlsx", "soa", soa, render_soa,
                "Statement of Applicability"),
        _output("registers.xlsx", "registers", registers, render_registers, "AIMS registers"),
        _output("gap-analysis.xlsx", "gap-xlsx", gap, render_gap_xlsx,
                "Gap and traceability report"),
    ]
    if "html" in options.formats:
        outputs.append(_output("html/gap-analysis.html", "gap-html", gap, render_gap_html,
                               "Gap and traceability report"))
    if "md" in options.formats:
        outputs.append(_output("md/gap-analysis.md", "gap-md", gap, render_gap_markdown,
                               "Gap and traceability report"))
    return outputs


def document_links(rendered: list[RenderedDocument], formats: tuple[str, ...],
                   slugs: dict[str, str]) -> dict[str, str]:
    """doc id -> path of its preferred copy, relative to the workbooks at the pack's root."""
    fmt = next((f for f in LINK_PREFERENCE if f in formats), None)
    if fmt is None:
        return {}
    return {doc.doc_id: f"{fmt}/{slugs[doc.doc_id]}.{EXTENSIONS[fmt]}" for doc in rendered
            if doc.doc_id in slugs}


def _output(relpath: str, kind: str, description: dict, render: Callable[[dict], bytes],
            title: str) -> Output:
    return Output(relpath, fingerprint(kind, description), lambda: render(description),
                  title=title)
