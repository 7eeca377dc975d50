"""load_isms on a real third-party ISMS (../shared/fixtures; skipped when absent).

Markdown policies with a `> **Document control**` block quote, `A 5.15`-style citations,
records without ids, CSV registers, an Excel SoA and a CSV copy with an unquoted comma; plus
the same policies as Word documents with no register beside them.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest

from aimsdocs.isms import Provenance, load_isms
from aimsdocs.isms.lookup import DocumentLookup
from aimsdocs.isms.soa import read_soa
from aimsdocs.standards import load_standards


@cache
def _load(root: Path):
    return load_isms(root, load_standards())


@pytest.fixture
def md(northwind):
    return _load(northwind)


@pytest.fixture
def word(northwind_docx):
    return _load(northwind_docx)


def test_policies_have_ids_and_versions_from_their_control_block(md):
    policies = {d for d in md.documents if d.startswith("POL-")}
    assert len(policies) == 21
    governance = md.document("POL-003")
    assert governance.version == "1.3"
    assert governance.relpath == "policies/policy-governance-and-document-control-policy.md"
    assert governance.effective_date == "2025-10-01"
    # Its file name is about document control: a guess, kept as a mention because the
    # information security policy cites 7.5. The SoA names the IT Operations Policy for
    # A.5.37, so the governance policy's own citation of it is a mention too.
    assert any(c.doc_id == "POL-003" and c.item_id == "7.5"
               and c.provenance is Provenance.INFERRED for c in md.mentions)
    assert [c.doc_id for c in md.covering("iso27001", "A.5.37")] == ["POL-019"]
    assert any(c.doc_id == "POL-003" and c.item_id == "A.5.37" for c in md.mentions)


def test_the_isp_heading_with_a_clause_number_claims_the_clause(md):
    # "## 13. Documented Information (7.5)": a bare number confirmed by the title beside it
    [claim] = [c for c in md.covering("iso27001", "7.5") if c.doc_id == "POL-001"]
    assert claim.provenance is Provenance.REFERENCED and "(7.5)" in claim.evidence


def test_the_soa_decides_and_other_citations_become_mentions(md):
    claims = md.covering("iso27001", "A.8.15")
    assert [(c.doc_id, c.provenance) for c in claims] == [("POL-019", Provenance.MAPPED)]
    cited = [c for c in md.mentions if c.item_id == "A.8.15"]
    assert cited and all(c.provenance is not Provenance.MAPPED for c in cited)


def test_control_cited_in_a_heading_is_found(md):
    # e.g. "11. Change Management (A 8.32)" in the security operations policy, where the SoA
    # names the change management policy: kept, with the heading as its evidence
    cited = [c for c in md.mentions if c.item_id == "A.8.32" and c.doc_id == "POL-011"]
    assert any(c.evidence.startswith("heading ") and "A 8.32" in c.evidence for c in cited)
    assert cited[0].where().startswith("policies/security-operations-policy.md line ")


def test_records_without_ids_get_one_from_their_file_name(md):
    audit = md.document("INTERNAL-AUDIT-PLAN-AND-REPORT")
    assert audit.title.startswith("Internal Audit Plan")
    assert audit.kind == "record"  # "plan and report": the head word is "report"
    # a record is at most evidence for 9.2, never the document that covers it
    assert any(c.doc_id == audit.doc_id and c.item_id == "9.2"
               for c in md.mentions + md.candidates("iso27001", "9.2"))
    assert not any(c.doc_id == audit.doc_id for c in md.covering("iso27001", "9.2"))


def test_scope_line_in_a_record_claims_nothing(md):
    # the audit report's scope names Annex A ranges; a record's text proves the audit ran
    audit = "INTERNAL-AUDIT-PLAN-AND-REPORT"
    assert not any(c.doc_id == audit and c.item_id.startswith("A.") and not c.candidate
                   for c in md.claims)


def test_ids_outside_our_standards_are_ignored(md):
    # The exercise log cites "ISO 22301 clause 8.5": not an ISO 27001 clause 8.5.
    assert not any(c.doc_id == "EXERCISE-TEST-LOG" and c.item_id == "8.5" for c in md.claims)


def test_soa_imports_93_rows_with_documents_resolved(md, northwind):
    assert md.soa_path == (northwind / "statement-of-applicability.xlsx").resolve()
    assert len(md.soa) == 93
    assert md.soa["A.8.30"].applicable is False
    assert md.soa["A.5.1"].doc_ids == ("POL-001",)
    assert md.soa["A.5.3"].doc_ids == ("POL-005",)  # named by title: "Access Control Policy"
    assert md.soa["A.8.12"].doc_ids == ("POL-018",)  # the row with the split description
    resolved = sum(1 for e in md.soa.values() if e.doc_ids)
    assert resolved >= 80
    assert any("also found registers/statement-of-applicability.csv" in w for w in md.warnings)


def test_the_csv_soa_survives_its_unquoted_comma(md, northwind):
    soa = read_soa(northwind / "registers" / "statement-of-applicability.csv", load_standards(),
                   DocumentLookup(md.documents))
    assert len(soa.entries) == 93
    row = soa.entries["A.8.12"]
    assert row.description == "Email DLP in place, endpoint DLP planned"
    assert row.doc_ids == ("POL-018",)


def test_word_variant_yields_the_same_identities(md, word):
    assert len(word.documents) == 21
    for doc_id, doc in word.documents.items():
        original = md.document(doc_id)
        assert (doc.title, doc.version, doc.owner, doc.approver, doc.effective_date) == (
            original.title, original.version, original.owner, original.approver,
            original.effective_date), doc_id
        assert doc.format == "docx"


def test_word_variant_finds_the_same_referenced_controls(md, word):
    def referenced(inv):  # the Word set has no SoA to settle them: compare all citations
        return {(c.doc_id, c.item_id) for c in inv.claims + inv.mentions
                if c.provenance is Provenance.REFERENCED and c.doc_id.startswith("POL-")}
    assert referenced(word) == referenced(md)


def test_loading_is_fast(northwind, northwind_docx):
    load_standards()
    _load(northwind)  # warm imports (openpyxl, python-docx)
    start = time.perf_counter()
    load_isms(northwind, load_standards())
    load_isms(northwind_docx, load_standards())
    assert time.perf_counter() - start < 2.0
