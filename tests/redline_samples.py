"""Word documents for the redline tests, written here with python-docx (our own text).

They mark headings in the ways organisations do: heading styles, a numbered custom style
with an outline level, direct numbering, and short bold paragraphs; with tables, lists and
headers/footers holding fields.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from aimsdocs.writers.redline import Addition, NewSection, Replacement, list_paragraphs, section_end

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _field(paragraph, instruction: str, shown: str) -> None:
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind:
            run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def _header_footer(document, title: str) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{title} - page "
    _field(header, "PAGE", "1")
    footer = section.footer.paragraphs[0]
    footer.text = "Controlled copy. Pages: "
    _field(footer, "NUMPAGES", "1")


def styled_procedure(with_comment: bool = False) -> bytes:
    """Heading styles, mixed run formatting, bullets, a table, header and footer fields."""
    d = Document()
    d.add_paragraph("Internal Audit Procedure", style="Title")
    d.add_paragraph("1. Purpose", style="Heading 1")
    purpose = d.add_paragraph("This procedure sets out how ")
    purpose.add_run("internal audits").bold = True
    purpose.add_run(" are planned, performed and reported by the audit lead.")
    d.add_paragraph("2. Scope", style="Heading 1")
    d.add_paragraph("It applies to every site and every process of the management system.")
    for item in ("head office processes;", "the data centre;", "outsourced payroll."):
        d.add_paragraph(item, style="List Bullet")
    d.add_paragraph("2.1 Exclusions", style="Heading 2")
    d.add_paragraph("No process is excluded.")
    d.add_paragraph("3. Audit programme", style="Heading 1")
    table = d.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for row, values in zip(table.rows, (("Area", "Frequency", "Owner"),
                                        ("Access control", "yearly", "IT lead"),
                                        ("Suppliers", "every two years", "Buyer")), strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    d.add_paragraph("The programme is approved by the management team each January.")
    d.add_paragraph("4. Records", style="Heading 1")
    records = d.add_paragraph("Audit reports are kept for five years.")
    if with_comment:
        d.add_comment(records.runs, text="Check the retention period.", author="Reviewer",
                      initials="RV")
    _header_footer(d, "Internal Audit Procedure")
    return _save(d)


def numbered_headings() -> bytes:
    """Headings in a custom style with an outline level and numbering, no 'Heading' name;
    second-level headings numbered directly on a normal paragraph with an outline level."""
    d = Document()
    section = d.styles.add_style("Abschnitt", 1)
    section.font.size, section.font.bold = Pt(14), True
    number_id = _decimal_numbering(d)
    ppr = section.element.get_or_add_pPr()
    num = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl", {qn("w:val"): "0"})
    num_id = OxmlElement("w:numId", {qn("w:val"): str(number_id)})
    num.append(ilvl)
    num.append(num_id)
    ppr.append(num)
    ppr.append(OxmlElement("w:outlineLvl", {qn("w:val"): "0"}))
    d.add_paragraph("Incident management", style="Title")
    d.add_paragraph("Purpose", style="Abschnitt")
    d.add_paragraph("Security incidents are reported, assessed and closed quickly.")
    d.add_paragraph("Reporting", style="Abschnitt")
    d.add_paragraph("Staff report events to the service desk by phone or ticket.")
    sub = d.add_paragraph("Out of hours")
    sub_ppr = sub._p.get_or_add_pPr()
    sub_num = OxmlElement("w:numPr")
    sub_num.append(OxmlElement("w:ilvl", {qn("w:val"): "1"}))
    sub_num.append(OxmlElement("w:numId", {qn("w:val"): str(number_id)}))
    sub_ppr.append(sub_num)
    sub_ppr.append(OxmlElement("w:outlineLvl", {qn("w:val"): "1"}))
    d.add_paragraph("The on-call engineer takes calls outside office hours.")
    d.add_paragraph("Assessment", style="Abschnitt")
    d.add_paragraph("The security officer grades each incident as low, medium or high.")
    for step in ("contain the incident", "remove the cause", "restore the service"):
        d.add_paragraph(step, style="List Number")
    d.add_paragraph("Lessons learnt", style="Abschnitt")
    d.add_paragraph("Every high incident gets a review within ten working days.")
    _header_footer(d, "Incident management")
    return _save(d)


def bold_headings() -> bytes:
    """No heading styles at all: headings are short bold paragraphs in Normal."""
    d = Document()
    title = d.add_paragraph()
    title.add_run("Supplier Security Policy").bold = True
    for heading, body in (
            ("Purpose", "Suppliers who handle our information protect it as we would."),
            ("Supplier selection", "Critical suppliers answer a security questionnaire "
                                   "before the contract is signed."),
            ("Monitoring", "The supplier owner reviews each critical supplier once a year.")):
        d.add_paragraph().add_run(heading).bold = True
        d.add_paragraph(body)
    for item in ("annual review meeting", "certificate check"):
        d.add_paragraph(item, style="List Bullet")
    d.add_paragraph().add_run("Exit").bold = True
    d.add_paragraph("Access is removed and data returned when a contract ends.")
    table = d.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "Tier", "Review"
    table.cell(1, 0).text, table.cell(1, 1).text = "Critical", "yearly"
    d.add_paragraph("Exceptions need the approval of the security officer.")
    _header_footer(d, "Supplier Security Policy")
    return _save(d)


def _decimal_numbering(document) -> int:
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): "90"})
    for level in range(2):
        lvl = OxmlElement("w:lvl", {qn("w:ilvl"): str(level)})
        for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"),
                           ("w:lvlText", "%1." if level == 0 else "%1.%2.")):
            lvl.append(OxmlElement(tag, {qn("w:val"): value}))
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(90)
    return num.numId


AUDIT = "ISO/IEC 42001 9.2 - detailed in AIMS-PRO-03 Internal audit of the AIMS"


def amendments_for(docx: bytes) -> list:
    """One of each kind, anchored the way the plan will: by heading text and by index."""
    paragraphs = list_paragraphs(docx)
    headings = [p for p in paragraphs if p.is_heading]
    first, last = headings[1], headings[-1]
    body = next(p for p in paragraphs if p.index > first.index and not p.is_heading
                and not p.in_table and len(p.text.split()) >= 6)
    words = body.text.split()
    return [
        Addition(first.text, ("AI systems in scope are listed in the AI system inventory.",),
                 AUDIT, ("9.2",)),
        Addition(section_end(paragraphs, last.index),
                 ("- records of AI impact assessments;", "- **AI audit** findings and their "
                  "follow-up."), "ISO/IEC 42001 7.5.3", ("7.5.3",)),
        NewSection(last.text, "AI management system audits",
                   ("The audit programme covers the AI management system every year.",
                    "Auditors of AI systems have completed the AI auditor training."),
                   AUDIT, ("9.2.2",)),
        Replacement(" ".join(words[2:5]), " ".join(words[2:4]) + " and AI", "ISO/IEC 42001 4.3",
                    anchor=body.index, requirements=("4.3",)),
    ]

SAMPLES = {"styled": styled_procedure, "numbered": numbered_headings, "bold": bold_headings}


# --- inspection helpers ------------------------------------------------------------------


def part(docx: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read(name)


def document_root(docx: bytes):
    return etree.fromstring(part(docx, "word/document.xml"))


def raw_entries(docx: bytes) -> dict[str, bytes]:
    """Each zip entry's stored (compressed) bytes, read from its local header."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for info in archive.infolist():
            start = info.header_offset
            name_len = int.from_bytes(docx[start + 26:start + 28], "little")
            extra_len = int.from_bytes(docx[start + 28:start + 30], "little")
            data_start = start + 30 + name_len + extra_len
            found[info.filename] = docx[data_start:data_start + info.compress_size]
    return found


