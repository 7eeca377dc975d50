"""Worksheet cells written straight to XML, in the bytes openpyxl would write.

openpyxl keeps every cell as an object and writes each through lxml's incremental writer,
about 25 µs a cell: the registers of 1,000 AI systems hold 358,000 cells. So the data rows
of a table (`write_block`) are kept here as plain values, each with one of a handful of
shared styles, and a sheet's whole `<sheetData>` is written as one string. openpyxl still
writes everything around it (styles, validations, filters, print set-up, hyperlinks) and
any cell set on the worksheet itself, such as a header or a heat-map count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

BLOCKS_ATTRIBUTE = "_aimsdocs_blocks"


class Formula(str):
    """A cell formula (starting with '='), as opposed to text that only looks like one."""


@dataclass
class Block:
    """Data rows of a table: `rows[i][j]` sits in row `top + i`, column `left + j`."""

    top: int
    left: int
    rows: list[list[Any]] = field(default_factory=list)  # str, Link, Formula, number, date, None
    styles: list[list[int]] = field(default_factory=list)  # index into `looks`, per cell
    looks: list[Any] = field(default_factory=list)  # openpyxl StyleArrays
    # row heights in points, as fit_heights sets them (a RowDimension per row costs more
    # than writing the row); None: the height Excel works out
    heights: list[float | None] = field(default_factory=list)


def blocks(ws: Worksheet) -> list[Block]:
    found = getattr(ws, BLOCKS_ATTRIBUTE, None)
    if found is None:
        found = []
        setattr(ws, BLOCKS_ATTRIBUTE, found)
    return found


def set_formula(ws: Worksheet, row: int, column: int, formula: str) -> None:
    """Replace a table cell's value (and link, if any) by a formula; it keeps its style."""
    set_formulas(ws, column, {row: formula})


def set_formulas(ws: Worksheet, column: int, formulas: dict[int, str]) -> None:
    """`set_formula` for many rows of one column: each row's table is looked up only when the
    row leaves the table found last (a print sheet sets a formula in every cell)."""
    block: Block | None = None
    for row, formula in formulas.items():
        if block is None or not block.top <= row < block.top + len(block.rows):
            block = _block_at(ws, row)
        if block is None or not 0 <= column - block.left < len(block.rows[row - block.top]):
            raise ValueError(f"row {row}, column {column} of {ws.title!r} is not in a table")
        block.rows[row - block.top][column - block.left] = Formula(formula)


def row_values(ws: Worksheet, first: int, last: int) -> dict[int, list[tuple[int, Any]]]:
    """(column, value) of every cell in rows `first`..`last`, table cells included."""
    found: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for (row, column), cell in ws._cells.items():
        if first <= row <= last:
            found[row].append((column, cell.value))
    for block in blocks(ws):
        for index, values in enumerate(block.rows, start=block.top):
            if first <= index <= last:
                found[index].extend(enumerate(values, start=block.left))
    return found


def set_height(ws: Worksheet, row: int, height: float) -> None:
    """A row's height; a table row keeps it in its block unless the sheet already has one."""
    block = None if row in ws.row_dimensions else _block_at(ws, row)
    if block is None:
        ws.row_dimensions[row].height = height
        return
    if not block.heights:
        block.heights = [None] * len(block.rows)
    block.heights[row - block.top] = float(height)


def _block_at(ws: Worksheet, row: int) -> Block | None:
    """The table whose data rows include `row`."""
    return next((b for b in blocks(ws) if b.top <= row < b.top + len(b.rows)), None)


def dimension(ws: Worksheet) -> str:
    """The sheet's used range, table cells included (openpyxl's counts its own cells only)."""
    from openpyxl.utils import get_column_letter

    rows = {row for row, _ in ws._cells}
    columns = {column for _, column in ws._cells}
    for block in blocks(ws):
        if block.rows:
            rows.update((block.top, block.top + len(block.rows) - 1))
            columns.update((block.left, block.left + max(map(len, block.rows)) - 1))
    if not rows or not columns:
        return "A1:A1"
    return (f"{get_column_letter(min(columns))}{min(rows)}:"
            f"{get_column_letter(max(columns))}{max(rows)}")


def _text(value: str) -> str:
    # as lxml escapes text; non-ASCII becomes a character reference when the whole is encoded
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _string_cell(head: str, value: str) -> str:
    if value == "":
        return f'{head} t="inlineStr"></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'{head} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'


def _value_cell(head: str, value: Any, kind: str, epoch: Any) -> str:
    """A cell of openpyxl data type `kind`, written as openpyxl's lxml cell writer does."""
    if kind == "s":
        if not isinstance(value, str):
            raise TypeError(f"rich text is not supported in a cell: {value!r}")
        return _string_cell(head, value)
    if kind == "f":
        if not isinstance(value, str):
            raise TypeError(f"array and table formulas are not supported: {value!r}")
        return f"{head}><f>{_text(value[1:])}</f><v></v></c>"
    if kind == "d":
        from openpyxl.utils.datetime import to_excel

        kind, value = "n", to_excel(value, epoch)
    if value is None or value == "":
        return f'{head} t="{kind}"></c>'
    return f'{head} t="{kind}"><v>{_text(_number_text(value))}</v></c>'


