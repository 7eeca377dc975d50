"""DOCX writer: what a user sees in Word, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from aimsdocs.errors import InputError
from aimsdocs.render.document import Brand, DocumentControl, RenderedDocument, Revision
from aimsdocs.writers.docx import write_docx
from aimsdocs.writers.ziputil import normalise_zip

BODY = """# AI policy

# Section one

A paragraph with **bold words**, *italic words*, `inline code` and a
[policy link](https://example.org/policy). Second line  
after a hard break. A [bad link](javascript:alert(1)) stays text.

## Lists

- bullet one
- bullet two
    - nested bullet

1. number one
2. number two

Between the lists.

1. again one

### Tables

| Role | Holder |
|---|---|
| Owner | *Jane* |

## Quotes and code

> Quoted words.

```
code line one
    code line two
```

---
"""

CONTROL = DocumentControl(
    doc_id="POL-01", title="AI policy", doc_type="policy", organisation="Acme Ltd",
    version="1.1", status="Approved", owner="Jane Doe", approver="CEO",
    effective_date=dt.date(2025, 1, 1), next_review=dt.date(2026, 1, 1),
    addresses=("5.2", "A.2.2"),
    revisions=(Revision("1.0", dt.date(2024, 12, 1), "Jane Doe", "First issue"),
               Revision("1.1", dt.date(2025, 1, 2), "Jane Doe", "Scope added")))


def make_doc(markdown: str = BODY, **changes) -> RenderedDocument:
    control = DocumentControl(**{**CONTROL.__dict__, **changes})
    return RenderedDocument(control, markdown)


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def written() -> bytes:
    return write_docx(make_doc())


@pytest.fixture(scope="module")
def word(written: bytes):
    return read(written)


def paragraph(document, text: str):
    found = [p for p in document.paragraphs
             if p.text.startswith(text) and not p.style.name.startswith("toc")]
    assert found, f"no paragraph starts with {text!r}"
    return found[0]


def part_xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def png_bytes() -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload)))
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def test_every_table_row_cannot_split_and_header_rows_repeat(written):
    document = part_xml(written, "word/document.xml")
    assert document.count("<w:tr>") == document.count("<w:cantSplit/>") > 0


def test_nested_list_indented_three_spaces_is_a_real_sub_list():
    word = read(write_docx(make_doc("1. **Choose.** Options:\n   - reduce;\n   - avoid.\n"
                                    "2. Next step\n\nIntro:\n- one\n- two\n")))
    styles = {p.text: p.style.name for p in word.paragraphs}
    assert styles["reduce;"] == styles["avoid."] == "List Bullet 2"
    assert styles["Choose. Options:"] == "List Number"
    assert styles["Intro:"] == "Normal" and styles["one"] == "List Bullet"
    assert not any(" - " in p.text or p.text.startswith("- ") for p in word.paragraphs)


def test_column_widths_never_below_the_longest_word_and_wide_tables_go_landscape():
    from aimsdocs.writers.docx.measure import longest_word
    from aimsdocs.writers.docx.styles import TABLE_SIZE

    ids = [f"ACME-AIMS-REC-01-AIS-{n:02d}" for n in range(1, 4)]
    header = "| Id | Title | Type | Version | Status | Owner | Effective | Next review |"
    rows = [f"| {i} | Impact assessment of the forecasting system | record | 1.0 | Draft | "
            f"Jane Doe, Head of Data | 2026-01-15 | 2027-01-15 |" for i in ids]
    markdown = "## Register\n\n" + "\n".join([header, "|---" * 8 + "|", *rows])
    data = write_docx(make_doc(markdown))
    word = read(data)
    table = word.tables[-1]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    needed = longest_word(ids[0], TABLE_SIZE)
    assert grid[0] >= needed and grid[6] >= longest_word("2026-01-15", TABLE_SIZE)
    sections = word.sections
    assert [s.orientation for s in sections] == [0, 1]  # portrait, then landscape (WD_ORIENT)
    text_width = sections[1].page_width - sections[1].left_margin - sections[1].right_margin
    assert sum(grid) * 635 == text_width  # twips to EMU
    # the heading travels with its table into the landscape section
    body = word.element.body
    break_at = next(i for i, el in enumerate(body) if el.xpath("./w:pPr/w:sectPr"))
    heading_at = next(i for i, el in enumerate(body)
                      if "".join(t.text for t in el.iter(qn("w:t"))) == "Register")
    assert heading_at > break_at
    # landscape pages have their own header, with the tab at the wider margin
    assert len({s.header.part.partname for s in sections}) == 2


def test_document_references_become_relative_links():
    data = write_docx(make_doc("See POL-02 and POL-01 (this one)."),
                      links={"POL-02": "pol-02.docx"})
    p = paragraph(read(data), "See POL-02")
    assert [(h.text, h.address) for h in p.hyperlinks] == [("POL-02", "pol-02.docx")]


def test_language_comes_from_document_control():
    data = write_docx(make_doc(language="de-DE"))
    assert 'w:lang w:val="de-DE"' in part_xml(data, "word/styles.xml")
    assert "<dc:language>de-DE</dc:language>" in part_xml(data, "docProps/core.xml")


def test_title_paragraph_replaces_the_leading_h1(word):
    assert word.paragraphs[0].style.name == "Title"
    assert word.paragraphs[0].text == "AI policy"
    assert [p.text for p in word.paragraphs].count("AI policy") == 1


def test_headings_use_built_in_heading_styles(word):
    assert paragraph(word, "Section one").style.name == "Heading 1"
    assert paragraph(word, "Lists").style.name == "Heading 2"
    assert paragraph(word, "Tables").style.name == "Heading 3"


def test_inline_formatting_becomes_runs(word):
    runs = {run.text: run for run in paragraph(word, "A paragraph with").runs}
    assert runs["bold words"].bold
    assert runs["italic words"].italic
    assert runs["inline code"].font.name == "Courier New"


def test_links_are_real_hyperlinks(word):
    p = paragraph(word, "A paragraph with")
    assert [(h.text, h.address) for h in p.hyperlinks] == [
        ("policy link", "https://example.org/policy")]
    assert "bad link" in p.text  # a javascript: link keeps its words, loses the link
    assert "javascript" not in str(word.part.rels.values())


def test_hard_break_is_a_line_break(word):
    assert "Second line\nafter a hard break" in paragraph(word, "A paragraph with").text


def test_lists_use_list_styles_and_nesting(word):
    assert paragraph(word, "bullet one").style.name == "List Bullet"
    assert paragraph(word, "nested bullet").style.name == "List Bullet 2"
    assert paragraph(word, "number one").style.name == "List Number"


def test_each_numbered_list_restarts(word):
    def num_id(text: str) -> str:
        return paragraph(word, text)._p.pPr.numPr.numId.val

    assert num_id("number one") == num_id("number two")
    assert num_id("again one") != num_id("number one")


def test_quote_code_and_rule(word):
    assert paragraph(word, "Quoted words").style.name == "Quote"
    code = paragraph(word, "code line one")
    assert code.style.name == "Code"
    assert code.text == "code line one\n    code line two"
    rules = [p for p in word.paragraphs if p._p.xpath("./w:pPr/w:pBdr")]
    assert len(rules) == 1


def test_markdown_table_has_bold_repeating_header(word):
    table = next(t for t in word.tables if t.cell(0, 0).text == "Role")
    header = table.rows[0]
    assert header._tr.xpath("./w:trPr/w:tblHeader")
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert table.cell(1, 1).paragraphs[0].runs[0].italic
    assert table.style.name == "Table Grid"


def test_document_control_block_and_revision_history(word):
    control = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
    assert control["Document ID"] == "POL-01"
    assert control["Version"] == "1.1"
    assert control["Next review"] == "2026-01-01"
    revisions = [[cell.text for cell in row.cells] for row in word.tables[1].rows]
    assert revisions == [["Version", "Date", "Author", "Description"],
                         ["1.0", "2024-12-01", "Jane Doe", "First issue"],
                         ["1.1", "2025-01-02", "Jane Doe", "Scope added"]]


def test_header_is_one_line_with_id_and_title_and_footer_names_the_organisation(word,
                                                                                   written):
    section = word.sections[0]
    assert [p.text for p in section.header.paragraphs] == ["POL-01 · AI policy"]
    footer_text = " ".join(p.text for p in section.footer.paragraphs)
    assert "Acme Ltd · Version 1.1 · Internal" in footer_text
    footer = part_xml(written, "word/footer1.xml")
    assert " PAGE " in footer and " NUMPAGES " in footer


def test_long_title_is_shortened_to_keep_the_header_on_one_line():
    title = " ".join(["Information for interested parties and incident communication"] * 3)
    result = read(write_docx(make_doc("Short.", title=title)))
    header = result.sections[0].header.paragraphs[0].text
    assert header.startswith("POL-01 · Information for interested parties") and header.endswith("…")
    assert len(header) < len(title)


LONG = "\n\n".join(f"## Section {n}\n\nText of section {n}." for n in range(1, 8))


def test_toc_field_and_update_prompt_only_for_long_documents(written):
    long = write_docx(make_doc(LONG))
    assert 'TOC \\o "1-3"' in part_xml(long, "word/document.xml")
    assert "w:updateFields" in part_xml(long, "word/settings.xml")
    for short in (written, write_docx(make_doc("## Only\n\nOne heading."))):
        assert "TOC \\o" not in part_xml(short, "word/document.xml")
        assert "w:updateFields" not in part_xml(short, "word/settings.xml")


def test_contents_for_pdf_has_page_references_and_no_update_prompt():
    data = write_docx(make_doc(LONG), for_pdf=True)
    document = part_xml(data, "word/document.xml")
    assert "TOC \\o" not in document  # LibreOffice would print the stored result as is
    assert document.count("PAGEREF _section-1".replace("-", "_")) == 1
    assert document.count(" PAGEREF ") == 7
    assert "w:updateFields" not in part_xml(data, "word/settings.xml")


def test_two_writes_are_byte_identical(written):
    assert write_docx(make_doc()) == written


def test_core_properties_follow_the_revision_date(word):
    props = word.core_properties
    assert props.created.date() == props.modified.date() == dt.date(2025, 1, 2)
    assert props.created.time() == dt.time(0, 0)
    assert props.title == "AI policy"
    assert props.author == "Acme Ltd"
    assert props.keywords == "5.2, A.2.2"
    assert props.revision == 1


def test_no_revision_date_falls_back_to_2000(tmp_path):
    props = read(write_docx(make_doc(revisions=(), effective_date=None))).core_properties
    assert props.created == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def test_reference_docx_styles_and_header_are_kept(tmp_path):
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Georgia"
    reference.sections[0].header.paragraphs[0].text = "Consultant Ltd letterhead"
    reference.add_paragraph("Sample text that must not survive")
    path = tmp_path / "reference.docx"
    reference.save(path)

    result = read(write_docx(make_doc(), Brand(reference_docx=path)))
    assert result.styles["Normal"].font.name == "Georgia"
    header = [p.text for p in result.sections[0].header.paragraphs]
    assert header[0] == "Consultant Ltd letterhead"
    assert any("POL-01" in text for text in header[1:])
    assert not any("Sample text" in p.text for p in result.paragraphs)


def test_reference_docx_missing_styles_are_supplied(tmp_path):
    reference = docx.Document()
    styles = reference.styles.element
    for name in ("heading 1", "List Bullet", "List Bullet 2", "Quote", "Table Grid", "Title"):
        styles.remove(styles.get_by_name(name))
    for rel_id, rel in list(reference.part.rels.items()):
        if rel.reltype.endswith("/numbering"):
            del reference.part.rels[rel_id]
    path = tmp_path / "lean.docx"
    reference.save(path)

    result = read(write_docx(make_doc(), Brand(reference_docx=path)))
    assert paragraph(result, "Section one").style.name == "Heading 1"
    assert paragraph(result, "nested bullet").style.name == "List Bullet 2"
    assert paragraph(result, "Quoted words").style.name == "Quote"


def test_corrupt_reference_docx_is_an_input_error(tmp_path):
    path = tmp_path / "reference.docx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError, match="reference.docx"):
        write_docx(make_doc(), Brand(reference_docx=path))


def test_logo_goes_in_the_header(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes())
    result = read(write_docx(make_doc("Short."), Brand(logo=logo)))
    assert result.sections[0].header._element.xpath(".//w:drawing")


def test_accent_colours_headings_and_table_header():
    result = read(write_docx(make_doc(), Brand(accent_colour="#336699")))
    assert str(result.styles["Heading 1"].font.color.rgb) == "336699"
    table = next(t for t in result.tables if t.cell(0, 0).text == "Role")
    shading = table.cell(0, 0)._tc.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == "336699"


def test_bad_accent_colour_is_an_input_error():
    with pytest.raises(InputError, match="accent colour"):
        write_docx(make_doc("Short."), Brand(accent_colour="blue"))


def test_normalise_zip_fixes_time_order_and_attributes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", "<a/>")
        package.writestr("[Content_Types].xml", "<b/>")
    data = normalise_zip(buffer.getvalue(), dt.datetime(1970, 5, 5))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = package.infolist()
        assert [e.filename for e in entries] == ["[Content_Types].xml", "word/document.xml"]
        assert {e.date_time for e in entries} == {(1980, 1, 1, 0, 0, 0)}
        assert {e.compress_type for e in entries} == {zipfile.ZIP_DEFLATED}
        assert package.read("word/document.xml") == b"<a/>"
    assert normalise_zip(data, None) == data



def pandoc_reference(tmp_path):
    import shutil
    import subprocess

    if shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed")
    path = tmp_path / "reference.docx"
    subprocess.run(["pandoc", "-o", str(path), "--print-default-data-file", "reference.docx"],
                   check=True)
    return path


def test_pandoc_default_reference_builds_and_restyles_the_title(tmp_path):
    reference = pandoc_reference(tmp_path)
    data = write_docx(make_doc(LONG), Brand(reference_docx=reference))
    result = read(data)
    title = result.paragraphs[0]
    assert title.style.name == "Title" and title.text == "AI policy"
    assert title.style.font.bold  # pandoc's Title, not ours
    assert paragraph(result, "Section 1").style.name == "Heading 1"
    section = result.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.01)  # A4 when the reference sets none
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert "word/theme/theme1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    styles = part_xml(data, "word/styles.xml")
    assert styles.count('w:styleId="Heading1"') == 1  # matched, not duplicated
    assert 'w:color w:val="1F4E79"' not in styles  # the reference keeps its own colours


def test_accent_colour_applies_on_top_of_a_reference(tmp_path):
    reference = pandoc_reference(tmp_path)
    data = write_docx(make_doc(LONG), Brand(reference_docx=reference, accent_colour="AA3300"))
    result = read(data)
    assert str(result.styles["Title"].font.color.rgb) == "AA3300"
    heading = next(s for s in result.styles.element.findall(qn("w:style"))
                   if s.get(qn("w:styleId")) == "Heading1")
    assert heading.find(f"{qn('w:rPr')}/{qn('w:color')}").get(qn("w:val")) == "AA3300"


def test_style_names_match_case_insensitively_and_by_alias(tmp_path):
    reference = docx.Document()
    reference.styles["Heading 1"].element.find(qn("w:name")).set(qn("w:val"), "HEADING 1")
    quote = reference.styles["Quote"].element
    quote.find(qn("w:name")).set(qn("w:val"), "Zitat")
    aliases = quote.makeelement(qn("w:aliases"), {qn("w:val"): "Quote,Citation"})
    quote.find(qn("w:name")).addnext(aliases)
    path = tmp_path / "reference.docx"
    reference.save(path)
    data = write_docx(make_doc(), Brand(reference_docx=path))
    document = part_xml(data, "word/document.xml")
    assert '<w:pStyle w:val="Heading1"/>' in document
    assert '<w:pStyle w:val="Quote"/>' in document
    assert part_xml(data, "word/styles.xml").count('w:styleId="Quote"') == 1


def test_the_zip_writer_writes_what_zipfile_writes_and_reads_back():
    """Packages are zipped without zipfile's per-entry machinery (writers/ziputil.py); the
    bytes must be those zipfile gives for the same entries, so any reader opens them."""
    import datetime as dt
    import io
    import zipfile

    from aimsdocs.writers import ziputil

    when = dt.datetime(2026, 12, 1, 10, 30, 15)
    entries = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:p/>" * 5000),
               ("word/m\u00e9dia/caf\u00e9.xml", "caf\u00e9".encode()), ("empty.xml", b""),
               ("word/styles.xml", b"<w:styles/>")]
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 10, 30, 15))
            info.compress_type, info.create_system = zipfile.ZIP_DEFLATED, 3
            info.external_attr = ziputil.FILE_MODE
            archive.writestr(info, data, compresslevel=ziputil.COMPRESS_LEVEL)
    written = ziputil.write_zip(entries, when)
    assert written == expected.getvalue()
    assert ziputil.write_zip(entries, when) == written  # small parts come from memory
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == entries
