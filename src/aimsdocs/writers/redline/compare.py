"""Redline of one of our own documents: the new version, with the changes since an older
(approved) version shown as Word tracked changes.

Compares two DOCX files, whatever wrote them: body paragraphs and tables are aligned on
their text (difflib), changed paragraphs get a word-level diff inside their runs, removed
paragraphs and rows come back as deletions where they stood, added ones are insertions.
Only the main document part changes; everything else is the new version's, byte for byte.
"""

from __future__ import annotations

import copy
import datetime
import difflib
from collections.abc import Callable

from lxml import etree

from aimsdocs.writers.redline.ooxml import (
    BODY,
    DEL,
    INS,
    PPR,
    PPR_ORDER,
    REVISION_TAGS,
    RPR,
    RPR_ORDER,
    TBL,
    TC,
    TR,
    VAL,
    P,
    Revisions,
    insert_ordered,
    paragraph_text,
    settle_final_marks,
    sort_children,
    w,
)
from aimsdocs.writers.redline.paragraphs import WordBody
from aimsdocs.writers.redline.runs import (
    Edit,
    Span,
    apply_edits,
    isolate,
    spans,
    tokens,
    word_changes,
)

NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
PAIR_FROM = 0.5  # similarity from which a removed and an added paragraph are one edit
_UNWRAP = frozenset(w(n) for n in ("hyperlink", "smartTag", "fldSimple", "customXml", "sdt",
                                   "sdtContent", "ins", "moveTo"))
_DROP = frozenset(w(n) for n in ("bookmarkStart", "bookmarkEnd", "commentRangeStart",
                                 "commentRangeEnd", "proofErr", "permStart", "permEnd",
                                 "sdtPr", "sdtEndPr", "del", "moveFrom"))


def redline_docx(old: bytes, new: bytes, *, when: datetime.date,
                 author: str = "aimsdocs") -> bytes:
    """The `new` document with its differences from `old` as tracked changes.

    Reject all changes and you read the old text; accept them and you read the new."""
    before = WordBody(old, "old version")
    after = WordBody(new, "new version")
    revisions = Revisions(author, when, after.highest_id() + 1)
    _Comparer(revisions, _list_ids(after)).container(before.body, after.body)
    settle_final_marks(after.body, revisions)
    after.package.write_xml(after.part, after.tree)
    return after.package.to_bytes()


def _blocks(container: etree._Element) -> list[etree._Element]:
    return [child for child in container if child.tag in (P, TBL)]


def _key(block: etree._Element) -> tuple:
    if block.tag == P:
        return ("p", _style(block), paragraph_text(block))
    return ("tbl", tuple(_row_key(row) for row in block.iter(TR)))


def _row_key(row: etree._Element) -> tuple[str, ...]:
    return tuple(" ".join(paragraph_text(p) for p in cell.iter(P)) for cell in row.iter(TC))


def _all_text(block: etree._Element) -> str:
    if block.tag == P:
        return paragraph_text(block)
    return "\n".join(paragraph_text(p) for p in block.iter(P))


def _style(paragraph: etree._Element) -> str | None:
    style = paragraph.find(f"{PPR}/{w('pStyle')}")
    return style.get(VAL) if style is not None else None


def _similarity(a: etree._Element, b: etree._Element) -> float:
    if a.tag != b.tag:
        return 0.0
    old, new = tokens(_all_text(a)), tokens(_all_text(b))
    if not old and not new:
        return 1.0
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= PAIR_FROM else 0.0


def _list_ids(document: WordBody) -> set[str]:
    """The numbering (list) ids the new document defines."""
    part = document.package.related(document.part, NUMBERING)
    if not part or not document.package.has(part):
        return set()
    return {str(num.get(w("numId"))) for num in document.package.xml(part).getroot().iter(
        w("num"))}


