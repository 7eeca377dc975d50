"""Amending an organisation's Markdown document: marked blocks and a patch that applies."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest

from aimsdocs.errors import InputError
from aimsdocs.writers.redline import (
    Addition,
    NewSection,
    Replacement,
    amend_markdown,
    find_present,
    markdown_headings,
)

REPO = Path(__file__).resolve().parents[1]
NORTHWIND = REPO.parent / "shared" / "fixtures" / "isms" / "northwind"
AUDIT = "ISO/IEC 42001 9.2 - see AIMS-PRO-03"

PROCEDURE = """\
---
title: Internal audit procedure
---
# Internal audit procedure

## 1. Purpose

This procedure sets out how internal audits are planned,
performed and reported.

## 2. Scope

It applies to every site.

### 2.1 Exclusions

None.

Roles
-----

- audit lead
- auditors

```text
# not a heading: inside a code block
```

## 3. Records

Reports are kept for five years."""


def added_lines(original: str, amended: str) -> list[str]:
    """Lines the amendment added; asserts it removed or changed none."""
    a, b = original.splitlines(keepends=True), amended.splitlines(keepends=True)
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            continue
        # only the last line may change, to gain the newline it lacked
        assert tag == "insert" or (tag == "replace" and a[i1:i2] == [a[-1]] and
                                   b[j1] == a[-1] + "\n"), (tag, a[i1:i2], b[j1:j2])
        added += [line.rstrip("\r\n") for line in b[j1:j2] if line.rstrip("\r\n") != a[-1]]
    return added


def test_headings_atx_and_setext_outside_code_and_front_matter():
    headings = [(h.line, h.level, h.text) for h in markdown_headings(PROCEDURE)]
    assert headings == [(4, 1, "Internal audit procedure"), (6, 2, "1. Purpose"),
                        (11, 2, "2. Scope"), (15, 3, "2.1 Exclusions"), (19, 2, "Roles"),
                        (29, 2, "3. Records")]


def test_an_addition_goes_at_the_end_of_its_sections_own_text_with_a_marker():
    amended, _ = amend_markdown(PROCEDURE, [Addition("scope", (
        "AI systems are in scope.",), AUDIT, ("9.2",))], "procedures/audit.md")
    assert [line for line in added_lines(PROCEDURE, amended) if line] == [
        "<!-- aimsdocs: ISO/IEC 42001 9.2 -->", "AI systems are in scope."]
    lines = amended.splitlines()
    assert lines[lines.index("AI systems are in scope.") - 3] == "It applies to every site."
    assert lines[lines.index("AI systems are in scope.") + 2] == "### 2.1 Exclusions"


def test_a_new_section_follows_the_whole_section_at_its_level():
    amended, _ = amend_markdown(PROCEDURE, [NewSection("2. Scope", "AI system audits", (
        "Each AI system is audited every year.", "- model changes\n- data sources"), AUDIT,
        ("9.2.2",))], "audit.md")
    lines = amended.splitlines()
    heading = lines.index("## AI system audits")
    assert lines[heading - 1] == "<!-- aimsdocs: ISO/IEC 42001 9.2.2 -->"
    assert lines[heading - 3] == "None."  # after the subsection 2.1
    assert lines[heading + 1:heading + 6] == ["", "Each AI system is audited every year.", "",
                                              "- model changes", "- data sources"]
    assert lines[heading + 7] == "Roles"


def test_anchoring_by_line_number():
    # a line inside a paragraph: after the whole paragraph
    amended, _ = amend_markdown(PROCEDURE, [Addition(8, ("Audits of AI follow ISO/IEC 42001.",),
                                                     AUDIT)], "audit.md")
    lines = amended.splitlines()
    assert lines[lines.index("Audits of AI follow ISO/IEC 42001.") - 3] == "performed and reported."
    # a heading line: that heading's section, whatever kind of heading
    amended, _ = amend_markdown(PROCEDURE, [Addition(19, ("- AI auditors",), AUDIT)], "audit.md")
    lines = amended.splitlines()
    assert lines[lines.index("- AI auditors") - 3] == "```"
    # new section at the document's section level, not the title's
    amended, _ = amend_markdown(PROCEDURE, [NewSection(9, "AI", ("Text.",), AUDIT)], "a.md")
    assert "\n## AI\n" in amended


def test_a_replacement_changes_only_the_phrase_and_marks_it():
    amended, _ = amend_markdown(PROCEDURE, [Replacement(
        "audits are planned, performed", "audits, AI audits included, are planned, performed",
        AUDIT, requirements=("9.2",))], "audit.md")
    assert ("This procedure sets out how internal audits, AI audits included, are planned, "
            "performed <!-- aimsdocs: ISO/IEC 42001 9.2 -->") in amended
    wrapped, _ = amend_markdown(PROCEDURE, [Replacement("planned, performed and", "run and",
                                                        AUDIT, anchor="1. Purpose")], "a.md")
    assert "how internal audits are run and <!-- aimsdocs: " in wrapped  # across a line break


def test_several_amendments_keep_their_order_and_every_original_line():
    amendments = [
        Addition("3. Records", ("AI impact assessments are kept too.",), AUDIT, ("7.5.3",)),
        Addition("3. Records", ("So are AI audit reports.",), AUDIT, ("9.2.2",)),
        NewSection("Roles", "AI roles", ("The AI lead joins audits of AI systems.",), AUDIT),
        Replacement("every site", "every site and every AI system", AUDIT),
    ]
    amended, _ = amend_markdown(PROCEDURE, amendments, "audit.md")
    lines = amended.splitlines()
    assert lines.index("AI impact assessments are kept too.") < lines.index(
        "So are AI audit reports.")
    assert lines.index("## AI roles") < lines.index("## 3. Records")
    assert not amended.endswith("\n")  # the file had no final newline and still has none


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("final_newline", [True, False])
@pytest.mark.parametrize("path", ["procedures/audit.md", "ISMS docs/internal audit.md"])
def test_the_patch_applies_with_patch_and_git_apply(tmp_path, eol, final_newline, path):
    if shutil.which("patch") is None or shutil.which("git") is None:
        pytest.skip("patch and git are needed")
    original = PROCEDURE.replace("\n", eol) + (eol if final_newline else "")
    amendments = [Addition("3. Records", ("AI impact assessments are kept too.",), AUDIT),
                  NewSection("1. Purpose", "AI", ("AI systems too.",), AUDIT),
                  Replacement("kept for five years", "kept for six years", AUDIT)]
    amended, patch = amend_markdown(original, amendments, path)
    assert patch.startswith(f"--- a/{path}") and f"\n+++ b/{path}" in patch
    assert (eol == "\r\n") == ("\r\n" in amended) and amended.count("\r\n") in (
        0, amended.count("\n"))  # one line ending style throughout
    for command in (["patch", "-p1", "--quiet", "--input"], ["git", "apply"]):
        folder = tmp_path / command[0]
        target = folder / path
        target.parent.mkdir(parents=True)
        target.write_bytes(original.encode())
        (folder / "change.patch").write_bytes(patch.encode())
        result = subprocess.run([*command, "change.patch"], cwd=folder, capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, result.stderr + result.stdout
        assert target.read_bytes() == amended.encode(), command[0]


def test_no_amendments_no_patch():
    assert amend_markdown(PROCEDURE, [], "a.md") == (PROCEDURE, "")


@pytest.mark.parametrize(("amendment", "message"), [
    (Addition("Nonexistent", ("x",), "c"), "no heading match 'Nonexistent'"),
    (Addition(500, ("x",), "c"), "line 500 is out of range"),
    (Replacement("not in the text", "x", "c"), "does not occur"),
])
def test_amendments_that_cannot_be_placed_are_clear_errors(amendment, message):
    with pytest.raises(InputError) as caught:
        amend_markdown(PROCEDURE, [amendment], "a.md")
    assert message in str(caught.value) and "amendment 1" in str(caught.value)


def test_a_patch_path_outside_the_folder_is_refused():
    with pytest.raises(ValueError, match="relative"):
        amend_markdown(PROCEDURE, [Addition(1, ("x",), "c")], "../outside.md")


def real_markdown() -> list[Path]:
    files = sorted((REPO / "sample_org" / "isms").rglob("*.md"))
    if NORTHWIND.is_dir():
        files += sorted(NORTHWIND.rglob("*.md"))
    return [f for f in files if len(markdown_headings(f.read_text(encoding="utf-8"))) >= 3]


def generic_amendments(text: str) -> list:
    """Anchors chosen from the document itself: its second heading, its last one, and three
    words of the first long line of prose."""
    headings = markdown_headings(text)
    lines = text.splitlines()
    prose = next(n for n, line in enumerate(lines, start=1)
                 if len(line.split()) >= 8 and line[:1].isalpha() and n > headings[1].line)
    words = lines[prose - 1].split()
    return [
        Addition(headings[1].text, ("AI systems in scope are listed in the AI system "
                                    "inventory.",), AUDIT, ("4.3",)),
        NewSection(headings[-1].text, "AI management system", (
            "The AI management system follows this document as well.",), AUDIT, ("4.4",)),
        Replacement(" ".join(words[1:4]), " ".join(words[1:3]) + " and AI", AUDIT,
                    anchor=prose, requirements=("6.1",)),
    ]


def test_real_markdown_documents_amend_patch_and_reimport(tmp_path):
    documents = real_markdown()
    assert len(documents) >= 5
    for path in documents:
        text = path.read_bytes().decode("utf-8")
        amendments = generic_amendments(text)
        amended, patch = amend_markdown(text, amendments, f"isms/{path.name}")
        assert amended.count("<!-- aimsdocs: ") == 3, path.name
        target = tmp_path / path.name / "isms" / path.name
        target.parent.mkdir(parents=True)
        target.write_bytes(text.encode("utf-8"))
        (target.parent.parent / "p.patch").write_bytes(patch.encode("utf-8"))
        result = subprocess.run(["patch", "-p1", "--quiet", "--input", "p.patch"],
                                cwd=target.parent.parent, capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0 and target.read_bytes() == amended.encode(), path.name
        assert not any(p.present for p in find_present(text, amendments)), path.name
        assert all(p.present for p in find_present(amended, amendments)), path.name
