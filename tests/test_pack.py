"""The complete pack: coverage is computed, documents are specific to the organisation."""

from __future__ import annotations

import json

import pytest
from docx import Document
from helpers import copy_org, edit_profile

from aimsdocs.cli import main
from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.prepare import load_inputs
from aimsdocs.plan import build_plan


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    base = tmp_path_factory.mktemp("pack")
    org = copy_org(base)
    out = base / "out"
    assert main(["build", str(org), "--out", str(out)]) == 0
    return org, out / "meridian"


def test_every_requirement_is_addressed_by_a_template(sample_org):
    org, standards, isms, _env, specs, _ = load_inputs(sample_org, BuildOptions())
    addressed = {item for spec in specs for item in spec.addresses}
    for requirement in standards.iso42001.requirements():
        if requirement.kind == "clause" and "." not in requirement.id:
            continue  # top-level clause headings group their sub-clauses
        assert requirement.id in addressed, requirement.id
    plan = build_plan(org.profile, standards, specs, isms)
    assert plan.uncovered() == []


def test_pack_has_every_document_in_three_formats(pack):
    org, out = pack
    docx = sorted((out / "docx").glob("*.docx"))
    # 24 documents, 3 registers the text cites, and per AI system: an impact assessment, a
    # gate record and (for the 3 systems Meridian develops) a model card.
    assert len(docx) == 24 + 3 + 5 + 5 + 3
    for fmt, ext in (("html", "html"), ("md", "md")):
        assert len(list((out / fmt).glob(f"*.{ext}"))) >= len(docx)
    assert (out / "html" / "index.html").is_file()
    assert (out / "statement-of-applicability.xlsx").is_file()
    assert (out / "registers.xlsx").is_file()
    assert (out / "gap-analysis.xlsx").is_file()


def test_one_impact_assessment_per_ai_system(pack):
    _, out = pack
    records = sorted(p.name for p in (out / "docx").glob("rec-01-*.docx"))
    assert records == ["rec-01-ais-01-eta-forecast.docx", "rec-01-ais-02-docuscan.docx",
                       "rec-01-ais-03-meridian-assist.docx",
                       "rec-01-ais-04-invoice-anomaly-screening.docx",
                       "rec-01-ais-05-talentfilter.docx"]
    text = (out / "md" / "rec-01-ais-05-talentfilter.md").read_text(encoding="utf-8")
    assert "Job applicants" in text and "[TO COMPLETE:" in text


def test_ai_policy_and_life_cycle_name_the_organisation_s_systems_and_people(pack):
    _, out = pack
    policy = Document(next((out / "docx").glob("pol-01-*.docx")))
    text = "\n".join(p.text for p in policy.paragraphs) + "\n".join(
        c.text for t in policy.tables for r in t.rows for c in r.cells)
    for expected in ("Dr. Katrin Vogel", "ETA Forecast", "TalentFilter", "Sofia Marques",
                     "EU AI Act"):
        assert expected in text, expected
    # the title is in Title; the top sections are Heading 1, so a reference.docx restyles them
    assert policy.paragraphs[0].style.name == "Title"
    assert any(p.style.name == "Heading 1" and p.text == "Principles" for p in policy.paragraphs)
    life_cycle = (out / "md" / "pro-03-ai-system-life-cycle-procedure.md").read_text("utf-8")
    for expected in ("DocuScan", "Lukas Brandt", "Meridian Assist", "verification"):
        assert expected in life_cycle, expected


def test_documents_adapt_to_an_organisation_that_only_uses_ai(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    text = (org / "profile.yaml").read_text(encoding="utf-8")
    text = text.replace("roles: [producer, provider]", "roles: [customer]")
    text = text.replace("roles: [producer, customer]", "roles: [customer]")
    (org / "profile.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "md"]) == 0
    capsys_free = (out / "meridian" / "md")
    life_cycle = next(capsys_free.glob("pro-03-*.md")).read_text(encoding="utf-8")
    assert "acqui" in life_cycle.lower()
    assert main(["gap", str(org), "--json"]) == 0


def test_gap_json_lists_documents_per_requirement(sample_org, capsys):
    capsys.readouterr()
    assert main(["gap", str(sample_org), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 81
    for row in rows:
        assert {"requirement", "title", "strategy", "isms_sources", "documents"} <= set(row)
        assert row["documents"], row["requirement"]


def test_org_template_override_wins(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    (org / "templates").mkdir()
    (org / "templates" / "ai-policy.md.j2").write_text(
        "---\nid: POL-01\ntitle: AI policy\ntype: policy\norder: 20\n"
        "addresses: [\"5\", \"5.1\", \"5.2\", A.2.2, A.2.3, A.2.4]\n---\n"
        "## Our own policy\n\n{{ legal_name }} writes its own AI policy.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "md,docx"]) == 0
    text = next((out / "meridian" / "md").glob("pol-01-*.md")).read_text(encoding="utf-8")
    assert "Meridian Freight Systems GmbH writes its own AI policy." in text
    headings = [p.text for p in Document(next((out / "meridian" / "docx").glob("pol-01-*")))
                .paragraphs if p.style.name.startswith("Heading")]
    assert "Our own policy" in headings


def test_isms_mode_include_quotes_the_isms_section(tmp_path):
    org = copy_org(tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "md",
                 "--isms-mode", "include"]) == 0
    audit = next((out / "meridian" / "md").glob("pro-09-*.md")).read_text(encoding="utf-8")
    assert "### From MFS-PRO-003" in audit
    assert "procedures/internal-audit-procedure.md" in audit


def test_soa_command_writes_38_controls(tmp_path, sample_org, capsys):
    import openpyxl

    target = tmp_path / "soa.xlsx"
    assert main(["soa", str(sample_org), "--out", str(target)]) == 0
    sheet = openpyxl.load_workbook(target)["Statement of Applicability"]
    ids = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]
    assert len(ids) == 38 and ids[0] == "A.2.2" and ids[-1] == "A.10.4"


def test_todo_markers_are_counted_in_the_summary(tmp_path, capsys):
    org = copy_org(tmp_path, with_isms=False)
    edit_profile(org, "size: about 380 employees", "size: about 380 employees")
    capsys.readouterr()
    assert main(["build", str(org), "--out", str(tmp_path / "out"), "--format", "md"]) == 0
    assert "marked [TO COMPLETE: …]" in capsys.readouterr().out
