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
    assert any(c.doc_id == "POL-003" for c in md.covering("iso27001", "A.5.37"))
    assert any(c.doc_id == "POL-003" for c in md.covering("iso27001", "7.5"))


def test_logging_is_found_by_reference(md):
    claims = md.covering("iso27001", "A.8.15")
    referenced = [c for c in claims if c.provenance is Provenance.REFERENCED]
    assert referenced, claims
    assert any("8.15" in c.evidence for c in referenced)


def test_control_cited_in_a_heading_is_found(md):
    # e.g. "Change Management (A 8.32)"; the heading, when present, is the evidence shown
    claims = md.covering("iso27001", "A.8.32")
    assert any(c.evidence.startswith("heading ") and "A 8.32" in c.evidence for c in claims)


def test_records_without_ids_get_one_from_their_file_name(md):
    audit = md.document("INTERNAL-AUDIT-PLAN-AND-REPORT")
    assert audit.title.startswith("Internal Audit Plan")
    assert any(c.doc_id == audit.doc_id for c in md.covering("iso27001", "9.2"))


def test_ids_outside_our_standards_are_ignored(md):
    # The exercise log cites "ISO 22301 clause 8.5": not an ISO 27001 clause 8.5.
    assert not any(c.doc_id == "EXERCISE-TEST-LOG" and c.item_id == "8.5" for c in md.claims)


def test_soa_imports_93_rows_with_documents_resolved(md, northwind):
    assert md.soa_path == northwind / "statement-of-applicability.xlsx"
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
    def referenced(inv):
        return {(c.doc_id, c.item_id) for c in inv.claims
                if c.provenance is Provenance.REFERENCED and c.doc_id.startswith("POL-")}
    assert referenced(word) == referenced(md)


def test_loading_is_fast(northwind, northwind_docx):
    load_standards()
    _load(northwind)  # warm imports (openpyxl, python-docx)
    start = time.perf_counter()
    load_isms(northwind, load_standards())
    load_isms(northwind_docx, load_standards())
    assert time.perf_counter() - start < 2.0
