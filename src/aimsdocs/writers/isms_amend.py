"""The organisation's ISMS documents, amended as the plan decided (plan/amendments.py).

`EngineView` is how the plan reads a document: the headings the redline engine can anchor
to, and whether a text is already there. The writers turn the plan's proposals into Word
tracked changes with comments (DOCX) or a marked copy and its patch (Markdown). The
organisation's file is only read; the result is a new file in the pack.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.plan.amendments import AmendedDocument, Found
from aimsdocs.writers.redline import (
    Addition,
    Amendment,
    NewSection,
    Replacement,
    amend_docx,
    amend_markdown,
    find_present,
    list_paragraphs,
    markdown_headings,
)
from aimsdocs.writers.redline.text import normalise, plain

AUTHOR = "aimsdocs"


class EngineView:
    """The plan's view of the ISMS documents, read the way the redline engine reads them."""

    def __init__(self) -> None:
        self._content: dict[Path, bytes | str] = {}
        self._paragraphs: dict[Path, list[_Paragraph]] = {}

    def content(self, document) -> bytes | str:
        """DOCX bytes, or the Markdown text exactly as the file has it."""
        path = Path(document.path)
        if path not in self._content:
            raw = path.read_bytes()
            self._content[path] = raw if document.format == "docx" else _text(raw)
        return self._content[path]

    def headings(self, document) -> list[tuple[str, int]]:
        """Headings an addition can be anchored to by their text: those no other heading
        shares (the engine refuses an ambiguous anchor)."""
        content = self.content(document)
        if isinstance(content, bytes):
            found = [(p.text.strip(), p.heading_level or 1) for p in list_paragraphs(content)
                     if p.is_heading and not p.in_table]
        else:
            found = [(h.text, h.level) for h in markdown_headings(content)]
        texts = [" ".join(text.split()) for text, _ in found]
        return [(text, level) for (text, level), key in zip(found, texts, strict=True)
                if text and texts.count(key) == 1]

    def find(self, document, texts: list[str]) -> list[Found]:
        """Each text: in the document already (light edits by the organisation allowed, but
        every name and number of ours still there), or an earlier wording of ours that can
        be changed where it stands."""
        content = self.content(document)
        probes = [Addition(0, (text,), "probe") for text in texts]
        units = self._units(document)
        found = []
        for text, presence in zip(texts, find_present(content, probes), strict=True):
            unit = next((u for u in units if presence.where is not None and
                         u.first <= presence.where <= u.last), None)
            facts = _facts(text)
            if presence.present and (unit is None or facts <= set(_words(unit.text))):
                found.append(Found(True))
                continue
            earlier = self._earlier(content, text, units)
            if earlier is not None:
                found.append(Found(False, earlier.text, earlier.heading))
            else:  # an edited wording that cannot be changed safely counts as there
                found.append(Found(presence.present))
        return found

    def _units(self, document) -> list[_Paragraph]:
        path = Path(document.path)
        if path not in self._paragraphs:
            content = self.content(document)
            self._paragraphs[path] = (_docx_paragraphs(content) if isinstance(content, bytes)
                                      else _markdown_paragraphs(content))
        return self._paragraphs[path]

    def _earlier(self, content: bytes | str, text: str, units: list[_Paragraph]
                 ) -> _Paragraph | None:
        """The one paragraph that says mostly what `text` says, in the same order: our
        sentence as accepted before. Only when the engine can replace it as it stands."""
        wanted = _words(text)
        scored = []
        for unit in units:
            words = _words(unit.text)
            if not words or len(words) > 2 * len(wanted):
                continue
            ratio = difflib.SequenceMatcher(None, words, wanted, autojunk=False).ratio()
            if ratio >= EARLIER_FROM:
                scored.append((ratio, unit))
        scored.sort(key=lambda pair: -pair[0])
        if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        change = Replacement(scored[0][1].text, text, "probe")
        try:
            if isinstance(content, bytes):
                amend_docx(content, [change], when=datetime.date(2000, 1, 1))
            else:
                amend_markdown(content, [change], "probe.md")
        except (InputError, ValueError):
            return None
        return scored[0][1]


EARLIER_FROM = 0.7  # share of words an earlier wording of ours has in common, in order


@dataclass(frozen=True)
class _Paragraph:
    first: int  # paragraph index (DOCX) / first line (Markdown, 1-based)
    last: int
    text: str  # as the document has it (Markdown: its lines joined)
    heading: str | None  # the section it is in


