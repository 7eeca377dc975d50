"""Who a document is: id, title, version, owner, approver, dates, type; and where each came from.

Sources, strongest first: YAML front matter; a document-control block near the top, written
as `Label: value` lines (several per line with `|`, bold labels), two-cell rows
(`| Version | 1.3 |`) or a table whose first row names the fields; a document register
(CSV/XLSX) joined by id or title; then fallbacks (first H1/Title for the title, the file path
for the id). Labels are read in English and German.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from aimsdocs.isms.parsed import HEADING, ROW, Block, ParsedDocument
from aimsdocs.isms.tables import TABLE_SUFFIXES, find_header, read_tables

FIELDS = ("doc_id", "title", "version", "owner", "approver", "effective_date", "next_review",
          "doc_type")

# Labels in a document-control block/table, front-matter keys and register column names for
# each field (compared after `label_key`: lower case, punctuation as spaces).
LABELS = {
    "doc_id": ("document id", "doc id", "document no", "document number", "doc no",
               "document ref", "document reference", "doc ref", "id", "document code",
               "dokument id", "dokumenten id", "dokumentnummer", "dokumentennummer", "dok nr",
               "dokument nr", "kennung", "dokumentkennung"),
    "title": ("title", "document title", "document name", "name",
              "titel", "dokumenttitel", "dokumentname", "bezeichnung"),
    "version": ("version", "revision", "rev", "ver", "issue", "version no", "version number",
                "versionsnummer", "revisionsstand", "ausgabe"),
    "owner": ("owner", "document owner", "process owner", "policy owner", "author",
              "responsible", "maintained by", "prepared by",
              "verantwortlich", "verantwortlicher", "verantwortliche", "eigentümer",
              "dokumenteneigentümer", "dokumentverantwortlicher", "prozesseigner",
              "prozessverantwortlicher", "autor", "ersteller", "erstellt von"),
    "approver": ("approved by", "approver", "approved", "approval", "authorised by",
                 "authorized by", "signed off by",
                 "freigabe", "freigegeben von", "freigegeben durch", "genehmigt von",
                 "genehmigt durch", "genehmigung", "freigeber"),
    "effective_date": ("effective date", "effective", "effective from", "valid from",
                       "date of issue", "issue date", "release date", "date", "published",
                       "gültig ab", "gültig seit", "inkraftsetzung", "in kraft seit",
                       "in kraft ab", "datum", "stand", "ausgabedatum", "freigabedatum"),
    "next_review": ("next review", "next review date", "review date", "review due",
                    "next review due", "review by",
                    "nächste prüfung", "nächste überprüfung", "nächste revision",
                    "nächstes review", "wiedervorlage", "überprüfung bis"),
    "doc_type": ("type", "document type", "doc type", "category", "document category",
                 "dokumenttyp", "dokumententyp", "dokumentart", "art", "typ", "kategorie"),
}
FIELD_NAMES = {"doc_id": "id", "title": "title", "version": "version", "owner": "owner",
               "approver": "approver", "effective_date": "effective date",
               "next_review": "next review", "doc_type": "type"}
TOP_BLOCKS = 40  # a document-control block sits in the first blocks of a document
_LINE_FIELD = re.compile(r"^\s*(?:[-*+]\s+)?([^\W\d_][\w .#/()-]{0,32}?)\s*[:：]\s*(.+?)\s*$")
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
    doc_type: str | None = None
    sources: tuple[tuple[str, str], ...] = ()  # (field, where it came from)

    def fill(self, other: Identity) -> Identity:
        """Fields of self, with the blanks (and where they came from) taken from other."""
        values = {}
        sources = dict(self.sources)
        for name in FIELDS:
            mine = getattr(self, name)
            values[name] = mine or getattr(other, name)
            if not mine and getattr(other, name):
                sources[name] = dict(other.sources).get(name, "")
        return Identity(**values, sources=tuple(sources.items()))

    def with_field(self, name: str, value: str | None, source: str) -> Identity:
        if not value:
            return self
        sources = dict(self.sources)
        sources[name] = source
        return replace(self, **{name: value}, sources=tuple(sources.items()))


def label_key(label: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", label.lower().replace("_", " ")).split())


_LABEL_TO_FIELD = {label: name for name, labels in LABELS.items() for label in labels}


def field_for(label: str) -> str | None:
    return _LABEL_TO_FIELD.get(label_key(label))


def from_front_matter(parsed: ParsedDocument) -> Identity:
    data = parsed.front_matter.data if parsed.front_matter else None
    if not isinstance(data, dict):
        return Identity()
    identity = Identity()
    for key, value in data.items():
        name = field_for(str(key))
        if name and value not in (None, "") and not getattr(identity, name) \
                and not isinstance(value, (dict, list)):
            line = parsed.front_matter.line_of((key,)) if parsed.front_matter else None
            where = f"front matter{f' line {line}' if line else ''}"
            identity = identity.with_field(name, _clean(str(value)), where)
    return identity


def from_control_block(parsed: ParsedDocument) -> Identity:
    """`Label: value` lines and document-control tables near the top.

    The block ends at the first heading after a field was found (a heading named like
    "Document control" does not end it), and the search at the third heading, so label-like
    lines in the body ('Owner: the CISO' in a RACI list) are not read.
    """
    identity = Identity()
    headings = 0
    for block in parsed.blocks[:TOP_BLOCKS]:
        if block.kind == HEADING:
            if _is_control_heading(block.text):
                continue
            headings += 1
            if identity.sources or headings == 3:
                break
            continue
        for label, value in _pairs(block):
            name = field_for(label)
            if name and not getattr(identity, name) and value:
                if name == "doc_id":
                    value = _id_token(value)
                where = "document control" + (f", {parsed.where(block)}"
                                              if parsed.where(block) else "")
                identity = identity.with_field(name, value, where)
    return identity


_CONTROL_HEADINGS = {"document control", "document information", "document details",
                     "dokumentenlenkung", "dokumentinformationen", "dokumenteninformation",
                     "document properties", "dokumenteigenschaften", "metadata", "metadaten"}


def _is_control_heading(text: str) -> bool:
    return label_key(text) in _CONTROL_HEADINGS


def _pairs(block: Block) -> list[tuple[str, str]]:
    if block.kind == ROW:
        return _row_pairs(block)
    pairs = []
    for line in block.text.split("\n"):
        for part in re.split(r"\s+\|\s+|\s*\|\s*(?=[^\W\d_][\w .-]{0,30}[:：])", line):
            match = _LINE_FIELD.match(part)
            if match:
                pairs.append((match.group(1), _clean(match.group(2))))
    return pairs


def _row_pairs(block: Block) -> list[tuple[str, str]]:
    """`| Version | 1.3 |`, `| Version | 1.3 | Owner | X |`, or a row under a header row that
    names the fields (`| Version | Owner | Approved |` then `| 1.3 | CISO | CEO |`)."""
    header = block.header
    named = [field_for(cell) for cell in header]
    cells = tuple(c for c in block.cells if c.strip())
    labels = sum(1 for n in named if n)
    names_fields = labels >= 2 and labels * 2 > len([c for c in header if c.strip()])
    if block.cells != header and names_fields:
        return [(header[i], _clean(cell)) for i, cell in enumerate(block.cells)
                if i < len(header) and named[i]]
    if block.cells == header and names_fields:
        return []  # a header row of field names, not label/value pairs
    return [(cells[i], _clean(cells[i + 1])) for i in range(0, len(cells) - 1, 2)]


def _id_token(value: str) -> str:
    token = value.split()[0].strip(".,;()[]") if value.split() else ""
    return token if _DOC_ID.match(token) else ""


def _clean(value: str) -> str:
    return " ".join(value.replace("**", "").split()).strip()


def first_title(parsed: ParsedDocument) -> tuple[str, str] | None:
    """(title, where): the first level-1 heading (Markdown H1, Word Title/Heading 1), else the
    first heading, else Word's document properties."""
    for block in parsed.headings:
        if block.level == 1:
            return block.text, f"first heading ({parsed.where(block)})".replace(" ()", "")
    if parsed.headings:
        block = parsed.headings[0]
        return block.text, f"first heading ({parsed.where(block)})".replace(" ()", "")
    if parsed.properties_title:
        return parsed.properties_title, "Word document properties"
    return None


