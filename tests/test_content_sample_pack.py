"""The sample pack read as a Stage 2 auditor reads it: records with results, an SoA with
reasons and document control, the records the text cites, and the corrections of issue 15."""

from __future__ import annotations

import re

import openpyxl
import pytest
from helpers import copy_org, edit_profile

from aimsdocs.cli import main


def build(org, out) -> None:
    assert main(["build", str(org), "--out", str(out), "--format", "md"]) == 0


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    base = tmp_path_factory.mktemp("content")
    org = copy_org(base)
    build(org, base / "out")
    return org, base / "out" / "meridian"


def md(pack, prefix: str) -> str:
    _, out = pack
    files = sorted((out / "md").glob(f"{prefix}*.md"))
    assert files, prefix
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def markers(text: str) -> int:
    return text.count("[TO COMPLETE")


def test_impact_assessment_records_are_drafted_not_blank(pack):
    records = md(pack, "rec-01-")
    assert markers(records) <= 150  # 361 before the records were drafted
    assert records.count("draft — confirm") + records.count("Draft — confirm") >= 50
    talent = md(pack, "rec-01-ais-05")
    assert "Annex III point 4(a)" in talent and "Employment" in talent
    assert "reasons: [TO COMPLETE" not in talent


def test_impact_areas_fit_the_group(pack):
    talent = md(pack, "rec-01-ais-05")
    recruiters = talent.split("### 3.2 Recruiters and hiring managers")[1].split("###")[0]
    table = recruiters.split("Not assessed for this group")[0]
    assert "| Work, skills and accountability |" in table
    assert "| Fairness and non-discrimination |" not in table  # the rank is not about them
    applicants = talent.split("### 3.1 Job applicants")[1].split("###")[0]
    assert "| Fairness and non-discrimination |" in applicants
    assert "R-AIS-05-" in applicants  # rated from the register


def test_validation_metrics_fit_the_kind(pack):
    assert "Mean absolute error per segment" in md(pack, "rec-01-ais-01")
    assert "Field-level accuracy" in md(pack, "rec-01-ais-02")
    assert "Selection-rate ratio" in md(pack, "rec-01-ais-05")
    life_cycle = md(pack, "pro-03-")
    assert "Mean absolute error" in life_cycle and "Field-level accuracy" in life_cycle


def test_deployer_duty_and_transparency_are_stated_correctly(pack):
    for text in (md(pack, "pro-03-"), md(pack, "pro-06-"), md(pack, "rec-01-ais-05")):
        # A deployer that sees a risk suspends use and tells the provider AND the authority.
        assert re.search(r"suspend[^.]*provider and the market surveillance authority", text)
    for text in (md(pack, "pro-03-"), md(pack, "pro-06-"), md(pack, "rec-01-ais-03")):
        # The editorial-review exception is for published text, never for deep fakes.
        assert "deep fake" in text
        assert not re.search(r"imitates real people, is disclosed as AI-generated unless", text)
    assert "never deep fakes" in md(pack, "rec-01-ais-03")


def test_context_considers_climate_change_and_adopts_requirements(pack):
    context = md(pack, "man-01-")
    assert "**Climate change.**" in context and "relevant issue" in context
    assert "Adopted as AIMS requirement" in context
    assert "Requirements related to climate change" in context
    for process in ("Internal audit", "Management review", "AI system life cycle",
                    "Reporting of concerns", "Legal and contractual requirements"):
        assert f"| {process} |" in context  # the process map is complete


def test_policy_has_exceptions_and_the_records_the_text_cites_exist(pack):
    assert "## Exceptions" in md(pack, "pol-01-")
    legal = md(pack, "reg-02-")
    assert "| Art. 26 | Obligations of deployers of high-risk AI systems | TalentFilter |" in legal
    assert "2026-08-02" in legal and "OB-04" in legal
    assert "## Log" in md(pack, "reg-03-") and "## Log" in md(pack, "reg-04-")
    _, out = pack
    gate_records = sorted(p.name for p in (out / "md").glob("rec-02-*.md"))
    model_cards = sorted(p.name for p in (out / "md").glob("rec-03-*.md"))
    assert len(gate_records) == 5
    assessment_ids = {p.name.removeprefix("rec-01-"): p.read_text(encoding="utf-8")
                      .split("\nid: ", 1)[1].split()[0] for p in (out / "md").glob("rec-01-*")}
    for name in gate_records:  # each cites its own system's impact assessment, no other's
        gate = (out / "md" / name).read_text(encoding="utf-8")
        cited = {i for i in assessment_ids.values() if f"impact assessment {i} approved" in gate}
        assert cited == {assessment_ids[name.removeprefix("rec-02-")]}, name
    assert model_cards == ["rec-03-ais-01-eta-forecast.md", "rec-03-ais-02-docuscan.md",
                           "rec-03-ais-04-invoice-anomaly-screening.md"]  # systems it builds


def test_risk_management_lists_aims_risks_and_opportunities(pack):
    procedure = md(pack, "pro-01-")
    assert "O-AIMS-01" in procedure and "R-AIMS-01" in procedure
    plan = md(pack, "pln-01-")
    assert "→" in plan and "?" not in plan.split("## Summary")[1].split("## Approval")[0]


def soa_summary(out) -> dict:
    ws = openpyxl.load_workbook(out / "statement-of-applicability.xlsx")["Summary"]
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}


def test_soa_has_document_control_revisions_and_is_registered(pack, tmp_path):
    org, out = pack
    summary = soa_summary(out)
    assert summary["Document"] == "MFS-AIMS-SOA" and summary["Version"] == "1.0"
    assert summary["Approver"].startswith("Dr. Katrin Vogel")
    assert summary["Approved by"] == "not approved yet"
    workbook = openpyxl.load_workbook(out / "statement-of-applicability.xlsx")
    history = list(workbook["Revision history"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in history] == ["1.0"]
    register = md(pack, "reg-01-")
    assert "| MFS-AIMS-SOA | Statement of Applicability (workbook) | register | 1.0 |" in register

    # Approving the SoA is recorded like any document's approval...
    assert main(["approve", str(org), "MFS-AIMS-SOA", "--by", "Dr. Katrin Vogel",
                 "--date", "2026-12-05"]) == 0
    build(org, out.parent)
    summary = soa_summary(out)
    assert summary["Approved by"] == "Dr. Katrin Vogel" and summary["Status"] == "Approved"
    # ...and a change to a row makes a new version that says which row changed.
    edit_profile(org, "    status: Partially implemented\n", "    status: Implemented\n")
    build(org, out.parent)
    summary = soa_summary(out)
    assert summary["Version"] == "1.1" and summary["Approved by"] == "not approved yet"
    history = list(openpyxl.load_workbook(out / "statement-of-applicability.xlsx")
                   ["Revision history"].iter_rows(min_row=2, values_only=True))
    assert history[-1][0] == "1.1" and "A.10.4" in history[-1][3]


def test_soa_rows_show_risks_obligations_status_source_and_triggers(pack):
    _, out = pack
    ws = openpyxl.load_workbook(out / "statement-of-applicability.xlsx")[
        "Statement of Applicability"]
    header = [c.value for c in ws[1]]
    for column in ("Risks treated", "Obligations", "Review trigger", "Status source"):
        assert column in header
    rows = [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2,
                                                                          values_only=True)]
    talent_use = next(r for r in rows if r["Control"] == "A.9.4")
    assert "R-AIS-05" in talent_use["Risks treated"]
    assert "Art. 26" in talent_use["Obligations"]
