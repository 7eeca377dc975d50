"""Candidates inferred from what a document is about: its title, headings and file name.

The weakest evidence: it may rank sources and is shown for confirmation, never reuse.
"""

from __future__ import annotations

import re

from aimsdocs.isms.identity import label_key
from aimsdocs.isms.model import CoverageClaim, IsmsDocument, Provenance
from aimsdocs.isms.parsed import ParsedDocument
from aimsdocs.isms.references import find_references, titled_reference
from aimsdocs.isms.topics import topics_in
from aimsdocs.standards import Standards

# Headings of a document's own control block, not topics of the document.
ADMIN_HEADINGS = {"document control", "document information", "document details",
                  "document history", "revision history", "version history", "change history",
                  "change log", "approval", "document approval", "distribution",
                  "dokumentenlenkung", "änderungshistorie", "versionshistorie", "freigabe"}
_NUMBERING = re.compile(r"^\s*(?:(?:\d+\.)*\d+\.?|[A-Z]\.|[IVX]+\.|\(\d+\))\s+")


def inferred_claims(doc: IsmsDocument, parsed: ParsedDocument, standards: Standards
                    ) -> list[CoverageClaim]:
    """Topics named in the title, a heading or the file name.

    Only a governing document's headings count (a record's headings are about what was
    found, a cross-reference's about other documents), and not a heading that cites an id:
    that heading is already evidence of its own.

    File names count like titles because people name files like titles and titles drift
    ('ISMS Governance Policy' lives in policy-governance-and-document-control-policy.md).
    Generic topics ("Roles and responsibilities") count from the title or file name only.
    """
    if doc.doc_type == "mapping":
        return []  # a cross-reference is about other documents
    headings = [b for b in parsed.headings if b.text != doc.title
                and label_key(_NUMBERING.sub("", b.text)) not in ADMIN_HEADINGS
                and not find_references(b.text, standards)
                and not titled_reference(b.text, standards)] if doc.governing else []
    places = [("title", doc.title, True, 0)] + [
        ("heading", b.text, False, b.line) for b in headings]
    places.append(("file name", doc.path.stem.replace("-", " ").replace("_", " "), True, 0))
    claims: list[CoverageClaim] = []
    for place, text, is_title, line in places:
        for topic in topics_in(_NUMBERING.sub("", text), title=is_title):
            evidence = f'{place} "{text}" (topic: {topic.name})'
            section = text if place == "heading" else ""
            claims += [CoverageClaim("iso27001", item, doc.doc_id, Provenance.INFERRED, evidence,
                                     doc.relpath, line, section) for item in topic.iso27001]
            claims += [CoverageClaim("iso9001", item, doc.doc_id, Provenance.INFERRED, evidence,
                                     doc.relpath, line, section) for item in topic.iso9001]
    return claims
