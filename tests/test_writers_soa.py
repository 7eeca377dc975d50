"""The Statement of Applicability workbook, read back as an auditor's spreadsheet would show it."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from types import SimpleNamespace

import openpyxl
import pytest
from helpers import SAMPLE_ORG, copy_org, edit_profile, load_plan, make_customer_only

from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.outputs import workbook_outputs
from aimsdocs.writers.soa import SHEET, describe_soa, write_soa

INJECTION = '=HYPERLINK("http://example.com")'


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def header(ws) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1]}


def column(ws, name: str) -> list:
    index = header(ws)[name]
    return [ws.cell(row, index).value for row in range(2, ws.max_row + 1)]


@pytest.fixture(scope="module")
def plan():
    return load_plan(SAMPLE_ORG)


@pytest.fixture(scope="module")
def links(plan):
    return {d.doc_id: f"docx/{d.slug}.docx" for d in plan.documents}


@pytest.fixture(scope="module")
def workbook(plan, links):
    return read(write_soa(plan, links))


def test_one_row_per_annex_a_control_in_catalogue_order(plan, workbook):
    ws = workbook[SHEET]
    controls = plan.standards.iso42001.controls()
    assert ws.max_row - 1 == len(controls) == 38
    assert column(ws, "Control") == [c.id for c in controls]
    assert column(ws, "Control title") == [c.title for c in controls]
    assert column(ws, "Objective")[0] == "A.2 " + plan.standards.iso42001["A.2"].title


def test_every_control_is_applicable_or_justified(workbook):
    ws = workbook[SHEET]
    for applicable, include, exclude, status in zip(
            column(ws, "Applicable"), column(ws, "Justification for inclusion"),
            column(ws, "Justification for exclusion"), column(ws, "Implementation status"),
            strict=True):
        assert applicable in ("Yes", "No")
        if applicable == "Yes":
            assert include and status in ("Not assessed", "Not started", "Planned",
                                          "Partially implemented", "Implemented")
        else:
            assert exclude and not status


def test_table_craft(workbook):
    ws = workbook[SHEET]
    columns = header(ws)
    last = ws.cell(1, ws.max_column).column_letter
    assert ws.auto_filter.ref == f"A1:{last}39"
    assert ws.freeze_panes == "C2"  # header and the control id stay in view
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    validated = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
    applicable = ws.cell(2, columns["Applicable"]).coordinate
    status = ws.cell(2, columns["Implementation status"]).coordinate
    assert validated[applicable] == '"Yes,No"'
    assert "Partially implemented" in validated[status]
    formatted = {str(rng.sqref).split(":")[0]: rng.rules for rng in ws.conditional_formatting}
    assert len(formatted[status]) == 4
    assert ws[f"{ws.cell(1, columns['Last review']).column_letter}2"].number_format == "yyyy-mm-dd"


def test_per_system_columns_and_links(plan, links, workbook):
    ws = workbook[SHEET]
    columns = header(ws)
    for system in plan.profile.ai_systems:
        assert set(column(ws, f"{system.id} {system.name}")) <= {"Yes", "No"}
    row = column(ws, "Control").index("A.2.2") + 2
    cell = ws.cell(row, columns["Open document"])
    first = plan.soa[0].documents[0]
    assert cell.value == first.doc_id and cell.hyperlink.target == links[first.doc_id]
    assert first.title in ws.cell(row, columns["Implementing documents"]).value
    assert read(write_soa(plan, {}))[SHEET].cell(row, columns["Open document"]).hyperlink is None


def test_summary_and_properties(plan, workbook):
    summary = workbook["Summary"]
    values = [[c.value for c in row] for row in summary.iter_rows()]
    assert ["Document", "MFS-AIMS-SOA"] in [row[:2] for row in values]
    assert ["Total Annex A controls", 38] in [row[:2] for row in values]
    by_status = {row[0]: row[1] for row in values if row[0] in
                 ("Not assessed", "Not started", "Planned", "Partially implemented",
                  "Implemented", "Excluded (not applicable)")}
    assert sum(by_status.values()) == 38
    props = workbook.properties
    assert props.title == "Statement of Applicability — Meridian Freight Systems GmbH"
    assert props.creator == "Meridian Freight Systems GmbH"
    assert props.created == props.modified == datetime(2026, 12, 1)
    crosswalk = workbook["Crosswalk"]
    assert all(str(v).startswith("A.") for v in column(crosswalk, "42001 id"))


def test_same_plan_same_bytes(plan, links):
    first = write_soa(plan, links)
    assert write_soa(plan, links) == first
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "2026-12-01T00:00:00Z" in core and core.count("T00:00:00Z") == 2


def test_user_text_is_never_a_formula(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    edit_profile(org, "name: Jonas Richter", f"name: '{INJECTION}'")
    edit_profile(org, "name: ETA Forecast", "name: '@SUM(1,2)'")
    ws = read(write_soa(load_plan(org), {}))[SHEET]
    owners = [ws.cell(row, header(ws)["Control owner"]) for row in range(2, ws.max_row + 1)]
    injected = [cell for cell in owners if str(cell.value).startswith("=")]
    assert injected and all(cell.data_type == "s" and cell.quotePrefix for cell in injected)
    assert injected[0].value.startswith(INJECTION)
    assert "AIS-01 @SUM(1,2)" in header(ws)


def test_customer_only_organisation_excludes_development_controls(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    make_customer_only(org)
    ws = read(write_soa(load_plan(org), {}))[SHEET]
    rows = {row[1]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    columns = header(ws)
    for control in ("A.6.1.2", "A.6.2.2", "A.6.2.3", "A.7.2"):
        row = rows[control]
        assert row[columns["Applicable"] - 1] == "No"
        exclusion = row[columns["Justification for exclusion"] - 1]
        assert "does not design, develop or train" in exclusion
        assert row[columns["Approach vs ISMS"] - 1] == "excluded"
    assert rows["A.9.2"][columns["Applicable"] - 1] == "Yes"


def test_pack_outputs_have_stable_hashes_and_link_the_documents(plan):
    rendered = [SimpleNamespace(doc_id=d.doc_id) for d in plan.documents]  # ids are all it reads
    slugs = {d.doc_id: d.slug for d in plan.documents}
    options = BuildOptions(formats=("html", "md", "docx"))
    first = workbook_outputs(plan, rendered, options, slugs)
    assert [o.relpath for o in first] == [
        "statement-of-applicability.xlsx", "registers.xlsx", "gap-analysis.xlsx",
        "html/gap-analysis.html", "md/gap-analysis.md"]
    again = workbook_outputs(plan, rendered, options, slugs)
    assert [o.input_hash for o in first] == [o.input_hash for o in again]
    ws = read(first[0].produce())[SHEET]
    link = ws.cell(2, header(ws)["Open document"]).hyperlink.target
    assert link == f"docx/{plan.soa[0].documents[0].slug}.docx"

    html_only = workbook_outputs(plan, rendered, BuildOptions(formats=("html",)), slugs)
    assert html_only[0].input_hash != first[0].input_hash  # links now point at html/
    assert [o.relpath for o in html_only][-1] == "html/gap-analysis.html"


def test_description_is_plain_data(plan, links):
    import json

    text = json.dumps(describe_soa(plan, links), default=str)
    assert "object at 0x" not in text


def test_header_carries_the_accent_and_a_legible_print_sheet(plan, links):
    from aimsdocs.render.document import Brand
    from aimsdocs.writers.soa import render_soa

    workbook = read(render_soa(describe_soa(plan, links), Brand(accent_colour="AA3300")))
    assert workbook[SHEET]["A1"].fill.start_color.rgb.endswith("AA3300")
    sheet = workbook["SoA for print"]
    assert [c.value for c in sheet[1]] == ["Control", "Control title", "Applicable",
                                           "Justification", "Status", "Documents", "Owner"]
    assert sheet["A1"].fill.start_color.rgb.endswith("AA3300")
    assert sheet.max_row == len(plan.soa) + 1
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"
    assert sum(sheet.column_dimensions[c.column_letter].width for c in sheet[1]) <= 130
    excluded = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "No"]
    assert all(r[3] for r in excluded)  # an excluded control shows why
