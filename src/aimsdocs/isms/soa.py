"""Import the ISMS Statement of Applicability (.xlsx or .csv) as it is really kept.

Real SoAs have title rows above the header, several sheets, section rows ("A.5 Organizational
controls"), ids written `5.1` / `A 5.1` / `A.05.01`, and the odd unquoted comma that pushes a
row one cell to the right, ISO/IEC 27001:2013 ids, and references written as ids, titles,
file names or sentences ("Information Security Policy v1.0 approved by the CEO"). We find the
header by its names, keep rows whose first cell is a known control (2013 rows translated),
fold overflow cells back into the free-text column they came from, and keep every reference
that names no document of the folder so the user sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.isms.lookup import DocumentLookup, split_references
from aimsdocs.isms.model import SoaEntry
from aimsdocs.isms.tables import Header, find_header, read_tables
from aimsdocs.standards import Standards

# Header names per field, specific first ("Control" alone is the id column only if no
# "Control ID"/"Ref" column exists, and the title column only if "Control" is not the id).
COLUMNS: dict[str, tuple[str, ...]] = {
    "control_id": ("control id", "control ref", "control reference", "control no",
                   "control number", "annex a control", "annex a ref", "annex a reference",
                   "annex a", "ref", "id", "no", "control"),
    "title": ("control name", "control title", "name", "title", "control"),
    "applicable": ("applicable", "applicability", "included", "include", "applies", "in scope",
                   "selected", "inclusion"),
    "justification": ("justification", "reason", "rationale", "reason for selection",
                      "reason for inclusion"),
    "status": ("implementation status", "status", "implemented", "implementation state"),
    "description": ("implementation description", "implementation", "how implemented",
                    "implementation details", "description", "control implementation",
                    "notes", "comments"),
    "references": ("reference", "references", "document", "documents", "documentation",
                   "evidence", "policy", "policies", "related documents", "policy reference",
                   "document reference", "source"),
}
REQUIRED = ("control_id", "applicable")
EXPECTED = ("a header row (within the first 30 rows) with a control id column ('Control', "
            "'Control ID' or 'Ref') and an 'Applicable' column; optional: Title, "
            "Justification, Status, Implementation, Reference")
# Free-text columns that absorb cells split off by an unquoted comma, in order of preference.
OVERFLOW_INTO = ("description", "justification", "title")

_EMPTY_REFERENCE = {"", "-", "–", "—", "n/a", "na", "none", "tbd", "tba", "keine", "k.a.", "?"}
_CONTROL_CELL_2013 = re.compile(r"^\s*(?:annex\s*)?(?:a\s*\.?\s*)?(\d{1,2})\.(\d{1,2})\.(\d{1,2})"
                                r"(?!\d)\s*[-–—:]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_CONTROL_CELL = re.compile(
    r"^\s*(?:annex\s*)?(?:a\s*\.?\s*)?(\d{1,2})\s*[.\s]\s*(\d{1,2})(?!\d|\s*\.\s*\d)"
    r"\s*[-–—:]?\s*(.*)$", re.IGNORECASE | re.DOTALL)
_YES = {"yes", "y", "true", "1", "x", "✓", "✔", "included", "include", "applicable",
        "selected", "in scope", "ja", "j", "oui", "tak"}
_NO = {"no", "n", "false", "0", "excluded", "exclude", "not applicable", "n/a", "na", "-",
       "–", "out of scope", "nein", "non", "nie"}


@dataclass
class SoaImport:
    path: Path
    entries: dict[str, SoaEntry]
    warnings: list[str] = field(default_factory=list)
    relpath: str = ""
    # (name as written, control id, row) for references to documents not in the folder
    not_supplied: list[tuple[str, str, int]] = field(default_factory=list)


def is_soa_file(path: Path) -> bool:
    """'statement-of-applicability.xlsx', 'ISMS_SoA_v3.csv' (the word 'soa', not 'soap')."""
    name = path.stem.lower()
    return "applicability" in name or "soa" in re.split(r"[^a-z0-9]+", name)


def control_id(cell: str) -> tuple[str, str] | None:
    """'A.05.01 Policies…' -> ('A.5.1', 'Policies…'); '5.1', 'A 5.1', 'A5.1' -> 'A.5.1'."""
    match = _CONTROL_CELL.match(cell)
    if match is None:
        return None
    return f"A.{int(match.group(1))}.{int(match.group(2))}", match.group(3).strip()


def parse_applicable(text: str) -> bool | None:
    key = " ".join(text.lower().split())
    if not key:
        return None
    if key in _NO or key.startswith(("no ", "no,", "no -", "not ", "excluded", "n/a")):
        return False
    if key in _YES or key.startswith(("yes", "applicable", "included")):
        return True
    return None


def control_id_2013(cell: str) -> tuple[str, str] | None:
    """'A.12.4.1 Event logging' -> ('A.12.4.1', 'Event logging')."""
    match = _CONTROL_CELL_2013.match(cell)
    if match is None:
        return None
    return (f"A.{int(match.group(1))}.{int(match.group(2))}.{int(match.group(3))}",
            match.group(4).strip())


def read_soa(path: Path, standards: Standards, lookup: DocumentLookup,
             relpath: str = "") -> SoaImport | None:
    """The SoA in the first sheet that has a recognisable header; None if no sheet has one."""
    for sheet_name, rows in read_tables(path).items():
        header = find_header(rows, COLUMNS, REQUIRED)
        if header is not None:
            result = SoaImport(path, {}, relpath=relpath or path.name)
            _read_rows(rows, header, standards, lookup, result, sheet_name)
            return result
    return None


def no_header_error(path: Path) -> InputError:
    return InputError("no Statement of Applicability header found", file=path,
                      hint=f"expected {EXPECTED}")


def _read_rows(rows: list[list[str]], header: Header, standards: Standards,
               lookup: DocumentLookup, result: SoaImport, sheet: str) -> None:
    for index in range(header.row + 1, len(rows)):
        record = _fold_overflow(rows[index], header, index + 1, result, sheet)
        cell = header.cell(record, "control_id")
        for item, title_in_id_cell, note in _controls(cell, standards):
            if item in result.entries:
                if not note:
                    result.warnings.append(
                        f"{result.path.name} ({sheet}) row {index + 1}: {item} appears again "
                        f"(first on row {result.entries[item].row}); the first row is used")
                continue
            _add_entry(result, item, title_in_id_cell, note, record, header, index + 1,
                       standards, lookup)


def _controls(cell: str, standards: Standards) -> list[tuple[str, str, str]]:
    """(2022 control, title written in the id cell, translation note) for an id cell."""
    old = control_id_2013(cell)
    if old is not None:
        new_ids = standards.translate_2013(old[0])
        note = f"ISO/IEC 27001:2013 {old[0]}, now {', '.join(new_ids)}"
        return [(i, "", note) for i in new_ids if i in standards.iso27001]
    parsed = control_id(cell)
    if parsed is None or parsed[0] not in standards.iso27001:
        return []  # blank, section ("A.5 Organizational controls") or note rows
    return [(parsed[0], parsed[1], "")]


def _add_entry(result: SoaImport, item: str, title_in_id_cell: str, note: str,
               record: list[str], header: Header, row: int, standards: Standards,
               lookup: DocumentLookup) -> None:
    references = header.cell(record, "references")
    found = lookup.references(references, cell=True, named=True) \
        if references.strip().lower() not in _EMPTY_REFERENCE else []
    doc_ids = tuple(dict.fromkeys(r.doc_id for r in found if r.doc_id))
    files = tuple(dict.fromkeys(r.file for r in found if r.file))
    missing = tuple(dict.fromkeys(r.name for r in found if not r.doc_id and not r.file))
    result.not_supplied += [(name, item, row) for name in missing]
    unresolved = missing
    if references.strip().lower() not in _EMPTY_REFERENCE and not found:
        unresolved = (references.strip(),)  # names nothing aimsdocs can find
    result.entries[item] = SoaEntry(
        control_id=item,
        title=header.cell(record, "title") or title_in_id_cell
        or standards.iso27001[item].title,
        applicable=parse_applicable(header.cell(record, "applicable")),
        justification=header.cell(record, "justification"),
        status=header.cell(record, "status"),
        description=header.cell(record, "description"),
        references=tuple(split_references(references)),
        doc_ids=doc_ids,
        row=row,
        unresolved=unresolved,
        note=note,
        files=files,
    )


def _fold_overflow(record: list[str], header: Header, row: int, result: SoaImport,
                   sheet: str) -> list[str]:
    """A row with cells beyond the header: join the surplus into the free-text column.

    'Email DLP in place, endpoint DLP planned' unquoted in a CSV becomes two cells and pushes
    the reference one column right; joining from the description column onward restores it.
    """
    last = max((i for i, cell in enumerate(record) if cell.strip()), default=-1)
    surplus = last + 1 - header.width
    if surplus <= 0:
        return record
    column = next((header.columns[n] for n in OVERFLOW_INTO if n in header.columns), None)
    if column is None:
        return record
    merged = ", ".join(c.strip() for c in record[column:column + surplus + 1] if c.strip())
    folded = record[:column] + [merged] + record[column + surplus + 1:]
    result.warnings.append(f"{result.path.name} ({sheet}) row {row}: {surplus} cell(s) more "
                           f"than the header; joined into column {column + 1}")
    return folded
