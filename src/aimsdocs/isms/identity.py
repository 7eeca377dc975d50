"""Who a document is: id, title, version, owner, approver, dates.

Sources, strongest first: YAML front matter; a document-control block or table near the top
(`Document ID: POL-003`, `| Version | 1.3 |`); a document register (CSV/XLSX) joined by id or
title; then fallbacks (first H1/Title for the title, the file stem for the id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from aimsdocs.isms.parsed import HEADING, ROW, ParsedDocument
from aimsdocs.isms.tables import TABLE_SUFFIXES, find_header, read_tables

FIELDS = ("doc_id", "title", "version", "owner", "approver", "effective_date", "next_review")

# Front-matter keys (lower-case) for each identity field.
FRONT_MATTER_KEYS = {
    "doc_id": ("id", "doc_id", "document_id", "document id", "doc-id"),
    "title": ("title",),
    "version": ("version", "revision"),
    "owner": ("owner", "document_owner"),
    "approver": ("approver", "approved_by", "approved by"),
    "effective_date": ("effective_date", "effective", "effective date"),
    "next_review": ("next_review", "next review", "review_date"),
}

# Labels in a document-control block/table, and column names in a document register
# (compared after `label_key`).
LABELS = {
    "doc_id": ("document id", "doc id", "document no", "document number", "doc no",
               "document ref", "document reference", "doc ref", "id"),
    "title": ("title", "document title", "document name", "name"),
    "version": ("version", "revision", "rev", "ver", "issue", "version no"),
    "owner": ("owner", "document owner", "process owner", "policy owner", "author"),
    "approver": ("approved by", "approver", "approved"),
    "effective_date": ("effective date", "effective", "effective from", "valid from",
                       "date of issue", "issue date", "release date"),
    "next_review": ("next review", "next review date", "review date", "review due",
                    "next review due"),
}
TOP_BLOCKS = 40  # a document-control block sits in the first blocks of a document
_LINE_FIELD = re.compile(r"^\s*(?:[-*+]\s+)?([A-Za-z][A-Za-z .#/_-]{0,30}?)\s*[:：]\s*(.+?)\s*$")
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")


@dataclass(frozen=True)
class Identity:
    doc_id: str | None = None
    title: str | None = None
    version: str | None = None
    owner: str | None = None
    approver: str | None = None
    effective_date: str | None = None
    next_review: str | None = None

    def fill(self, other: Identity) -> Identity:
        """Fields of self, with the blanks taken from other."""
        return replace(self, **{f.name: getattr(self, f.name) or getattr(other, f.name)
                                for f in fields(self)})


def label_key(label: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", label.lower().replace("_", " ")).split())


_LABEL_TO_FIELD = {label: name for name, labels in LABELS.items() for label in labels}


def from_front_matter(parsed: ParsedDocument) -> Identity:
    data = parsed.front_matter.data if parsed.front_matter else None
    if not isinstance(data, dict):
        return Identity()
    lowered = {str(k).strip().lower(): v for k, v in data.items()}
    values = {}
    for name, keys in FRONT_MATTER_KEYS.items():
        for key in keys:
            if lowered.get(key) not in (None, ""):
                values[name] = _clean(str(lowered[key]))
                break
    return Identity(**values)


def from_control_block(parsed: ParsedDocument) -> Identity:
    """`Label: value` lines and two-cell `| Label | value |` rows near the top.

    The block ends at the first heading after a field was found, and the search at the third
    heading, so label-like lines in the body ('Owner: the CISO' in a RACI list) are not read.
    """
    values: dict[str, str] = {}
    headings = 0
    for block in parsed.blocks[:TOP_BLOCKS]:
        if block.kind == HEADING:
            headings += 1
            if values or headings == 3:
                break
            continue
        pairs = _row_pairs(block.cells) if block.kind == ROW else _line_pairs(block.text)
        for label, value in pairs:
            name = _LABEL_TO_FIELD.get(label_key(label))
            if name and name not in values and value:
                values[name] = value
    doc_id = values.get("doc_id")
    if doc_id is not None:
        values["doc_id"] = _id_token(doc_id)
        if not values["doc_id"]:
            del values["doc_id"]
    return Identity(**values)


def _line_pairs(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in text.split("\n"):
        match = _LINE_FIELD.match(line)
        if match:
            pairs.append((match.group(1), _clean(match.group(2))))
    return pairs


def _row_pairs(cells: tuple[str, ...]) -> list[tuple[str, str]]:
    """`| Version | 1.3 |` or, in a wide control table, `| Version | 1.3 | Owner | X |`."""
    cells = tuple(c for c in cells if c.strip())
    return [(cells[i], _clean(cells[i + 1])) for i in range(0, len(cells) - 1, 2)]


def _id_token(value: str) -> str:
    token = value.split()[0].strip(".,;()[]") if value.split() else ""
    return token if _DOC_ID.match(token) else ""


def _clean(value: str) -> str:
    return " ".join(value.replace("**", "").split()).strip()


def first_title(parsed: ParsedDocument) -> str | None:
    """The first level-1 heading (Markdown H1, Word Title/Heading 1), else the first heading."""
    for block in parsed.headings:
        if block.level == 1:
            return block.text
    if parsed.headings:
        return parsed.headings[0].text
    return parsed.properties_title or None


def title_key(title: str) -> str:
    """Case- and punctuation-insensitive form of a title, for joins."""
    return re.sub(r"[^0-9a-z]+", "", title.lower().replace("&", "and"))


class DocumentRegister:
    """Rows of every document register under the ISMS root, by id and by title."""

    def __init__(self, rows: list[Identity], sources: list[Path]):
        self.sources = sources
        self.by_id: dict[str, Identity] = {}
        self.by_title: dict[str, Identity] = {}
        for row in rows:
            if row.doc_id:
                self.by_id.setdefault(row.doc_id.upper(), row)
            if row.title:
                self.by_title.setdefault(title_key(row.title), row)

    def match(self, known: Identity) -> Identity:
        """The register row for a document: by id, else by title if the ids do not disagree."""
        if known.doc_id and known.doc_id.upper() in self.by_id:
            return self.by_id[known.doc_id.upper()]
        row = self.by_title.get(title_key(known.title or ""))
        if row is None or (known.doc_id and row.doc_id and known.doc_id != row.doc_id):
            return Identity()
        return row


def load_register(files: list[Path]) -> DocumentRegister:
    """Read CSV/XLSX files whose name contains 'register' and whose header has id and title.

    Other registers (risks, assets) lack those columns and are skipped silently.
    """
    rows: list[Identity] = []
    sources: list[Path] = []
    candidates = [f for f in files
                  if "register" in f.name.lower() and f.suffix.lower() in TABLE_SUFFIXES]
    for file in candidates:
        for sheet in read_tables(file).values():
            header = find_header(sheet, LABELS, required=("doc_id", "title"))
            if header is None:
                continue
            sources.append(file)
            for record in sheet[header.row + 1:]:
                values = {name: header.cell(record, name) or None for name in FIELDS}
                if values["doc_id"] and values["title"]:
                    rows.append(Identity(**values))
    return DocumentRegister(rows, sources)
