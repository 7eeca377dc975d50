"""Coverage evidence found in one document's text: mappings, its own references, mentions.

A *mapping unit* pairs ISO ids with a reference to a document: a table row ("A.8.15 |
[Logging](log.md)", "Incident Response Policy | Annex A 5.24–5.28"), a list item, a sentence
with a link, or a heading with an id followed by a block that names documents
("####6.1.1 Roles" then "- [Leadership](../policy/leadership.md)"). The coverage belongs to
the referenced document (tier *mapped*); the container covers nothing by it. Names that match
no document of the folder are "named but not supplied".

Every other id a document writes is its *own reference*: a claim (tier *referenced*) when the
document governs, a mere mention when it is a record (an audit report lists the controls it
audited; it does not implement them: the inventory decides, once the kind is known). A scope
statement ("Clauses 4–10") claims nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from aimsdocs.isms.lookup import DocRef, DocumentLookup
from aimsdocs.isms.model import CoverageClaim, IsmsDocument, Provenance
from aimsdocs.isms.parsed import HEADING, ITEM, ROW, Block, ParsedDocument
from aimsdocs.isms.references import Reference, find_references, titled_reference
from aimsdocs.isms.tables import header_key
from aimsdocs.standards import Standards

# Headers of a column that holds ISO ids, and of one that names documents.
ID_COLUMN_WORDS = re.compile(r"\b(?:annex|anhang|control|controls|clause|clauses|iso|27001|"
                             r"27002|requirement|ref|reference|id|maßnahme|maßnahmen|kapitel|"
                             r"normbezug|norm|anforderung)\b")
ANNEX_COLUMN_WORDS = re.compile(r"\b(?:annex|anhang|controls?|maßnahmen?|27002)\b")
DOC_COLUMN_WORDS = re.compile(r"\b(?:document|documents|documentation|policy|policies|"
                              r"procedure|procedures|evidence|reference|references|source|"
                              r"implemented by|covered by|dokument|dokumente|richtlinie|"
                              r"nachweis|vorgabe|regelung|where|location|link|links|file)\b")
# A register's own columns name its document when the table has no column of the kinds above.
NAME_COLUMN_WORDS = re.compile(r"\b(?:doc|document|title|titel|name|file|datei|"
                               r"dokument)\b")
FOREIGN_COLUMN = re.compile(r"\b(?:nist|csf|cis|soc|tsc|pci|hipaa|hitrust|gdpr|dsgvo|bsi|"
                            r"cobit|tisax|c5|nis2|dora|cmmc|fedramp)\b")
# A document's own "ISO 27001 reference: A.5.15, A.5.18" line (tier mapped, for itself).
REFERENCE_LINE = re.compile(r"^\s*(?:[-*]\s*)?(?:iso(?:/iec)?\s*27001\s*(?::\s*20\d\d\s*)?"
                            r"(?:references?|controls?|clauses?|mapping)?|annex a"
                            r"(?: references?| controls?)?|references?|related controls|"
                            r"controls|normbezug|bezug zur iso 27001|iso 27001 bezug)\s*[:：]",
                            re.IGNORECASE)
_YEAR_2013 = re.compile(r"27001\s*:?\s*2013|2013\s+edition|ISO\s*27002\s*:?\s*2013")
_YEAR_2022 = re.compile(r"27001\s*:?\s*2022|27002\s*:?\s*2022")
MAX_QUOTE = 90


@dataclass
class NamedNotSupplied:
    name: str
    items: tuple[str, ...]
    place: str


@dataclass
class DocumentEvidence:
    """What one document's text says, before the inventory weighs it."""

    own: list[CoverageClaim] = field(default_factory=list)  # for the document itself
    mapped: list[CoverageClaim] = field(default_factory=list)  # for the documents it names
    not_supplied: list[NamedNotSupplied] = field(default_factory=list)
    mapping_units: int = 0
    own_units: int = 0

    @property
    def mostly_mapping(self) -> bool:
        """The document is a cross-reference/mapping (an appendix, a matrix): a record."""
        return self.mapping_units >= 5 and self.mapping_units >= 2 * self.own_units


