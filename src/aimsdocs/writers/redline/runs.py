"""Text positions inside a paragraph's runs, and tracked edits at those positions.

A paragraph's text is spread over runs, each with its own formatting. An edit names a range
of that text; the runs are split at its ends (each half keeps the run's formatting) so the
range can be wrapped in w:del or w:ins, and the replacement goes in right next to it.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass

from lxml import etree

from aimsdocs.writers.redline.ooxml import (
    BR,
    CR,
    DEL,
    DEL_TEXT,
    INS,
    REVISION_TAGS,
    RPR,
    RPR_ORDER,
    TAB,
    XML_SPACE,
    R,
    Revisions,
    T,
    has_ancestor,
    sort_children,
    sub,
    w,
)

# Run content that is text or plain whitespace; anything else (fields, pictures, notes...)
# makes a run an object that we never cut or delete.
_SIMPLE = frozenset(w(n) for n in (
    "t", "tab", "br", "cr", "noBreakHyphen", "softHyphen", "lastRenderedPageBreak", "sym",
    "delText"))
_HIDDEN_FROM_TEXT = (w("txbxContent"), DEL, w("moveFrom"))
# Words, with numbers, dates and ids kept whole ("1.0", "2025-07-01", "A.6.2.8", "don't").
_TOKEN = re.compile(r"\w+(?:[.,:/'’-]\w+)*|\s+|[^\w\s]")
WHOLE_REPLACEMENT_BELOW = 0.5  # below this similarity a word-level diff is harder to read


@dataclass
class Span:
    run: etree._Element
    start: int
    end: int

    @property
    def simple(self) -> bool:
        return all(child.tag in _SIMPLE for child in self.run if child.tag != RPR)


def _length(node: etree._Element) -> int:
    if node.tag == T:
        return len(node.text or "")
    return 1 if node.tag in (TAB, BR, CR) else 0


def spans(paragraph: etree._Element) -> list[Span]:
    """The paragraph's live runs (not deleted, not in text boxes) with their text offsets."""
    found, position = [], 0
    for run in paragraph.iter(R):
        if has_ancestor(run, _HIDDEN_FROM_TEXT, paragraph):
            continue
        length = sum(_length(child) for child in run)
        found.append(Span(run, position, position + length))
        position += length
    return found


def _split(run: etree._Element, offset: int) -> None:
    """Split a run in two at `offset` characters; both halves keep its formatting."""
    right = run.makeelement(R, dict(run.attrib))
    rpr = run.find(RPR)
    if rpr is not None:
        right.append(copy.deepcopy(rpr))
    position = 0
    moving = False
    for child in list(run):
        if child.tag == RPR:
            continue
        if moving:
            right.append(child)
            continue
        length = _length(child)
        if position + length <= offset:
            position += length
            moving = position == offset
            continue
        # the split falls inside this w:t
        cut = offset - position
        tail = right.makeelement(T, {})
        tail.text = (child.text or "")[cut:]
        child.text = (child.text or "")[:cut]
        _preserve(child)
        _preserve(tail)
        right.append(tail)
        moving = True
    run.addnext(right)


def _preserve(text: etree._Element) -> None:
    value = text.text or ""
    if value != value.strip():
        text.set(XML_SPACE, "preserve")


def isolate(paragraph: etree._Element, start: int, end: int) -> list[Span]:
    """Split runs so that [start, end) is covered by whole runs; return those runs."""
    for cut in (start, end):
        for span in spans(paragraph):
            if span.start < cut < span.end:
                _split(span.run, cut - span.start)
                break
    return [s for s in spans(paragraph)
            if start <= s.start and s.end <= end and (s.end > s.start or start < s.start < end)]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the control characters XML cannot hold (pasted text sometimes has)."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_runs(template: etree._Element, text: str,
              rpr: etree._Element | None) -> list[etree._Element]:
    """New runs holding `text` (tabs and line breaks as Word elements), formatted by `rpr`."""
    text = xml_safe(text)
    run = template.makeelement(R, {})
    if rpr is not None and len(rpr):
        run.append(rpr)
    for index, line in enumerate(text.split("\n")):
        if index:
            sub(run, BR)
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                sub(run, TAB)
            if part:
                node = sub(run, T)
                node.text = part
                _preserve(node)
    return [run]


def clean_rpr(rpr: etree._Element | None) -> etree._Element | None:
    """A copy of run properties without revision marks, in schema order."""
    if rpr is None:
        return None
    fresh = copy.deepcopy(rpr)
    for child in list(fresh):
        if child.tag in REVISION_TAGS:
            fresh.remove(child)
    sort_children(fresh, RPR_ORDER)
    return fresh


