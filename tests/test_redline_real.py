"""Amending real Word documents: a third-party ISMS (../shared, read only, skipped when
absent) and the sample organisation's own. Anchors and texts are chosen at run time from
each document, so none of their text is copied here."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from redline_samples import amendments_for, normalised_body, raw_entries

from aimsdocs.writers.redline import (
    accept_all,
    amend_docx,
    find_present,
    list_paragraphs,
    paragraph_texts,
    redline_docx,
    reject_all,
)

WHEN = datetime.date(2025, 3, 14)


REPO = Path(__file__).resolve().parents[1]
NORTHWIND = REPO.parent / "shared" / "fixtures" / "isms" / "northwind-docx"


def real_documents() -> list[Path]:
    """The sample organisation's Word documents, and the third-party ones when present."""
    files = sorted((REPO / "sample_org" / "isms").rglob("*.docx"))
    if NORTHWIND.is_dir():
        files += sorted(NORTHWIND.glob("*.docx"))
    if not files:
        pytest.skip("no real Word documents found")
    return files


@pytest.fixture(scope="module")
def amended():
    """(path, original, amendments, amended) for every real document."""
    found = []
    for path in real_documents():
        original = path.read_bytes()
        amendments = amendments_for(original)
        found.append((path, original, amendments, amend_docx(original, amendments, when=WHEN)))
    return found


def test_rejecting_restores_each_real_document_exactly(amended):
    for path, original, _, result in amended:
        rejected = reject_all(result)
        assert paragraph_texts(rejected) == paragraph_texts(original), path.name
        assert normalised_body(rejected) == normalised_body(original), path.name


def test_accepting_shows_every_addition_in_each_real_document(amended):
    for path, _, amendments, result in amended:
        texts = paragraph_texts(accept_all(result))
        for addition in ("AI systems in scope are listed in the AI system inventory.",
                         "records of AI impact assessments;", "AI management system audits"):
            assert addition in texts, path.name
        assert any(amendments[3].new in text for text in texts), path.name


def test_only_the_document_and_comments_parts_change_in_real_documents(amended):
    for path, original, _, result in amended:
        before, after = raw_entries(original), raw_entries(result)
        changed = {name for name in before if before[name] != after.get(name)}
        assert changed <= {"word/document.xml", "word/comments.xml", "[Content_Types].xml",
                           "word/_rels/document.xml.rels"}, path.name
        assert "word/document.xml" in changed


def test_real_documents_with_accepted_changes_need_no_second_proposal(amended):
    for path, original, amendments, result in amended:
        assert not any(p.present for p in find_present(original, amendments)), path.name
        assert all(p.present for p in find_present(accept_all(result), amendments)), path.name


def test_headings_are_found_in_every_real_document(amended):
    for path, original, _, _ in amended:
        headings = [p for p in list_paragraphs(original) if p.is_heading]
        assert len(headings) >= 3, path.name


def test_redlining_each_real_document_against_its_amended_version(amended):
    """The comparer on documents other tools wrote: old = the organisation's document, new =
    the same with our amendments accepted."""
    for path, original, _, result in amended:
        new = accept_all(result)
        redline = redline_docx(original, new, when=WHEN)
        assert paragraph_texts(reject_all(redline)) == paragraph_texts(original), path.name
        assert paragraph_texts(accept_all(redline)) == paragraph_texts(new), path.name
