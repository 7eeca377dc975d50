"""Real-client round trip: LibreOffice opens every DOCX and XLSX we generate and prints it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from helpers import copy_org

from aimsdocs.cli import main
from aimsdocs.writers.pdf import convert_to_pdf, libreoffice

pytestmark = pytest.mark.skipif(
    libreoffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are installed by .ci/run")


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


def pdf_text(path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                            text=True, check=True)
    return " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    base = tmp_path_factory.mktemp("lo")
    org = copy_org(base)
    out = base / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "docx"]) == 0
    return out / "meridian"


def test_every_docx_and_xlsx_converts_to_a_pdf_with_its_title(pack, tmp_path):
    from docx import Document

    docx_files = sorted((pack / "docx").glob("*.docx"))
    xlsx_files = sorted(pack.glob("*.xlsx"))
    assert len(docx_files) >= 25 and len(xlsx_files) == 3
    convert_to_pdf(docx_files + xlsx_files, tmp_path)
    for docx in docx_files:
        pdf = tmp_path / (docx.stem + ".pdf")
        assert pdf_pages(pdf) >= 1, docx.name
        title = Document(docx).core_properties.title
        assert " ".join(title.split()) in pdf_text(pdf), docx.name
    soa = pdf_text(tmp_path / "statement-of-applicability.pdf")
    assert "A.6.2.8" in soa and pdf_pages(tmp_path / "statement-of-applicability.pdf") >= 1
    for workbook in xlsx_files:
        assert pdf_pages(tmp_path / (workbook.stem + ".pdf")) >= 1


@pytest.fixture(scope="module")
def pdf_pack(tmp_path_factory):
    base = tmp_path_factory.mktemp("pdf")
    org = copy_org(base)
    out = base / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "pdf,md"]) == 0
    return out / "meridian"


def test_format_pdf_writes_pdfs_whose_contents_have_page_numbers(pdf_pack):
    pdfs = sorted((pdf_pack / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 25
    policy = pdf_text(next(p for p in pdfs if p.name.startswith("pol-01")))
    assert "AI policy" in policy
    contents = policy[policy.index("Contents"):policy.index("Contents") + 1500]
    numbered = re.findall(r"Principles\s*\.{3,}\s*(\d+)", contents)
    assert numbered and int(numbered[0]) >= 1, contents[:400]
    assert "Word updates this table" not in policy


def test_register_pdf_breaks_no_word_across_lines(pdf_pack):
    """Every word and document id of the register's tables prints whole: columns are never
    narrower than their longest word. (A compound may wrap at its hyphen, as in any text.)"""
    markdown = next((pdf_pack / "md").glob("reg-01-*.md")).read_text("utf-8")
    words = set()
    for line in markdown.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            for cell in line.strip("|").split("|"):
                words |= {w.strip(".,;:()`*") for w in cell.split()}
    pdf = next((pdf_pack / "pdf").glob("reg-01-*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    printed = {w.strip(".,;:()") for w in text.split()}
    printed |= {part for w in printed for part in w.split("-")}
    ids = {w for w in words if re.fullmatch(r"[A-Z]{2,}(-[A-Z0-9]+)+", w)}
    parts = {part for w in words - ids for part in w.split("-")}
    broken = sorted(w for w in ids | parts if len(w) >= 4 and w not in printed)
    assert len(ids) > 25 and len(parts) > 100 and broken == []


def test_format_pdf_without_libreoffice_is_a_clear_error(tmp_path, capsys, monkeypatch):
    from aimsdocs.writers import pdf

    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    org = copy_org(tmp_path, with_isms=False)
    assert main(["build", str(org), "--out", str(tmp_path / "out"), "--format", "pdf"]) == 2
    assert "needs LibreOffice" in capsys.readouterr().err
