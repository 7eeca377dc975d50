"""Redlines of our own documents: the new version with the changes since the old one."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document
from lxml import etree
from redline_samples import W, document_root, part, raw_entries, texts_in, ws

from aimsdocs.errors import InputError
from aimsdocs.writers.redline import accept_all, paragraph_texts, redline_docx, reject_all

WHEN = datetime.date(2025, 6, 30)


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def _document(version: str, new: bool) -> bytes:
    d = Document()
    d.add_paragraph("AI Incident Procedure", style="Title")
    table = d.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "Version", version
    table.cell(1, 0).text, table.cell(1, 1).text = "Owner", "AI Governance Lead"
    if new:
        row = table.add_row()
        row.cells[0].text, row.cells[1].text = "Approved by", "Chief Executive"
    d.add_paragraph("Purpose", style="Heading 1")
    purpose = d.add_paragraph("This procedure explains how AI incidents are ")
    purpose.add_run("reported").bold = True
    purpose.add_run(" and closed.")
    d.add_paragraph("Reporting", style="Heading 1")
    days = "ten" if new else "five"
    d.add_paragraph(f"The AI owner reviews each report within {days} working days.")
    if not new:
        d.add_paragraph("Reports are also copied to the privacy team.")
    d.add_paragraph("Reports are kept in the incident register.")
    if new:
        d.add_paragraph("Serious incidents are escalated to the executive board the same day.")
    d.add_paragraph("Review", style="Heading 2" if new else "Heading 1")
    d.add_paragraph("The procedure is reviewed once a year.")
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def version_pair() -> tuple[bytes, bytes]:
    """(approved version, current version) of one of our documents."""
    return _document("1.0", new=False), _document("1.1", new=True)


def test_reject_all_gives_the_old_text_and_accept_all_the_new():
    old, new = version_pair()
    redline = redline_docx(old, new, when=WHEN)
    assert paragraph_texts(reject_all(redline)) == paragraph_texts(old)
    assert paragraph_texts(accept_all(redline)) == paragraph_texts(new)


def test_a_one_word_change_shows_exactly_that_word():
    old, new = version_pair()
    root = document_root(redline_docx(old, new, when=WHEN))
    changed = next(p for p in root.iter(q("p")) if "working days" in "".join(
        t.text or "" for t in p.iter(q("t"), q("delText"))))
    assert [ws(t) for t in texts_in(changed, "del")] == ["five"]
    assert [ws(t) for t in texts_in(changed, "ins")] == ["ten"]
    untouched = "".join(t.text for r in changed.findall(q("r")) for t in r.iter(q("t")))
    assert untouched == "The AI owner reviews each report within  working days."


def test_added_and_removed_paragraphs_and_rows_are_whole_changes():
    old, new = version_pair()
    root = document_root(redline_docx(old, new, when=WHEN))
    inserted = [ws(t) for t in texts_in(root, "ins")]
    deleted = [ws(t) for t in texts_in(root, "del")]
    assert "Serious incidents are escalated to the executive board the same day." in inserted
    assert "Reports are also copied to the privacy team." in deleted
    assert {"1.0"} <= set(deleted) and {"1.1", "Approved by", "Chief Executive"} <= set(inserted)
    removed = next(p for p in root.iter(q("p")) if "privacy team" in "".join(
        t.text or "" for t in p.iter(q("delText"))))
    assert removed.find(f"{q('pPr')}/{q('rPr')}/{q('del')}") is not None  # the mark goes too
    new_row = [r for r in root.iter(q("tr")) if r.find(f"{q('trPr')}/{q('ins')}") is not None]
    assert len(new_row) == 1
    texts = ["".join(t.text or "" for t in p.iter(q("t"), q("delText")))
             for p in root.iter(q("p"))]
    # the removed paragraph is back where it stood, between its old neighbours
    position = texts.index("Reports are also copied to the privacy team.")
    assert texts[position - 1].startswith("The AI owner reviews each report within")
    assert texts[position + 1] == "Reports are kept in the incident register."


def test_a_style_change_is_a_formatting_revision():
    old, new = version_pair()
    root = document_root(redline_docx(old, new, when=WHEN))
    review = next(p for p in root.iter(q("p")) if "".join(
        t.text or "" for t in p.iter(q("t"))) == "Review")
    change = review.find(f"{q('pPr')}/{q('pPrChange')}")
    assert change is not None
    assert change.find(f"{q('pPr')}/{q('pStyle')}").get(q("val")) == "Heading1"
    rejected = document_root(reject_all(redline_docx(old, new, when=WHEN)))
    heading = next(p for p in rejected.iter(q("p")) if "".join(
        t.text or "" for t in p.iter(q("t"))) == "Review")
    assert heading.find(f"{q('pPr')}/{q('pStyle')}").get(q("val")) == "Heading1"


def test_formatting_of_deleted_words_is_the_old_formatting():
    old = _document("1.0", new=False)
    new_doc = Document(io.BytesIO(old))
    purpose = next(p for p in new_doc.paragraphs if p.text.startswith("This procedure"))
    purpose.runs[1].text = "handled"
    buffer = io.BytesIO()
    new_doc.save(buffer)
    root = document_root(redline_docx(old, buffer.getvalue(), when=WHEN))
    deleted = next(d for d in root.iter(q("del")) if d.getparent().tag != q("rPr"))
    assert ws("".join(t.text for t in deleted.iter(q("delText")))) == "reported"
    assert deleted.find(f"{q('r')}/{q('rPr')}/{q('b')}") is not None


def test_identical_versions_give_no_changes_and_other_parts_stay_the_new_ones():
    old, new = version_pair()
    same = redline_docx(new, new, when=WHEN)
    assert not list(document_root(same).iter(q("ins"), q("del"), q("pPrChange")))
    before, after = raw_entries(new), raw_entries(redline_docx(old, new, when=WHEN))
    assert [n for n in before if before[n] != after[n]] == ["word/document.xml"]


def test_same_input_same_bytes_and_unique_ids():
    old, new = version_pair()
    redline = redline_docx(old, new, when=WHEN)
    assert redline_docx(old, new, when=WHEN) == redline
    root = etree.fromstring(part(redline, "word/document.xml"))
    ids = [e.get(q("id")) for e in root.iter(q("ins"), q("del"), q("pPrChange"))]
    assert len(ids) == len(set(ids)) and {e.get(q("date")) for e in root.iter(q("ins"))} == {
        "2025-06-30T00:00:00Z"}


def _simple(*texts: str) -> bytes:
    d = Document()
    for text in texts:
        d.add_paragraph(text)
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def test_changes_at_the_end_of_the_document_leave_no_stray_paragraph():
    for old, new in ((("First.", "Second."), ("First.", "Second.", "Third, new.")),
                     (("First.", "Second.", "Third, old."), ("First.", "Second.")),
                     (("One.", "Two."), ("One.", "Completely different closing words here."))):
        redline = redline_docx(_simple(*old), _simple(*new), when=WHEN)
        assert paragraph_texts(reject_all(redline)) == list(old)
        assert paragraph_texts(accept_all(redline)) == list(new)
        last = list(document_root(redline).iter(q("p")))[-1]
        assert last.find(f"{q('pPr')}/{q('rPr')}/{q('ins')}") is None
        assert last.find(f"{q('pPr')}/{q('rPr')}/{q('del')}") is None


def test_a_version_that_is_not_a_word_document_is_a_clear_error():
    with pytest.raises(InputError, match="old version is not a Word document"):
        redline_docx(b"not a zip", _simple("x"), when=WHEN)
