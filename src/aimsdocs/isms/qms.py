"""The QMS as a second source: an organisation certified to ISO 9001 keeps its quality
documents in `ORG/qms/`, and the AIMS reuses them through the ISO 9001 crosswalk.

The QMS folder is read like the ISMS folder, with one difference: a bare "clause 8.3" in a
quality document means ISO 9001, not ISO/IEC 27001. Its documents join the inventory under
`qms/…`, so every citation says which management system a document belongs to.
"""

from __future__ import annotations

from dataclasses import replace

from aimsdocs.isms.model import CoverageClaim, IsmsInventory
from aimsdocs.standards import Standards

PREFIX = "qms/"


def as_quality_claim(claim: CoverageClaim, standards: Standards) -> CoverageClaim:
    """A clause claim that names no standard, found in a QMS document, is an ISO 9001 claim."""
    if (claim.standard == "iso27001" and not claim.item_id.startswith("A.")
            and "27001" not in claim.evidence and claim.item_id in standards.iso9001):
        return replace(claim, standard="iso9001")
    return claim


def merge(isms: IsmsInventory | None, qms: IsmsInventory, standards: Standards) -> IsmsInventory:
    """One inventory holding both management systems; ISMS ids win a clash of ids."""
    renamed: dict[str, str] = {}
    documents = dict(isms.documents) if isms is not None else {}
    for doc_id, document in qms.documents.items():
        new_id = doc_id if doc_id not in documents else f"{doc_id}-QMS"
        renamed[doc_id] = new_id
        documents[new_id] = replace(document, doc_id=new_id,
                                    relpath=PREFIX + document.relpath)
    quality_claims = [replace(as_quality_claim(claim, standards),
                              doc_id=renamed.get(claim.doc_id, claim.doc_id))
                      for claim in qms.claims]
    quality_mentions = [replace(as_quality_claim(claim, standards),
                                doc_id=renamed.get(claim.doc_id, claim.doc_id))
                        for claim in qms.mentions]
    warnings = [f"QMS: {w}" for w in qms.warnings]
    if isms is None:
        return replace(qms, documents=documents, claims=quality_claims,
                       mentions=quality_mentions, warnings=warnings)
    return replace(isms, documents=documents, claims=list(isms.claims) + quality_claims,
                   mentions=list(isms.mentions) + quality_mentions,
                   warnings=list(isms.warnings) + warnings,
                   files=list(isms.files) + [replace(f, relpath=PREFIX + f.relpath)
                                             for f in qms.files],
                   not_supplied=list(isms.not_supplied) + list(qms.not_supplied))