def normalised_body(docx: bytes) -> bytes:
    """document.xml in canonical form with adjacent runs of equal formatting merged, so two
    documents compare equal when Word would show them identically."""
    root = document_root(docx)
    for mark in list(root.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}commentRangeEnd")):
        mark.getparent().remove(mark)
    for paragraph in root.iter(f"{{{W}}}p"):
        _merge_runs(paragraph)
    for text in root.iter(f"{{{W}}}t"):
        text.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)
    return etree.tostring(root, method="c14n")


def _merge_runs(container) -> None:
    previous = None
    for child in list(container):
        if child.tag != f"{{{W}}}r":
            if len(child):
                _merge_runs(child)
            previous = None
            continue
        content = [c for c in child if c.tag != f"{{{W}}}rPr"]
        if not content:
            container.remove(child)
            continue
        only_text = all(c.tag == f"{{{W}}}t" for c in content)
        if previous is not None and only_text and _rpr(previous) == _rpr(child):
            last = previous[-1]
            last.text = (last.text or "") + "".join(c.text or "" for c in content)
            container.remove(child)
            continue
        if only_text and len(content) > 1:
            content[0].text = "".join(c.text or "" for c in content)
            for extra in content[1:]:
                child.remove(extra)
        previous = child if only_text else None


def _rpr(run) -> bytes:
    rpr = run.find(f"{{{W}}}rPr")
    return etree.tostring(rpr, method="c14n") if rpr is not None else b""


def texts_in(root, tag: str) -> list[str]:
    """Text inside each w:ins / w:del element ('ins' or 'del')."""
    found = []
    for mark in root.iter(f"{{{W}}}{tag}"):
        if mark.getparent().tag == f"{{{W}}}rPr":
            continue
        value = "".join(t.text or "" for t in mark.iter(f"{{{W}}}t", f"{{{W}}}delText"))
        found.append(value)
    return found


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