class _Reader:
    def __init__(self, doc: IsmsDocument, parsed: ParsedDocument, standards: Standards,
                 lookup: DocumentLookup, root: Path):
        self.doc, self.parsed, self.standards = doc, parsed, standards
        self.lookup, self.root = lookup, root
        self.result = DocumentEvidence()
        text = "\n".join(b.text for b in parsed.blocks[:400])
        self.year = "2013" if _YEAR_2013.search(text) and not _YEAR_2022.search(text) else None
        self.section = ""
        self._seen: dict[tuple[str, bool, bool], list[Reference]] = {}

    # -- the walk -------------------------------------------------------------------------

    def read(self) -> DocumentEvidence:
        self._walk()
        # A heading that cites the id is the evidence shown when there is one.
        self.result.own.sort(key=lambda claim: not claim.evidence.startswith("heading "))
        return self.result

    def _walk(self) -> None:
        blocks = self.parsed.blocks
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if block.kind == HEADING:
                index = self._heading(index)
                continue
            if block.kind == ROW:
                self._row(block)
            else:
                self._unit(block, block.text)
            index += 1

    def _heading(self, index: int) -> int:
        """A heading with ids pairs with the documents listed in the block under it."""
        block = self.parsed.blocks[index]
        self.section = block.text
        refs = self._ids(block.text, heading=True)
        if not refs:
            return index + 1
        targets: list[DocRef] = []
        for later in self.parsed.blocks[index + 1:]:
            if later.kind == HEADING:
                break
            if self._ids(later.text):
                continue  # a unit of its own
            named = self._doc_refs(later, later.text)
            if named and self._reference_shaped(later.text, [], named, later):
                targets += named
        if targets:
            self._mapping(block, refs, _unique_targets(targets),
                          f'heading "{_quote(block.text)}"')
        else:
            self._own(block, refs, f'heading "{_quote(block.text)}"')
        return index + 1

    def _row(self, block: Block) -> None:
        header = [header_key(c) for c in block.header]
        if block.cells == block.header and self._is_header(header):
            return
        roles = column_roles(header) if block.cells != block.header else {}
        refs: list[Reference] = []
        targets: list[DocRef] = []
        for position, cell in enumerate(block.cells):
            role, name = roles.get(position, ""), header[position] if position < len(header) \
                else ""
            if role == "foreign":
                continue
            annex = role == "ids" and bool(ANNEX_COLUMN_WORDS.search(name)) \
                and not re.search(r"\bclause", name)
            found = self._ids(cell, annex=annex, heading=True) if role != "docs" else []
            refs += found
            named = self.lookup.references(cell, cell=role == "docs", named=True)
            named += self._links(block, _links_in(block, cell))
            if role == "docs" or self._reference_shaped(cell, found, named):
                targets += named
        refs = _unique_refs(refs)
        if refs:
            self._pair(block, refs, _unique_targets(targets), "row")

    def _is_header(self, header: list[str]) -> bool:
        return any(ID_COLUMN_WORDS.search(c) or DOC_COLUMN_WORDS.search(c) for c in header)

    def _unit(self, block: Block, text: str) -> None:
        refs = self._ids(text, heading=block.kind == ITEM)
        if not refs:
            return
        named = self._doc_refs(block, text)
        if REFERENCE_LINE.match(text) and not named:
            self._self_mapping(block, refs, text)
            return
        if not self._reference_shaped(text, refs, named, block,
                                      allowed=3 if block.kind == ITEM else 1):
            named = []
        self._pair(block, refs, named, "list item" if block.kind == ITEM else "text", text)

    def _reference_shaped(self, text: str, refs: list[Reference], named: list[DocRef],
                          block: Block | None = None, allowed: int = 3) -> bool:
        """The text is a reference, not prose that names a document in passing.

        What is left after removing the ids, the documents' names, link texts and the
        titles of the items is at most a few words ("see", "covered by").
        """
        rest = text
        pieces = [r.text for r in refs] + [n.name for n in named]
        if block is not None:
            pieces += [link.text for link in block.links]
        for piece in sorted(pieces, key=len, reverse=True):
            if piece:
                rest = rest.replace(piece, " ")
        titles: set[str] = set()
        for ref in refs:
            entry = self.standards.catalogue(ref.standard).get(ref.item_id)
            if entry is not None:
                titles |= set(_plain_words(entry.title))
        words = [w for w in _plain_words(rest) if w not in titles and w not in _FILLER]
        return len(words) <= allowed

    # -- what a unit names ----------------------------------------------------------------

    def _ids(self, text: str, annex: bool = False, heading: bool = False) -> list[Reference]:
        key = (text, annex, heading)
        if key in self._seen:
            return self._seen[key]
        refs = find_references(text, self.standards, annex=annex, year=self.year)
        if heading or annex:
            titled = titled_reference(text, self.standards, self.year)
            known = {(r.standard, r.item_id) for r in refs}
            refs += [r for r in titled if (r.standard, r.item_id) not in known]
        self._seen[key] = refs
        return refs

    def _doc_refs(self, block: Block, text: str) -> list[DocRef]:
        refs = self.lookup.references(text, named=True)
        return _unique_targets(refs + self._links(block, _links_in(block, text)))

    def _links(self, block: Block, links=None) -> list[DocRef]:
        found = []
        for link in block.links if links is None else links:
            ref = self.lookup.link(link.target, self.doc.path, self.root)
            if ref is not None:
                found.append(ref)
        return found

    # -- claims ---------------------------------------------------------------------------

    def _pair(self, block: Block, refs: list[Reference], targets: list[DocRef], what: str,
              text: str = "") -> None:
        others = [t for t in targets if t.doc_id != self.doc.doc_id]
        if others:
            self._mapping(block, refs, others, f'{what} "{_quote(text or block.text)}"')
        else:
            self._own(block, refs)

    def _mapping(self, block: Block, refs: list[Reference], targets: list[DocRef],
                 evidence: str) -> None:
        self.result.mapping_units += 1
        items = tuple(r.item_id for r in refs if not r.scope and r.standard == "iso27001")
        for target in targets:
            if target.doc_id is None:
                if target.file:
                    continue  # a table of the folder (a register), not a document
                self.result.not_supplied.append(NamedNotSupplied(
                    target.name, items, f"{self.doc.relpath} {self.parsed.where(block)}".strip()))
                continue
            for ref in refs:
                if ref.scope:
                    continue
                self.result.mapped.append(CoverageClaim(
                    ref.standard, ref.item_id, target.doc_id, Provenance.MAPPED,
                    f"{evidence} in {self.doc.relpath}", self.doc.relpath, block.line,
                    target.section or self.section, ref.note))

    def _own(self, block: Block, refs: list[Reference], evidence: str = "") -> None:
        self.result.own_units += 1
        for ref in refs:
            if ref.scope:
                continue
            claim = CoverageClaim(ref.standard, ref.item_id, self.doc.doc_id,
                                  Provenance.REFERENCED,
                                  evidence or _own_evidence(block, ref, self.section),
                                  self.doc.relpath, block.line,
                                  self.section if block.kind != HEADING else block.text,
                                  ref.note)
            self.result.own.append(claim)

    def _self_mapping(self, block: Block, refs: list[Reference], text: str) -> None:
        """'ISO 27001 reference: A.5.15, A.5.18' in the document's own header: mapped."""
        for ref in refs:
            if not ref.scope:
                self.result.own.append(CoverageClaim(
                    ref.standard, ref.item_id, self.doc.doc_id, Provenance.MAPPED,
                    f'reference line "{_quote(text)}"', self.doc.relpath, block.line,
                    self.section, ref.note))


