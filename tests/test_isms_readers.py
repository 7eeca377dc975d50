"""Readers and identity on hand-made ISMS files: the layouts real folders come in.

Word files without heading styles, Markdown that bends the syntax, metadata on one line or in
tables, German labels, documents that share a file name, kinds of documents.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from aimsdocs.isms import load_isms
from aimsdocs.isms.docx_reader import read_docx
from aimsdocs.isms.markdown_reader import read_markdown
from aimsdocs.isms.parsed import HEADING, ITEM, ROW
from aimsdocs.standards import load_standards


def write(root: Path, relpath: str, text: str) -> Path:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(root: Path):
    return load_isms(root, load_standards())


def headings(parsed) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in parsed.blocks if b.kind == HEADING]


# ---------------------------------------------------------------- Word

def _bold(document, text: str):
    document.add_paragraph().add_run(text).bold = True


def test_word_without_heading_styles_gets_headings_from_formatting(tmp_path):
    document = docx.Document()
    _bold(document, "CLEAN DESK RULES")
    document.add_paragraph("Owner: Facilities | Version: 1.4 | Date: 2025-02-01")
    document.add_paragraph("1. PURPOSE & SCOPE")
    document.add_paragraph("Desks are cleared at the end of each day.")
    _bold(document, "Exceptions")
    document.add_paragraph("None are granted.")
    document.add_paragraph("2. Checks")
    document.add_paragraph("2.1 Evening walk-through")
    document.add_paragraph("1. staff must lock drawers.")  # a numbered sentence, not a heading
    document.save(tmp_path / "desk.docx")
    parsed = read_docx(tmp_path / "desk.docx")
    assert headings(parsed) == [(1, "CLEAN DESK RULES"), (2, "1. PURPOSE & SCOPE"),
                                (2, "Exceptions"), (2, "2. Checks"),
                                (3, "2.1 Evening walk-through")]
    doc = load(tmp_path).document("DESK")
    assert (doc.title, doc.owner, doc.version, doc.effective_date) == (
        "CLEAN DESK RULES", "Facilities", "1.4", "2025-02-01")
    assert [s.heading for s in doc.sections][:2] == ["CLEAN DESK RULES", "1. PURPOSE & SCOPE"]


def test_word_outline_level_and_custom_heading_styles(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn

    document = docx.Document()
    custom = document.styles.add_style("Kapitel", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 2"]
    document.add_heading("Backup Standard", 1)
    document.add_paragraph("Scope of backups", style="Kapitel")
    outlined = document.add_paragraph("Restore tests")
    level = outlined._p.get_or_add_pPr().makeelement(qn("w:outlineLvl"), {qn("w:val"): "2"})
    outlined._p.get_or_add_pPr().append(level)
    document.add_paragraph("Tested quarterly.")
    document.save(tmp_path / "backup.docx")
    assert headings(read_docx(tmp_path / "backup.docx")) == [
        (1, "Backup Standard"), (2, "Scope of backups"), (3, "Restore tests")]


def test_word_blocks_know_their_paragraph_and_tables_their_header(tmp_path):
    document = docx.Document()
    document.add_heading("Policy", 1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Control", "Document"
    row = table.add_row()
    row.cells[0].text, row.cells[1].text = "A.8.13", "Backup Standard"
    document.add_paragraph("After the table.")
    document.save(tmp_path / "p.docx")
    blocks = read_docx(tmp_path / "p.docx").blocks
    rows = [b for b in blocks if b.kind == ROW]
    assert [b.cells for b in rows] == [("Control", "Document"), ("A.8.13", "Backup Standard")]
    assert rows[1].header == ("Control", "Document") and rows[1].table == 1
    assert [b.line for b in blocks] == [1, 2, 3, 4]


# ---------------------------------------------------------------- Markdown

def test_markdown_headings_without_space_and_in_html(tmp_path):
    path = write(tmp_path, "h.md", "#Security Handbook\n\nIntro.\n\n####6.1.1 Roles\n\n"
                                   '<h2 id="s">Scope &amp; purpose</h2>\n\n'
                                   "#general is a chat channel, #42 an issue\n")
    parsed = read_markdown(path)
    assert headings(parsed) == [(1, "Security Handbook"), (4, "6.1.1 Roles"),
                                (2, "Scope & purpose")]
    assert [b.line for b in parsed.blocks] == [1, 3, 5, 7, 9]


def test_markdown_html_links_and_anchors_are_links(tmp_path):
    path = write(tmp_path, "l.md", '- <a href="ops/backup.md#restore">Backup</a>\n'
                                   "- [Logging](log.md#retention)\n")
    items = [b for b in read_markdown(path).blocks if b.kind == ITEM]
    assert [(link.text, link.target) for b in items for link in b.links] == [
        ("Backup", "ops/backup.md#restore"), ("Logging", "log.md#retention")]


# ---------------------------------------------------------------- identity

def test_metadata_on_one_line_separated_by_bars(tmp_path):
    write(tmp_path, "p.md", "# Access Policy\n\nOwner: Jane Roe | Version: 1.0 | "
                            "Date: 2025-04-01 | Next review: 2026-04-01\n\n## 1. Scope\n")
    doc = load(tmp_path).document("P")
    assert (doc.owner, doc.version, doc.effective_date, doc.next_review) == (
        "Jane Roe", "1.0", "2025-04-01", "2026-04-01")
    assert doc.source_of("owner") == "document control, line 3"


def test_bold_german_labels(tmp_path):
    write(tmp_path, "r.md", "# Datensicherungsrichtlinie\n\n**Dokument-ID:** DS-04  \n"
                            "**Verantwortlich:** IT-Leitung  \n**Freigabe:** Geschäftsführung  \n"
                            "**Gültig ab:** 2025-01-01  \n**Nächste Prüfung:** 2026-01-01  \n"
                            "**Version:** 2.3\n\n## Zweck\n")
    doc = load(tmp_path).document("DS-04")
    assert (doc.owner, doc.approver, doc.effective_date, doc.next_review, doc.version) == (
        "IT-Leitung", "Geschäftsführung", "2025-01-01", "2026-01-01", "2.3")
    assert doc.kind == "governing" and doc.doc_type == "datensicherungsrichtlinie"


def test_document_control_table_with_a_header_row(tmp_path):
    write(tmp_path, "c.md", "# Crypto Standard\n\n| Version | Owner | Approved by | Effective |\n"
                            "|---|---|---|---|\n| 3.2 | CISO | CTO | 2025-06-01 |\n\n## Keys\n")
    doc = load(tmp_path).document("C")
    assert (doc.version, doc.owner, doc.approver, doc.effective_date) == (
        "3.2", "CISO", "CTO", "2025-06-01")


def test_same_file_name_in_different_folders_stays_distinct(tmp_path):
    write(tmp_path, "access/index.md", "# Access Policy\n")
    write(tmp_path, "backup/index.md", "# Backup Policy\n")
    write(tmp_path, "crypto/index.md", "# Crypto Policy\n")
    inv = load(tmp_path)
    assert sorted(inv.documents) == ["ACCESS-INDEX", "BACKUP-INDEX", "CRYPTO-INDEX"]
    assert inv.document("BACKUP-INDEX").title == "Backup Policy"
    assert inv.warnings == []


@pytest.mark.parametrize("relpath, title, kind", [
    ("p.md", "Acceptable Use Policy", "governing"),
    ("p.md", "Minutes of the Management Review 2025", "record"),
    ("p.md", "Internal Audit Plan and Report", "record"),
    ("p.md", "Incident Response Plan", "governing"),
    ("p.md", "Risk Register", "record"),
    ("p.md", "Statement of Applicability", "record"),
    ("p.md", "Protokoll der Managementbewertung", "record"),
    ("p.md", "Notfallhandbuch", "governing"),
    ("p.md", "Asset Inventory Management", "governing"),
    ("records/q3.md", "Quarter three", "record"),
    ("p.md", "Passwords and PINs", "governing"),  # nothing says otherwise
])
def test_kind_from_title_and_folder(tmp_path, relpath, title, kind):
    write(tmp_path, relpath, f"# {title}\n")
    [doc] = load(tmp_path).documents.values()
    assert doc.kind == kind, doc.kind_source


def test_kind_from_metadata_and_isms_yaml(tmp_path):
    write(tmp_path, "a.md", "# Access rules\n\nDocument type: Record\n")
    write(tmp_path, "b.md", "# Weekly Log\n")
    write(tmp_path, "isms.yaml", "documents:\n  - path: b.md\n    kind: procedure\n")
    inv = load(tmp_path)
    assert inv.document("A").kind == "record" and "Record" in inv.document("A").kind_source
    assert inv.document("B").kind == "governing" and inv.document("B").kind_source == "isms.yaml"


def test_unknown_kind_in_isms_yaml_names_the_line(tmp_path):
    from aimsdocs.errors import InputError

    write(tmp_path, "a.md", "# A\n")
    write(tmp_path, "isms.yaml", "documents:\n  - path: a.md\n    kind: banana\n")
    with pytest.raises(InputError) as caught:
        load(tmp_path)
    assert caught.value.problems[0].line == 3 and "banana" in str(caught.value)


# ---------------------------------------------------------------- the folder

def test_symlinks_out_of_the_folder_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    write(outside, "secret.md", "# Secret Policy\n\nA.5.1 applies.\n")
    root = tmp_path / "isms"
    write(root, "fine.md", "# Fine\n")
    (root / "link.md").symlink_to(outside / "secret.md")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    inv = load(root)
    assert list(inv.documents) == ["FINE"]
    skipped = {f.relpath: f.reason for f in inv.files if f.role == "skipped"}
    assert "leads out of the ISMS folder" in skipped["link.md"]
    assert "not followed" in skipped["linked"]
    assert any("link.md" in w for w in inv.warnings)


def test_oversized_files_are_skipped_with_a_warning(tmp_path, monkeypatch):
    from aimsdocs.isms import inventory

    monkeypatch.setattr(inventory, "MAX_FILE_BYTES", 1000)
    write(tmp_path, "big.md", "# Big\n" + "x" * 2000)
    write(tmp_path, "small.md", "# Small\n")
    inv = load(tmp_path)
    assert list(inv.documents) == ["SMALL"]
    assert any("big.md" in w and "limit" in w for w in inv.warnings)


def test_files_read_and_skipped_are_listed_with_reasons(tmp_path):
    write(tmp_path, "policy.md", "# Policy\n")
    write(tmp_path, "README.md", "# About this folder\n")
    write(tmp_path, "build.sh", "echo\n")
    write(tmp_path, "isms.suggested.yaml", "documents: []\n")
    roles = {f.relpath: (f.role, f.reason) for f in load(tmp_path).files}
    assert roles["policy.md"] == ("document", "")
    assert roles["README.md"][0] == "skipped" and "README" in roles["README.md"][1]
    assert "not a type" in roles["build.sh"][1]
    assert "renamed to isms.yaml" in roles["isms.suggested.yaml"][1]


def test_inventory_pickles(tmp_path):
    import pickle

    write(tmp_path, "p.md", "# Logging Standard\n\n## Events (A.8.15)\n")
    inv = load(tmp_path)
    again = pickle.loads(pickle.dumps(inv))
    assert again.claims == inv.claims and again.document("P").blocks == inv.document("P").blocks