def _words(text: str) -> list[str]:
    return normalise(plain(text)).split()


def _facts(text: str) -> set[str]:
    """Names and numbers in a text (capitalised or with a digit, after its first word): an
    accepted wording lacking one of them is out of date, not lightly edited."""
    tokens = re.findall(r"[\w'’.-]+", plain(text))[1:]
    found = [t for t in tokens if any(c.isdigit() for c in t) or t[:1].isupper()]
    return {w for t in found for w in normalise(t).split()}


def _docx_paragraphs(content: bytes) -> list[_Paragraph]:
    found, heading = [], None
    for paragraph in list_paragraphs(content):
        if paragraph.is_heading and not paragraph.in_table:
            heading = paragraph.text.strip()
        elif paragraph.text.strip() and not paragraph.in_table:
            found.append(_Paragraph(paragraph.index, paragraph.index, paragraph.text, heading))
    return found


_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def _markdown_paragraphs(text: str) -> list[_Paragraph]:
    """Blank-line separated blocks outside headings, without our marker comments."""
    headings = {h.line: h for h in markdown_headings(text)}
    underlines = {h.last_line for h in headings.values()}
    found: list[_Paragraph] = []
    heading = None
    block: list[tuple[int, str]] = []

    def flush() -> None:
        kept = [(n, line) for n, line in block if not _COMMENT_LINE.match(line)]
        if kept:
            found.append(_Paragraph(kept[0][0], kept[-1][0],
                                    " ".join(line.strip() for _, line in kept), heading))
        block.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        if number in headings or number in underlines:
            flush()
            if number in headings:
                heading = headings[number].text
        elif line.strip():
            block.append((number, line))
        else:
            flush()
    flush()
    return found


def _text(raw: bytes) -> str:
    """UTF-8 as written (a byte order mark kept), so the amended copy and the patch keep
    every original byte."""
    return raw.decode("utf-8")


def engine_amendments(document: AmendedDocument, end: int) -> list[Amendment]:
    """The plan's proposals for the redline engine: changed wordings and additions to
    existing sections first, then the new section and what follows it there (so each stays
    in its place). `end`:
    the last paragraph index (DOCX) or line (Markdown), where a new section goes when the
    document has no closing section to come before."""
    existing: list[Amendment] = [
        Replacement(p.replaces, p.text, p.comment, requirements=p.requirements)
        for p in document.proposals if p.replaces is not None]
    existing += [Addition(p.section, (p.text,), p.comment, p.requirements)
                 for p in document.proposals if p.section is not None and p.replaces is None]
    added: list[Amendment] = []
    after: int | str = document.new_section_after if document.new_section_after else end
    for proposal in (p for p in document.proposals if p.section is None and
                     p.replaces is None):
        if not added:
            added.append(NewSection(after, document.new_section or "AI systems",
                                    (proposal.text,), proposal.comment, proposal.requirements,
                                    level=document.new_section_level))
        else:
            added.append(Addition(after, (proposal.text,), proposal.comment,
                                  proposal.requirements, whole_section=True))
    return existing + added


def amend_docx_document(original: bytes, document: AmendedDocument,
                        when: datetime.date) -> bytes:
    """The organisation's Word document with the proposals as tracked changes by aimsdocs."""
    end = len(list_paragraphs(original)) - 1
    return amend_docx(original, engine_amendments(document, end), when=when, author=AUTHOR)


def _amend_markdown(original: bytes, document: AmendedDocument, patch_path: str
                    ) -> tuple[str, str]:
    text = _text(original)
    end = max(1, len(re.findall(r"[^\n]*\n|[^\n]+$", text)))
    return amend_markdown(text, engine_amendments(document, end), patch_path)


def amended_markdown(original: bytes, document: AmendedDocument, patch_path: str) -> bytes:
    """The amended copy: every original line as it was, each addition after its marker."""
    return _amend_markdown(original, document, patch_path)[0].encode("utf-8")


def markdown_patch(original: bytes, document: AmendedDocument, patch_path: str) -> bytes:
    """The unified diff from the organisation's file to the amended copy; `patch_path` is
    the file's path from the ISMS folder's parent ("isms/procedures/audit.md")."""
    return _amend_markdown(original, document, patch_path)[1].encode("utf-8")
