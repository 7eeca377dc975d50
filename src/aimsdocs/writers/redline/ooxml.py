"""WordprocessingML basics shared by the amendment and redline writers.

Namespaces, safe parsing, serialisation that keeps the part's own XML declaration, the
schema order of property elements (Word rejects a document whose w:pPr or w:rPr children are
out of order), and the revision marks (w:ins/w:del) every tracked change carries.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterable, Iterator

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(name: str) -> str:
    """Clark name of a WordprocessingML element or attribute: w('p') -> '{...main}p'."""
    return f"{{{W_NS}}}{name}"


P, R, T, TAB, BR, CR = w("p"), w("r"), w("t"), w("tab"), w("br"), w("cr")
PPR, RPR, BODY, TBL, TR, TC = w("pPr"), w("rPr"), w("body"), w("tbl"), w("tr"), w("tc")
INS, DEL, DEL_TEXT = w("ins"), w("del"), w("delText")
ID, VAL = w("id"), w("val")

# ECMA-376 Part 1 sequences (CT_PPr, CT_ParaRPr/CT_RPr, CT_TrPr). Unknown children (other
# namespaces) keep their place after the known ones.
PPR_ORDER = tuple(w(n) for n in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange"))
RPR_ORDER = tuple(w(n) for n in (
    "ins", "del", "moveFrom", "moveTo",  # only in a paragraph mark's rPr
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath", "rPrChange"))
TRPR_ORDER = tuple(w(n) for n in (
    "cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
    "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange"))

# Revision and annotation markup that must never be copied from one place to another.
REVISION_TAGS = frozenset(w(n) for n in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
    "tblPrChange", "trPrChange", "tcPrChange", "numberingChange"))

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_blank_text=False)
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse a package part; entities are not expanded and nothing is fetched (hostile input)."""
    return etree.ElementTree(etree.fromstring(data, _PARSER))


def serialise_xml(tree: etree._ElementTree, original: bytes) -> bytes:
    """The tree as bytes, behind the original part's own XML declaration."""
    match = _DECLARATION.match(original)
    encoding = (tree.docinfo.encoding or "UTF-8").upper()
    if match and encoding in ("UTF-8", "UTF8"):
        return match.group(0) + etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
    return etree.tostring(tree, encoding=encoding, xml_declaration=True,
                          standalone=tree.docinfo.standalone)


def sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None,
        index: int | None = None) -> etree._Element:
    """A new child element; created through the parent so it reuses the part's prefixes."""
    child = parent.makeelement(tag, attrs or {})
    if index is None:
        parent.append(child)
    else:
        parent.insert(index, child)
    return child


def insert_ordered(parent: etree._Element, child: etree._Element,
                   order: tuple[str, ...]) -> None:
    """Insert `child` where the schema sequence `order` wants it among parent's children."""
    rank = order.index(child.tag)
    for index, existing in enumerate(parent):
        if existing.tag in order and order.index(existing.tag) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def sort_children(parent: etree._Element, order: tuple[str, ...]) -> None:
    """Put known children in schema order (stable); unknown ones go last, in their order.

    Copied properties come from documents that other tools wrote, not always in order."""
    children = list(parent)
    ranked = sorted(children, key=lambda c: order.index(c.tag) if c.tag in order else len(order))
    if ranked != children:
        for child in children:
            parent.remove(child)
        parent.extend(ranked)


def has_ancestor(element: etree._Element, tags: Iterable[str], stop: etree._Element) -> bool:
    """Whether an element between `element` (exclusive) and `stop` (exclusive) has one of tags."""
    wanted = set(tags)
    node = element.getparent()
    while node is not None and node is not stop:
        if node.tag in wanted:
            return True
        node = node.getparent()
    return False


