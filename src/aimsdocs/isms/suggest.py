"""`isms.suggested.yaml`: candidate declarations for the user to review.

What aimsdocs found but will not use as reuse on its own: topics inferred from titles and
headings, controls a governing document cites where a stronger statement (the SoA, a
cross-reference) names another or an absent document, and claims that rest on a record. Each
becomes a `covers:` entry with its confidence and evidence as comments. aimsdocs never reads
this file; renamed to (or merged into) `isms.yaml` it becomes the organisation's declaration.

The first line carries a marker with a hash of the rest, so a later run knows the file is
its own and whether someone edited it (then it keeps a backup before writing).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from aimsdocs.isms.model import CoverageClaim, IsmsInventory, Provenance, item_sort_key

MARKER = "# aimsdocs suggestions"
HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass(frozen=True)
class Suggestion:
    doc_id: str
    standard: str
    item_id: str
    confidence: str
    evidence: str
    why: str


def suggestions(inventory: IsmsInventory) -> list[Suggestion]:
    """One suggestion per (document, item) not already a firm claim, strongest reason kept."""
    firm = {c.key for c in inventory.claims if not c.candidate}
    best: dict[tuple[str, str, str], Suggestion] = {}
    for claim in list(inventory.claims) + list(inventory.mentions):
        if claim.key in firm:
            continue
        suggestion = _suggest(inventory, claim)
        if suggestion is None:
            continue
        key = claim.key
        if key not in best or _order(suggestion) < _order(best[key]):
            best[key] = suggestion
    return sorted(best.values(), key=lambda s: (s.doc_id, s.standard, item_sort_key(s.item_id)))


def _suggest(inventory: IsmsInventory, claim: CoverageClaim) -> Suggestion | None:
    document = inventory.documents.get(claim.doc_id)
    if document is None:
        return None
    evidence = f"{claim.evidence}" + (f" [{claim.where()}]" if claim.where() else "")
    if not document.governing:
        return Suggestion(claim.doc_id, claim.standard, claim.item_id, LOW, evidence,
                          f"{document.doc_type or 'record'}: evidence that the process runs, "
                          "not the document that governs it; declare the governing one")
    if claim.provenance is Provenance.INFERRED:
        from_title = claim.evidence.startswith(("title", "file name"))
        return Suggestion(claim.doc_id, claim.standard, claim.item_id,
                          MEDIUM if from_title else LOW, evidence,
                          "topic of the " + ("title" if from_title else "heading"))
    others = _stated_elsewhere(inventory, claim)
    return Suggestion(claim.doc_id, claim.standard, claim.item_id, MEDIUM, evidence,
                      f"the document cites it, but {others}")


def _stated_elsewhere(inventory: IsmsInventory, claim: CoverageClaim) -> str:
    if claim.standard == "iso27001" and claim.item_id in inventory.soa:
        entry = inventory.soa[claim.item_id]
        if entry.applicable is False:
            return f"the SoA excludes the control (row {entry.row})"
        named = "; ".join(entry.references) or "nothing"
        return f"the SoA names {named} (row {entry.row})"
    stated = sorted({c.doc_id for c in inventory.claims if (c.standard, c.item_id)
                     == (claim.standard, claim.item_id) and not c.candidate})
    if stated:
        return f"{', '.join(stated)} is stated for it"
    missing = [n.name for n in inventory.not_supplied if claim.item_id in n.items]
    if missing:
        return f"a mapping names {', '.join(missing)} (not supplied)"
    return "a stronger statement names another document"


def _order(suggestion: Suggestion) -> int:
    return [HIGH, MEDIUM, LOW].index(suggestion.confidence)


def render(inventory: IsmsInventory, version: str) -> str:
    """The file's text: valid isms.yaml once renamed, every suggestion commented."""
    found = suggestions(inventory)
    lines = [
        "# Candidate declarations found by aimsdocs " + version + ". aimsdocs does NOT read this",
        "# file. Review each entry: keep what is right, delete the rest, then rename the file to",
        "# isms.yaml (or merge the entries into your isms.yaml). Confidence: medium = a title",
        "# topic or a governing document's own citation; low = a heading topic or a record.",
        "",
    ]
    for missing in inventory.not_supplied:
        named_for = f" for {', '.join(missing.items)}" if missing.items else ""
        lines.append(f"# Named but not supplied{named_for}: {missing.name} "
                     f"({'; '.join(missing.places[:3])}): add it to the folder")
    if inventory.not_supplied:
        lines.append("")
    if not found:
        lines += ["documents: []  # nothing to suggest"]
    else:
        lines.append("documents:")
    by_doc: dict[str, list[Suggestion]] = {}
    for suggestion in found:
        by_doc.setdefault(suggestion.doc_id, []).append(suggestion)
    for doc_id, entries in by_doc.items():
        document = inventory.documents[doc_id]
        stated = document.source_of("id") not in ("", "file name")
        key = f"id: {_yaml(doc_id)}" if stated else f"path: {_yaml(document.relpath)}"
        lines.append(f"  - {key}  # {document.title} ({document.relpath})")
        if not document.governing:
            lines.append(f"    # kind: {document.kind}, from {document.kind_source}")
        lines.append("    covers:")
        for standard in ("iso27001", "iso9001"):
            chosen = [s for s in entries if s.standard == standard]
            if not chosen:
                continue
            lines.append(f"      {standard}:")
            for suggestion in chosen:
                lines.append(f"        - {_yaml(suggestion.item_id)}  # {suggestion.confidence}: "
                             f"{_comment(suggestion.why)}; {_comment(suggestion.evidence)}")
    body = "\n".join(lines) + "\n"
    return f"{MARKER} sha256:{_digest(body)}\n" + body


def written_by_us(text: str) -> tuple[bool, bool]:
    """(aimsdocs wrote it, and nobody changed it since)."""
    first, _, body = text.partition("\n")
    if not first.startswith(MARKER + " sha256:"):
        return False, False
    return True, first.split("sha256:", 1)[1].strip() == _digest(body)


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def _comment(text: str) -> str:
    return " ".join(text.split()).replace("\n", " ")
