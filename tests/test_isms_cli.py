"""`aimsdocs isms`, the import summary in validate/build/gap, and what evidence may carry reuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import copy_org

from aimsdocs.cli import main
from aimsdocs.isms import load_isms
from aimsdocs.isms.declared import load_config
from aimsdocs.standards import load_standards


def run(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def own_isms(tmp_path: Path, files: dict[str, str]) -> Path:
    """A copy of the sample organisation whose ISMS folder holds only `files`."""
    org = copy_org(tmp_path, with_isms=False)
    for relpath, text in files.items():
        write(org / "isms", relpath, text)
    return org


# ---------------------------------------------------------------- aimsdocs isms

def test_isms_lists_files_identity_claims_and_what_is_missing(capsys, sample_org):
    code, out, _ = run(capsys, "isms", str(sample_org))
    assert code == 0
    assert "read    statement-of-applicability.xlsx" in out and "soa (93 controls)" in out
    assert "MFS-PRO-003  Internal Audit Procedure v1.6" in out
    assert "version: 1.6  [document control, line" in out
    assert "kind: governing (procedure)" in out
    assert "9.2      27001 referenced" in out
    assert "Named but not supplied:" in out and "Access Control Standard for A.5.3" in out
    assert "SoA rows whose reference names no document:" in out


def test_isms_json_has_every_section(capsys, sample_org):
    code, out, _ = run(capsys, "isms", str(sample_org), "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) >= {"files", "documents", "contribute_nothing", "not_supplied", "soa",
                         "mentions", "warnings", "summary"}
    audit = next(d for d in data["documents"] if d["doc_id"] == "MFS-PRO-003")
    assert audit["field_sources"]["version"].startswith("document control")
    claim = next(c for c in audit["claims"] if c["item"] == "9.2" and c["standard"] == "iso27001"
                 and c["tier"] == "referenced")
    assert claim["where"].startswith("procedures/internal-audit-procedure.md line ")


def test_isms_accepts_an_isms_folder_directly(capsys, tmp_path):
    write(tmp_path, "p.md", "# Backup Policy\n\nIt implements A.8.13.\n")
    code, out, _ = run(capsys, "isms", str(tmp_path))
    assert code == 0 and "A.8.13   27001 referenced" in out


def test_suggest_writes_a_reviewable_file_that_is_never_read(capsys, tmp_path):
    org = own_isms(tmp_path, {
        "backup.md": "# Backup Policy\n\n## Restore tests\n",
        "soa.csv": "Control,Applicable,Reference\nA.8.15,Yes,SIEM runbook\n",
        "log.md": "# Logging Standard\n\nDocument ID: STD-9\n\nEvents are logged (A.8.15).\n",
    })
    code, out, _ = run(capsys, "isms", str(org), "--suggest")
    target = org / "isms" / "isms.suggested.yaml"
    assert code == 0 and target.is_file() and "candidate declarations" in out
    text = target.read_text(encoding="utf-8")
    assert '- "A.8.13"  # medium: topic of the title' in text
    assert '- "A.8.15"  # medium: the document cites it, but the SoA names SIEM runbook' in text
    assert "Named but not supplied for A.8.15: SIEM runbook" in text
    # never read as it is...
    inv = load_isms(org / "isms", load_standards())
    assert not any(c.provenance.value == "declared" for c in inv.claims)
    # ...and valid isms.yaml once renamed
    target.rename(org / "isms" / "isms.yaml")
    config = load_config(org / "isms", load_standards())
    assert {d.doc_id or d.path: d.covers for d in config.documents} == {
        "backup.md": {"iso27001": ["A.8.13"]}, "STD-9": {"iso27001": ["A.8.15"]}}


def test_suggest_never_overwrites_a_file_aimsdocs_did_not_write(capsys, tmp_path):
    org = own_isms(tmp_path, {"backup.md": "# Backup Policy\n"})
    target = write(org / "isms", "isms.suggested.yaml", "# my own notes\n")
    code, _, err = run(capsys, "isms", str(org), "--suggest")
    assert code == 2 and "not written by aimsdocs" in err
    assert target.read_text(encoding="utf-8") == "# my own notes\n"


def test_suggest_keeps_a_backup_of_an_edited_copy(capsys, tmp_path):
    org = own_isms(tmp_path, {"backup.md": "# Backup Policy\n"})
    assert run(capsys, "isms", str(org), "--suggest")[0] == 0
    target = org / "isms" / "isms.suggested.yaml"
    first = target.read_text(encoding="utf-8")
    assert run(capsys, "isms", str(org), "--suggest")[0] == 0  # ours, unchanged: rewritten
    assert not target.with_name(target.name + ".bak").exists()
    target.write_text(first + "# reviewed: keep A.8.13\n", encoding="utf-8")
    code, out, _ = run(capsys, "isms", str(org), "--suggest")
    assert code == 0 and "kept your edited copy" in out
    backup = target.with_name(target.name + ".bak")
    assert backup.read_text(encoding="utf-8").endswith("# reviewed: keep A.8.13\n")
    assert target.read_text(encoding="utf-8") == first


# ---------------------------------------------------------------- validate, gap, build

def test_validate_gap_and_build_print_the_import_summary_and_warnings(capsys, tmp_path):
    org = own_isms(tmp_path, {
        "a/one.md": "# One\n\nDocument ID: P-1\n", "b/two.md": "# Two\n\nDocument ID: P-1\n"})
    code, out, _ = run(capsys, "validate", str(org))
    assert code == 0 and "ISMS: 2 documents" in out
    assert "warning: document id P-1 is used by a/one.md and b/two.md" in out
    code, out, _ = run(capsys, "gap", str(org))
    assert code == 0 and "ISMS: 2 documents" in out and "warning: document id P-1" in out
    code, out, err = run(capsys, "gap", str(org), "--json")
    assert code == 0 and json.loads(out) and "warning: document id P-1" in err
    code, out, _ = run(capsys, "build", str(org), "--out", str(tmp_path / "out"),
                       "--format", "md")
    assert code == 0 and "ISMS: 2 documents" in out and "warning: document id P-1" in out


# ---------------------------------------------------------------- what may carry reuse

def gap_rows(capsys, org) -> dict:
    code, out, _ = run(capsys, "gap", str(org), "--json")
    assert code == 0
    return {row["requirement"]: row for row in json.loads(out)}


@pytest.mark.parametrize("files", [
    {"audit.md": "# Internal Audit Procedure\n\n## Audit programme\n"},  # a topic, inferred
    {"report.md": "# Internal Audit Report 2025\n\nThis audit met clause 9.2.\n"},  # a record
])
def test_inferred_topics_and_records_never_make_reuse(capsys, tmp_path, files):
    rows = gap_rows(capsys, own_isms(tmp_path, files))
    row = rows["9.2"]
    assert row["strategy"] == "new" and row["isms_sources"] == []
    [candidate] = row["candidates"]
    assert candidate["doc_id"] in ("AUDIT", "REPORT") and candidate["where"]
    assert all(r["strategy"] in ("new", "excluded") for r in rows.values())


def test_a_governing_citation_makes_reuse_and_a_partial_roll_up_extend(capsys, tmp_path):
    rows = gap_rows(capsys, own_isms(tmp_path, {
        "audit.md": "# Internal Audit Procedure\n\nThis procedure meets clause 9.2.\n",
        "review.md": "# Management Review Procedure\n\nIt meets clause 9.3.2 (inputs).\n"}))
    assert rows["9.2"]["strategy"] == "reuse"
    assert rows["9.2"]["isms_sources"][0]["provenance"] == "referenced"
    assert rows["9.2.2"]["strategy"] == "reuse"  # the procedure meets all of 9.2
    assert rows["9.3"]["strategy"] == "extend"  # only one of 9.3.1-9.3.3
    assert rows["9.3.2"]["strategy"] == "reuse"


def test_gap_report_shows_candidates_and_what_is_not_supplied(tmp_path):
    org = own_isms(tmp_path, {
        "audit.md": "# Internal Audit Procedure\n",
        "isp.md": "# Security Policy\n\n| Document | Annex A |\n|---|---|\n"
                  "| Incident Response Plan | 5.24 |\n"})
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "md"]) == 0
    text = next(out.rglob("gap-analysis.md")).read_text(encoding="utf-8")
    assert "candidate — confirm: AUDIT Internal Audit Procedure (audit.md)" in text
    assert "ISMS documents named but not supplied:** Incident Response Plan for A.5.24" in text
