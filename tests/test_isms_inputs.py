"""load_isms on small hand-made ISMS folders: identity fallbacks, SoA variants, bad input."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from aimsdocs.errors import InputError
from aimsdocs.isms import Provenance, load_isms
from aimsdocs.isms.soa import control_id, parse_applicable
from aimsdocs.standards import load_standards

SOA_HEADER = "Control,Title,Applicable,Justification,Status,Implementation,Reference\n"


def write(root: Path, relpath: str, text: str | bytes) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(root: Path):
    return load_isms(root, load_standards())


# ---------------------------------------------------------------- documents and identity

def test_identity_fallbacks_and_register_join(tmp_path):
    write(tmp_path, "plain-notes.md", "# Backup Rules\n\nDaily backups.\n")
    write(tmp_path, "policies/access.md", "# Access Control Policy\n\nText.\n")
    write(tmp_path, "registers/document-register.csv",
          "Document ID;Document Title;Version;Owner\n"
          "ACP-7;Access control policy;4.2;CISO\n")
    docs = load(tmp_path).documents
    assert docs["PLAIN-NOTES"].title == "Backup Rules"  # id from the file stem
    joined = docs["ACP-7"]  # joined by title, case- and punctuation-insensitively
    assert (joined.title, joined.version, joined.owner) == ("Access Control Policy", "4.2", "CISO")


def test_body_lines_are_not_mistaken_for_document_control(tmp_path):
    write(tmp_path, "p.md", "# P\n\n## 1. Purpose\n\nText.\n\n## 2. Roles\n\n- Owner: the CISO\n"
                            "- Version: of the truth\n")
    doc = load(tmp_path).document("P")
    assert (doc.owner, doc.version) == (None, None)


def test_skips_lock_hidden_and_readme_files(tmp_path):
    write(tmp_path, "README.md", "# Read me\n")
    write(tmp_path, ".git/notes.md", "# Hidden\n")
    write(tmp_path, "~$policy.docx", b"not a zip")
    write(tmp_path, "policy.md", "# Policy\n")
    assert list(load(tmp_path).documents) == ["POLICY"]


def test_duplicate_ids_are_kept_with_a_warning(tmp_path):
    write(tmp_path, "a/one.md", "# One\n\nDocument ID: POL-1\n")
    write(tmp_path, "b/two.md", "# Two\n\nDocument ID: POL-1\n")
    inv = load(tmp_path)
    assert sorted(inv.documents) == ["POL-1", "POL-1-TWO"]
    assert "POL-1" in inv.warnings[0] and "b/two.md" in inv.warnings[0]


def test_markdown_cross_reference_index_credits_the_linked_document(tmp_path):
    write(tmp_path, "policies/logging.md", "---\nid: STD-9\n---\n# Logging Standard\n")
    write(tmp_path, "index.md", "# Control index\n\n| Control | Document |\n|---|---|\n"
                                "| A.8.16 Monitoring | [Logging](policies/logging.md) |\n"
                                "| A.8.20 Networks | [Vendor site](https://example.com) |\n")
    claims = {(c.doc_id, c.item_id, c.provenance) for c in load(tmp_path).claims}
    assert ("STD-9", "A.8.16", Provenance.MAPPED) in claims
    assert not any(c[:2] == ("INDEX", "A.8.16") for c in claims)
    assert ("INDEX", "A.8.20", Provenance.REFERENCED) in claims  # a web link is not a document


def test_2013_reference_in_a_document(tmp_path):
    write(tmp_path, "ops.md", "# Operations\n\nEvent logging per A.12.4.1 is retained.\n")
    [claim] = [c for c in load(tmp_path).claims if c.provenance is Provenance.REFERENCED]
    assert claim.item_id == "A.8.15"
    assert "2013" in claim.evidence and "now A.8.15" in claim.evidence


# ---------------------------------------------------------------- SoA variants

@pytest.mark.parametrize("cell, expected", [
    ("A.5.1", "A.5.1"), ("5.1", "A.5.1"), ("A 5.1", "A.5.1"), ("A.05.01", "A.5.1"),
    ("A5.1", "A.5.1"), ("Annex A 5.1", "A.5.1"), ("A.5.1 Policies", "A.5.1"),
    ("A.5", None), ("A.5 Organizational controls", None), ("", None), ("A.12.4.1", None),
])
def test_soa_control_ids(cell, expected):
    parsed = control_id(cell)
    assert (parsed[0] if parsed else None) == expected


@pytest.mark.parametrize("text, expected", [
    ("Yes", True), ("y", True), ("TRUE", True), ("1", True), ("x", True), ("Included", True),
    ("No", False), ("N", False), ("false", False), ("0", False), ("Excluded", False),
    ("Not applicable", False), ("N/A", False), ("", None), ("tbd", None),
])
def test_soa_applicability_words(text, expected):
    assert parse_applicable(text) is expected


def test_csv_soa_with_title_rows_section_rows_and_an_unquoted_comma(tmp_path):
    write(tmp_path, "policies/dlp.md", "# Data Leakage Policy\n\nDocument ID: POL-18\n")
    write(tmp_path, "soa.csv",
          "ACME Statement of Applicability,,,\nVersion 2,,,\n,,,\n" + SOA_HEADER +
          "A.5 Organizational controls,,,,,,\n"
          "5.1,Policies,Y,Required,Implemented,Policy set,POL-18\n"
          "A.8.12,DLP,Yes,Required,Partial,Email DLP in place, endpoint DLP planned,POL-18\n"
          "A.08.30,Outsourced development,No,None outsourced,N/A,,\n")
    inv = load(tmp_path)
    assert sorted(inv.soa) == ["A.5.1", "A.8.12", "A.8.30"]
    messy = inv.soa["A.8.12"]
    assert messy.description == "Email DLP in place, endpoint DLP planned"
    assert messy.doc_ids == ("POL-18",) and messy.row == 7
    assert inv.soa["A.8.30"].applicable is False
    assert any("row 7" in w for w in inv.warnings)
    soa_claims = {(c.item_id, c.doc_id) for c in inv.claims
                  if c.provenance is Provenance.MAPPED and c.source == "soa.csv"}
    assert soa_claims == {("A.5.1", "POL-18"), ("A.8.12", "POL-18")}  # not the excluded one


def test_xlsx_soa_header_found_on_a_later_sheet(tmp_path):
    write(tmp_path, "policies/crypto.md", "# Cryptography Policy\n")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Statement of Applicability — cover page"])
    sheet = workbook.create_sheet("Annex A")
    sheet.append(["Ref", "Control name", "Included?", "Reason", "Implementation status",
                  "How implemented", "Policy"])
    sheet.append(["A 8.24", "Use of cryptography", "x", "Risk", "Done", "TLS", "cryptography"])
    workbook.save(tmp_path / "ISMS_SoA_v3.xlsx")
    entry = load(tmp_path).soa["A.8.24"]
    assert (entry.applicable, entry.status, entry.doc_ids) == (True, "Done", ("CRYPTO",))


def test_soa_without_a_header_names_the_file_and_the_columns(tmp_path):
    write(tmp_path, "statement-of-applicability.csv", "foo,bar\n1,2\n")
    with pytest.raises(InputError) as caught:
        load(tmp_path)
    message = str(caught.value)
    assert "statement-of-applicability.csv" in message and "Applicable" in message


# ---------------------------------------------------------------- bad input

def test_missing_root(tmp_path):
    with pytest.raises(InputError, match="ISMS folder not found"):
        load(tmp_path / "nope")


@pytest.mark.parametrize("name", ["policy.docx", "statement-of-applicability.xlsx",
                                  "document-register.xlsx"])
def test_corrupt_office_files_name_the_file(tmp_path, name):
    write(tmp_path, name, b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(InputError) as caught:
        load(tmp_path)
    assert name in str(caught.value)


def test_non_utf8_markdown_names_file_and_line(tmp_path):
    write(tmp_path, "policy.md", b"# Policy\n\nline two\ncaf\xe9\n")
    with pytest.raises(InputError) as caught:
        load(tmp_path)
    problem = caught.value.problems[0]
    assert problem.file.name == "policy.md" and problem.line == 4


def test_front_matter_with_an_unknown_id_names_the_line(tmp_path):
    write(tmp_path, "policy.md", "---\nid: P-1\ncovers:\n  iso27001: ['A.5.99']\n---\n# P\n")
    with pytest.raises(InputError) as caught:
        load(tmp_path)
    problem = caught.value.problems[0]
    assert problem.file.name == "policy.md" and problem.line == 4 and "A.5.99" in str(problem)


def test_isms_yaml_is_validated_with_lines(tmp_path):
    write(tmp_path, "policy.md", "# Policy\n\nDocument ID: P-1\n")
    write(tmp_path, "isms.yaml", "documents:\n  - id: P-1\n    covers:\n      iso27001: ['7.5',"
                                 " 'A.5.99']\n      iso14001: ['4.1']\n    colour: red\n")
    with pytest.raises(InputError) as caught:
        load(tmp_path)
    problems = {p.line: p.message for p in caught.value.problems}
    assert "A.5.99" in problems[4] and "iso14001" in problems[5] and "colour" in problems[6]


def test_isms_yaml_naming_an_unknown_document(tmp_path):
    write(tmp_path, "policy.md", "# Policy\n\nDocument ID: P-1\n")
    write(tmp_path, "isms.yaml", "documents:\n  - path: policies/missing.md\n    covers: ['7.5']\n")
    with pytest.raises(InputError, match="missing.md") as caught:
        load(tmp_path)
    assert caught.value.problems[0].line == 2


def test_isms_yaml_declares_by_path_and_plain_list(tmp_path):
    write(tmp_path, "policies/policy.md", "# Policy\n\nDocument ID: P-1\n")
    write(tmp_path, "isms.yaml", "documents:\n  - path: policies/policy.md\n"
                                 "    covers: ['A.05.37', '7.5']\n")
    claims = {(c.item_id, c.provenance, c.evidence) for c in load(tmp_path).claims}
    assert claims == {("A.5.37", Provenance.DECLARED, "isms.yaml"),
                      ("7.5", Provenance.DECLARED, "isms.yaml")}


def test_front_matter_identity_keeps_versions_as_written(tmp_path):
    write(tmp_path, "policy.md", "---\ndoc_id: P-7\ntitle: Backup Policy\nversion: 2.10\n"
                                 "approved_by: CTO\nnext_review: 2026-05-01\n---\n# Other\n")
    doc = load(tmp_path).document("P-7")
    assert (doc.title, doc.version, doc.approver, doc.next_review) == (
        "Backup Policy", "2.10", "CTO", "2026-05-01")