def max_id(roots: Iterable[etree._Element]) -> int:
    """The largest numeric w:id on any element: new revision and comment ids go above it."""
    highest = 0
    for root in roots:
        for value in root.iter():
            found = value.get(ID) if isinstance(value.tag, str) else None
            if found is not None and found.lstrip("-").isdigit():
                highest = max(highest, int(found))
    return highest


class Revisions:
    """Author, date and a document-wide id counter for every mark we write."""

    def __init__(self, author: str, when: datetime.date, first_id: int):
        if not author.strip():
            raise ValueError("a tracked change needs an author")
        self.author = author
        # Midnight UTC of the given day: the caller's date, never the clock.
        self.date = f"{when.isoformat()[:10]}T00:00:00Z"
        self._next = first_id

    def next_id(self) -> str:
        value = self._next
        self._next += 1
        return str(value)

    def attrs(self) -> dict[str, str]:
        return {ID: self.next_id(), w("author"): self.author, w("date"): self.date}

    def wrapper(self, parent: etree._Element, tag: str, index: int) -> etree._Element:
        """A w:ins or w:del at parent[index]."""
        return sub(parent, tag, self.attrs(), index)

    def mark_paragraph(self, paragraph: etree._Element, tag: str) -> None:
        """Mark the paragraph mark itself inserted/deleted (w:pPr/w:rPr/w:ins|w:del)."""
        ppr = paragraph.find(PPR)
        if ppr is None:
            ppr = sub(paragraph, PPR, index=0)
        rpr = ppr.find(RPR)
        if rpr is None:
            rpr = paragraph.makeelement(RPR, {})
            insert_ordered(ppr, rpr, PPR_ORDER)
        for old in rpr.findall(INS) + rpr.findall(DEL):
            rpr.remove(old)
        insert_ordered(rpr, rpr.makeelement(tag, self.attrs()), RPR_ORDER)

    def mark_row(self, row: etree._Element, tag: str) -> None:
        trpr = row.find(w("trPr"))
        if trpr is None:
            trpr = row.makeelement(w("trPr"), {})
            tblpr_ex = row.find(w("tblPrEx"))
            row.insert(0 if tblpr_ex is None else 1, trpr)
        insert_ordered(trpr, trpr.makeelement(tag, self.attrs()), TRPR_ORDER)


def body_paragraphs(body: etree._Element) -> Iterator[etree._Element]:
    """Every paragraph of the body in reading order, table cells included; paragraphs inside
    text boxes (which Word stores twice, as DrawingML and VML) are not body text."""
    for paragraph in body.iter(P):
        if not has_ancestor(paragraph, (w("txbxContent"), P), body):
            yield paragraph


def paragraph_text(paragraph: etree._Element) -> str:
    """Visible text of a paragraph as Word shows it with changes accepted (no w:delText);
    tabs and breaks as whitespace, text boxes left out."""
    parts = []
    for node in paragraph.iter(T, TAB, BR, CR):
        if has_ancestor(node, (w("txbxContent"), DEL, w("moveFrom")), paragraph):
            continue
        if node.tag == T:
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == TAB else "\n")
    return "".join(parts)


_RANGE_MARKS = frozenset(w(n) for n in (
    "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "proofErr",
    "permStart", "permEnd"))


def _mark(paragraph: etree._Element) -> str | None:
    """INS or DEL when the paragraph mark itself is a revision."""
    rpr = paragraph.find(f"{PPR}/{RPR}")
    if rpr is None:
        return None
    return next((tag for tag in (INS, DEL) if rpr.find(tag) is not None), None)


def _sibling_block(element: etree._Element, forward: bool) -> etree._Element | None:
    node = element.getnext() if forward else element.getprevious()
    while node is not None and (not isinstance(node.tag, str) or node.tag in _RANGE_MARKS):
        node = node.getnext() if forward else node.getprevious()
    return node