def _number_text(value: Any) -> str:
    from openpyxl.compat import safe_string

    return safe_string(value)


def _block_cell(ref: str, head: str, value: Any, hyperlinks: list, epoch: Any) -> str:
    """A table cell (see `sheet_data`); `head` is its opening tag, unclosed."""
    from aimsdocs.writers.xlsx_common import Link

    if type(value) is str:
        return _string_cell(head, value)
    if value is None:
        return f'{head} t="n"></c>'
    if isinstance(value, Formula):
        return _value_cell(head, value, "f", epoch)
    if isinstance(value, Link):
        from openpyxl.worksheet.hyperlink import Hyperlink

        hyperlinks.append(Hyperlink(ref=ref, target=value.target))
        return _string_cell(head, value.text)
    return _value_cell(head, value, "d" if isinstance(value, date) else "n", epoch)


def _sheet_cell(cell: Any, hyperlinks: list) -> str | None:
    """A cell set on the worksheet itself; None where openpyxl writes nothing."""
    if cell._comment is not None:
        raise TypeError("cell comments are not supported")
    styled = cell.has_style
    if cell._value is None and not styled:
        return None
    if cell.hyperlink:
        hyperlinks.append(cell.hyperlink)
    style = f' s="{cell.style_id}"' if styled else ""
    head = f'<c r="{cell.coordinate}"{style}'
    return _value_cell(head, cell._value, cell.data_type, cell.parent.parent.epoch)


def sheet_data(ws: Worksheet, hyperlinks: list) -> bytes:
    """The `<sheetData>` element of `ws`, rows and cells in order. Style ids are taken in
    that order too, so the workbook's style table is the same as openpyxl would write."""
    from openpyxl.utils import get_column_letter

    if ws.parent.iso_dates:
        raise TypeError("ISO dates in cells are not supported")
    epoch = ws.parent.epoch
    sheet_cells: dict[int, list[tuple[int, Any]]] = defaultdict(list)
    for (row, column), cell in sorted(ws._cells.items()):
        sheet_cells[row].append((column, cell))
    table_rows: dict[int, tuple[Block, int]] = {}
    for block in blocks(ws):
        for index in range(len(block.rows)):
            table_rows[block.top + index] = (block, index)
    dims = ws.row_dimensions
    letters = [get_column_letter(i) for i in range(1, 1 + max(
        [c for _, c in ws._cells] + [b.left + len(r) for b in blocks(ws) for r in b.rows]
        or [1]))]
    style_ids = ws.parent._cell_styles
    marks: dict[int, list[str | None]] = {}  # per block: each look's s attribute, once known
    parts = ["<sheetData>"]
    for row in sorted(sheet_cells.keys() | table_rows.keys() | dims.keys()):
        if row in dims or row not in table_rows:
            attributes = "".join(f' {key}="{value}"' for key, value in dims.get(row, {}))
        else:
            block, index = table_rows[row]
            height = block.heights[index] if block.heights else None
            attributes = f' ht="{height:.16g}" customHeight="1"' if height is not None else ""
        parts.append(f'<row r="{row}"{attributes}>')
        cells = [xml for xml in (_sheet_cell(cell, hyperlinks)
                                 for _, cell in sheet_cells.get(row, ())) if xml is not None]
        if row in table_rows:
            if cells:
                raise ValueError(f"row {row} of {ws.title!r} holds a table row and other "
                                 "cells; set table cells with set_formula")
            block, index = table_rows[row]
            known = marks.setdefault(id(block), [None] * len(block.looks))
            values = block.rows[index]
            for letter, value, look in zip(letters[block.left - 1:block.left - 1 + len(values)],
                                           values, block.styles[index], strict=True):
                mark = known[look]
                if mark is None:
                    # taken on first use, so style ids are numbered in cell order, as
                    # openpyxl numbers them
                    array = block.looks[look]
                    mark = known[look] = f' s="{style_ids.add(array)}"' if any(array) else ""
                cells.append(_block_cell(f"{letter}{row}", f'<c r="{letter}{row}"{mark}', value,
                                         hyperlinks, epoch))
        parts.extend(cells)
        parts.append("</row>")
    parts.append("</sheetData>")
    return "".join(parts).encode("ascii", "xmlcharrefreplace")


def workbook_writer(workbook: Any, archive: Any) -> Any:
    """openpyxl's package writer, with each sheet's cells written by `sheet_data`."""
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class SheetWriter(WorksheetWriter):
        def write_dimensions(self) -> None:
            from openpyxl.worksheet.dimensions import SheetDimension

            self.xf.send(SheetDimension(dimension(self.ws)).to_tree())

        def write_rows(self) -> None:
            # an empty sheetData, replaced below: lxml's writer cannot take ready-made XML
            self.cells = sheet_data(self.ws, self.ws._hyperlinks)
            xf = self.xf.send(True)
            with xf.element("sheetData"):
                pass
            self.xf.send(None)

        def xml(self) -> bytes:
            return self.read().replace(b"<sheetData></sheetData>", self.cells, 1)

    class PackageWriter(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = SheetWriter(ws, out=BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.xml())
            self.manifest.append(ws)

    return PackageWriter(workbook, archive)

