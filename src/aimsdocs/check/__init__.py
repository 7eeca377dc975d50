"""`aimsdocs check`: the rendered pack agrees with itself and with the ISMS facts it inherits.

It checks that one role has one holder, that one parameter (retention, review frequency,
deadlines, acceptance authority) has one value, that every document the text names exists,
and that nobody approves or validates their own work. It reads the rendered text as well as
the plan, so template overrides are checked too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aimsdocs.check import rules
from aimsdocs.check.model import Finding, PackDocument, Statement, read_pack
from aimsdocs.plan import Plan
from aimsdocs.render.document import RenderedDocument
from aimsdocs.support.heap import paused, settle

__all__ = ["CheckReport", "Finding", "PackDocument", "Statement", "check_pack"]


@dataclass
class CheckReport:
    documents: int
    findings: list[Finding] = field(default_factory=list)
    with_isms: bool = True

    @property
    def clean(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        if self.clean:
            tail = " and with the ISMS" if self.with_isms else ""
            return f"check: {self.documents} documents agree with each other{tail}"
        kinds = rules.grouped(self.findings)
        counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(kinds.items()))
        return (f"check: {len(self.findings)} finding(s) ({counts}); "
                "run `aimsdocs check ORG` for the statements")


def check_pack(plan: Plan, rendered: list[RenderedDocument]) -> CheckReport:
    slugs = {d.doc_id: d.slug for d in plan.documents}
    with paused():
        documents = read_pack(rendered, slugs)
    settle()
    try:
        return _check(plan, documents)
    finally:
        for document in documents:  # sentences point back at their document: free it now
            document.forget()


def _check(plan: Plan, documents: list[PackDocument]) -> CheckReport:
    facts = plan.facts
    profile = plan.profile
    isms_ids = set(plan.isms.documents) if plan.isms is not None else set()
    known = {d.doc_id for d in plan.documents}
    findings = (
        rules.one_holder_per_role(documents, {s.id for s in profile.ai_systems})
        + rules.owner_matches_document_control(
            documents, frozenset(d.doc_id for d in plan.documents if d.parts))
        + rules.no_self_approval(documents)
        + rules.management_review_frequency(documents, facts)
        + rules.record_retention(documents, facts)
        + rules.document_review_cycle(documents, profile.document_control.review_period_months,
                                      facts)
        + rules.deadlines(documents)
        + rules.risk_acceptance(documents, facts, plan.person_for)
        + rules.references_exist(documents, known, profile.document_control.id_prefix,
                                 isms_ids)
    )
    return CheckReport(len(documents), findings, plan.isms is not None)
