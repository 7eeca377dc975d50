"""Redlines of our own documents: after approval, a change shows as tracked changes.

`approve` keeps the approved text next to the state file, so a later build (in CI, from the
repository alone) can show the approver exactly what changed since that version.
"""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml
from helpers import copy_org, edit_profile
from lxml import etree

from aimsdocs.cli import main
from aimsdocs.writers.redline import accept_all, paragraph_texts, reject_all

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
POLICY = "MFS-AIMS-POL-01"


def build(org, out, *extra) -> int:
    return main(["build", str(org), "--out", str(out), "--format", "docx", *extra])


def approve(org, when: str) -> int:
    return main(["approve", str(org), POLICY, "--by", "Dr. Katrin Vogel", "--date", when])


def changes(data: bytes) -> tuple[list[str], list[str]]:
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))

    def texts(tag: str, text_tag: str) -> list[str]:
        found = ["".join(t.text or "" for t in e.iter(f"{W}{text_tag}")) for e in
                 body.iter(f"{W}{tag}")]
        return [t for t in found if t.strip()]

    return texts("ins", "t"), texts("del", "delText")


@pytest.fixture
def approved(tmp_path):
    org = copy_org(tmp_path)
    out = tmp_path / "out"
    assert build(org, out, "--date", "2026-12-01") == 0
    assert approve(org, "2026-12-05") == 0
    return org, out


def test_approve_keeps_the_approved_text_beside_the_state_file(approved):
    org, _ = approved
    kept = org / "aimsdocs-approved" / f"{POLICY}.md"
    text = kept.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["version"] == "1.0" and front["status"] == "Approved"
    assert front["approved_by"] == "Dr. Katrin Vogel"
    assert "# AI policy" in text and "Chief Executive Officer" in text


def test_a_change_after_approval_gives_a_redline_of_exactly_that_change(approved, capsys):
    org, out = approved
    edit_profile(org, "title: Chief Executive Officer", "title: Managing Director")
    capsys.readouterr()
    assert build(org, out, "--date", "2027-01-10") == 0
    said = capsys.readouterr().out
    redline = out / "meridian" / "redlines" / "pol-01-ai-policy.docx"
    assert "redlines/pol-01-ai-policy.docx" in said
    assert sorted(p.name for p in redline.parent.iterdir()) == [redline.name]  # only it changed
    data = redline.read_bytes()
    inserted, deleted = changes(data)
    # The profile change, and the document control of the new version: nothing else.
    assert "Chief Executive Officer" in deleted and "Managing Director" in inserted
    control = {"1.0", "1.1", "Approved", "Draft", "Not yet approved",
               "Dr. Katrin Vogel on 2026-12-05", "2026-12-01", "2027-12-01", "2027-01-10",
               "2028-01-10", "Jonas Richter"}
    assert set(deleted) <= {"Chief Executive Officer"} | control
    assert set(inserted) - control - {"Managing Director"} <= {
        t for t in inserted if t.startswith("Sections updated")}  # the new revision line
    current = (out / "meridian" / "docx" / "pol-01-ai-policy.docx").read_bytes()
    assert paragraph_texts(accept_all(data)) == paragraph_texts(current)
    before = paragraph_texts(reject_all(data))
    assert any("Chief Executive Officer" in p for p in before)
    assert not any("Managing Director" in p for p in before)


def test_reapproving_withdraws_the_redline(approved, capsys):
    org, out = approved
    edit_profile(org, "title: Chief Executive Officer", "title: Managing Director")
    assert build(org, out, "--date", "2027-01-10") == 0
    assert approve(org, "2027-01-11") == 0
    capsys.readouterr()
    assert build(org, out, "--date", "2027-01-11") == 0
    assert "withdrew redlines/pol-01-ai-policy.docx" in capsys.readouterr().out
    assert not (out / "meridian" / "redlines").exists()
    kept = (org / "aimsdocs-approved" / f"{POLICY}.md").read_text(encoding="utf-8")
    assert "version: '1.1'" in kept and "Managing Director" in kept


def test_approve_refuses_a_version_the_pack_no_longer_has(approved, capsys):
    org, _ = approved
    edit_profile(org, "title: Chief Executive Officer", "title: Managing Director")
    capsys.readouterr()
    assert approve(org, "2026-12-06") == 2
    assert "build` first" in capsys.readouterr().err
    state = yaml.safe_load((org / "aimsdocs-state.yaml").read_text(encoding="utf-8"))
    assert state["documents"][POLICY]["approval"]["on"].isoformat() == "2026-12-05"
