"""numbering.xml: the writer's own list definitions, so every Markdown list restarts at its
start number and nests the same way in any template."""

from __future__ import annotations

import copy
import functools

from lxml import etree

from aimsdocs.writers.docx.ooxml import q, root, serialise, sub, val
from aimsdocs.writers.docx.styles import LIST_INDENT

BULLETS = ("•", "◦", "▪")
NUMBER_FORMATS = ("decimal", "lowerLetter", "lowerRoman")


def list_indent(level: int) -> int:
    """Left indent of a list paragraph's text at `level` (0-based), in twips."""
    return LIST_INDENT * (level + 2)


class Numbering:
    def __init__(self, base: etree._Element | None = None):
        """`base`: a reference.docx's numbering, kept so its own styles' lists still work."""
        self.root = copy.deepcopy(base) if base is not None else root("w:numbering")
        self._next_abstract = 1 + max((int(a.get(q("w:abstractNumId"), "0")) for a in
                                       self.root.iterfind(q("w:abstractNum"))), default=-1)
        self._next_num = 1 + max((int(n.get(q("w:numId"), "0")) for n in
                                  self.root.iterfind(q("w:num"))), default=0)
        self._abstract: dict[bool, int] = {}
        self.used = base is not None

    def new_list(self, ordered: bool, level: int, start: int = 1) -> int:
        """A fresh w:num for one Markdown list: bullets, or numbers from `start`."""
        abstract = self._abstract_id(ordered)
        num_id = self._next_num
        self._next_num += 1
        num = sub(self.root, "w:num", {"w:numId": str(num_id)})
        val(num, "w:abstractNumId", abstract)
        if ordered:  # without a start override Word would continue the previous list
            override = sub(num, "w:lvlOverride", {"w:ilvl": str(level)})
            val(override, "w:startOverride", start)
        self.used = True
        return num_id

    def _abstract_id(self, ordered: bool) -> int:
        if ordered not in self._abstract:
            abstract_id = self._next_abstract
            self._next_abstract += 1
            element = copy.deepcopy(_abstract_num(ordered, abstract_id))
            # abstractNum elements come before every num (schema order)
            first_num = self.root.find(q("w:num"))
            if first_num is None:
                self.root.append(element)
            else:
                first_num.addprevious(element)
            self._abstract[ordered] = abstract_id
        return self._abstract[ordered]

    def xml(self) -> bytes:
        return serialise(self.root)


@functools.lru_cache(maxsize=64)
def _abstract_num(ordered: bool, abstract_id: int) -> etree._Element:
    """One list definition with nine levels: the same in every document of a pack, so it is
    built once and copied (building it element by element cost 4 % of a short record)."""
    element = etree.Element(q("w:abstractNum"))
    element.set(q("w:abstractNumId"), str(abstract_id))
    val(element, "w:multiLevelType", "multilevel")
    for level in range(9):
        lvl = sub(element, "w:lvl", {"w:ilvl": str(level)})
        val(lvl, "w:start", 1)
        if ordered:
            val(lvl, "w:numFmt", NUMBER_FORMATS[level % 3])
            val(lvl, "w:lvlText", f"%{level + 1}.")
        else:
            val(lvl, "w:numFmt", "bullet")
            val(lvl, "w:lvlText", BULLETS[level % 3])
        val(lvl, "w:lvlJc", "left")
        ppr = sub(lvl, "w:pPr")
        sub(ppr, "w:ind", {"w:left": str(list_indent(level)),
                           "w:hanging": str(LIST_INDENT)})
    return element
