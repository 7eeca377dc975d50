"""Read rows from a user's spreadsheet (.xlsx), safely and as plain strings."""

from __future__ import annotations

from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.safezip import check_office_file


def read_workbook(path: Path) -> dict[str, list[list[str]]]:
    """All sheets of a workbook as {sheet title: rows of cell strings} (values, not formulas)."""
    import openpyxl

    check_office_file(path, "xlsx")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputError(f"cannot read workbook ({type(exc).__name__}: {exc})", file=path,
                         hint="open it in Excel or LibreOffice and save it again as .xlsx") from None
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            sheets[sheet.title] = [
                [_cell_text(value) for value in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        return sheets
    finally:
        workbook.close()


def read_sheet_rows(path: Path, prefer_sheet: str | None = None) -> list[list[str]]:
    """Rows of the preferred sheet if present, otherwise of the first sheet."""
    sheets = read_workbook(path)
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
