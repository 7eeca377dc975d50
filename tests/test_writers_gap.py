"""The gap and traceability report: workbook with a native chart, Markdown, HTML with inline SVG."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
import pytest
from helpers import SAMPLE_ORG

from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.prepare import load_inputs
from aimsdocs.plan import build_plan
from aimsdocs.writers.gap import write_gap_html, write_gap_markdown, write_gap_xlsx

HOSTILE_TITLE = '<script>alert(1)</script> | =1+1'


@dataclass
class FakeDocument:
    doc_id: str
    title: str
    version: str | None
    relpath: str
    sections: tuple = ()  # no scope section: nothing set aside
    next_review: str | None = None


@dataclass
class FakeClaim:
    doc_id: str
    provenance: str
    evidence: str


class FakeIsms:
    """An ISMS whose policy covers ISO/IEC 27001 A.5.1, plus one document nothing uses."""

    soa = None

    def __init__(self):
        self.documents = {
            "ISMS-POL-01": FakeDocument("ISMS-POL-01", HOSTILE_TITLE, "2.1", "policies/pol-01.md"),
            "ISMS-REC-09": FakeDocument("ISMS-REC-09", "Visitor log", None, "records/visitors.md"),
        }

    def covering(self, standard: str, target: str) -> list[FakeClaim]:
        if (standard, target) == ("iso27001", "A.5.1"):
            return [FakeClaim("ISMS-POL-01", "declared", "front matter")]
        return []

    def document(self, doc_id: str) -> FakeDocument:
        return self.documents[doc_id]


@pytest.fixture(scope="module")
def plan():
    org, standards, _isms, _env, specs, _paths = load_inputs(SAMPLE_ORG, BuildOptions())
    return build_plan(org.profile, standards, specs, FakeIsms())


def test_traceability_sheet(plan):
    workbook = openpyxl.load_workbook(io.BytesIO(write_gap_xlsx(plan)))
    assert workbook.sheetnames == ["Summary", "Traceability"]
    ws = workbook["Traceability"]
    names = [c.value for c in ws[1]]
    rows = [dict(zip(names, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r["Requirement"] for r in rows] == list(plan.requirements)
    extended = [r for r in rows if r["Approach"] == "extend"]
    assert extended
    assert "ISMS-POL-01" in extended[0]["ISMS sources"]
    assert "policies/pol-01.md" in extended[0]["ISMS sources"]
    assert "A.5.1" in extended[0]["Via"] and extended[0]["Provenance"] == "declared"
    assert all(r["Generated documents"] for r in rows if r["Kind"] != "objective")
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:J{len(rows) + 1}"


def test_summary_has_counts_and_a_native_chart(plan):
    workbook = openpyxl.load_workbook(io.BytesIO(write_gap_xlsx(plan)))
    ws = workbook["Summary"]
    assert len(ws._charts) == 1
    values = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}
    assert values["ISMS documents not used"] == "ISMS-REC-09"
    assert sum(values[s] for s in ("reuse", "extend", "new", "excluded")) == len(plan.requirements)


def test_markdown_and_html_show_the_same_content_safely(plan):
    markdown = write_gap_markdown(plan).decode()
    page = write_gap_html(plan).decode()
    for requirement in ("4.1", "A.2.2", "A.10.4"):
        assert f"| {requirement} |" in markdown
        assert f"<td>{requirement}</td>" in page
    assert "<svg" in page and "<rect" in page and "<script" not in page
    assert "&lt;script&gt;" in page
    assert "<script" not in markdown and "\\| =1+1" in markdown


def test_same_plan_same_bytes(plan):
    assert write_gap_xlsx(plan) == write_gap_xlsx(plan)
    assert write_gap_html(plan) == write_gap_html(plan)


def test_gap_markdown_has_front_matter_with_an_id(tmp_path):
    import yaml
    from helpers import copy_org

    from aimsdocs.cli import main

    org = copy_org(tmp_path, with_isms=False)
    assert main(["build", str(org), "--out", str(tmp_path / "out"), "--format", "md"]) == 0
    text = (tmp_path / "out" / "meridian" / "md" / "gap-analysis.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["id"] == "MFS-AIMS-GAP" and front["type"] == "report"


def test_html_report_uses_the_pack_look_viewport_and_brand(plan):
    from aimsdocs.render.document import Brand
    from aimsdocs.writers.gap import render_gap_html
    from aimsdocs.writers.html import STYLESHEET

    description = __import__("aimsdocs.writers.gap", fromlist=["describe_gap"]).describe_gap(plan)
    page = render_gap_html(description, Brand(accent_colour="AA3300")).decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert STYLESHEET.splitlines()[1].strip() in page  # the documents' own stylesheet
    assert "#AA3300" in page and '<a href="index.html">' in page
    assert '<div class="table-wrap"><table class="trace">' in page
