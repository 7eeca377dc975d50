"""Amend mode: the organisation's own ISMS documents amended for AI, as a reviewer gets them.

Word copies carry the additions as tracked changes by aimsdocs with comments, in the section
the plan chose; rejecting them gives back the original; Markdown copies come with a patch
that applies; the pack drops the AIMS procedures whose content moved; accepted amendments
brought back are not proposed again.
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import copy_org, edit_profile, tree_hashes, tree_mtimes
from lxml import etree

from aimsdocs.cli import main
from aimsdocs.pipeline.options import BuildOptions
from aimsdocs.pipeline.prepare import prepare
from aimsdocs.writers.redline import (
    accept_all,
    list_paragraphs,
    markdown_headings,
    paragraph_texts,
    reject_all,
)

WHEN = "2027-02-01"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The sample ISMS's procedures, policies and standards behind extend decisions (issue 14).
EXPECTED = {"MFS-PRO-001", "MFS-PRO-002", "MFS-PRO-003", "MFS-PRO-004", "MFS-PRO-005",
            "MFS-PRO-006", "MFS-POL-003", "MFS-STD-001", "MFS-STD-002"}
FOLDER = "isms-amendments"


def build(org, out, *extra) -> int:
    return main(["build", str(org), "--out", str(out), "--format", "md", "--date", WHEN,
                 "--isms-mode", "amend", *extra])


def plan_of(org, mode="amend"):
    return prepare(org, BuildOptions(isms_mode=mode, date=datetime.date.fromisoformat(WHEN)))


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """(org, pack folder, plan) of the sample organisation built in amend mode."""
    base = tmp_path_factory.mktemp("amend")
    org = copy_org(base)
    assert build(org, base / "out") == 0
    return org, base / "out" / "meridian", plan_of(org).plan


def documents(pack):
    return list(pack[2].amendments.documents.values())


def original(pack, document) -> bytes:
    return source_of(pack[0], document).read_bytes()


def amended(pack, document) -> bytes:
    return (pack[1] / document.output).read_bytes()


def test_every_sample_document_behind_an_extend_decision_is_amended(pack):
    plan = pack[2]
    found = {d.doc_id for d in documents(pack) if d.pending}
    assert found >= EXPECTED
    for document in documents(pack):
        assert (pack[1] / document.output).is_file(), document.output
        assert (document.format == "md") == (pack[1] / f"{document.output}.patch").is_file()
    for requirement in plan.requirements.values():  # every addition lands in its document
        addition = requirement.addition
        if addition is None or plan.standards.iso42001.children(requirement.id):
            continue
        texts = [p.text for p in plan.amendments.documents[addition.source_doc].proposals]
        assert addition.amendment in texts, requirement.id
    for document in documents(pack):  # one text once per document
        texts = [p.text for p in document.proposals]
        assert len(texts) == len(set(texts)), document.doc_id


def test_the_organisations_files_are_untouched(pack, tmp_path):
    fresh = copy_org(tmp_path)
    assert tree_hashes(pack[0] / "isms") == tree_hashes(fresh / "isms")


def _xml(data: bytes, part: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))


def _word_documents(pack):
    found = [d for d in documents(pack) if d.format == "docx" and d.pending]
    assert found, "the sample ISMS has Word procedures"
    return found


def test_word_additions_are_tracked_insertions_by_aimsdocs_with_comments(pack):
    for document in _word_documents(pack):
        data = amended(pack, document)
        body = _xml(data, "word/document.xml")
        insertions = list(body.iter(f"{W}ins"))
        assert insertions and all(i.get(f"{W}author") == "aimsdocs" and
                                  i.get(f"{W}date", "").startswith(WHEN) for i in insertions)
        assert not list(body.iter(f"{W}del")), "nothing of the organisation's is deleted"
        comments = [" ".join(t.text or "" for t in c.iter(f"{W}t"))
                    for c in _xml(data, "word/comments.xml").iter(f"{W}comment")]
        assert len(comments) == len(document.proposals)
        for proposal, comment in zip(document.proposals, comments, strict=True):
            assert all(re.search(rf"\b{re.escape(r)}\b", comment) for r in proposal.requirements)
            assert proposal.scope or "MFS-AIMS-" in comment or "takes the place" in comment
        with zipfile.ZipFile(io.BytesIO(original(pack, document))) as before, \
                zipfile.ZipFile(io.BytesIO(data)) as after:
            changed = {"word/document.xml", "word/comments.xml", "[Content_Types].xml",
                       "word/_rels/document.xml.rels"}
            for name in before.namelist():
                if name not in changed:
                    assert before.read(name) == after.read(name), (document.relpath, name)


def test_rejecting_every_change_gives_back_the_original_text(pack):
    for document in _word_documents(pack):
        assert paragraph_texts(reject_all(amended(pack, document))) == \
            paragraph_texts(original(pack, document))


def _section_of(document, proposal) -> str:
    return proposal.section if proposal.section is not None else document.new_section


def test_accepting_every_change_puts_each_addition_in_its_section(pack):
    for document in _word_documents(pack):
        heading = None
        where = {}
        for paragraph in list_paragraphs(accept_all(amended(pack, document))):
            if paragraph.is_heading:
                heading = paragraph.text
            else:
                where.setdefault(paragraph.text, heading)
        for proposal in document.proposals:
            assert where.get(proposal.text) == _section_of(document, proposal), proposal.text
    sections = {p.section for d in documents(pack) for p in d.proposals}
    assert len(sections) > 10  # placed across the documents' own sections, not all at the end


def test_markdown_copies_keep_every_line_and_mark_each_addition(pack):
    markdown = [d for d in documents(pack) if d.format == "md" and d.pending]
    assert markdown
    for document in markdown:
        before = original(pack, document).decode("utf-8").splitlines()
        after = amended(pack, document).decode("utf-8")
        lines = after.splitlines()
        opcodes = difflib.SequenceMatcher(None, before, lines, autojunk=False).get_opcodes()
        assert {tag for tag, *_ in opcodes} == {"equal", "insert"}  # every line kept
        headings = {h.line: h.text for h in markdown_headings(after)}
        for proposal in document.proposals:
            at = lines.index(proposal.text) + 1
            assert any(line.startswith("<!-- aimsdocs: ISO/IEC 42001 ")
                       for line in lines[max(0, at - 5):at - 1]), proposal.text
            above = max(n for n in headings if n < at)
            assert headings[above] == _section_of(document, proposal), proposal.text


def test_markdown_patches_apply_from_the_isms_folders_parent(pack, tmp_path):
    if shutil.which("patch") is None or shutil.which("git") is None:
        pytest.skip("patch and git are needed")
    markdown = [d for d in documents(pack) if d.format == "md" and d.pending]
    for command in (["patch", "-p1", "--quiet", "--input"], ["git", "apply"]):
        folder = tmp_path / command[0]
        for system in ("isms", "qms"):
            if (pack[0] / system).is_dir():
                shutil.copytree(pack[0] / system, folder / system)
        assert any(d.relpath.startswith("qms/") for d in markdown)  # the QMS is amended too
        for document in markdown:
            patch = pack[1] / f"{document.output}.patch"
            result = subprocess.run([*command, str(patch)], cwd=folder, capture_output=True,
                                    text=True, check=False)
            assert result.returncode == 0, result.stderr
            where = (document.relpath if document.relpath.startswith("qms/")
                     else f"isms/{document.relpath}")
            assert (folder / where).read_bytes() == amended(pack, document)


def test_libreoffice_opens_every_amended_word_document(pack, tmp_path):
    from test_redline_libreoffice import convert, pdf_text

    from aimsdocs.writers.pdf import libreoffice

    if libreoffice() is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler-utils are installed by .ci/run")
    files = [pack[1] / d.output for d in _word_documents(pack)] + [pack[1] / FOLDER /
                                                                    "README.docx"]
    copies = []
    for number, file in enumerate(files):  # one folder, distinct names
        copies.append(tmp_path / f"{number}-{file.name}")
        shutil.copy(file, copies[-1])
    convert(copies, "pdf", tmp_path / "pdf")
    for copy, document in zip(copies, _word_documents(pack) + [None], strict=True):
        pdf = tmp_path / "pdf" / f"{copy.stem}.pdf"
        assert pdf.is_file(), f"LibreOffice could not open {copy.name}"
        text = pdf_text(pdf)
        if document is not None:
            assert " ".join(document.proposals[-1].text.split()[:8]) in text


def test_the_cover_note_says_what_changed_why_and_who_approves(pack):
    note = (pack[1] / FOLDER / "README.md").read_text(encoding="utf-8")
    assert (pack[1] / FOLDER / "README.docx").is_file()
    for document in documents(pack):
        assert document.cite() in note and document.relpath in note
        assert document.approval in note
    assert "Accept All Changes" in note and "Edit > Track Changes > Manage" in note
    assert "patch -p1" in note and "git apply" in note
    assert "Process owner's executive" in note  # the ISMS approval scheme for procedures


def test_aims_procedures_reused_from_one_amended_document_give_way(pack):
    org, folder, plan = pack
    replaced = plan.amendments.replaced
    assert {r.isms_doc_id for r in replaced.values()} >= {"MFS-PRO-003", "MFS-PRO-004",
                                                         "MFS-PRO-006", "MFS-PRO-001"}
    kept = {d.doc_id for d in plan.documents}
    for entry in replaced.values():
        assert entry.doc_id not in kept
        assert all(plan.requirements[r].strategy.value == "reuse" for r in entry.requirements)
        assert not list((folder / "md").glob(f"{entry.local_id.lower()}-*"))
    assert plan.uncovered() == []
    register = next((folder / "md").glob("reg-01-*.md")).read_text(encoding="utf-8")
    audit = plan.amendments.documents["MFS-PRO-003"]
    assert f"MFS-PRO-003 Internal Audit Procedure, version 1.6, as amended for AI (see " \
           f"{audit.output})" in register
    gap = (folder / "md" / "gap-analysis.md").read_text(encoding="utf-8")
    assert re.search(r"\| 9\.2 \|.*MFS-PRO-003 Internal Audit Procedure, version 1\.6, as "
                     r"amended for AI", gap)
    # Other documents name the amended procedure where they named the AIMS one
    texts = "\n".join(p.read_text(encoding="utf-8") for p in (folder / "md").glob("*.md"))
    assert "MFS-PRO-001 Document Control Procedure, version 2.1, as amended for AI" in texts


def test_the_soa_names_the_amended_document_for_a_control(pack):
    """No Annex A control of the sample moves into an ISMS document; the SoA path still
    has to name one that does."""
    import dataclasses

    from aimsdocs.plan.soa import build_rows
    from aimsdocs.writers.soa import describe_soa

    plan = pack[2]
    requirements = dict(plan.requirements)
    requirements["A.3.3"] = dataclasses.replace(plan.requirements["A.3.3"],
                                                amended_in=["MFS-PRO-005"])
    label = plan.amendments.located("MFS-PRO-005")
    rows = build_rows(plan.profile, plan.standards, requirements, [], plan.risks, {}, {},
                      "the ISMS SoA", {"MFS-PRO-005": label})
    row = next(r for r in rows if r.control.id == "A.3.3")
    assert row.amended == [label] and label in row.implementation
    cells = next(c for c in describe_soa(dataclasses.replace(plan, soa=rows), {})["controls"]
                 if c[1] == "A.3.3")
    assert any(isinstance(c, str) and label in c.split("\n") for c in cells)


def _findings(org, mode):
    from aimsdocs.check import check_pack

    pack = plan_of(org, mode)
    # where each finding is (file and section): the statement's words may name other documents
    return {(f.kind, f.subject, str(f.statement).split('": "')[0]) for f in
            check_pack(pack.plan, pack.rendered).findings}


def test_check_gains_no_finding_in_amend_mode(pack):
    assert _findings(pack[0], "amend") <= _findings(pack[0], "reference")


def source_of(org: Path, document) -> Path:
    """Where the organisation keeps the document: ORG/isms/…, or ORG/qms/… for the QMS."""
    relpath = document.relpath
    return org / relpath if relpath.startswith("qms/") else org / "isms" / relpath


def _accept_into(org: Path, pack, skip: str | None = None) -> None:
    """The organisation accepts every amendment and saves it as its new ISMS version."""
    for document in documents(pack):
        if not document.pending:
            continue
        data = amended(pack, document)
        if document.format == "docx":
            data = accept_all(data)
        elif skip is not None and skip in data.decode("utf-8"):  # leaves one addition out
            lines = data.decode("utf-8").split("\n")
            at = lines.index(skip)
            data = "\n".join(lines[:at - 1] + lines[at + 2:]).encode("utf-8")
        source_of(org, document).write_bytes(data)


def test_accepted_amendments_brought_back_are_not_proposed_again(pack, tmp_path, capsys):
    org = copy_org(tmp_path)
    shutil.copytree(pack[1].parent, tmp_path / "out")
    _accept_into(org, pack)
    capsys.readouterr()
    assert build(org, tmp_path / "out") == 0
    said = capsys.readouterr().out
    amendments = plan_of(org).plan.amendments
    assert not amendments.pending
    assert {d.doc_id for d in amendments.documents.values()} >= EXPECTED
    assert all(d.in_place for d in amendments.documents.values())
    left = sorted(p.name for p in (tmp_path / "out" / "meridian" / FOLDER).rglob("*")
                  if p.is_file())
    assert left == ["README.docx", "README.md"]  # the earlier proposals were withdrawn
    assert "withdrew isms-amendments/procedures/internal-audit-procedure.md" in said
    note = (tmp_path / "out" / "meridian" / FOLDER / "README.md").read_text(encoding="utf-8")
    assert "nothing to review" in note


def test_only_a_missing_addition_is_proposed_again(pack, tmp_path):
    audit = pack[2].amendments.documents["MFS-PRO-004"]
    missing = next(p for p in audit.proposals if p.section and not p.scope)
    org = copy_org(tmp_path)
    _accept_into(org, pack, skip=missing.text)
    assert build(org, tmp_path / "out") == 0
    amendments = plan_of(org).plan.amendments
    assert [d.doc_id for d in amendments.pending] == ["MFS-PRO-004"]
    assert [p.text for p in amendments.documents["MFS-PRO-004"].proposals] == [missing.text]


def test_amendments_are_reproducible_incremental_and_kept_from_hand_edits(tmp_path, capsys):
    org = copy_org(tmp_path)
    assert build(org, tmp_path / "a") == 0
    assert build(org, tmp_path / "b") == 0
    a = {k: v for k, v in tree_hashes(tmp_path / "a").items() if FOLDER in k}
    assert a and a == {k: v for k, v in tree_hashes(tmp_path / "b").items() if FOLDER in k}
    before = tree_mtimes(tmp_path / "a")
    # Another day, nothing else changed: the proposals are not rewritten for their date.
    assert main(["build", str(org), "--out", str(tmp_path / "a"), "--format", "md",
                 "--date", "2027-03-01", "--isms-mode", "amend"]) == 0
    assert {k: v for k, v in tree_mtimes(tmp_path / "a").items() if FOLDER in k} == \
        {k: v for k, v in before.items() if FOLDER in k}
    # Accepting the changes in the copy itself is an edit like any other: refused.
    copy = next((tmp_path / "a" / "meridian" / FOLDER).rglob("document-control-procedure.docx"))
    copy.write_bytes(accept_all(copy.read_bytes()))
    edit_profile(org, "title: Chief Executive Officer", "title: Managing Director")
    capsys.readouterr()
    assert build(org, tmp_path / "a") == 3
    assert "document-control-procedure.docx" in capsys.readouterr().err
    assert build(org, tmp_path / "a", "--force") == 0
    assert copy.with_name(copy.name + ".bak").exists() or list(copy.parent.glob("*.bak*"))
    assert list(_xml(copy.read_bytes(), "word/document.xml").iter(f"{W}ins"))


def test_the_profile_sets_amend_mode_and_the_command_line_overrides_it(tmp_path):
    org = copy_org(tmp_path)
    edit_profile(org, "  review_period_months: 12\n",
                 "  review_period_months: 12\n  isms_mode: amend\n")
    out = tmp_path / "out"
    assert main(["build", str(org), "--out", str(out), "--format", "md"]) == 0
    assert (out / "meridian" / FOLDER / "README.md").is_file()
    assert main(["build", str(org), "--out", str(out), "--format", "md",
                 "--isms-mode", "reference"]) == 0
    assert not (out / "meridian" / FOLDER).exists()
    assert next((out / "meridian" / "md").glob("pro-09-*"))  # the AIMS procedure is back


def test_amend_mode_without_isms_documents_is_a_clear_error(tmp_path, capsys):
    org = copy_org(tmp_path, with_isms=False)
    assert build(org, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "amend mode needs the organisation's ISMS documents" in err and "--isms" in err


def test_only_an_isms_procedure_takes_the_place_of_an_aims_procedure(pack):
    """A policy that requires audits does not say how they run: the AIMS procedure stays."""
    import dataclasses
    from types import SimpleNamespace

    from aimsdocs.plan.amendments import giving_way

    plan = plan_of(pack[0], "reference").plan
    isms = plan.isms
    assert "PRO-09" in giving_way(plan.documents, plan.requirements, isms)
    as_policy = dict(isms.documents)
    as_policy["MFS-PRO-003"] = dataclasses.replace(isms.documents["MFS-PRO-003"],
                                                   doc_type="policy")
    assert "PRO-09" not in giving_way(plan.documents, plan.requirements,
                                      SimpleNamespace(documents=as_policy))


def test_a_document_the_writer_cannot_read_is_cited_as_it_is(pack):
    """One unreadable ISMS document does not stop the build: it is not amended, and the AIMS
    procedure it would have replaced stays in the pack."""
    from aimsdocs.errors import InputError
    from aimsdocs.pipeline.prepare import load_inputs
    from aimsdocs.plan import build_plan
    from aimsdocs.writers.isms_amend import EngineView

    class Unreadable(EngineView):
        def headings(self, document):
            if document.doc_id == "MFS-PRO-003":
                raise InputError("the document body is damaged", file=document.path)
            return super().headings(document)

    org, standards, isms, _env, specs, _ = load_inputs(pack[0], BuildOptions())
    plan = build_plan(org.profile, standards, specs, isms, amend=Unreadable())
    assert "MFS-PRO-003" in plan.amendments.skipped
    assert "MFS-PRO-003" not in plan.amendments.documents
    assert "PRO-09" not in plan.amendments.replaced
    assert any(d.spec.local_id == "PRO-09" for d in plan.documents)
    assert "PRO-10" in plan.amendments.replaced  # the others still give way


def test_an_accepted_wording_whose_facts_changed_is_changed_where_it_stands(pack, tmp_path):
    """Accepted, then an AI system is renamed: the earlier sentences are replaced (a tracked
    deletion and insertion), never added a second time beside the old ones."""
    org = copy_org(tmp_path)
    _accept_into(org, pack)
    edit_profile(org, "    name: ETA Forecast\n", "    name: Arrival Forecast\n")
    assert build(org, tmp_path / "out") == 0
    amendments = plan_of(org).plan.amendments
    changed = [p for d in amendments.pending for p in d.proposals]
    assert changed and all(p.replaces and "ETA Forecast" in p.replaces and
                           "Arrival Forecast" in p.text for p in changed)
    folder = tmp_path / "out" / "meridian"
    for document in amendments.pending:
        data = (folder / document.output).read_bytes()
        if document.format == "docx":
            body = _xml(data, "word/document.xml")
            deleted = " ".join(t.text or "" for d in body.iter(f"{W}del")
                               for t in d.iter(f"{W}delText"))
            assert "ETA" in deleted
            assert paragraph_texts(reject_all(data)) == \
                paragraph_texts(source_of(org, document).read_bytes())
        else:
            text = data.decode("utf-8")
            assert all(p.text in text and p.replaces not in text for p in document.proposals)
    # accepted once more: nothing left to propose
    _accept_into(org, (org, folder, plan_of(org).plan))
    assert not plan_of(org).plan.amendments.pending
