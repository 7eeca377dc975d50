"""Which amendments a document already contains, so that nothing is proposed twice.

When the organisation accepts our changes and brings the document back as its new version,
the accepted text carries no mark of ours (Word keeps no trace of accepted revisions), so
the test is on the text: every paragraph of the amendment must be found, normalised
(case, spacing, punctuation, Markdown marks ignored), in order, allowing light edits. In
Markdown our HTML marker comment, when the organisation kept it, is a strong extra signal.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aimsdocs.writers.redline.amendments import Amendment, NewSection, Replacement, marker
from aimsdocs.writers.redline.paragraphs import WordBody
from aimsdocs.writers.redline.text import blocks, normalise, plain

PRESENT_FROM = 0.85  # share of an amendment's words found in order in one paragraph
PRESENT_WITH_MARKER_FROM = 0.6


@dataclass(frozen=True)
class Presence:
    amendment: Amendment
    present: bool
    score: float  # 0..1: the weakest of its paragraphs' best matches
    where: int | None  # paragraph index (DOCX) / 1-based line (Markdown) of the first match


@dataclass(frozen=True)
class _Unit:
    position: int
    words: tuple[str, ...]


def find_present(document: bytes | str, amendments: Sequence[Amendment]) -> list[Presence]:
    """For each amendment, whether `document` (DOCX bytes, or Markdown text) contains it.

    Pending tracked insertions in a DOCX count as present (the proposal is already there);
    tracked deletions do not."""
    if isinstance(document, bytes):
        units = [_Unit(p.index, tuple(normalise(p.text).split()))
                 for p in WordBody(document).paragraphs]
        markers: set[str] = set()
    else:
        units = _markdown_units(document)
        markers = {" ".join(m.split()) for m in re.findall(r"<!--(.*?)-->", document, re.DOTALL)}
    units = [unit for unit in units if unit.words]
    return [_presence(amendment, units, marker(amendment) in markers)
            for amendment in amendments]


def _markdown_units(text: str) -> list[_Unit]:
    """Paragraphs (blank-line separated) and each of their lines, with 1-based line numbers:
    a list item is found on its own line, a wrapped paragraph as a whole."""
    units: list[_Unit] = []
    start = 0
    pending: list[str] = []
    for number, line in enumerate(text.splitlines() + [""], start=1):
        if line.strip():
            if not pending:
                start = number
            pending.append(line)
            units.append(_Unit(number, tuple(normalise(plain(line)).split())))
            continue
        if len(pending) > 1:
            units.append(_Unit(start, tuple(normalise(plain(" ".join(pending))).split())))
        pending = []
    return units


def _wanted(amendment: Amendment) -> list[tuple[str, ...]]:
    if isinstance(amendment, Replacement):
        texts = [amendment.new]
    else:
        texts = [plain(block.text) for block in blocks(amendment.paragraphs)]
        if isinstance(amendment, NewSection):
            texts.insert(0, amendment.heading)
    return [words for words in (tuple(normalise(t).split()) for t in texts) if words]


def _presence(amendment: Amendment, units: list[_Unit], marked: bool) -> Presence:
    score, where = 1.0, None
    for words in _wanted(amendment):
        best, position = _best_match(words, units)
        if where is None:
            where = position
        score = min(score, best)
    threshold = PRESENT_WITH_MARKER_FROM if marked else PRESENT_FROM
    present = score >= threshold
    if present and isinstance(amendment, Replacement):
        # the old text still there means the replacement was not made (unless the new
        # text simply extends it)
        old = tuple(normalise(amendment.old).split())
        new = tuple(normalise(amendment.new).split())
        extends = bool(new) and difflib.SequenceMatcher(
            None, old, new, autojunk=False).find_longest_match(0, len(old), 0, len(new)
                                                               ).size == len(old)
        phrase = f" {' '.join(old)} "
        # Only where the new text stands: the old phrase may rightly remain elsewhere.
        there = [u for u in units if u.position == where] or units
        present = extends or not any(phrase in f" {' '.join(u.words)} " for u in there)
    return Presence(amendment, present, round(score, 3), where)


def _best_match(words: tuple[str, ...], units: list[_Unit]) -> tuple[float, int | None]:
    """The share of `words` found in order in the best paragraph (1.0: all of them)."""
    best, position = 0.0, None
    wanted = set(words)
    for unit in units:
        shared = len(wanted & set(unit.words)) / len(wanted)
        if shared <= best:
            continue  # cannot beat the best so far
        matcher = difflib.SequenceMatcher(None, words, unit.words, autojunk=False)
        found = sum(block.size for block in matcher.get_matching_blocks()) / len(words)
        if found > best:
            best, position = found, unit.position
            if best == 1.0:
                break
    return best, position
