"""The AIMS registers workbook: inventory, seeded risks, heat map and the other records."""

from __future__ import annotations

import io

import openpyxl
import pytest
from helpers import SAMPLE_ORG, copy_org, edit_profile, load_plan

from aimsdocs.writers.registers import write_registers

SHEETS = ["AI systems", "Inventory for print", "AI risks", "Risks for print", "Risk heat map",
          "Risk method", "Impact assessments", "AI objectives", "Competence",
          "Interested parties", "Policy exceptions"]


def rows(ws) -> list[dict]:
    """Data rows as {header: value}."""
    names = [c.value for c in ws[1]]
    return [dict(zip(names, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture(scope="module")
def plan():
    return load_plan(SAMPLE_ORG)


@pytest.fixture(scope="module")
def workbook(plan):
    return openpyxl.load_workbook(io.BytesIO(write_registers(plan)))


def test_sheets_and_table_craft(workbook):
    assert workbook.sheetnames == SHEETS
    for name in SHEETS:
        ws = workbook[name]
        if name in ("Risk heat map", "Risk method"):
            continue
        assert ws.freeze_panes in ("A2", "B2", "C2")
        assert ws.auto_filter.ref.startswith("A1:")
        assert ws.print_title_rows == "$1:$1"
        assert ws["A1"].font.bold


def test_wide_registers_have_legible_print_sheets(plan, workbook):
    for name, source in (("Inventory for print", "AI systems"), ("Risks for print", "AI risks")):
        ws = workbook[name]
        assert ws.max_column <= 12 < workbook[source].max_column
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
        widths = sum(ws.column_dimensions[c.column_letter].width for c in ws[1])
        assert widths <= 130  # one A4 landscape width at about 100 %: no 4-point print
    inventory = rows(workbook["Inventory for print"])
    assert [r["System id"] for r in inventory] == [s.id for s in plan.profile.ai_systems]


def test_inventory_has_every_system_and_field(plan, workbook):
    inventory = rows(workbook["AI systems"])
    assert [r["System id"] for r in inventory] == [s.id for s in plan.profile.ai_systems]
    docuscan = next(r for r in inventory if r["Name"] == "DocuScan")
    assert docuscan["Personal data"] == "Yes"
    assert docuscan["Risk level"] == "High"
    assert "Hugging Face" in docuscan["Third parties"]
    assert docuscan["Owner"].startswith("Lukas Brandt")
    talent = next(r for r in inventory if r["Name"] == "TalentFilter")
    assert talent["EU AI Act category"].lower().startswith("high-risk")


def test_register_rows_follow_the_plan_with_live_formulas(plan, workbook):
    ws = workbook["AI risks"]
    risks = rows(ws)
    assert [r["Risk id"] for r in risks] == [r.risk_id for r in plan.risks]
    first = risks[0]
    assert first["Inherent score"] == '=IF(OR(J2="",K2=""),"",J2*K2)'
    assert first["Residual score"] == '=IF(OR(O2="",P2=""),"",O2*P2)'
    assert "'Risk method'!$B$3" in first["Decision"]
    assert workbook["Risk method"]["B3"].value == plan.profile.risk_method.acceptance_threshold
    assert {r["Status"] for r in risks} == {"To assess"}
    assert all(r["Rating basis"].startswith(("Likelihood:", "Benefit", "First estimate"))
               for r in risks)
    validated = {str(v.sqref).split(":")[0]: v.formula1
                 for v in ws.data_validations.dataValidation}
    assert validated["J2"] == validated["K2"] == '"1,2,3,4,5"'  # likelihood, impact drop-downs
    assert validated["O2"] == validated["P2"] == '"1,2,3,4,5"'
    assert workbook.calculation.fullCalcOnLoad


def test_heat_map_counts_by_formula(plan, workbook):
    ws = workbook["Risk heat map"]
    method = plan.profile.risk_method
    top = ws.cell(5, 2).value  # inherent grid: most likely row, lowest impact
    assert top.startswith("=COUNTIFS('AI risks'!$J$2:") and f",{len(method.likelihood)}," in top
    assert ws.cell(4, 1).value.startswith("Likelihood")
    assert ws.cell(5, 1).value.endswith(method.likelihood[-1])  # most likely at the top
    assert ws.cell(4, 2).value.endswith(method.impact[0])
    residual = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)
                if str(ws.cell(r, 2).value).startswith("=COUNTIFS('AI risks'!$O$")]
    assert len(residual) == len(method.likelihood)
    top_right = ws.cell(5, 1 + len(method.impact)).fill.start_color.rgb
    bottom_left = ws.cell(4 + len(method.likelihood), 2).fill.start_color.rgb
    assert top_right != bottom_left  # red vs green


def test_impact_assessments_objectives_competence_parties(plan, workbook):
    assessments = rows(workbook["Impact assessments"])
    assert len(assessments) == len(plan.profile.ai_systems)
    records = {d.doc_id for d in plan.by_local_id("REC-01")}
    assert {r["Record id"] for r in assessments} <= records | {""}
    assert all(r["Status"] in ("Draft — to confirm", "To start") for r in assessments)
    objectives = rows(workbook["AI objectives"])
    assert [r["Objective id"] for r in objectives] == [o.id for o in plan.profile.objectives]
    assert objectives[0]["Related AI systems"] == "AIS-01 ETA Forecast"
    competence = rows(workbook["Competence"])
    assert any(r["AIMS role"] == "AI risk owner" and r["Holder"] == "Lukas Brandt"
               for r in competence)
    parties = rows(workbook["Interested parties"])
    assert len(parties) == len(plan.profile.interested_parties)


def test_same_plan_same_bytes(plan):
    assert write_registers(plan) == write_registers(plan)


def test_user_text_is_never_a_formula(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    edit_profile(org, "name: ETA Forecast", """name: '=HYPERLINK("http://example.com")'""")
    workbook = openpyxl.load_workbook(io.BytesIO(write_registers(load_plan(org))))
    cell = workbook["AI systems"]["B2"]
    assert cell.value == '=HYPERLINK("http://example.com")'
    assert cell.data_type == "s" and cell.quotePrefix
