"""Read a user's table (.csv or .xlsx) as rows of plain strings: one reader for every table.

CSV exports from European Excel use ';', so the delimiter is taken from the first line.
Workbooks are opened read-only with values, not formulas, after the zip has been checked.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.support.safezip import open_office_file
from aimsdocs.support.yamlio import read_text

TABLE_SUFFIXES = (".csv", ".xlsx")
Rows = list[list[str]]


def read_tables(path: Path) -> dict[str, Rows]:
    """{sheet name: rows} for a workbook; a CSV is one sheet named after the file."""
    if Path(path).suffix.lower() == ".xlsx":
        return read_workbook(path)
    return {Path(path).name: read_csv(path)}


def read_csv(path: Path) -> Rows:
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [[cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_workbook(path: Path) -> dict[str, Rows]:
    """All sheets of a workbook as {sheet title: rows of cell strings} (values, not formulas)."""
    import openpyxl

    checked = open_office_file(path, "xlsx")
    try:
        workbook = openpyxl.load_workbook(checked, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for damaged files
        raise InputError(f"cannot read workbook ({type(exc).__name__}: {exc})", file=path,
                         hint="open it in Excel or LibreOffice and save it again as .xlsx"
                         ) from None
    try:
        return {sheet.title: _sheet_rows(sheet, path) for sheet in workbook.worksheets}
    finally:
        workbook.close()


def _sheet_rows(sheet, path: Path) -> Rows:
    """Cell strings of one sheet; a cell whose stored type contradicts its value is named."""
    rows: Rows = []
    try:
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        # openpyxl converts while it reads: "Yes" stored in a cell typed as a number fails.
        raise InputError(f"sheet '{sheet.title}', row {len(rows) + 1}: a cell's stored type "
                         f"does not match its content ({exc})", file=path,
                         hint="in Excel or LibreOffice, set that row's cells to the right type "
                              "(e.g. Text), or retype the value, and save again") from None
    return rows


def read_rows(path: Path, prefer_sheet: str | None = None) -> Rows:
    """Rows of one table: the preferred sheet if present, otherwise the first sheet."""
    sheets = read_tables(path)
    if not sheets:
        raise InputError("workbook has no sheets", file=path)
    if prefer_sheet:
        for title, rows in sheets.items():
            if title.strip().lower() == prefer_sheet.lower():
                return rows
    return next(iter(sheets.values()))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()