def column_roles(header: list[str]) -> dict[int, str]:
    """Column -> 'ids' | 'docs' | 'foreign' from the header's names ('' when nothing says)."""
    roles: dict[int, str] = {}
    for position, name in enumerate(header):
        iso = re.search(r"\b(?:iso|annex|anhang|27001|27002)\b", name)
        if FOREIGN_COLUMN.search(name) and not iso:
            roles[position] = "foreign"
        elif iso or re.search(r"\b(?:clauses?|controls?|maßnahmen?|kapitel)\b", name) \
                and not NAME_COLUMN_WORDS.search(name):
            roles[position] = "ids"
        elif DOC_COLUMN_WORDS.search(name) and not re.search(r"\bcontrol\b", name):
            roles[position] = "docs"
    if "docs" not in roles.values() and "ids" in roles.values():
        for position, name in enumerate(header):
            if position not in roles and NAME_COLUMN_WORDS.search(name) \
                    and not re.search(r"\bcontrol\b", name):
                roles[position] = "docs"
    return roles


def document_evidence(doc: IsmsDocument, parsed: ParsedDocument, standards: Standards,
                      lookup: DocumentLookup, root: Path) -> DocumentEvidence:
    return _Reader(doc, parsed, standards, lookup, root).read()


def _own_evidence(block: Block, ref: Reference, section: str) -> str:
    written = ref.text
    if block.kind == HEADING:
        return f'heading "{_quote(block.text)}"'
    where = f' in section "{_quote(section)}"' if section else ""
    return f'text "{_quote(written)}"{where}'


_FILLER = {"see", "and", "or", "the", "in", "by", "covered", "implemented", "refer", "to",
           "per", "also", "siehe", "und", "oder", "der", "die", "das", "gemäß", "via",
           "annex", "a", "control", "controls", "clause", "clauses", "iso", "iec", "section",
           "policy", "procedure", "document", "documents", "link", "links", "related",
           "anhang", "maßnahme", "maßnahmen", "kapitel", "dokument"}


def _plain_words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W\d_]+", text)]


def _links_in(block: Block, text: str):
    return [link for link in block.links if link.text and link.text in text] \
        if text != block.text else block.links


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE - 1] + "…"


def _unique_refs(refs: list[Reference]) -> list[Reference]:
    seen: dict[tuple[str, str], Reference] = {}
    for ref in refs:
        seen.setdefault((ref.standard, ref.item_id), ref)
    return list(seen.values())


def _unique_targets(targets: list[DocRef]) -> list[DocRef]:
    seen: dict[str, DocRef] = {}
    for target in targets:
        seen.setdefault(target.doc_id or f"?{target.name.lower()}", target)
    return list(seen.values())
