"""Profile text survives as text in every format: a `|` stays inside its table cell, a line
starting with `#` stays a line of text, and a Markdown image is never a picture."""

from __future__ import annotations

import re

import pytest
from docx import Document
from helpers import copy_org, edit_profile

from aimsdocs.cli import main
from aimsdocs.render.escape import markdown_text
from aimsdocs.writers.tree import parse_markdown, text_of

ORIGINAL = ("    description: A gradient-boosted regression model retrained weekly on completed "
            "shipments, served as a feature of Meridian TMS.")
HOSTILE = ('    description: "Gradient model | retrained weekly\\n# Injected heading\\n'
           '![logo](https://evil.example/x.png) C:\\\\models\\\\eta"')


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    base = tmp_path_factory.mktemp("escaping")
    org = copy_org(base, with_isms=False)
    edit_profile(org, ORIGINAL, HOSTILE)
    out = base / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "html,docx,md"]) == 0
    return out / "meridian"


def _impact_assessment(pack, fmt):
    return next(p for p in (pack / fmt).glob(f"rec-01-ais-01-*.{fmt}"))


def test_pipe_stays_inside_its_table_cell_in_html(pack):
    html = _impact_assessment(pack, "html").read_text(encoding="utf-8")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.DOTALL)
    described = [c for c in cells if "Gradient model" in c]
    assert described, "the description cell is missing"
    assert "Gradient model | retrained weekly" in described[0]
    assert "Injected heading" in described[0]  # the rest of the cell is still there


def test_pipe_stays_inside_its_table_cell_in_docx(pack):
    document = Document(str(_impact_assessment(pack, "docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    described = [c for c in cells if "Gradient model" in c]
    assert described and "Gradient model | retrained weekly" in described[0]
    assert "C:\\models\\eta" in described[0]


def test_newline_and_hash_do_not_make_a_heading(pack):
    for html_file in (pack / "html").glob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert not re.search(r"<h[1-6][^>]*>[^<]*Injected heading", html), html_file.name
    shown = [p for p in (pack / "html").glob("*.html")
             if "# Injected heading" in p.read_text(encoding="utf-8")]
    assert shown  # the text is there, as text
    for docx_file in (pack / "docx").glob("*.docx"):
        document = Document(str(docx_file))
        headings = [p.text for p in document.paragraphs
                    if p.style is not None and p.style.name.lower().startswith("heading")]
        assert not any("Injected heading" in h for h in headings), docx_file.name


def test_markdown_image_in_profile_text_is_never_a_picture(pack):
    for html_file in (pack / "html").glob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert not re.search(r"<img[^>]+evil\.example", html), html_file.name
    assert "![logo](https://evil.example/x.png)" in _impact_assessment(pack, "html").read_text(
        encoding="utf-8")
    for docx_file in (pack / "docx").glob("*.docx"):
        document = Document(str(docx_file))
        targets = [rel.target_ref for rel in document.part.rels.values()]
        assert not any("evil.example" in t for t in targets), docx_file.name
        assert not document.inline_shapes or docx_file.name.startswith("none")


@pytest.mark.parametrize("text", [
    "a | b", "x\n# heading", "Text\n===", "Text\n---", "- item", "1. first", "> quote",
    "![i](https://x/y.png)", "C:\\data\\new", "back\\|slash", "* star", "#1 rank",
    "a\n    indented", "___",
])
def test_escaped_text_renders_as_itself(text):
    root = parse_markdown(markdown_text(text))
    assert [child.tag for child in root] == ["p"]
    assert text_of(root) == " ".join(" ".join(line.split()) for line in text.split("\n"))


def test_ids_and_plain_words_are_unchanged():
    for text in ("AIS-01", "MFS-AIMS-POL-01", "Meridian Freight Systems GmbH", "A.6.2.8",
                 "[TO COMPLETE: name the owner]"):
        assert markdown_text(text) == text