def title_key(title: str) -> str:
    """Case- and punctuation-insensitive form of a title, for joins."""
    return re.sub(r"[^0-9a-zäöüß]+", "", title.lower().replace("&", "and"))


class DocumentRegister:
    """Rows of every document register under the ISMS root, by id and by title."""

    def __init__(self, rows: list[Identity], sources: list[Path]):
        self.sources = sources
        self.rows = rows
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


def load_register(files: list[Path], root: Path) -> DocumentRegister:
    """Read CSV/XLSX files whose header has an id and a title column (a document register).

    Other tables (risks, assets, the SoA) lack those columns and are skipped silently.
    """
    rows: list[Identity] = []
    sources: list[Path] = []
    candidates = [f for f in files if f.suffix.lower() in TABLE_SUFFIXES]
    for file in candidates:
        for sheet in read_tables(file).values():
            header = find_header(sheet, LABELS, required=("doc_id", "title"))
            if header is None:
                continue
            sources.append(file)
            relpath = file.relative_to(root).as_posix()
            for index, record in enumerate(sheet[header.row + 1:], start=header.row + 2):
                values = {name: header.cell(record, name) or None for name in FIELDS}
                if values["doc_id"] and values["title"]:
                    where = f"{relpath} row {index}"
                    rows.append(Identity(**values, sources=tuple(
                        (name, where) for name, value in values.items() if value)))
    return DocumentRegister(rows, sources)
