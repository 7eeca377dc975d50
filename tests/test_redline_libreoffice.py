"""LibreOffice opens every amended document and redline, prints it, and reads our tracked
changes as tracked changes: saved back to DOCX by LibreOffice, rejecting its changes gives
the original text and accepting them the amended text."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from redline_samples import SAMPLES, amendments_for
from test_redline_compare import version_pair
from test_redline_real import real_documents

from aimsdocs.writers.pdf import libreoffice
from aimsdocs.writers.redline import (
    accept_all,
    amend_docx,
    paragraph_texts,
    redline_docx,
    reject_all,
)

pytestmark = pytest.mark.skipif(
    libreoffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are installed by .ci/run")

WHEN = datetime.date(2025, 3, 14)


def convert(files: list[Path], target: str, out: Path) -> None:
    """One LibreOffice run for all files, with a private profile (as writers/pdf.py does)."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aimsdocs-lo-") as profile:
        subprocess.run([libreoffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", target, "--outdir", str(out),
                        *map(str, files)], capture_output=True, env=dict(os.environ, HOME=profile),
                       timeout=600, check=False)


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                            check=True)
    return " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """name -> (original, ours, LibreOffice's PDF text, LibreOffice's DOCX)."""
    folder = tmp_path_factory.mktemp("redline-lo")
    cases: dict[str, tuple[bytes, bytes]] = {}
    for name, build in SAMPLES.items():
        original = build()
        cases[f"sample-{name}"] = (original, amend_docx(original, amendments_for(original),
                                                         when=WHEN))
    for path in real_documents():
        original = path.read_bytes()
        ours = amend_docx(original, amendments_for(original), when=WHEN)
        cases[f"real-{path.stem}"] = (original, ours)
        # and a redline of the organisation's document against it, amendments accepted
        cases[f"redline-{path.stem}"] = (original, redline_docx(original, accept_all(ours),
                                                                 when=WHEN))
    old, new = version_pair()
    cases["redline"] = (old, redline_docx(old, new, when=WHEN))
    files = []
    for name, (_, ours) in cases.items():
        files.append(folder / f"{name}.docx")
        files[-1].write_bytes(ours)
    convert(files, "pdf", folder / "pdf")
    convert(files, "docx:MS Word 2007 XML", folder / "docx")
    result = {}
    for name, (original, ours) in cases.items():
        pdf, docx = folder / "pdf" / f"{name}.pdf", folder / "docx" / f"{name}.docx"
        assert pdf.is_file() and docx.is_file(), f"LibreOffice could not open {name}"
        result[name] = (original, ours, pdf_text(pdf), docx.read_bytes())
    return result


def test_every_amended_document_prints_with_its_additions(converted):
    for name, (_, _, text, _) in converted.items():
        if name.startswith("redline"):
            continue
        for addition in ("AI systems in scope are listed in the AI system inventory.",
                         "AI management system audits",
                         "Auditors of AI systems have completed the AI auditor training."):
            assert addition in text, name


def test_libreoffice_reads_our_changes_as_tracked_changes(converted):
    for name, (original, ours, _, theirs) in converted.items():
        expected_old = paragraph_texts(original)
        assert paragraph_texts(reject_all(theirs)) == expected_old, name
        assert paragraph_texts(accept_all(theirs)) == paragraph_texts(accept_all(ours)), name


def test_the_redline_prints_old_and_new_words(converted):
    _, _, text, _ = converted["redline"]
    # LibreOffice prints tracked changes: the struck-out word, then the new one
    assert "within fiveten working days" in text
    assert "Reports are also copied to the privacy team." in text
