"""Coverage claims found in one document's text: references, cross-references, topics."""

from __future__ import annotations

import re
from pathlib import Path

from aimsdocs.isms.lookup import DocumentLookup
from aimsdocs.isms.model import CoverageClaim, IsmsDocument, Provenance
from aimsdocs.isms.parsed import HEADING, ITEM, ROW, Block, ParsedDocument
from aimsdocs.isms.references import Reference, find_references
from aimsdocs.isms.topics import topics_in
from aimsdocs.standards import Standards

# Blocks that act as a cross-reference when they carry links: "A.8.15 | [Logging](log.md)".
CROSS_REFERENCE_KINDS = (ROW, ITEM)
# Headings of a document's own control block, not topics of the document.
ADMIN_HEADINGS = {"document control", "document information", "document details",
                  "document history", "revision history", "version history", "change history",
                  "change log", "approval", "document approval", "distribution"}
_NUMBERING = re.compile(r"^\s*(?:(?:\d+\.)*\d+\.?|[A-Z]\.|[IVX]+\.)\s+")


def referenced_claims(doc: IsmsDocument, parsed: ParsedDocument, standards: Standards,
                      lookup: DocumentLookup, root: Path
                      ) -> tuple[list[CoverageClaim], list[CoverageClaim]]:
    """Ids cited in the document: (claims for itself, claims for documents it links to).

    In a row or list item with links to ISMS documents ('A.8.15 | [Logging](log.md)') the ids
    belong to the linked documents. Claims from headings come first, so a heading is the
    evidence shown when there is one.
    """
    own: list[CoverageClaim] = []
    linked: list[CoverageClaim] = []
    section = ""
    for block in parsed.blocks:
        if block.kind == HEADING:
            section = block.text
        references = find_references(block.text, standards)
        if not references:
            continue
        targets = _linked(block, doc, lookup, root)
        for reference in references:
            if targets:
                evidence = f'cross-reference "{reference.text}" in {doc.relpath}'
                linked += [_claim(reference, target, evidence) for target in targets]
            else:
                own.append(_claim(reference, doc.doc_id, _evidence(block, reference, section)))
    return sorted(own, key=lambda claim: not claim.evidence.startswith("heading ")), linked


def inferred_claims(doc: IsmsDocument, parsed: ParsedDocument) -> list[CoverageClaim]:
    """Harmonized-structure topics named in the title, a heading or the file name.

    File names count because people name files like titles and titles drift
    ('ISMS Governance Policy' lives in policy-governance-and-document-control-policy.md).
    """
    places = [("title", doc.title)] + [
        ("heading", b.text) for b in parsed.headings
        if b.text != doc.title and _NUMBERING.sub("", b.text).lower() not in ADMIN_HEADINGS]
    places.append(("file name", doc.path.stem.replace("-", " ").replace("_", " ")))
    claims: list[CoverageClaim] = []
    for place, text in places:
        for topic in topics_in(_NUMBERING.sub("", text)):
            evidence = f'{place} "{text}" (topic: {topic.name})'
            claims += [CoverageClaim("iso27001", item, doc.doc_id, Provenance.INFERRED, evidence)
                       for item in topic.iso27001]
            claims += [CoverageClaim("iso9001", item, doc.doc_id, Provenance.INFERRED, evidence)
                       for item in topic.iso9001]
    return claims


def _linked(block: Block, doc: IsmsDocument, lookup: DocumentLookup, root: Path) -> list[str]:
    if block.kind not in CROSS_REFERENCE_KINDS or not block.links:
        return []
    found = (lookup.by_link(link.target, doc.path, root) for link in block.links)
    return list(dict.fromkeys(d for d in found if d is not None and d != doc.doc_id))


def _claim(reference: Reference, doc_id: str, evidence: str) -> CoverageClaim:
    return CoverageClaim(reference.standard, reference.item_id, doc_id, Provenance.REFERENCED,
                         evidence)


def _evidence(block: Block, reference: Reference, section: str) -> str:
    note = f" ({reference.note})" if reference.note else ""
    if block.kind == HEADING:
        return f'heading "{block.text}"{note}'
    where = f' in section "{section}"' if section else ""
    return f'text "{reference.text}"{note}{where}'
