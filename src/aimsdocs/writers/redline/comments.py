"""Word comments: the part that holds them, and the marks that anchor them in the text."""

from __future__ import annotations

import posixpath

from lxml import etree

from aimsdocs.writers.redline.ooxml import INS, W_NS, P, R, Revisions, sub, w
from aimsdocs.writers.redline.package import Package
from aimsdocs.writers.redline.runs import xml_safe

COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


class Comments:
    """The document's comments part, created (with relationship and content type) if absent."""

    def __init__(self, package: Package, document_part: str, revisions: Revisions,
                 initials: str):
        self.package = package
        self.document_part = document_part
        self.revisions = revisions
        self.initials = initials
        self.part = package.related(document_part, COMMENTS_REL)
        self.tree: etree._ElementTree | None = None
        if self.part and package.has(self.part):
            self.tree = package.xml(self.part)

    def add(self, text: str) -> str:
        """A new comment holding `text` (one paragraph per line); returns its id."""
        if self.tree is None:
            self.tree = etree.ElementTree(etree.Element(w("comments"), nsmap={"w": W_NS}))
        comment_id = self.revisions.next_id()
        comment = sub(self.tree.getroot(), w("comment"), {
            w("id"): comment_id, w("author"): self.revisions.author,
            w("date"): self.revisions.date, w("initials"): self.initials})
        for index, line in enumerate(xml_safe(text).strip().splitlines() or [""]):
            paragraph = sub(comment, P)
            if index == 0:
                sub(sub(paragraph, R), w("annotationRef"))
            node = sub(sub(paragraph, R), w("t"))
            node.text = line
            if line != line.strip():
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return comment_id

    def save(self) -> None:
        if self.tree is None:
            return
        if self.part is None:
            self.part = _free_name(self.package, posixpath.join(
                posixpath.dirname(self.document_part), "comments.xml"))
            self.package.add_relationship(self.document_part, COMMENTS_REL, self.part)
            self.package.add_override(self.part, COMMENTS_TYPE)
        self.package.write_xml(self.part, self.tree)


def _free_name(package: Package, wanted: str) -> str:
    stem, extension = posixpath.splitext(wanted)
    name, number = wanted, 1
    while package.has(name):
        name = f"{stem}{number}{extension}"
        number += 1
    return name


def anchor_comment(comment_id: str, first: etree._Element, last: etree._Element,
                   revisions: Revisions) -> None:
    """Range marks around first..last (siblings or not) and the reference mark after last.

    The reference run is itself an insertion, so rejecting the change removes it too."""
    first.addprevious(first.makeelement(w("commentRangeStart"), {w("id"): comment_id}))
    end = last.makeelement(w("commentRangeEnd"), {w("id"): comment_id})
    last.addnext(end)
    parent = end.getparent()
    wrapper = revisions.wrapper(parent, INS, parent.index(end) + 1)
    sub(sub(wrapper, R), w("commentReference"), {w("id"): comment_id})
