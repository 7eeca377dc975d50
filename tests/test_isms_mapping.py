"""Mapping structures and the meaning of ids, on hand-made ISMS folders.

Whenever a row, a list item or a heading with the block under it pairs an id with a document,
the coverage belongs to that document and the container claims nothing; ids are read the way
the column or sentence says; scope statements claim nothing; 2013 ids are translated.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from aimsdocs.errors import InputError
from aimsdocs.isms import Provenance, load_isms
from aimsdocs.standards import load_standards


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(root: Path):
    return load_isms(root, load_standards())


def pairs(inv, firm_only: bool = True) -> set[tuple[str, str]]:
    return {(c.item_id, c.doc_id) for c in inv.claims if not (firm_only and c.candidate)}


@pytest.fixture
def folder(tmp_path):
    """Three small policies the mapping structures below point to."""
    write(tmp_path, "policies/backup.md", "# Backup Standard\n\nDocument ID: STD-02\n")
    write(tmp_path, "policies/06_supplier-policy.md", "# Supplier Policy\n")
    write(tmp_path, "policies/logging.md", "---\nid: STD-09\ntitle: Logging Standard\n---\n"
                                           "# Logging Standard\n\n## Retention\n")
    return tmp_path


# ---------------------------------------------------------------- mapping structures

def test_table_row_naming_a_title_credits_that_document(folder):
    write(folder, "isp.md", "# Top Policy\n\n| Document | Annex A |\n|---|---|\n"
                            "| Backup Standard v2.1 | 8.13 |\n"
                            "| Incident Response Policy | 5.24–5.28 |\n")
    inv = load(folder)
    assert ("A.8.13", "STD-02") in pairs(inv)
    assert not any(c.doc_id == "ISP" and c.item_id.startswith("A.5.2") for c in inv.claims)
    [missing] = inv.not_supplied
    assert missing.name == "Incident Response Policy"
    assert missing.items == ("A.5.24", "A.5.25", "A.5.26", "A.5.27", "A.5.28")
    assert missing.places == ("isp.md line 6",)


def test_list_items_with_ids_file_names_and_numbered_prefixes(folder):
    write(folder, "map.md", "# Cross-reference\n\n- A.8.15: STD-09\n- A.5.19 — 06\n"
                            "- A.8.13 covered by backup.md\n")
    inv = load(folder)
    found = pairs(inv)
    assert {("A.8.15", "STD-09"), ("A.8.13", "STD-02")} <= found
    assert not any(c.doc_id == "MAP" for c in inv.claims if not c.candidate)


def test_prose_that_names_a_document_in_passing_is_the_documents_own_text(folder):
    write(folder, "ops.md", "# Operations Manual\n\n- Risks are entered in the Risk Register "
                            "and reviewed every month by the CISO (A.5.7).\n")
    inv = load(folder)
    assert ("A.5.7", "OPS") in pairs(inv)
    assert inv.not_supplied == []


def test_heading_then_a_list_of_links_keeps_the_anchor(folder):
    write(folder, "appendix/xref.md",
          "# ISO 27001 Cross-Reference\n\n####12.4.1 Event logging\nEvents shall be logged.\n\n"
          "- [Logging](../policies/logging.md#retention)\n\n####12.4.2 Protection of log info\n"
          "Logs shall be protected.\n\n####13.2.1 Information transfer policies\n"
          "- [Transfer rules](../policies/transfer.md)\n")
    inv = load(folder)
    [claim] = [c for c in inv.claims if c.item_id == "A.8.15" and c.doc_id == "STD-09"
               and c.provenance is Provenance.MAPPED]
    assert claim.section == "retention"
    assert "2013 A.12.4.1, now A.8.15" in claim.evidence
    assert claim.where() == 'appendix/xref.md line 3, section "retention"'
    # the appendix is a record and claims nothing, not even the heading without links
    assert inv.document("XREF").kind == "record"
    assert not any(c.doc_id == "XREF" for c in inv.claims)
    [missing] = inv.not_supplied
    assert missing.name == "../policies/transfer.md" and missing.items == ("A.5.14",)


def test_documents_own_reference_line_is_a_mapping(folder):
    write(folder, "p.md", "# Access Policy\n\nISO 27001 reference: A.5.15, A.5.18\n\n## Rules\n")
    inv = load(folder)
    tiers = {(c.item_id, c.provenance) for c in inv.claims if c.doc_id == "P"}
    assert {("A.5.15", Provenance.MAPPED), ("A.5.18", Provenance.MAPPED)} <= tiers


def test_csv_and_xlsx_mapping_tables(folder):
    write(folder, "register.csv", "Doc ID;Title;ISO 27001 reference\n"
                                  "STD-02;Backup Standard;A.8.13\n"
                                  "BCP-1;Business Continuity Plan;A.5.29-5.30\n")
    workbook = openpyxl.Workbook()
    workbook.active.append(["Annex A control", "NIST CSF", "Policy"])
    workbook.active.append(["8.15", "DE.AE-3", "Logging Standard"])
    workbook.save(folder / "matrix.xlsx")
    inv = load(folder)
    assert {("A.8.13", "STD-02"), ("A.8.15", "STD-09")} <= pairs(inv)
    [missing] = inv.not_supplied
    assert missing.name == "BCP-1 Business Continuity Plan"
    assert missing.items == ("A.5.29", "A.5.30")


def test_soa_reference_inside_a_sentence_and_rows_that_resolve_to_nothing(folder):
    write(folder, "soa.csv", "Control,Applicable,Reference\n"
                             "A.8.13,Yes,Backup Standard v2 approved by the CTO in 2024\n"
                             "A.8.15,Yes,SIEM dashboard\n"
                             "A.5.9,Yes,Asset Register\n")
    inv = load(folder)
    assert ("A.8.13", "STD-02") in pairs(inv)
    unresolved = {e.control_id: e.unresolved for e in inv.soa_unresolved}
    assert unresolved == {"A.8.15": ("SIEM dashboard",), "A.5.9": ("Asset Register",)}
    assert [n.name for n in inv.not_supplied] == ["Asset Register"]
    # the SoA speaks for A.8.15: the logging standard's own text does not override it
    write(folder, "policies/logging.md", "# Logging Standard\n\nEvents are logged (A.8.15).\n")
    again = load(folder)
    assert not any(c.item_id == "A.8.15" for c in again.claims if not c.candidate)
    assert any(c.item_id == "A.8.15" and c.doc_id == "LOGGING" for c in again.mentions)


# ---------------------------------------------------------------- what ids mean

def test_scope_statements_claim_nothing(tmp_path):
    write(tmp_path, "manual.md", "# ISMS Manual\n\nThis manual covers clauses 4–10 of ISO/IEC "
                                 "27001. Clause 9 is audited yearly. It meets clause 7.5.\n")
    found = {c.item_id for c in load(tmp_path).claims if not c.candidate}
    assert found == {"7.5"}


def test_records_claim_nothing_by_their_text(tmp_path):
    write(tmp_path, "audit-report.md", "# Internal Audit Report 2025\n\nAudit of A.5.15 and "
                                       "clause 9.2: no findings.\n")
    inv = load(tmp_path)
    assert inv.document("AUDIT-REPORT").kind == "record"
    assert all(c.candidate for c in inv.claims)
    assert {c.item_id for c in inv.mentions} == {"A.5.15", "9.2"}


def test_sub_clauses_roll_up_to_their_clause(tmp_path):
    write(tmp_path, "review.md", "# Review Procedure\n\nIt meets clauses 9.3.1, 9.3.2 and "
                                 "9.3.3.\n")
    write(tmp_path, "docs.md", "# Records Procedure\n\nIt meets clauses 7.5.1 and 7.5.2.\n")
    found = pairs(load(tmp_path))
    assert ("9.3", "REVIEW") in found
    assert ("7.5", "DOCS") not in found  # 7.5.3 is missing: no roll-up


def test_ids_without_a_are_annex_a_where_the_column_or_sentence_says_so(tmp_path):
    write(tmp_path, "p.md", "# Network Standard\n\nThe following Annex A controls apply: "
                            "8.20, 8.21 and 8.22. Section 8.5 of the contract does not.\n\n"
                            "| Annex A control | Implementation |\n|---|---|\n"
                            "| 8.23 | Web filtering proxy |\n")
    assert {c.item_id for c in load(tmp_path).claims if not c.candidate} == {
        "A.8.20", "A.8.21", "A.8.22", "A.8.23"}


def test_mixed_ranges_and_lists_expand_fully(tmp_path):
    write(tmp_path, "p.md", "# Access Standard\n\nImplements A.5.15–5.18, 8.2–8.5.\n")
    found = {c.item_id for c in load(tmp_path).claims if not c.candidate}
    assert found == {"A.5.15", "A.5.16", "A.5.17", "A.5.18", "A.8.2", "A.8.3", "A.8.4", "A.8.5"}


def test_other_frameworks_ids_are_not_iso_ids(tmp_path):
    write(tmp_path, "p.md", "# Access Standard\n\n| Annex A | NIST CSF | CIS | SOC 2 |\n"
                            "|---|---|---|---|\n| 5.15 | PR.AC-1 | 6.1 | CC6.1 |\n\n"
                            "Maps to CIS Control 5.1, NIST SP 800-53 AC-2 and SOC 2 A1.2.\n")
    assert {c.item_id for c in load(tmp_path).claims if not c.candidate} == {"A.5.15"}


def test_2013_ids_in_front_matter_and_isms_yaml_are_translated(tmp_path):
    write(tmp_path, "p.md", "---\nid: P-1\ncovers: ['A.12.4.1']\n---\n# Operations Policy\n")
    write(tmp_path, "q.md", "# Roles Policy\n\nDocument ID: P-2\n")
    write(tmp_path, "isms.yaml", "documents:\n  - id: P-2\n    covers: ['A.6.1.1']\n")
    inv = load(tmp_path)
    declared = {(c.item_id, c.doc_id): c.evidence for c in inv.claims
                if c.provenance is Provenance.DECLARED}
    assert "2013 A.12.4.1, now A.8.15" in declared[("A.8.15", "P-1")]
    assert "2013 A.6.1.1, now A.5.2" in declared[("A.5.2", "P-2")]


def test_did_you_mean_knows_2013_ids(tmp_path):
    write(tmp_path, "p.md", "# Policy\n\nDocument ID: P-1\n")
    write(tmp_path, "isms.yaml", "documents:\n  - id: P-1\n    covers: ['A.6.1.9']\n")
    with pytest.raises(InputError) as caught:
        load(tmp_path)
    hint = caught.value.problems[0].hint
    assert hint.startswith("did you mean A.6.1.") and "(ISO/IEC 27001:2013, now A.5." in hint


def test_2013_soa_rows_are_translated(tmp_path):
    write(tmp_path, "ops.md", "# Operations Manual\n")
    write(tmp_path, "soa.csv", "Control,Applicable,Reference\nA.12.4.1,Yes,Operations Manual\n"
                               "A.6.2.2,No,\n")
    inv = load(tmp_path)
    assert inv.soa["A.8.15"].doc_ids == ("OPS",) and "A.12.4.1" in inv.soa["A.8.15"].note
    assert inv.soa["A.6.7"].applicable is False


def test_generic_headings_inside_a_topic_policy_claim_nothing(tmp_path):
    write(tmp_path, "crypto.md", "# Cryptography Policy\n\n## Objectives\n\n## Roles and "
                                 "responsibilities\n\n## Communication\n\n## Key management\n")
    write(tmp_path, "comms.md", "# Communication Plan\n")
    items = {(c.item_id, c.doc_id) for c in load(tmp_path).claims}
    assert not {("6.2", "CRYPTO"), ("5.3", "CRYPTO"), ("7.4", "CRYPTO")} & items
    assert ("A.8.24", "CRYPTO") in items  # a topic heading still gives a candidate
    assert ("7.4", "COMMS") in items  # the title is about it


def test_inferred_topics_are_candidates_only(tmp_path):
    write(tmp_path, "backup.md", "# Backup Policy\n\n## Restore tests\n")
    [claim] = [c for c in load(tmp_path).claims if c.item_id == "A.8.13"]
    assert claim.provenance is Provenance.INFERRED and claim.candidate
    assert load(tmp_path).covering("iso27001", "A.8.13") == []
