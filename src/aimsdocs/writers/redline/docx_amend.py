"""Amend an organisation's Word document: our additions as tracked changes with comments.

Everything the organisation wrote stays as it was; each addition is a Word revision by our
author on the caller's date, formatted like the document's own text, and carries a comment
naming the ISO/IEC 42001 requirement(s) it serves. Rejecting all changes gives the original.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from aimsdocs.errors import InputError, ProblemList
from aimsdocs.writers.redline.amendments import Addition, Amendment, NewSection, Replacement
from aimsdocs.writers.redline.comments import Comments, anchor_comment
from aimsdocs.writers.redline.ooxml import (
    BODY,
    DEL,
    INS,
    PPR,
    PPR_ORDER,
    REVISION_TAGS,
    RPR,
    RPR_ORDER,
    VAL,
    P,
    Revisions,
    has_ancestor,
    insert_ordered,
    settle_final_marks,
    sort_children,
    w,
)
from aimsdocs.writers.redline.paragraphs import (
    BodyParagraph,
    WordBody,
    find_heading,
    section_end,
)
from aimsdocs.writers.redline.runs import (
    Edit,
    apply_edits,
    clean_rpr,
    spans,
    text_runs,
    word_changes,
)
from aimsdocs.writers.redline.text import Block, blocks, phrase_pattern, segments

_LIST_STYLE = re.compile(r"list|bullet|aufzählung|liste", re.IGNORECASE)
_NOT_BODY_STYLE = re.compile(r"title|toc|caption|header|footer|quote|list|bullet|table|"
                             r"footnote|comment|code|html", re.IGNORECASE)


def amend_docx(original: bytes, amendments: Sequence[Amendment], *, when: datetime.date,
               author: str = "aimsdocs", initials: str | None = None) -> bytes:
    """The document `original` with every amendment as a tracked change and a comment.

    All parts but the main document and the comments part (created, with its relationship
    and content type, when absent) are copied byte for byte. Paragraph indices in the
    amendments refer to `list_paragraphs(original)`. Raises InputError naming every
    amendment that cannot be placed, before changing anything."""
    document = WordBody(original)
    revisions = Revisions(author, when, document.highest_id() + 1)
    amender = _Amender(document, revisions)
    problems = ProblemList()
    targets = []
    for number, amendment in enumerate(amendments, start=1):
        try:
            targets.append(amender.resolve(amendment))
        except InputError as exc:
            for problem in exc.problems:
                problems.add(f"amendment {number}: {problem.message}", hint=problem.hint)
    problems.raise_if_any()
    _check_overlaps(amendments, targets)
    comments = Comments(document.package, document.part, revisions,
                        initials or _initials(author))
    # Replacements first, right to left in each paragraph, so offsets stay valid.
    order = sorted(range(len(amendments)), key=lambda i: (
        not isinstance(amendments[i], Replacement),
        -targets[i].start if isinstance(amendments[i], Replacement) else i))
    for index in order:
        first, last = amender.apply(amendments[index], targets[index])
        anchor_comment(comments.add(amendments[index].comment), first, last, revisions)
    settle_final_marks(document.body, revisions)
    comments.save()
    document.package.write_xml(document.part, document.tree)
    return document.package.to_bytes()


def _initials(author: str) -> str:
    return "".join(word[0] for word in author.split() if word).upper()[:8] or "A"


def _check_overlaps(amendments: Sequence[Amendment], targets: list[_Target]) -> None:
    replaced = sorted((id(t.paragraph), t.start, t.end, n + 1)
                      for n, (a, t) in enumerate(zip(amendments, targets, strict=True))
                      if isinstance(a, Replacement))
    for (p1, _, end1, n1), (p2, start2, _, n2) in zip(replaced, replaced[1:], strict=False):
        if p1 == p2 and start2 < end1:
            raise InputError(f"amendments {n1} and {n2} replace overlapping text",
                             hint="merge them into one replacement")


@dataclass
class _Target:
    paragraph: etree._Element  # the anchor paragraph (replaced in, or inserted after)
    index: int  # its index in the listing: where templates are looked for
    after: etree._Element  # element the new paragraphs follow
    level: int = 1
    start: int = 0  # replacement: text offsets in the paragraph
    end: int = 0


@dataclass
class _Format:
    ppr: etree._Element | None
    rpr: etree._Element | None


class _Amender:
    def __init__(self, document: WordBody, revisions: Revisions):
        self.document = document
        self.paragraphs = document.paragraphs
        self.elements = document.elements
        self.revisions = revisions
        self._last_after: dict[int, etree._Element] = {}  # keeps several additions in order

    # where

    def resolve(self, amendment: Amendment) -> _Target:
        if not self.paragraphs:
            raise InputError("the document has no paragraphs to anchor an amendment to")
        if isinstance(amendment, Replacement):
            return self._replacement_target(amendment)
        anchor = amendment.anchor if isinstance(amendment, Addition) else amendment.after
        whole = isinstance(amendment, NewSection) or amendment.whole_section
        if isinstance(anchor, str):
            heading = find_heading(self.paragraphs, anchor)
            index = section_end(self.paragraphs, heading.index, subsections=whole)
            after = self._top_level(self.elements[index])
            level = heading.heading_level or 1
        else:
            index = self._index(anchor)
            after = self.elements[index]
            if whole:
                after = self._top_level(after)  # a section never starts inside a table
            level = self._level_at(index)
        if isinstance(amendment, NewSection) and amendment.level is not None:
            level = amendment.level
        return _Target(self.elements[index], index, after, level)

    def _index(self, anchor: int) -> int:
        if isinstance(anchor, bool) or not 0 <= anchor < len(self.paragraphs):
            raise InputError(f"paragraph index {anchor} is out of range "
                             f"(the document has {len(self.paragraphs)} paragraphs)",
                             hint="take indices from list_paragraphs()")
        return anchor

    def _top_level(self, element: etree._Element) -> etree._Element:
        while element.getparent() is not None and element.getparent().tag != BODY:
            element = element.getparent()
        return element

    def _level_at(self, index: int) -> int:
        for paragraph in reversed(self.paragraphs[:index + 1]):
            if paragraph.is_heading and not paragraph.in_table:
                return paragraph.heading_level or 1
        return 1

    def _replacement_target(self, amendment: Replacement) -> _Target:
        candidates = self.paragraphs
        if isinstance(amendment.anchor, str):
            heading = find_heading(self.paragraphs, amendment.anchor)
            end = section_end(self.paragraphs, heading.index)
            candidates = self.paragraphs[heading.index:end + 1]
        elif amendment.anchor is not None:
            candidates = [self.paragraphs[self._index(amendment.anchor)]]
        pattern = phrase_pattern(amendment.old)
        found = [(p, m) for p in candidates for m in pattern.finditer(p.text)]
        if len(found) != 1:
            where = "the document" if amendment.anchor is None else f"'{amendment.anchor}'"
            problem = "does not occur" if not found else f"occurs {len(found)} times"
            raise InputError(f"the text to replace ('{_short(amendment.old)}') {problem} in "
                             f"{where}", hint="quote the sentence exactly as the document has "
                             "it, with enough words to be unique")
        paragraph, match = found[0]
        element = self.elements[paragraph.index]
        for span in spans(element):
            if span.end > match.start() and span.start < match.end() and (
                    not span.simple or has_ancestor(span.run, (INS, DEL), element)):
                raise InputError(
                    f"the text to replace ('{_short(amendment.old)}') contains a field, an "
                    "object or someone else's tracked change",
                    hint="accept or reject the changes in that paragraph, or replace less text")
        return _Target(element, paragraph.index, element, start=match.start(), end=match.end())

    # what

    def apply(self, amendment: Amendment, target: _Target) -> tuple[etree._Element, ...]:
        """Make the change; returns the first and last element its comment spans."""
        if isinstance(amendment, Replacement):
            return self._replace(amendment, target)
        new: list[etree._Element] = []
        if isinstance(amendment, NewSection):
            new.append(self._paragraph(Block(amendment.heading), self._heading_format(
                target.level, target.index)))
        for block in blocks(amendment.paragraphs):
            form = self._item_format(target.index) if block.item else \
                self._body_format(target.index)
            if form is None:  # no list in the document to look like: a dash keeps it a list
                form, block = self._body_format(target.index), Block("– " + block.text)
            new.append(self._paragraph(block, form))
        after = self._last_after.get(id(target.after), target.after)
        for paragraph in new:
            after.addnext(paragraph)
            after = paragraph
        self._last_after[id(target.after)] = after
        return _content(new[0]), _content(new[-1])

    def _replace(self, amendment: Replacement, target: _Target) -> tuple[etree._Element, ...]:
        old = self.paragraphs[target.index].text[target.start:target.end]
        live = spans(target.paragraph)
        edits = []
        for old_start, old_end, new_start, new_end in word_changes(old, amendment.new):
            start, end = target.start + old_start, target.start + old_end
            # new words take the formatting of the words they replace, or (a pure
            # insertion) of the text they follow, as typing in Word does
            covering = next((s for s in live if s.start <= start < s.end), None)
            before = next((s for s in reversed(live) if s.start < start <= s.end), None)
            like = (covering if end > start else before) or covering or before or \
                next(iter(live), None)
            rpr = clean_rpr(like.run.find(RPR)) if like is not None else None
            fragment = amendment.new[new_start:new_end]
            edits.append(Edit(start, end, text_runs(target.paragraph, fragment, rpr)
                              if fragment else []))
        made = apply_edits(target.paragraph, edits, DEL, self.revisions)
        ordered = sorted(made, key=_document_position)
        return ordered[0], ordered[-1]

    # how it looks

    def _paragraph(self, block: Block, form: _Format) -> etree._Element:
        paragraph = self.document.body.makeelement(P, {})
        if form.ppr is not None:
            paragraph.append(copy.deepcopy(form.ppr))
        self.revisions.mark_paragraph(paragraph, INS)
        wrapper = self.revisions.wrapper(paragraph, INS, len(paragraph))
        for segment in segments(block.text):
            rpr = copy.deepcopy(form.rpr) if form.rpr is not None else \
                paragraph.makeelement(RPR, {})
            if segment.bold:
                _switch_on(rpr, "b")
            if segment.italic:
                _switch_on(rpr, "i")
            wrapper.extend(text_runs(paragraph, segment.text, rpr))
        return paragraph

    def _search(self, index: int, wanted, within_section: bool = False):
        """The nearest paragraph before `index` (inclusive) that fits, else the first after."""
        for paragraph in reversed(self.paragraphs[:index + 1]):
            if within_section and paragraph.is_heading and paragraph.index != index:
                break
            if wanted(paragraph):
                return paragraph
        if within_section:
            return None
        return next((p for p in self.paragraphs[index + 1:] if wanted(p)), None)

    def _body_format(self, index: int) -> _Format:
        anchor = self.paragraphs[index]
        if anchor.in_table:  # inside a cell, new paragraphs look like the cell's own
            return self._format_of(anchor)
        found = self._search(index, _is_body)
        return self._format_of(found) if found else _Format(None, None)

    def _item_format(self, index: int) -> _Format | None:
        found = self._search(index, _is_item, within_section=True) or \
            self._search(index, _is_item)
        if found is not None:
            return self._format_of(found)
        for name in ("List Bullet", "List Paragraph"):
            style_id = self.document.styles.id_for_name(name)
            if style_id:
                return _Format(_ppr_with_style(self.document.body, style_id), None)
        return None

    def _heading_format(self, level: int, index: int) -> _Format:
        found = self._search(index, lambda p: p.heading_level == level and not p.in_table)
        if found is not None:
            return self._format_of(found)
        style_id = self.document.styles.id_for_name(f"heading {level}")
        if style_id:
            return _Format(_ppr_with_style(self.document.body, style_id), None)
        body = self._body_format(index)
        rpr = copy.deepcopy(body.rpr) if body.rpr is not None else \
            self.document.body.makeelement(RPR, {})
        _switch_on(rpr, "b")
        return _Format(body.ppr, rpr)

    def _format_of(self, paragraph: BodyParagraph) -> _Format:
        element = self.elements[paragraph.index]
        ppr = element.find(PPR)
        longest = max(spans(element), key=lambda s: s.end - s.start, default=None)
        rpr = clean_rpr(longest.run.find(RPR)) if longest is not None else None
        return _Format(_clean_ppr(ppr), rpr)


def _is_body(paragraph: BodyParagraph) -> bool:
    return (paragraph.heading_level is None and not paragraph.in_table and not paragraph.numbered
            and bool(paragraph.text.strip())
            and not _NOT_BODY_STYLE.search(paragraph.style_name or ""))


def _is_item(paragraph: BodyParagraph) -> bool:
    return paragraph.heading_level is None and not paragraph.in_table and bool(
        paragraph.text.strip()) and (paragraph.numbered or bool(
            _LIST_STYLE.search(paragraph.style_name or "")))


def _clean_ppr(ppr: etree._Element | None) -> etree._Element | None:
    """Paragraph properties to reuse: no section break, no revision marks, schema order."""
    if ppr is None:
        return None
    fresh = copy.deepcopy(ppr)
    for child in list(fresh):
        if child.tag in (w("sectPr"), w("pPrChange")):
            fresh.remove(child)
    mark = fresh.find(RPR)
    if mark is not None:
        for child in list(mark):
            if child.tag in REVISION_TAGS:
                mark.remove(child)
        sort_children(mark, RPR_ORDER)
    sort_children(fresh, PPR_ORDER)
    return fresh


def _ppr_with_style(body: etree._Element, style_id: str) -> etree._Element:
    ppr = body.makeelement(PPR, {})
    etree.SubElement(ppr, w("pStyle"), {VAL: style_id})
    return ppr


def _switch_on(rpr: etree._Element, name: str) -> None:
    for tag in (w(name), w(name + "Cs")):
        existing = rpr.find(tag)
        if existing is not None:
            existing.attrib.pop(VAL, None)
        elif tag == w(name):
            insert_ordered(rpr, rpr.makeelement(tag, {}), RPR_ORDER)


def _content(paragraph: etree._Element) -> etree._Element:
    """The paragraph's first revision wrapper: comment marks go around the paragraph text."""
    return next(child for child in paragraph if child.tag == INS)


def _document_position(element: etree._Element) -> int:
    root = element.getroottree().getroot()
    return next(i for i, node in enumerate(root.iter()) if node is element)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