def settle_final_marks(root: etree._Element, revisions: Revisions) -> None:
    """Move a revised paragraph mark off the last paragraph of a body, cell or block.

    The last paragraph mark before the end of a container (or a table) cannot be removed in
    Word: a rejected insertion (accepted deletion) there would leave an empty paragraph.
    Word itself records such a change on the mark of the paragraph before: "X¶' Y¶" rather
    than "X¶ Y¶'". The last paragraph then keeps a real mark, with a formatting revision
    where the two paragraphs are formatted differently. A deleted and an inserted last
    paragraph become one paragraph holding both texts."""
    for last in list(root.iter(P)):
        tag = _mark(last)
        following = _sibling_block(last, forward=True)
        if tag is None or last.getparent() is None or (
                following is not None and following.tag == P):
            continue
        other = DEL if tag == INS else INS
        previous = _sibling_block(last, forward=False)
        if previous is not None and previous.tag == P and _mark(previous) == other:
            inserted, deleted = (last, previous) if tag == INS else (previous, last)
            _settle(last, tag, _base_properties(inserted), _base_properties(deleted), revisions)
            ppr = last.find(PPR)
            at = 1 if ppr is not None else 0
            for offset, child in enumerate(c for c in list(previous) if c.tag != PPR):
                last.insert(at + offset, child)
            _move_ids(previous, last)
            previous.getparent().remove(previous)
            continue
        while previous is not None and previous.tag == P and _mark(previous) == tag:
            previous = _sibling_block(previous, forward=False)
        if previous is None or previous.tag != P or _mark(previous) is not None \
                or previous.find(f"{PPR}/{w('sectPr')}") is not None:
            continue  # nothing before it to carry the mark: Word keeps an empty paragraph
        kept = _base_properties(previous)  # the formatting the surviving paragraph had
        if tag == INS:  # accepted: the last paragraph's own formatting; rejected: previous'
            _settle(last, tag, _base_properties(last), kept, revisions)
        else:  # a deletion: accepted, previous' formatting; rejected, the last one's
            _settle(last, tag, kept, _base_properties(last), revisions)
        revisions.mark_paragraph(previous, tag)
        _move_ids(previous, last)


def _settle(paragraph: etree._Element, tag: str, current: list[etree._Element],
            old: list[etree._Element], revisions: Revisions) -> None:
    """Give the paragraph a real mark formatted `current`, recording `old` as its previous
    formatting when they differ."""
    ppr = paragraph.find(PPR)
    if ppr is None:
        ppr = sub(paragraph, PPR, index=0)
    mark_rpr, section = ppr.find(RPR), ppr.find(w("sectPr"))
    current = [copy.deepcopy(c) for c in current]
    old = [copy.deepcopy(c) for c in old]
    for child in list(ppr):
        ppr.remove(child)
    ppr.extend(current)
    if mark_rpr is not None:
        for revision in mark_rpr.findall(tag):
            mark_rpr.remove(revision)
        if len(mark_rpr):
            insert_ordered(ppr, mark_rpr, PPR_ORDER)
    if section is not None:  # a section break stays where it is
        insert_ordered(ppr, section, PPR_ORDER)
    if _canonical(current) != _canonical(old):
        change = ppr.makeelement(w("pPrChange"), revisions.attrs())
        sub(change, PPR).extend(old)
        insert_ordered(ppr, change, PPR_ORDER)
    if not len(ppr):
        paragraph.remove(ppr)


def _move_ids(source: etree._Element, target: etree._Element) -> None:
    """Paragraph ids (w14:paraId, rsids) stay with the paragraph that survives."""
    if target.attrib:
        return
    for name, value in source.attrib.items():
        target.set(name, value)
    source.attrib.clear()


def _base_properties(paragraph: etree._Element) -> list[etree._Element]:
    ppr = paragraph.find(PPR)
    return [c for c in (ppr if ppr is not None else ())
            if c.tag not in (RPR, w("sectPr"), w("pPrChange"))]


def _canonical(children: list[etree._Element]) -> list[bytes]:
    return [etree.tostring(c, method="c14n") for c in children]
