"""load_isms on the sample organisation's own ISMS (Markdown, Word, register, SoA, isms.yaml)."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest

from aimsdocs.isms import Provenance, load_isms
from aimsdocs.standards import load_standards

ISMS = Path(__file__).resolve().parents[1] / "sample_org" / "isms"


@cache
def inventory():
    return load_isms(ISMS, load_standards())


def test_every_document_is_found_with_its_identity():
    docs = inventory().documents
    assert sorted(docs) == [
        "MFS-POL-001", "MFS-POL-002", "MFS-POL-003",
        "MFS-PRO-001", "MFS-PRO-002", "MFS-PRO-003", "MFS-PRO-004", "MFS-PRO-005", "MFS-PRO-006",
        "MFS-STD-001", "MFS-STD-002",
    ]
    assert {d.format for d in docs.values()} == {"md", "docx"}
    assert inventory().warnings == []


@pytest.mark.parametrize("doc_id, relpath, title, version, approver", [
    # YAML front matter
    ("MFS-POL-001", "policies/MFS-POL-001-information-security-policy.md",
     "Information Security Policy", "3.0", "Dr. Katrin Vogel, CEO"),
    # bold "Label:" lines, a Markdown table, a block quote, a list under "Document control"
    ("MFS-PRO-003", "procedures/internal-audit-procedure.md", "Internal Audit Procedure", "1.6",
     "Dr. Katrin Vogel, CEO"),
    ("MFS-PRO-004", "procedures/management-review-procedure.md", "Management Review Procedure",
     "1.3", "Dr. Katrin Vogel, CEO"),
    ("MFS-PRO-005", "procedures/incident-management-procedure.md",
     "Incident Management Procedure", "2.4", "Jonas Richter, CTO"),
    ("MFS-STD-001", "standards/logging-and-monitoring-standard.md",
     "Logging and Monitoring Standard", "1.8", "Amira Haddad, Information Security Manager"),
    # Word: a document-control table, and a quote paragraph with line breaks
    ("MFS-PRO-001", "procedures/document-control-procedure.docx", "Document Control Procedure",
     "2.1", "Dr. Katrin Vogel, CEO"),
    ("MFS-PRO-006", "procedures/corrective-action-procedure.docx", "Corrective Action Procedure",
     "1.5", "Dr. Katrin Vogel, CEO"),
])
def test_identity_from_each_kind_of_control_block(doc_id, relpath, title, version, approver):
    doc = inventory().document(doc_id)
    assert (doc.relpath, doc.title, doc.version, doc.approver) == (relpath, title, version,
                                                                  approver)
    assert doc.path == ISMS / relpath


def test_register_fills_what_the_document_leaves_out():
    doc = inventory().document("MFS-PRO-002")  # its control lines have no next review date
    assert doc.next_review == "2026-04-01"
    assert doc.owner == "Amira Haddad, Information Security Manager"


def test_sections_split_at_headings():
    doc = inventory().document("MFS-PRO-005")
    headings = [s.heading for s in doc.sections]
    assert headings[0] == "Incident Management Procedure"
    assert "4. Reporting events (A.6.8)" in headings
    reporting = next(s for s in doc.sections if s.heading.startswith("4."))
    assert reporting.level == 2 and "security-report" in reporting.text


def test_claims_by_provenance():
    inv = inventory()

    def best(standard, item):
        return [(c.doc_id, c.provenance) for c in inv.covering(standard, item)]

    # the policy framework table of MFS-POL-001 maps A.8.15 to the logging standard
    assert best("iso27001", "A.8.15")[0] == ("MFS-STD-001", Provenance.MAPPED)
    assert best("iso27001", "A.5.2") == [("MFS-POL-001", Provenance.MAPPED)]  # SoA, by title
    assert best("iso27001", "5.2")[0] == ("MFS-POL-001", Provenance.DECLARED)  # front matter
    assert best("iso9001", "9.1.3") == [("MFS-PRO-004", Provenance.DECLARED)]  # isms.yaml
    assert ("MFS-PRO-006", Provenance.MAPPED) in best("iso27001", "10.2")  # the ISP table
    assert ("MFS-PRO-001", Provenance.REFERENCED) in best("iso9001", "7.5")


def test_covering_lists_one_claim_per_document_strongest_first():
    claims = inventory().covering("iso27001", "A.5.27")
    assert [c.doc_id for c in claims] == ["MFS-PRO-005", "MFS-PRO-006"]
    assert [c.provenance for c in claims] == [Provenance.MAPPED, Provenance.MAPPED]
    assert inventory().covering("iso27001", "A.7.6") == []


def test_heading_is_the_evidence_when_a_heading_cites_the_control():
    [claim] = [c for c in inventory().claims if c.item_id == "A.8.32"
               and c.provenance is Provenance.REFERENCED]
    assert claim.evidence == 'heading "7. Change management (A.8.32)"'
    assert claim.where() == ("standards/secure-development-standard.docx paragraph 29, "
                             'section "7. Change management (A.8.32)"')


def test_cross_references_belong_to_the_linked_documents():
    claimed = {(c.doc_id, c.item_id) for c in inventory().claims}
    # The policy framework table in MFS-POL-001 lists A.5.24-A.5.28 and A.8.16 next to links.
    assert ("MFS-POL-001", "A.5.25") not in claimed
    assert ("MFS-POL-001", "A.8.16") not in claimed
    assert ("MFS-PRO-005", "A.5.25") in claimed
    # A Word hyperlink in the supplier policy points incidents (A.5.24) to the procedure.
    assert ("MFS-POL-003", "A.5.24") not in claimed


def test_isms_yaml_denial_removes_a_detection(tmp_path):
    assert not inventory_has("MFS-POL-003", "A.8.15", inventory())
    copy = tmp_path / "isms"
    shutil.copytree(ISMS, copy)
    (copy / "isms.yaml").unlink()
    undenied = load_isms(copy, load_standards())
    # without the denial the citation is kept, as a mention: the SoA names the standard
    assert any(c.doc_id == "MFS-POL-003" and c.item_id == "A.8.15" for c in undenied.mentions)
    assert not inventory_has("MFS-PRO-004", "9.1", undenied)
    assert not any(c.doc_id == "MFS-POL-003" and c.item_id == "A.8.15"
                   for c in inventory().mentions)


def inventory_has(doc_id, item, inv) -> bool:
    return any(c.doc_id == doc_id and c.item_id == item for c in inv.claims)


def test_soa_import():
    inv = inventory()
    assert inv.soa_path == ISMS / "statement-of-applicability.xlsx"
    assert len(inv.soa) == 93
    excluded = sorted(c for c, e in inv.soa.items() if e.applicable is False)
    assert excluded == ["A.7.6", "A.8.30"]
    assert all(e.applicable is True for c, e in inv.soa.items() if c not in excluded)
    entry = inv.soa["A.5.27"]
    assert entry.references == ("MFS-PRO-005", "MFS-PRO-006")
    assert entry.doc_ids == ("MFS-PRO-005", "MFS-PRO-006")
    assert inv.soa["A.8.17"].doc_ids == ("MFS-STD-001",)  # referenced by title
    assert inv.soa["A.5.15"].doc_ids == ()  # a document that is not in this folder
    assert inv.soa["A.8.30"].justification.startswith("No outsourced development")
    assert inv.soa["A.5.7"].status == "Partially implemented"


def test_claims_are_sorted_and_unique():
    claims = inventory().claims
    keys = [(c.key, c.provenance) for c in claims]
    assert len(keys) == len(set(keys))
    assert claims == sorted(claims, key=lambda c: (c.standard, c.item_id.startswith("A."),
                                                   [int(p) for p in
                                                    c.item_id.removeprefix("A.").split(".")],
                                                   c.doc_id, list(Provenance).index(
                                                       c.provenance)))