def as_deleted(run: etree._Element) -> etree._Element:
    """A run's text turned into deleted text (w:t -> w:delText)."""
    for node in run.iter(T):
        node.tag = DEL_TEXT
    for node in run.iter(w("instrText")):
        node.tag = w("delInstrText")
    return run


def _outermost(run: etree._Element, paragraph: etree._Element) -> etree._Element:
    """The run, or the revision wrapper we put around it, whichever is a sibling to use."""
    node = run
    while node.getparent() is not None and node.getparent() is not paragraph \
            and node.getparent().tag in (INS, DEL) and node.getparent().get("_ours") == "1":
        node = node.getparent()
    return node


def wrap(runs: list[etree._Element], tag: str, revisions: Revisions) -> list[etree._Element]:
    """Wrap each group of adjacent sibling runs in its own w:ins/w:del."""
    wrappers: list[etree._Element] = []
    previous = None
    for run in runs:
        parent = run.getparent()
        if previous is None or previous.getnext() is not run:
            wrapper = revisions.wrapper(parent, tag, parent.index(run))
            wrapper.set("_ours", "1")
            wrappers.append(wrapper)
        wrappers[-1].append(run)
        if tag == DEL:
            as_deleted(run)
        previous = wrappers[-1]
    return wrappers


def _insertion_point(paragraph: etree._Element, position: int) -> tuple[etree._Element, int]:
    """(parent, index) where new content at text offset `position` belongs."""
    live = spans(paragraph)
    before = [s for s in live if s.end == position and s.end > s.start]
    if before:
        node = _outermost(before[-1].run, paragraph)
        return node.getparent(), node.getparent().index(node) + 1
    after = [s for s in live if s.start >= position]
    if after:
        node = _outermost(after[0].run, paragraph)
        return node.getparent(), node.getparent().index(node)
    return paragraph, len(paragraph)


@dataclass
class Edit:
    """Text offsets [start, end) in the paragraph, and the runs that go with them."""

    start: int
    end: int
    runs: list[etree._Element]


def apply_edits(paragraph: etree._Element, edits: list[Edit], existing: str,
                revisions: Revisions) -> list[etree._Element]:
    """Mark each edit: the paragraph's own runs in the range get `existing` (w:del when we
    propose a change to a document, w:ins when we show what a new version added); the edit's
    runs go next to them under the other mark, deletion first. Returns the wrappers made."""
    other = INS if existing == DEL else DEL
    made: list[etree._Element] = []
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        # objects (fields, pictures) are never wrapped: half a field in a revision breaks it
        covered = [s.run for s in isolate(paragraph, edit.start, edit.end) if s.simple]
        wrappers = wrap(covered, existing, revisions) if covered else []
        if edit.runs:
            if wrappers:
                anchor = wrappers[-1] if existing == DEL else wrappers[0]
                parent = anchor.getparent()
                index = parent.index(anchor) + (1 if existing == DEL else 0)
            else:
                parent, index = _insertion_point(paragraph, edit.start)
            wrapper = revisions.wrapper(parent, other, index)
            wrapper.set("_ours", "1")
            for run in edit.runs:
                wrapper.append(as_deleted(run) if other == DEL else run)
            wrappers.append(wrapper)
        made.extend(wrappers)
    for wrapper in made:
        wrapper.attrib.pop("_ours", None)
    return made


# --- word-level differences --------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_changes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Changed ranges as character offsets (old_start, old_end, new_start, new_end).

    Neighbouring changes separated only by a space merge, so that a reworded phrase reads as
    one deletion and one insertion; a mostly rewritten text becomes one whole replacement."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    if old and new and matcher.ratio() < WHOLE_REPLACEMENT_BELOW:
        return [(0, len(old), 0, len(new))]
    old_at = _offsets(old_tokens)
    new_at = _offsets(new_tokens)
    merged: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if merged and _only_space(old_tokens[merged[-1][1]:i1]) \
                and _only_space(new_tokens[merged[-1][3]:j1]):
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    return [(old_at[i1], old_at[i2], new_at[j1], new_at[j2]) for i1, i2, j1, j2 in merged]


def _offsets(parts: list[str]) -> list[int]:
    at = [0]
    for part in parts:
        at.append(at[-1] + len(part))
    return at


def _only_space(parts: list[str]) -> bool:
    return len(parts) == 1 and not parts[0].strip()
