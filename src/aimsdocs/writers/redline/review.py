"""Accept or reject every tracked change, as Word's "Accept All" / "Reject All" would.

A plain walk over the XML, written apart from the writers on purpose: the tests check our
tracked changes with it, so it must not share their logic.
"""

from __future__ import annotations

from lxml import etree

from aimsdocs.writers.redline.ooxml import (
    PPR,
    PPR_ORDER,
    RPR,
    RPR_ORDER,
    insert_ordered,
    w,
)
from aimsdocs.writers.redline.package import Package

_STORIES = frozenset(w(n) for n in ("document", "hdr", "ftr", "footnotes", "endnotes",
                                    "comments"))
_PROPERTY_CHANGES = frozenset(w(n) for n in (
    "pPrChange", "rPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
    "tblPrExChange", "tblGridChange", "numberingChange"))
# What a property change's "old properties" do not hold and so stay as they are on reject.
_KEPT_ON_RESTORE = {
    PPR: {RPR, w("sectPr"), w("pPrChange")},
    RPR: {w("ins"), w("del"), w("moveFrom"), w("moveTo"), w("rPrChange")},
    w("sectPr"): {w("headerReference"), w("footerReference"), w("sectPrChange")},
}
_ORDER = {PPR: PPR_ORDER, RPR: RPR_ORDER}


def accept_all(docx: bytes) -> bytes:
    """The document with every tracked change accepted."""
    return _review(docx, accept=True)


def reject_all(docx: bytes) -> bytes:
    """The document with every tracked change rejected."""
    return _review(docx, accept=False)


def _review(docx: bytes, accept: bool) -> bytes:
    package = Package(docx)
    for name in package.names:
        if not name.endswith(".xml"):
            continue
        tree = package.xml(name)
        if tree.getroot().tag in _STORIES and review_tree(tree.getroot(), accept):
            package.write_xml(name, tree)
    return package.to_bytes()


def review_tree(root: etree._Element, accept: bool) -> bool:
    """Accept or reject every revision under root in place; True when anything changed."""
    keep, drop = ((w("ins"), w("moveTo")), (w("del"), w("moveFrom"))) if accept else \
        ((w("del"), w("moveFrom")), (w("ins"), w("moveTo")))
    changed = False
    merges: list[etree._Element] = []
    for mark in list(root.iter(*keep, *drop, w("cellIns"), w("cellDel"))):
        parent = mark.getparent()
        if parent is None:
            continue
        changed = True
        if mark.tag == w("cellIns"):
            removed = not accept
        elif mark.tag == w("cellDel"):
            removed = accept
        else:
            removed = mark.tag in drop
        if parent.tag == RPR and parent.getparent() is not None and \
                parent.getparent().tag == PPR:  # the paragraph mark itself
            parent.remove(mark)
            if removed:
                merges.append(parent.getparent().getparent())
        elif parent.tag == w("trPr"):  # a whole table row
            row = parent.getparent()
            if removed and row.getparent() is not None:
                row.getparent().remove(row)
            else:
                parent.remove(mark)
        elif parent.tag == w("tcPr"):  # a whole table cell
            cell = parent.getparent()
            if removed and cell.getparent() is not None:
                cell.getparent().remove(cell)
            else:
                parent.remove(mark)
        elif removed:
            parent.remove(mark)
        else:
            _unwrap(mark)
    for change in list(root.iter(*_PROPERTY_CHANGES)):
        changed = True
        if not accept and len(change):
            _restore(change.getparent(), change[0])
        change.getparent().remove(change)
    if changed:
        _drop_dangling_comment_ranges(root)
    for paragraph in reversed(merges):
        _merge_into_next(paragraph)
    return changed


def _unwrap(wrapper: etree._Element) -> None:
    """Replace a w:ins/w:del by its content; deleted text becomes text again."""
    for node in wrapper.iter(w("delText")):
        node.tag = w("t")
    for node in wrapper.iter(w("delInstrText")):
        node.tag = w("instrText")
    parent = wrapper.getparent()
    index = parent.index(wrapper)
    for offset, child in enumerate(list(wrapper)):
        parent.insert(index + offset, child)
    parent.remove(wrapper)


def _restore(properties: etree._Element, old: etree._Element) -> None:
    kept = _KEPT_ON_RESTORE.get(properties.tag, {properties.tag + "Change"})
    survivors = [c for c in properties if c.tag in kept]
    for child in list(properties):
        properties.remove(child)
    # The old properties come back in the order they were written (another tool's order is
    # not ours to fix); only what stayed is placed where the schema wants it.
    for child in list(old):
        properties.append(child)
    for child in survivors:
        if properties.tag in _ORDER and child.tag in _ORDER[properties.tag]:
            insert_ordered(properties, child, _ORDER[properties.tag])
        else:
            properties.append(child)


def _merge_into_next(paragraph: etree._Element) -> None:
    """A removed paragraph mark: what is left of the paragraph joins the next paragraph
    (which keeps its own properties, as in Word). Before a table or at the end of the body
    there is nothing to join: a paragraph with text left keeps its mark."""
    parent = paragraph.getparent()
    if parent is None:
        return
    following = _next_paragraph(paragraph)
    content = [child for child in paragraph if child.tag != PPR]
    if following is not None:
        ppr = following.find(PPR)
        index = 1 if ppr is not None else 0
        for offset, child in enumerate(content):
            following.insert(index + offset, child)
    elif any(child.tag not in _MARKERS for child in content):
        return
    parent.remove(paragraph)


_MARKERS = frozenset(w(n) for n in ("bookmarkStart", "bookmarkEnd", "commentRangeStart",
                                    "commentRangeEnd", "proofErr", "permStart", "permEnd"))


def _next_paragraph(paragraph: etree._Element) -> etree._Element | None:
    sibling = paragraph.getnext()
    while sibling is not None and (not isinstance(sibling.tag, str) or sibling.tag in _MARKERS):
        sibling = sibling.getnext()
    return sibling if sibling is not None and sibling.tag == w("p") else None


def _drop_dangling_comment_ranges(root: etree._Element) -> None:
    referenced = {ref.get(w("id")) for ref in root.iter(w("commentReference"))}
    for mark in list(root.iter(w("commentRangeStart"), w("commentRangeEnd"))):
        if mark.get(w("id")) not in referenced:
            mark.getparent().remove(mark)
