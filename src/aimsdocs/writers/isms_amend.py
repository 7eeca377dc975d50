"""The organisation's ISMS documents, amended as the plan decided (plan/amendments.py).

`EngineView` is how the plan reads a document: the headings the redline engine can anchor
to, and whether a text is already there. The writers turn the plan's proposals into Word
tracked changes with comments (DOCX) or a marked copy and its patch (Markdown). The
organisation's file is only read; the result is a new file in the pack.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from aimsdocs.plan.amendments import AmendedDocument
from aimsdocs.writers.redline import (
    Addition,
    Amendment,
    NewSection,
    amend_docx,
    amend_markdown,
    find_present,
    list_paragraphs,
    markdown_headings,
)

AUTHOR = "aimsdocs"


class EngineView:
    """The plan's view of the ISMS documents, read the way the redline engine reads them."""

    def __init__(self) -> None:
        self._content: dict[Path, bytes | str] = {}

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

    def present(self, document, texts: list[str]) -> list[bool]:
        probes = [Addition(0, (text,), "probe") for text in texts]
        return [p.present for p in find_present(self.content(document), probes)]


def _text(raw: bytes) -> str:
    """UTF-8 as written (a byte order mark kept), so the amended copy and the patch keep
    every original byte."""
    return raw.decode("utf-8")


def engine_amendments(document: AmendedDocument, end: int) -> list[Amendment]:
    """The plan's proposals for the redline engine: additions to existing sections first,
    then the new section and what follows it there (so each stays in its place). `end`:
    the last paragraph index (DOCX) or line (Markdown), where a new section goes when the
    document has no closing section to come before."""
    existing: list[Amendment] = [
        Addition(p.section, (p.text,), p.comment, p.requirements)
        for p in document.proposals if p.section is not None]
    added: list[Amendment] = []
    after: int | str = document.new_section_after if document.new_section_after else end
    for proposal in (p for p in document.proposals if p.section is None):
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
