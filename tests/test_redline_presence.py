"""Nothing is proposed twice: amendments already in a document are recognised."""

from __future__ import annotations

import datetime
import io
import re

from docx import Document
from redline_samples import AUDIT, SAMPLES, amendments_for, styled_procedure
from test_redline_markdown import PROCEDURE

from aimsdocs.writers.redline import (
    Addition,
    NewSection,
    Replacement,
    accept_all,
    amend_docx,
    amend_markdown,
    find_present,
    paragraph_texts,
)

WHEN = datetime.date(2025, 3, 14)


def _edited(docx: bytes, old: str, new: str) -> bytes:
    """The organisation edits its accepted document in Word (python-docx here)."""
    document = Document(io.BytesIO(docx))
    for paragraph in document.paragraphs:
        if old in paragraph.text:
            text = paragraph.text.replace(old, new)
            for run in paragraph.runs[1:]:
                run._r.getparent().remove(run._r)
            paragraph.runs[0].text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_accepted_amendments_are_found_in_every_sample():
    for build in SAMPLES.values():
        original = build()
        amendments = amendments_for(original)
        accepted = accept_all(amend_docx(original, amendments, when=WHEN))
        assert [p.present for p in find_present(original, amendments)] == [False] * 4
        found = find_present(accepted, amendments)
        assert [p.present for p in found] == [True] * 4
        assert all(p.score == 1.0 and p.where is not None for p in found)


def test_pending_tracked_changes_count_as_already_proposed():
    original = styled_procedure()
    amendments = amendments_for(original)
    pending = amend_docx(original, amendments, when=WHEN)
    assert all(p.present for p in find_present(pending, amendments))


def test_light_edits_after_accepting_still_count_but_a_rewrite_does_not():
    original = styled_procedure()
    amendment = Addition("2. Scope", ("AI systems in scope are listed in the AI system "
                                      "inventory kept by the AI governance lead.",), AUDIT)
    accepted = accept_all(amend_docx(original, [amendment], when=WHEN))
    touched = _edited(accepted, "kept by the AI governance lead", "kept by the AI lead")
    light = find_present(touched, [amendment])[0]
    assert light.present and 0.85 <= light.score < 1.0
    rewritten = _edited(accepted, "AI systems in scope are listed in the AI system inventory "
                        "kept by the AI governance lead.", "Our AI tools are covered as well.")
    assert not find_present(rewritten, [amendment])[0].present


def test_a_replacement_is_present_once_the_new_wording_replaced_the_old():
    original = styled_procedure()
    change = Replacement("kept for five years", "kept for seven years", AUDIT)
    assert not find_present(original, [change])[0].present
    accepted = accept_all(amend_docx(original, [change], when=WHEN))
    assert find_present(accepted, [change])[0].present
    # the old sentence still there next to the new one: the change was not made
    both = _edited(accepted, "kept for seven years.", "kept for seven years. Reports are "
                   "kept for five years.")
    assert not find_present(both, [change])[0].present


def test_markdown_amendments_are_found_with_or_without_our_marker():
    amendments = [Addition("2. Scope", ("AI systems are in scope of every internal audit "
                                        "of the management system.",), AUDIT, ("9.2",)),
                  NewSection("3. Records", "AI audits", ("- AI audit reports",), AUDIT)]
    amended, _ = amend_markdown(PROCEDURE, amendments, "audit.md")
    assert [p.present for p in find_present(PROCEDURE, amendments)] == [False, False]
    assert [p.present for p in find_present(amended, amendments)] == [True, True]
    unmarked = re.sub(r"<!--.*?-->\n", "", amended)
    assert [p.present for p in find_present(unmarked, amendments)] == [True, True]
    rewrapped = unmarked.replace("in scope of every internal audit ",
                                 "in scope of every\ninternal audit ")
    assert find_present(rewrapped, amendments)[0].present


def test_our_marker_helps_a_reworded_markdown_addition_count():
    amendment = Addition("2. Scope", ("AI systems are in scope of every internal audit of "
                                      "the management system.",), AUDIT, ("9.2",))
    amended, _ = amend_markdown(PROCEDURE, [amendment], "audit.md")
    reworded = amended.replace("of every internal audit of the management system",
                               "of each internal audit")
    assert find_present(reworded, [amendment])[0].present  # marker kept: ours, reworded
    unmarked = re.sub(r"<!--.*?-->\n", "", reworded)
    assert not find_present(unmarked, [amendment])[0].present


def test_a_deletion_is_present_once_the_words_are_gone():
    original = styled_procedure()
    cut = Replacement(" and every process of the management system", "", AUDIT)
    amended = amend_docx(original, [cut], when=WHEN)
    assert "It applies to every site." in paragraph_texts(accept_all(amended))
    assert not find_present(original, [cut])[0].present
    assert find_present(accept_all(amended), [cut])[0].present
