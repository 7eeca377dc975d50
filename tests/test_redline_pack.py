"""Redlines of our own pack: two builds of the sample organisation around a profile change,
each changed Word document compared with its approved version."""

from __future__ import annotations

import datetime
import shutil

import pytest
from helpers import copy_org, edit_profile
from redline_samples import document_root, texts_in, ws
from test_redline_libreoffice import convert, pdf_text

from aimsdocs.cli import main
from aimsdocs.writers.pdf import libreoffice
from aimsdocs.writers.redline import accept_all, paragraph_texts, redline_docx, reject_all

WHEN = datetime.date(2027, 2, 1)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """{document name: (approved bytes, current bytes)} for the documents the change touched."""
    base = tmp_path_factory.mktemp("pack")
    org, out = copy_org(base), base / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "docx"]) == 0
    approved = {p.name: p.read_bytes() for p in (out / "meridian" / "docx").glob("*.docx")}
    edit_profile(org, "A gradient-boosted regression model retrained weekly",
                 "A gradient-boosted regression model retrained nightly")
    assert main(["build", str(org), "--out", str(out), "--format", "docx",
                 "--date", WHEN.isoformat()]) == 0
    current = {p.name: p.read_bytes() for p in (out / "meridian" / "docx").glob("*.docx")}
    changed = {name: (approved[name], current[name]) for name in current
               if name in approved and approved[name] != current[name]}
    assert changed and len(changed) < len(current)
    return changed


def test_each_redline_rejects_to_the_approved_and_accepts_to_the_current_text(versions):
    for name, (old, new) in versions.items():
        redline = redline_docx(old, new, when=WHEN)
        assert paragraph_texts(reject_all(redline)) == paragraph_texts(old), name
        assert paragraph_texts(accept_all(redline)) == paragraph_texts(new), name


def test_the_redline_shows_exactly_the_changed_word_and_the_new_version(versions):
    shown = False
    for old, new in versions.values():
        root = document_root(redline_docx(old, new, when=WHEN))
        deleted, inserted = {ws(t) for t in texts_in(root, "del")}, {
            ws(t) for t in texts_in(root, "ins")}
        if "weekly" in deleted:
            assert "nightly" in inserted and "retrained" not in deleted
            shown = True
        assert "1.1" in inserted and "1.0" in deleted  # the version in the control block
    assert shown


@pytest.mark.skipif(libreoffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are installed by .ci/run")
def test_libreoffice_prints_every_redline(versions, tmp_path):
    files = []
    for name, (old, new) in versions.items():
        files.append(tmp_path / name)
        files[-1].write_bytes(redline_docx(old, new, when=WHEN))
    convert(files, "pdf", tmp_path / "pdf")
    texts = [pdf_text(tmp_path / "pdf" / (f.stem + ".pdf")) for f in files]
    assert any("weeklynightly" in text for text in texts)
