"""The gap and traceability report: per ISO/IEC 42001 requirement, how it is met and where."""

from __future__ import annotations

from collections import Counter

from aimsdocs.plan import Plan, ReuseStrategy

STANDARD_LABELS = {"iso27001": "ISO/IEC 27001:2022", "iso9001": "ISO 9001:2015"}


def gap_rows(plan: Plan) -> list[dict]:
    rows = []
    for item_id, req in plan.requirements.items():
        rows.append({
            "requirement": item_id,
            "title": req.requirement.title,
            "kind": req.requirement.kind,
            "strategy": req.strategy.value,
            "isms_sources": [
                {
                    "doc_id": s.doc_id,
                    "title": s.title,
                    "version": s.version,
                    "path": s.path,
                    "via": [{"standard": STANDARD_LABELS[std], "id": item, "relationship": rel}
                            for std, item, rel in s.via],
                    "provenance": s.provenance,
                    "evidence": s.evidence,
                }
                for s in req.isms_sources
            ],
            "addendum": req.addendum if req.strategy is ReuseStrategy.extend else [],
            "exclusion": req.exclusion,
            "not_supplied": req.not_supplied,
            "scope_excluded": list(req.scope_excluded),
            "documents": [
                {"doc_id": d, "title": plan.document(d).title} for d in req.documents
            ],
        })
    return rows


def gap_summary(plan: Plan) -> dict:
    counts = Counter(r.strategy.value for r in plan.requirements.values())
    total = len(plan.requirements)
    reused = counts["reuse"] + counts["extend"]
    used_docs = {s.doc_id for r in plan.requirements.values() for s in r.isms_sources}
    unused = sorted(d for d in (plan.isms.documents if plan.isms else {}) if d not in used_docs)
    uncovered = plan.uncovered()
    share = reused / total if total else 0.0
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
        "lines": lines,
    }
