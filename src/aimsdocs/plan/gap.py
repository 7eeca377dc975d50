"""The gap and traceability report: per ISO/IEC 42001 requirement, how it is met and where."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aimsdocs.plan import Plan, ReuseStrategy

STANDARD_LABELS = {"iso27001": "ISO/IEC 27001:2022", "iso9001": "ISO 9001:2015"}
CANDIDATE_LABEL = "candidate — confirm"


def _source(s) -> dict:
    return {
        "doc_id": s.doc_id,
        "title": s.title,
        "version": s.version,
        "path": s.path,
        "via": [{"standard": STANDARD_LABELS[std], "id": item, "relationship": rel}
                for std, item, rel in s.via],
        "provenance": s.provenance,
        "evidence": s.evidence,
        "where": s.where,
    }


def gap_rows(plan: Plan) -> list[dict]:
    rows = []
    for item_id, req in plan.requirements.items():
        rows.append({
            "requirement": item_id,
            "title": req.requirement.title,
            "kind": req.requirement.kind,
            "strategy": req.strategy.value,
            "isms_sources": [_source(s) for s in req.isms_sources],
            # Weak evidence to confirm: inferred topics, records. Never the basis of reuse.
            "candidates": [_source(s) for s in req.candidates]
            if req.strategy is not ReuseStrategy.excluded else [],
            "addendum": req.addendum if req.strategy is ReuseStrategy.extend else [],
            "exclusion": req.exclusion,
            "not_supplied": req.not_supplied,
            "scope_excluded": list(req.scope_excluded),
            "documents": [
                {"doc_id": d, "title": plan.document(d).title} for d in req.documents
            ],
            # amend mode: ISMS documents amended for AI in place of an AIMS procedure
            "amended_isms_documents": [
                {"doc_id": d, "reference": plan.amendments.located(d)} for d in req.amended_in
            ] if plan.amendments else [],
        })
    return rows


def gap_summary(plan: Plan) -> dict:
    counts = Counter(r.strategy.value for r in plan.requirements.values())
    total = len(plan.requirements)
    reused = counts["reuse"] + counts["extend"]
    isms: Any = plan.isms  # an IsmsInventory (plan does not import the isms package)
    used_docs = {s.doc_id for r in plan.requirements.values() for s in r.isms_sources}
    unused = sorted(d for d in (isms.documents if isms else {}) if d not in used_docs)
    uncovered = plan.uncovered()
    share = reused / total if total else 0.0
    to_confirm = [r.id for r in plan.requirements.values() if r.candidates
                  and r.strategy is not ReuseStrategy.excluded]
    missing = getattr(isms, "not_supplied", [])
    named_missing = [_named(n) for n in missing]
    # SoA references that are neither a document of the folder nor a named document
    # (those are listed above): free text such as "Leaver process (HR)".
    named = {n.name for n in missing}
    unresolved = [f"{e.control_id} (row {e.row}): {'; '.join(e.unresolved)}"
                  for e in getattr(isms, "soa_unresolved", [])
                  if not set(e.unresolved) <= named]
    lines = [
        f"Requirements: {total} (ISO/IEC 42001 clauses and Annex A controls)",
        *(f"  {s.value:<9} {counts[s.value]}" for s in ReuseStrategy),
        f"Met by reuse or extension of the ISMS: {reused} ({share:.0%})",
        f"ISMS documents nothing used: {', '.join(unused) if unused else 'none'}",
        f"Requirements with no document: {', '.join(uncovered) if uncovered else 'none'}",
    ]
    overdue = [f"{d.doc_id} (due {d.next_review.isoformat()})" for d in plan.overdue]
    if overdue:
        lines.append(f"ISMS documents relied on that are past their next review: "
                     f"{', '.join(overdue)}")
    not_supplied = [r.id for r in plan.requirements.values() if r.not_supplied]
    if not_supplied:
        lines.append("Run by the certified ISMS but no document supplied: "
                     + ", ".join(not_supplied))
    if isms:
        lines += [
            f"Requirements with a {CANDIDATE_LABEL}: "
            f"{', '.join(to_confirm) if to_confirm else 'none'}",
            f"ISMS documents named but not supplied: {_some(named_missing)}",
            f"SoA rows whose reference names no document: {_some(unresolved)}",
        ]
    return {
        "total": total,
        "counts": {s.value: counts[s.value] for s in ReuseStrategy},
        "reuse_share": share,
        "unused_isms_documents": unused,
        "uncovered": uncovered,
        "overdue_isms_documents": [{"doc_id": d.doc_id, "title": d.title, "path": d.path,
                                    "next_review": d.next_review.isoformat()}
                                   for d in plan.overdue],
        "not_supplied": not_supplied,
        "to_confirm": to_confirm,
        "named_not_supplied": named_missing,
        "soa_unresolved": unresolved,
        "lines": lines,
    }


def _some(entries: list[str], shown: int = 8) -> str:
    """The first entries of a long list, and how many more `aimsdocs isms` shows."""
    if not entries:
        return "none"
    more = f"; … {len(entries) - shown} more (see `aimsdocs isms`)" \
        if len(entries) > shown else ""
    return "; ".join(entries[:shown]) + more


def _named(reference) -> str:
    items = f" for {', '.join(reference.items[:6])}" if reference.items else ""
    more = "…" if len(reference.items) > 6 else ""
    return f"{reference.name}{items}{more}"