class _Comparer:
    def __init__(self, revisions: Revisions, list_ids: set[str]):
        self.revisions = revisions
        self.list_ids = list_ids

    def _own_lists_only(self, element: etree._Element) -> etree._Element:
        """Old paragraphs may point at list definitions the new document does not have."""
        for numbering in list(element.iter(w("numPr"))):
            number = numbering.find(w("numId"))
            if number is None or number.get(VAL) not in self.list_ids:
                numbering.getparent().remove(numbering)
        return element

    # sequences of blocks (the body, a table cell) and of rows

    def container(self, old: etree._Element, new: etree._Element) -> None:
        self._align(_blocks(old), _blocks(new), _key, self._pair_blocks, self._insert_block,
                    self._deleted_block, lambda: self._append_point(new))

    def _append_point(self, container: etree._Element) -> tuple[etree._Element, int]:
        section = container.find(w("sectPr")) if container.tag == BODY else None
        return container, container.index(section) if section is not None else len(container)

    def _align(self, old: list[etree._Element], new: list[etree._Element],
               key: Callable[[etree._Element], object],
               pair: Callable[[etree._Element, etree._Element], None],
               inserted: Callable[[etree._Element], None],
               deleted: Callable[[etree._Element], etree._Element],
               end: Callable[[], tuple[etree._Element, int]]) -> None:
        """Walk old and new in step: pair what changed, mark what was added, and put back
        what was removed just before the new element that follows it."""
        matcher = difflib.SequenceMatcher(None, [key(b) for b in old], [key(b) for b in new],
                                          autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            for old_item, new_item in self._pairs(old[i1:i2], new[j1:j2]):
                if old_item is not None and new_item is not None:
                    pair(old_item, new_item)
                elif new_item is not None:
                    inserted(new_item)
                else:
                    assert old_item is not None
                    restored = deleted(old_item)
                    following = next((n for n in new[j1:] if n.get("_done") != "1"), None)
                    if following is not None:
                        following.addprevious(restored)
                    else:
                        parent, index = end()
                        parent.insert(index, restored)
                if new_item is not None:
                    new_item.set("_done", "1")
        for item in new:
            item.attrib.pop("_done", None)

    def _pairs(self, old: list[etree._Element], new: list[etree._Element]):
        """In order: (old, new) for an edit, (None, new) added, (old, None) removed."""
        if len(old) == len(new) and all(a.tag == b.tag for a, b in zip(old, new, strict=True)):
            return list(zip(old, new, strict=True))  # each rewritten in place
        result: list[tuple[etree._Element | None, etree._Element | None]] = []
        start = 0
        for item in new:
            match = next((k for k in range(start, len(old))
                          if _similarity(old[k], item) >= PAIR_FROM), None)
            if match is None:
                result.append((None, item))
                continue
            result += [(old[k], None) for k in range(start, match)]
            result.append((old[match], item))
            start = match + 1
        result += [(old[k], None) for k in range(start, len(old))]
        return result

    def _pair_blocks(self, old: etree._Element, new: etree._Element) -> None:
        if new.tag == P:
            self._paragraph(old, new)
        else:
            self._table(old, new)

    # paragraphs

    def _paragraph(self, old: etree._Element, new: etree._Element) -> None:
        if _style(old) != _style(new):
            self._property_change(old, new)
        before, after = paragraph_text(old), paragraph_text(new)
        if before == after:
            return
        edits = [Edit(new_start, new_end, _fragment(old, old_start, old_end))
                 for old_start, old_end, new_start, new_end in word_changes(before, after)]
        apply_edits(new, edits, INS, self.revisions)

    def _property_change(self, old: etree._Element, new: etree._Element) -> None:
        ppr = new.find(PPR)
        if ppr is None:
            ppr = new.makeelement(PPR, {})
            new.insert(0, ppr)
        change = ppr.makeelement(w("pPrChange"), self.revisions.attrs())
        previous = etree.SubElement(change, PPR)
        old_ppr = old.find(PPR)
        for child in (old_ppr if old_ppr is not None else ()):
            if child.tag not in (RPR, w("sectPr"), w("pPrChange")):
                previous.append(copy.deepcopy(child))
        self._own_lists_only(previous)
        insert_ordered(ppr, change, PPR_ORDER)

    def _insert_block(self, block: etree._Element) -> None:
        if block.tag == TBL:
            for row in block.iter(TR):
                self._insert_row(row)
            return
        self.revisions.mark_paragraph(block, INS)
        self._mark_text(block, INS)

    def _mark_text(self, paragraph: etree._Element, tag: str) -> None:
        length = max((s.end for s in spans(paragraph)), default=0)
        if length:
            apply_edits(paragraph, [Edit(0, length, [])], tag, self.revisions)

    def _deleted_block(self, block: etree._Element) -> etree._Element:
        copied = self._own_lists_only(_sanitised(block))
        if copied.tag == TBL:
            for row in copied.iter(TR):
                self._delete_row_content(row)
            return copied
        self.revisions.mark_paragraph(copied, DEL)
        self._mark_text(copied, DEL)
        return copied

    # tables

    def _table(self, old: etree._Element, new: etree._Element) -> None:
        old_rows, new_rows = list(old.iterfind(TR)), list(new.iterfind(TR))

        def end() -> tuple[etree._Element, int]:
            return new, len(new)

        self._align(old_rows, new_rows, _row_key, self._row, self._insert_row,
                    self._deleted_row, end)

    def _row(self, old: etree._Element, new: etree._Element) -> None:
        old_cells, new_cells = list(old.iterfind(TC)), list(new.iterfind(TC))
        if len(old_cells) != len(new_cells):  # reshaped: the old row goes, the new one comes
            new.addprevious(self._deleted_row(old))
            self._insert_row(new)
            return
        for old_cell, new_cell in zip(old_cells, new_cells, strict=True):
            self.container(old_cell, new_cell)

    def _insert_row(self, row: etree._Element) -> None:
        self.revisions.mark_row(row, INS)
        for paragraph in row.iter(P):
            self._mark_text(paragraph, INS)

    def _deleted_row(self, row: etree._Element) -> etree._Element:
        copied = self._own_lists_only(_sanitised(row))
        self._delete_row_content(copied)
        return copied

    def _delete_row_content(self, row: etree._Element) -> None:
        self.revisions.mark_row(row, DEL)
        for paragraph in row.iter(P):
            self._mark_text(paragraph, DEL)


def _fragment(paragraph: etree._Element, start: int, end: int) -> list[etree._Element]:
    """Copies of the runs holding [start, end) of a paragraph, formatting kept."""
    if end <= start:
        return []
    scratch = copy.deepcopy(paragraph)
    runs: list[Span] = [s for s in isolate(scratch, start, end) if s.simple and s.end > s.start]
    copies = []
    for span in runs:
        run = copy.deepcopy(span.run)
        _clean_run(run)
        copies.append(run)
    return copies


def _clean_run(run: etree._Element) -> None:
    rpr = run.find(RPR)
    if rpr is not None:
        for child in list(rpr):
            if child.tag in REVISION_TAGS:
                rpr.remove(child)
        sort_children(rpr, RPR_ORDER)


def _sanitised(block: etree._Element) -> etree._Element:
    """A copy of an old block that is safe in the new document: no bookmarks, comments,
    links or objects that point into the old package, no section break, no revisions."""
    copied = copy.deepcopy(block)
    for node in list(copied.iter()):
        if node.getparent() is None or not isinstance(node.tag, str):
            continue
        if node.tag in _DROP or (node.tag == w("sectPr") and node.getparent().tag == PPR) \
                or node.tag == w("pPrChange"):
            node.getparent().remove(node)
        elif node.tag == w("r") and not all(
                child.tag in (RPR, w("t"), w("tab"), w("br"), w("cr"), w("noBreakHyphen"),
                              w("softHyphen"), w("sym")) for child in node):
            node.getparent().remove(node)  # fields, pictures, notes: not restorable text
    for node in list(copied.iter(*_UNWRAP)):
        parent = node.getparent()
        if parent is None:
            continue
        index = parent.index(node)
        for offset, child in enumerate(list(node)):
            parent.insert(index + offset, child)
        parent.remove(node)
    for run in copied.iter(w("r")):
        _clean_run(run)
    for node in copied.iter(P, TR):  # ids (w14:paraId) and rsids belong to the old document
        node.attrib.clear()
    return copied
