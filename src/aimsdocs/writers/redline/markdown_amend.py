"""Amend an organisation's Markdown document: our additions as marked blocks, plus a patch.

The amended copy keeps every original line byte for byte (line endings, a missing final
newline); each added block starts with a short HTML comment naming its requirement, which
Markdown viewers do not show. The patch is a unified diff that `patch -p1` and `git apply`
both apply to the original.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aimsdocs.errors import InputError, ProblemList
from aimsdocs.writers.redline.amendments import (
    Addition,
    Amendment,
    NewSection,
    Replacement,
    marker,
)
from aimsdocs.writers.redline.paragraphs import normalise_heading
from aimsdocs.writers.redline.text import phrase_pattern

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class MarkdownHeading:
    line: int  # 1-based line of the heading's text
    level: int
    text: str
    last_line: int  # the underline of a Setext heading, else `line`


class _Lines:
    """The document as lines with their own endings; structure found once."""

    def __init__(self, text: str):
        self.lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
        crlf = sum(1 for line in self.lines if line.endswith("\r\n"))
        self.eol = "\r\n" if crlf * 2 > len(self.lines) else "\n"
        self.headings: list[MarkdownHeading] = []
        self.fenced: set[int] = set()  # 0-based lines inside code fences or front matter
        self._scan()

    def bare(self, index: int) -> str:
        return self.lines[index].rstrip("\r\n")

    def blank(self, index: int) -> bool:
        return not self.bare(index).strip()

    def _scan(self) -> None:
        index, count = 0, len(self.lines)
        if count and self.bare(0).strip() == "---":  # YAML front matter
            for end in range(1, count):
                if self.bare(end).strip() in ("---", "..."):
                    self.fenced.update(range(0, end + 1))
                    index = end + 1
                    break
        fence: str | None = None
        while index < count:
            line = self.bare(index)
            opening = _FENCE.match(line)
            if fence is not None:
                self.fenced.add(index)
                if opening and opening.group(1)[0] == fence[0] and \
                        len(opening.group(1)) >= len(fence) and not line.strip().strip(fence[0]):
                    fence = None
            elif opening:
                fence = opening.group(1)
                self.fenced.add(index)
            elif (atx := _ATX.match(line)) and not line.startswith("    "):
                self.headings.append(MarkdownHeading(index + 1, len(atx.group(1)),
                                                     (atx.group(2) or "").strip(), index + 1))
            elif line.strip() and index + 1 < count and _SETEXT.match(self.bare(index + 1)) \
                    and (index == 0 or self.blank(index - 1) or self._is_heading(index - 1)):
                level = 1 if self.bare(index + 1).strip()[0] == "=" else 2
                self.headings.append(MarkdownHeading(index + 1, level, line.strip(), index + 2))
                index += 1
            index += 1

    def _is_heading(self, index: int) -> bool:
        return any(h.last_line == index + 1 for h in self.headings)


def markdown_headings(text: str) -> list[MarkdownHeading]:
    """The headings of a Markdown document (ATX and Setext; code blocks skipped)."""
    return _Lines(text).headings


def amend_markdown(original: str, amendments: Sequence[Amendment],
                   path: str) -> tuple[str, str]:
    """(amended text, unified diff from the original to it with a/`path` and b/`path`).

    Raises InputError naming every amendment that cannot be placed."""
    document = _Lines(original)
    problems = ProblemList()
    # Every change as (first original line it touches, kind, order, last line, new lines):
    # applied bottom-up, so the line numbers of the others stay valid.
    edits: list[tuple[int, int, int, int, list[str]]] = []
    for number, amendment in enumerate(amendments, start=1):
        try:
            if isinstance(amendment, Replacement):
                first, last, text = _replacement(document, original, amendment)
                edits.append((first, 0, number, last, re.findall(r"[^\n]*\n|[^\n]+$", text)))
            else:
                after = _position(document, amendment)
                edits.append((after + 1, 1, number, after, _block(document, amendment)))
        except InputError as exc:
            for problem in exc.problems:
                problems.add(f"amendment {number}: {problem.message}", hint=problem.hint)
    problems.raise_if_any()
    replaced = sorted((first, last, number) for first, kind, number, last, _ in edits if not kind)
    for (_, last1, n1), (first2, _, n2) in zip(replaced, replaced[1:], strict=False):
        if first2 <= last1:
            raise InputError(f"amendments {n1} and {n2} replace text in the same paragraph",
                             hint="merge them into one replacement")
    lines = list(document.lines)
    for first, kind, _, last, new in sorted(edits, key=lambda e: (-e[0], e[1], -e[2])):
        if kind == 0:
            lines[first:last + 1] = new
        else:
            lines[first:first] = _spaced(lines, last, new, document.eol)
    amended = "".join(lines)
    return amended, unified_patch(original, amended, path)


def _position(document: _Lines, amendment: Addition | NewSection) -> int:
    """0-based index of the line the new block follows."""
    anchor = amendment.anchor if isinstance(amendment, Addition) else amendment.after
    whole = isinstance(amendment, NewSection) or amendment.whole_section
    if not document.lines:
        return -1
    if isinstance(anchor, str):
        heading = _find_heading(document, anchor)
        return _section_end(document, heading, subsections=whole)
    if isinstance(anchor, bool) or not 1 <= anchor <= len(document.lines):
        raise InputError(f"line {anchor} is out of range (the document has "
                         f"{len(document.lines)} lines)")
    at = next((h for h in document.headings if h.line <= anchor <= h.last_line), None)
    if at is not None:
        return _section_end(document, at, subsections=whole)
    return _block_end(document, anchor - 1)


def _find_heading(document: _Lines, text: str) -> MarkdownHeading:
    exact = [h for h in document.headings if " ".join(h.text.split()) == " ".join(text.split())]
    found = exact or [h for h in document.headings
                      if normalise_heading(_plain_heading(h.text)) == normalise_heading(text)]
    if len(found) == 1:
        return found[0]
    known = "; ".join(h.text for h in document.headings[:12]) or "none found"
    problem = "no heading" if not found else f"{len(found)} headings"
    raise InputError(f"{problem} match '{text}' in the document",
                     hint=f"choose one of its headings ({known}) or anchor by line number")


def _plain_heading(text: str) -> str:
    return re.sub(r"[*_`]", "", text)


def _section_end(document: _Lines, heading: MarkdownHeading, subsections: bool) -> int:
    end = len(document.lines) - 1
    for later in document.headings:
        if later.line > heading.line and (not subsections or later.level <= heading.level):
            end = later.line - 2
            break
    while end > heading.last_line - 1 and document.blank(end):
        end -= 1
    return end


def _block_end(document: _Lines, index: int) -> int:
    """The last line of the block (paragraph, list, fenced code) holding line `index`."""
    if index in document.fenced:
        while index + 1 in document.fenced and index + 1 < len(document.lines):
            index += 1
        return index
    heading_lines = {h.line - 1 for h in document.headings}
    while index + 1 < len(document.lines) and not document.blank(index + 1) \
            and index + 1 not in heading_lines and index + 1 not in document.fenced:
        index += 1
    return index


def _level_at(document: _Lines, index: int) -> int:
    before = [h for h in document.headings if h.line - 1 <= index]
    if not before:
        return 2
    level = before[-1].level
    titles = [h for h in document.headings if h.level == 1]
    if level == 1 and len(titles) == 1 and titles[0] is document.headings[0]:
        return 2  # the only H1 is the document's title: sections are H2
    return level


def _block(document: _Lines, amendment: Addition | NewSection) -> list[str]:
    """The new lines (without endings): marker comment, heading, paragraphs."""
    lines = [f"<!-- {marker(amendment)} -->"]
    if isinstance(amendment, NewSection):
        if amendment.level is not None:
            level = amendment.level
        elif isinstance(amendment.after, str):
            level = _find_heading(document, amendment.after).level
        else:
            level = _level_at(document, _position(document, amendment))
        lines += ["#" * level + " " + amendment.heading.strip(), ""]
    for number, paragraph in enumerate(amendment.paragraphs):
        if number:
            lines.append("")
        lines += [line.rstrip() for line in paragraph.strip("\n").splitlines()]
    return lines


def _spaced(lines: list[str], after: int, block: list[str], eol: str) -> list[str]:
    """The block's lines with endings, set off from its neighbours by blank lines.

    After a last line without a newline, that line gets one and the block ends without:
    the file keeps its missing final newline."""
    new = [line + eol for line in block]
    if after >= 0:
        if not lines[after].endswith("\n"):
            lines[after] += eol
            new[-1] = new[-1][:-len(eol)]
        if lines[after].strip():
            new.insert(0, eol)
    if after + 1 < len(lines) and lines[after + 1].strip():
        new.append(eol)
    return new


def _replacement(document: _Lines, original: str,
                 amendment: Replacement) -> tuple[int, int, str]:
    """(first line, last line, their new text) for a replacement (0-based lines)."""
    starts = [0]
    for line in document.lines:
        starts.append(starts[-1] + len(line))
    first, last = 0, len(document.lines) - 1
    if isinstance(amendment.anchor, str):
        heading = _find_heading(document, amendment.anchor)
        first, last = heading.line - 1, _section_end(document, heading, subsections=True)
    elif amendment.anchor is not None:
        if not 1 <= amendment.anchor <= len(document.lines):
            raise InputError(f"line {amendment.anchor} is out of range")
        first = amendment.anchor - 1
        last = _block_end(document, first)
    region = original[starts[first]:starts[last + 1]]
    # words of the old text may wrap differently in the file: any whitespace between them,
    # but not across a blank line (that would be two paragraphs)
    pattern = phrase_pattern(amendment.old, space=r"[ \t]+|[ \t]*\r?\n[ \t]*")
    found = list(pattern.finditer(region))
    if len(found) != 1:
        problem = "does not occur" if not found else f"occurs {len(found)} times"
        raise InputError(f"the text to replace ('{' '.join(amendment.old.split())[:60]}') "
                         f"{problem}", hint="quote it exactly, with enough words to be unique")
    start, end = starts[first] + found[0].start(), starts[first] + found[0].end()
    line_first = max(i for i in range(len(starts)) if starts[i] <= start)
    line_last = max(i for i in range(len(starts) - 1) if starts[i] < end) if end > start \
        else line_first
    new = f"{amendment.new} <!-- {marker(amendment)} -->" if amendment.new.strip() else \
        f"<!-- {marker(amendment)} -->"
    text = original[starts[line_first]:start] + new + original[end:starts[line_last + 1]]
    return line_first, line_last, text


# --- the patch ---------------------------------------------------------------------------


def unified_patch(old: str, new: str, path: str, context: int = 3) -> str:
    """A unified diff from `old` to `new` for the file at `path` (relative, '/'-separated).

    Lines keep their own endings (CRLF files stay CRLF); a last line without a newline gets
    the standard '\\ No newline at end of file' marker."""
    if old == new:
        return ""
    path = path.replace("\\", "/").lstrip("/")
    if not path or ".." in path.split("/"):
        raise ValueError(f"patch path must be relative inside the folder: {path!r}")
    a = re.findall(r"[^\n]*\n|[^\n]+$", old)
    b = re.findall(r"[^\n]*\n|[^\n]+$", new)
    name_end = "\t" if " " in path else ""  # a tab ends a name with spaces for patch and git
    out = [f"--- a/{path}{name_end}\n", f"+++ b/{path}{name_end}\n"]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out += [_patch_line(" ", line) for line in a[a1:a2]]
                continue
            out += [_patch_line("-", line) for line in a[a1:a2]]
            out += [_patch_line("+", line) for line in b[b1:b2]]
    return "".join(out)


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if not length else start + 1},{length}"


def _patch_line(prefix: str, line: str) -> str:
    if line.endswith("\n"):
        return prefix + line
    return prefix + line + "\n\\ No newline at end of file\n"
