"""Mapping structures in CSV/XLSX files: a matrix of controls and policies, a document
register with an "ISO 27001 reference" column. Read like the tables inside documents: the
coverage goes to the documents a row names; the table itself is not a document.
"""

from __future__ import annotations

from pathlib import Path

from aimsdocs.isms.claims import DocumentEvidence, column_roles, document_evidence
from aimsdocs.isms.lookup import DocumentLookup
from aimsdocs.isms.model import RECORD, IsmsDocument
from aimsdocs.isms.parsed import ROW, Block, ParsedDocument
from aimsdocs.isms.tables import HEADER_SEARCH_ROWS, header_key, read_tables
from aimsdocs.standards import Standards


def table_evidence(path: Path, root: Path, standards: Standards, lookup: DocumentLookup
                   ) -> DocumentEvidence:
    relpath = path.relative_to(root).as_posix()
    container = IsmsDocument(doc_id="", title=path.stem, version=None, owner=None,
                             approver=None, effective_date=None, next_review=None, path=path,
                             relpath=relpath, format=path.suffix.lower().lstrip("."),
                             sections=(), kind=RECORD)
    total = DocumentEvidence()
    for table, rows in enumerate(read_tables(path).values(), start=1):
        header_row = _header_row(rows)
        if header_row is None:
            continue
        header = tuple(rows[header_row])
        blocks = [Block(ROW, " | ".join(record), cells=tuple(record), line=number,
                        table=table, header=header)
                  for number, record in enumerate(rows[header_row:], start=header_row + 1)
                  if any(cell.strip() for cell in record)]
        parsed = ParsedDocument(path, container.format, blocks, location="row")
        evidence = document_evidence(container, parsed, standards, lookup, root)
        total.mapped += evidence.mapped
        total.not_supplied += evidence.not_supplied
    return total


def _header_row(rows: list[list[str]]) -> int | None:
    """The first row naming both a column of ISO ids and a column of documents."""
    for index, record in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = column_roles([header_key(c) for c in record])
        if "ids" in roles.values() and "docs" in roles.values():
            return index
    return None
