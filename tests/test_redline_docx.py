"""Amending an organisation's Word document: additions as tracked changes with comments."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from lxml import etree
from redline_samples import (
    AUDIT,
    SAMPLES,
    W,
    amendments_for,
    bold_headings,
    document_root,
    normalised_body,
    numbered_headings,
    part,
    raw_entries,
    styled_procedure,
    texts_in,
    ws,
)

from aimsdocs.errors import InputError
from aimsdocs.writers.redline import (
    Addition,
    NewSection,
    Replacement,
    accept_all,
    amend_docx,
    find_heading,
    list_paragraphs,
    paragraph_texts,
    reject_all,
    section_end,
)
from aimsdocs.writers.redline.ooxml import PPR_ORDER, RPR_ORDER, TRPR_ORDER

WHEN = datetime.date(2025, 3, 14)


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(params=sorted(SAMPLES))
def sample(request) -> bytes:
    return SAMPLES[request.param]()


def test_listing_reads_every_way_of_marking_a_heading():
    styled = {p.text: p.heading_level for p in list_paragraphs(styled_procedure())}
    assert styled["Internal Audit Procedure"] == 0  # the title is not a section
    assert styled["1. Purpose"] == 1 and styled["2.1 Exclusions"] == 2
    assert styled["No process is excluded."] is None
    numbered = {p.text: p for p in list_paragraphs(numbered_headings())}
    assert numbered["Purpose"].heading_level == 1 and numbered["Purpose"].numbered
    assert numbered["Out of hours"].heading_level == 2  # outline level on the paragraph
    assert numbered["contain the incident"].heading_level is None  # a numbered list item
    bold = {p.text: p.heading_level for p in list_paragraphs(bold_headings())}
    assert bold["Supplier selection"] == 1 and bold["Critical"] is None  # table cell
    assert bold["Access is removed and data returned when a contract ends."] is None


def test_section_end_with_and_without_subsections():
    paragraphs = list_paragraphs(styled_procedure())
    scope = find_heading(paragraphs, "scope")  # number, case ignored
    assert paragraphs[section_end(paragraphs, scope.index)].text == "No process is excluded."
    own = section_end(paragraphs, scope.index, subsections=False)
    assert paragraphs[own].text == "outsourced payroll."


def test_rejecting_every_change_gives_back_the_original(sample):
    amended = amend_docx(sample, amendments_for(sample), when=WHEN)
    assert paragraph_texts(reject_all(amended)) == paragraph_texts(sample)
    assert normalised_body(reject_all(amended)) == normalised_body(sample)


def test_accepting_every_change_puts_each_addition_in_its_section(sample):
    amendments = amendments_for(sample)
    accepted = list_paragraphs(accept_all(amend_docx(sample, amendments, when=WHEN)))
    texts = [p.text for p in accepted]
    first_heading = amendments[0].anchor
    start = texts.index(first_heading)
    added = texts.index("AI systems in scope are listed in the AI system inventory.")
    following = next(p.index for p in accepted[start + 1:] if p.is_heading)
    assert start < added < following
    # the items close the last section, the new section follows it, both at the end
    items = texts.index("AI audit findings and their follow-up.")
    assert texts[items - 1] == "records of AI impact assessments;"
    heading = texts.index("AI management system audits")
    assert heading == items + 1 and texts[heading + 2].startswith("Auditors of AI systems")
    assert accepted[heading].heading_level == accepted[texts.index(amendments[2].after)
                                                       ].heading_level
    replaced = amendments[3]
    assert any(replaced.new in t for t in texts) and not any(replaced.old + " " in t and
                                                             replaced.new not in t for t in texts)


def test_every_addition_is_a_tracked_change_by_our_author_on_the_given_date(sample):
    amended = amend_docx(sample, amendments_for(sample), when=WHEN, author="aimsdocs")
    root = document_root(amended)
    marks = list(root.iter(q("ins"), q("del")))
    assert marks and all(m.get(q("author")) == "aimsdocs" for m in marks)
    assert {m.get(q("date")) for m in marks} == {"2025-03-14T00:00:00Z"}
    original = set(paragraph_texts(sample))
    for paragraph in root.iter(q("p")):
        text = "".join(t.text or "" for t in paragraph.iter(q("t")))
        if text in original or not text:
            continue
        mark = paragraph.find(f"{q('pPr')}/{q('rPr')}/{q('ins')}")
        fully_new = mark is not None
        if fully_new:  # every character of a new paragraph is inside a w:ins
            inserted = "".join(t.text or "" for ins in paragraph.iter(q("ins"))
                               for t in ins.iter(q("t")))
            assert inserted == text
    replaced = amendments_for(sample)[3]  # "w2 w3 w4" -> "w2 w3 and AI": only w4 goes
    assert [ws(t) for t in texts_in(root, "del")] == [replaced.old.split()[-1]]
    comments = etree.fromstring(part(amended, "word/comments.xml"))
    revision_ids = [m.get(q("id")) for m in marks] + [c.get(q("id"))
                                                      for c in comments.iter(q("comment"))]
    assert len(set(revision_ids)) == len(revision_ids)
    bookmark_ids = {e.get(q("id")) for e in root.iter(q("bookmarkStart"))}
    assert not bookmark_ids & set(revision_ids)


def test_each_amendment_carries_a_comment_naming_its_requirement(sample):
    amended = amend_docx(sample, amendments_for(sample), when=WHEN)
    comments = etree.fromstring(part(amended, "word/comments.xml"))
    texts = ["".join(t.text for t in c.iter(q("t"))) for c in comments.iter(q("comment"))]
    assert sorted(texts) == sorted(a.comment for a in amendments_for(sample))
    root = document_root(amended)
    for comment in comments.iter(q("comment")):
        cid = comment.get(q("id"))
        assert len(root.xpath("//w:commentRangeStart[@w:id=$i]", namespaces={"w": W}, i=cid)) == 1
        assert len(root.xpath("//w:commentRangeEnd[@w:id=$i]", namespaces={"w": W}, i=cid)) == 1
        reference = root.xpath("//w:commentReference[@w:id=$i]", namespaces={"w": W}, i=cid)
        assert len(reference) == 1 and reference[0].getparent().getparent().tag == q("ins")
    types = part(amended, "[Content_Types].xml").decode()
    assert 'PartName="/word/comments.xml"' in types and "comments+xml" in types
    rels = part(amended, "word/_rels/document.xml.rels").decode()
    assert "relationships/comments" in rels and 'Target="comments.xml"' in rels


def test_everything_but_the_document_and_its_comments_is_copied_byte_for_byte(sample):
    amended = amend_docx(sample, amendments_for(sample), when=WHEN)
    before, after = raw_entries(sample), raw_entries(amended)
    changed = {"word/document.xml", "word/comments.xml", "[Content_Types].xml",
               "word/_rels/document.xml.rels"}
    assert list(after)[:len(before)] == list(before)  # same order, new part last
    assert set(after) - set(before) == {"word/comments.xml"}
    for name, data in before.items():
        if name not in changed:
            assert after[name] == data, name
    with zipfile.ZipFile(io.BytesIO(amended)) as archive:
        assert archive.testzip() is None


def test_an_existing_comments_part_is_extended_with_unique_ids():
    original = styled_procedure(with_comment=True)
    amended = amend_docx(original, amendments_for(original), when=WHEN)
    comments = etree.fromstring(part(amended, "word/comments.xml"))
    authors = [c.get(q("author")) for c in comments.iter(q("comment"))]
    assert authors.count("Reviewer") == 1 and authors.count("aimsdocs") == 4
    ids = [c.get(q("id")) for c in comments.iter(q("comment"))]
    assert len(set(ids)) == len(ids)
    assert part(amended, "[Content_Types].xml").count(b"comments+xml") == 1
    assert part(amended, "word/_rels/document.xml.rels").count(b"relationships/comments") == 1


def test_same_input_same_bytes(sample):
    first = amend_docx(sample, amendments_for(sample), when=WHEN)
    assert amend_docx(sample, amendments_for(sample), when=WHEN) == first
    assert amend_docx(sample, amendments_for(sample), when=WHEN.replace(day=15)) != first


def test_new_section_heading_and_text_look_like_the_documents_own():
    original = numbered_headings()
    amended = amend_docx(original, [NewSection("Assessment", "AI incidents", (
        "Incidents involving an AI system are also reported to the AI owner.",), AUDIT)],
        when=WHEN)
    root = document_root(amended)
    paragraphs = {"".join(t.text or "" for t in p.iter(q("t"))): p for p in root.iter(q("p"))}
    heading, body = paragraphs["AI incidents"], paragraphs[
        "Incidents involving an AI system are also reported to the AI owner."]
    assert heading.find(f"{q('pPr')}/{q('pStyle')}").get(q("val")) == "Abschnitt"
    assert body.find(f"{q('pPr')}/{q('pStyle')}") is None  # Normal, like the body text
    accepted = list_paragraphs(accept_all(amended))
    texts = [p.text for p in accepted]
    new = accepted[texts.index("AI incidents")]
    assert new.heading_level == 1 and new.numbered
    assert texts[texts.index("AI incidents") - 1] == "restore the service"
    assert texts[texts.index("AI incidents") + 2] == "Lessons learnt"


def test_bold_paragraph_headings_get_a_bold_new_heading():
    original = bold_headings()
    amended = amend_docx(original, [NewSection("Monitoring", "AI suppliers", (
        "Suppliers of AI components also report model changes.",), AUDIT)], when=WHEN)
    accepted = {p.text: p for p in list_paragraphs(accept_all(amended))}
    assert accepted["AI suppliers"].bold and accepted["AI suppliers"].heading_level == 1
    assert not accepted["Suppliers of AI components also report model changes."].bold
    texts = paragraph_texts(accept_all(amended))
    assert texts.index("AI suppliers") == texts.index("certificate check") + 1


def test_new_list_items_continue_the_sections_list():
    original = styled_procedure()
    amended = amend_docx(original, [Addition("2. Scope", ("- AI systems and their data.",),
                                             AUDIT)], when=WHEN)
    accepted = {p.text: p for p in list_paragraphs(accept_all(amended))}
    assert accepted["AI systems and their data."].style_name == "List Bullet"
    assert accepted["AI systems and their data."].index == accepted["outsourced payroll."].index + 1


def test_replacement_marks_only_the_changed_words_and_keeps_their_formatting():
    original = styled_procedure()
    amended = amend_docx(original, [Replacement(
        "internal audits are planned", "internal and AI audits are planned", AUDIT)], when=WHEN)
    root = document_root(amended)
    assert texts_in(root, "del") == []  # nothing of the old text goes
    assert [ws(t) for t in texts_in(root, "ins")] == ["and AI", ""]  # words, comment mark
    inserted = next(r for ins in root.iter(q("ins")) for r in ins.iter(q("r"))
                    if r.find(q("t")) is not None)
    assert inserted.find(f"{q('rPr')}/{q('b')}") is not None  # bold like "internal audits"
    changed = amend_docx(original, [Replacement(
        "kept for five years", "kept for seven years", AUDIT)], when=WHEN)
    root = document_root(changed)
    assert texts_in(root, "del") == ["five"] and texts_in(root, "ins")[0] == "seven"
    assert "Audit reports are kept for seven years." in paragraph_texts(accept_all(changed))
    assert paragraph_texts(reject_all(changed)) == paragraph_texts(original)


def test_properties_are_written_in_schema_order(sample):
    root = document_root(amend_docx(sample, amendments_for(sample), when=WHEN))
    for tag, order in ((q("pPr"), PPR_ORDER), (q("rPr"), RPR_ORDER), (q("trPr"), TRPR_ORDER)):
        for properties in root.iter(tag):
            ranks = [order.index(c.tag) for c in properties if c.tag in order]
            assert ranks == sorted(ranks), etree.tostring(properties)
    for paragraph in root.iter(q("p")):  # pPr first, w:ins never directly holds a paragraph
        assert all(c.tag != q("pPr") for c in list(paragraph)[1:])
    for run in root.iter(q("r")):
        assert all(c.tag != q("rPr") for c in list(run)[1:])
    for deleted in root.iter(q("del")):
        if deleted.getparent().tag != q("rPr"):
            assert not list(deleted.iter(q("t")))  # deleted text is w:delText


def test_additions_in_given_order_after_the_same_paragraph():
    original = styled_procedure()
    amended = amend_docx(original, [
        Addition("4. Records", ("First addition.",), AUDIT),
        Addition("4. Records", ("Second addition.",), AUDIT)], when=WHEN)
    texts = paragraph_texts(accept_all(amended))
    assert texts[-2:] == ["First addition.", "Second addition."]


def test_an_addition_inside_a_table_cell_stays_in_the_cell():
    original = styled_procedure()
    index = paragraph_texts(original).index("IT lead")
    amended = amend_docx(original, [Addition(index, ("AI owner",), AUDIT)], when=WHEN)
    accepted = list_paragraphs(accept_all(amended))
    new = next(p for p in accepted if p.text == "AI owner")
    assert new.in_table and accepted[new.index - 1].text == "IT lead"


@pytest.mark.parametrize(("amendment", "message"), [
    (Addition("Nonexistent heading", ("x",), "c"), "no heading match 'Nonexistent heading'"),
    (Addition(999, ("x",), "c"), "paragraph index 999 is out of range"),
    (Replacement("text that is not there", "y", "c"), "does not occur"),
    (Replacement("the", "THE", "c"), "occurs"),
])
def test_amendments_that_cannot_be_placed_are_clear_errors(amendment, message):
    with pytest.raises(InputError) as caught:
        amend_docx(styled_procedure(), [amendment], when=WHEN)
    assert message in str(caught.value) and "amendment 1" in str(caught.value)


def test_a_file_that_is_not_a_word_document_is_a_clear_error():
    with pytest.raises(InputError, match="not a Word document"):
        amend_docx(b"plain text, not a zip", [], when=WHEN)


def test_amendment_data_is_checked_when_built():
    with pytest.raises(ValueError, match="comment"):
        Addition(1, ("text",), "  ")
    with pytest.raises(ValueError, match="changes nothing"):
        Replacement("same  words", "same words", "c")
    with pytest.raises(ValueError, match="at least one"):
        NewSection(1, "Heading", (), "c")


def test_markdown_emphasis_in_an_addition_becomes_bold_text():
    amended = amend_docx(styled_procedure(), [Addition("4. Records", (
        "**AI records** are kept as long as the AI system is in use.",), AUDIT)], when=WHEN)
    root = document_root(amended)
    runs = [r for r in root.iter(q("r")) if r.getparent().tag == q("ins")
            and r.find(q("t")) is not None]
    bold = {r.find(q("t")).text: r.find(f"{q('rPr')}/{q('b')}") is not None for r in runs}
    assert bold == {"AI records": True, " are kept as long as the AI system is in use.": False}


def test_an_addition_at_the_very_end_moves_the_revised_mark_as_word_does():
    """Word cannot remove the last paragraph mark of a document or cell, so the new mark is
    the one of the paragraph before ("X¶' Y¶"): rejecting then leaves no empty paragraph."""
    original = styled_procedure()
    last = len(paragraph_texts(original)) - 1
    amended = amend_docx(original, [Addition(last, ("AI records too.",), AUDIT)], when=WHEN)
    paragraphs = list(document_root(amended).iter(q("p")))
    mark = f"{q('pPr')}/{q('rPr')}/{q('ins')}"
    assert paragraphs[-2].find(mark) is not None  # the organisation's last paragraph
    assert paragraphs[-1].find(mark) is None  # ours keeps the real final mark
    assert paragraph_texts(reject_all(amended)) == paragraph_texts(original)
    assert normalised_body(reject_all(amended)) == normalised_body(original)


def test_replacing_text_across_a_field_is_refused():
    from docx import Document

    document = Document(io.BytesIO(styled_procedure()))
    paragraph = document.add_paragraph("See page ")
    for kind in ("begin", "end"):
        run = paragraph.add_run()
        element = run._r.makeelement(q("fldChar"), {q("fldCharType"): kind})
        run._r.append(element)
        if kind == "begin":
            paragraph.add_run("3")
    paragraph.add_run(" for details.")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(InputError, match="contains a field"):
        amend_docx(buffer.getvalue(), [Replacement("page 3 for", "section 3 for", AUDIT)],
                   when=WHEN)


def test_control_characters_in_added_text_are_dropped_not_fatal():
    amended = amend_docx(styled_procedure(), [Addition("4. Records", (
        "Pasted\x0b text\x07 with controls.",), "ISO/IEC 42001\x0c 7.5")], when=WHEN)
    assert "Pasted text with controls." in paragraph_texts(accept_all(amended))
