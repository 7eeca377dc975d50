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


def test_format_pdf_writes_pdfs(tmp_path):
    org = copy_org(tmp_path, with_isms=False)
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "pdf"]) == 0
    pdfs = sorted((out / "meridian" / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 25
    assert "AI policy" in pdf_text(next(p for p in pdfs if p.name.startswith("pol-01")))


def test_format_pdf_without_libreoffice_is_a_clear_error(tmp_path, capsys, monkeypatch):
    from aimsdocs.writers import pdf

    monkeypatch.setattr(pdf, "libreoffice", lambda: None)
    org = copy_org(tmp_path, with_isms=False)
    assert main(["build", str(org), "--out", str(tmp_path / "out"), "--format", "pdf"]) == 2
    assert "needs LibreOffice" in capsys.readouterr().err
