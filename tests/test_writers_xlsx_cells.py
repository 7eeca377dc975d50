"""Table cells written straight to XML give the bytes openpyxl's own cell writer gives.

The oracle is the way tables were written before `xlsx_cells`: one openpyxl cell per value,
styled cell by cell, saved by openpyxl's ExcelWriter. Both workbooks are normalised the same
way, so any difference in a cell, a style id, a row height or a hyperlink shows.
"""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimsdocs.writers import xlsx_common as xc
from aimsdocs.writers.xlsx_cells import set_formula
from aimsdocs.writers.ziputil import normalise_zip

WHEN = date(2026, 1, 5)


def _oracle_block(ws, top, columns, rows, accent=None, left=1) -> int:
    look = xc._look()
    for offset, column in enumerate(columns):
        cell = ws.cell(top, left + offset)
        xc.put(cell, column.header)
        xc.style_header(cell, accent)
    for r, row in enumerate(rows, start=top + 1):
        for offset, (column, value) in enumerate(zip(columns, row, strict=True)):
            cell = ws.cell(r, left + offset)
            xc.put(cell, value)
            cell.alignment = look.wrap_top
            cell.border = look.grid
            if column.number_format:
                cell.number_format = column.number_format
    return top + 1 + len(rows)


def _oracle_heights(ws, first_row, last_row) -> None:
    widths: dict[str, float] = {}
    for cells in ws.iter_rows(min_row=first_row, max_row=last_row):
        lines, row = 1, first_row
        for cell in cells:
            row = cell.row
            if cell.value is None or isinstance(cell.value, (int, float, date)):
                continue
            letter = cell.column_letter
            if letter not in widths:
                widths[letter] = ws.column_dimensions[letter].width or xc.MIN_WIDTH
            lines = max(lines, sum(xc._wrapped_lines(part, int(widths[letter] * xc.CHARS_PER_WIDTH))
                                   for part in str(cell.value).split("\n")))
        ws.row_dimensions[row].height = min(409, xc.LINE_HEIGHT * lines + 3)


def _oracle_save(wb) -> bytes:
    from openpyxl.writer.excel import ExcelWriter

    stamp = datetime(WHEN.year, WHEN.month, WHEN.day)
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return normalise_zip(buffer.getvalue(), stamp)


def _workbook(columns, rows, formulas, oracle: bool) -> bytes:
    wb = xc.new_workbook()
    ws = wb.create_sheet("Table")
    ws.cell(1, 1).value = "A title above the table"
    top = 3
    if oracle:
        last = _oracle_block(ws, top, columns, rows) - 1
    else:
        last = xc.write_block(ws, top, columns, rows) - 1
    xc.fit_widths(ws, columns, rows)
    (_oracle_heights if oracle else xc.fit_heights)(ws, top, last)
    for row, column, text in formulas:
        if row <= len(rows):
            if oracle:
                cell = ws.cell(top + row, column)
                cell.value = text
                cell.data_type = "f"
                cell.hyperlink = None  # a formula replaces a link's value and its target
            else:
                set_formula(ws, top + row, column, text)
    ws.cell(last + 2, 2).value = '=COUNTA(A1:A9)'  # a sheet cell below the table
    ws.cell(last + 2, 1).fill = copy.copy(ws.cell(top, 1).fill)
    second = wb.create_sheet("Second")
    (_oracle_block if oracle else xc.write_block)(second, 1, columns[:1], [r[:1] for r in rows])
    xc.set_properties(wb, title="t", subject="s", creator="c", keywords=("k",), when=WHEN)
    return _oracle_save(wb) if oracle else xc.save_workbook(wb, WHEN)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
VALUE = st.one_of(
    st.none(), TEXT, st.sampled_from(["", " lead", "trail ", "=1+1", "-x", "@a", "a&b<c>",
                                      "l1\nl2", "cr\r\nlf", "é × 😀", "#N/A", "\tx"]),
    st.integers(-10**18, 10**18), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.builds(xc.Link, TEXT, st.sampled_from(["a.docx", "https://example.org/x?a=1&b=2"])),
)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=120, deadline=None)
@given(width=st.integers(1, 4), data=st.data())
def test_table_cells_give_the_bytes_of_openpyxls_cell_writer(width, data):
    formats = [None, None, "0%", "#,##0"]
    columns = [xc.Column(f"Column {i}", number_format=formats[i]) for i in range(width)]
    rows = data.draw(st.lists(st.lists(VALUE, min_size=width, max_size=width), max_size=6))
    formulas = data.draw(st.lists(st.tuples(st.integers(1, 6), st.integers(1, width),
                                            st.sampled_from(['=A4*2', '=IF(A4="","",A4)'])),
                                  max_size=3))
    assert _workbook(columns, rows, formulas, oracle=False) == \
        _workbook(columns, rows, formulas, oracle=True)


def test_a_cell_set_on_the_sheet_inside_a_table_is_refused():
    wb = xc.new_workbook()
    ws = wb.create_sheet("T")
    xc.write_block(ws, 1, [xc.Column("A")], [["x"], ["y"]])
    ws.cell(2, 1).value = "set twice"
    with pytest.raises(ValueError, match="table row and other cells"):
        xc.save_workbook(wb, WHEN)


def test_a_formula_outside_every_table_is_refused():
    wb = xc.new_workbook()
    ws = wb.create_sheet("T")
    xc.write_block(ws, 1, [xc.Column("A")], [["x"]])
    with pytest.raises(ValueError, match="not in a table"):
        set_formula(ws, 5, 1, "=1")


def test_the_used_range_covers_the_table():
    wb = xc.new_workbook()
    ws = wb.create_sheet("T")
    xc.write_block(ws, 2, [xc.Column("A"), xc.Column("B")], [["x", 1]] * 40, left=2)
    with zipfile.ZipFile(io.BytesIO(xc.save_workbook(wb, WHEN))) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="B2:C42"/>' in sheet
