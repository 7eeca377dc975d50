"""Shared workbook craft: every sheet aimsdocs writes looks and behaves the same way.

A table sheet has a styled header row, frozen panes below it, an auto-filter over the data,
widths fitted to the content, wrapped text, drop-down lists where a column has fixed choices,
status colours, and A4 landscape print set-up that repeats the header on every page.

Wide tables also get a print sheet: at most twelve chosen columns, landscape, one page wide,
the header row repeated on every page, so the printout stays legible. openpyxl is imported
only when a workbook is really written: describing a workbook (to fingerprint it) is cheap.

User-supplied text is never a formula: `put` stores every string as a literal string cell and
marks risky ones (leading =, +, -, @, tab or CR) with Excel's quote prefix, so neither opening
nor editing the cell evaluates it. Saving fixes every timestamp, so the same input gives the
same bytes.
"""

from __future__ import annotations

import functools
import io
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from zipfile import ZIP_STORED, ZipFile

from aimsdocs.writers.xlsx_cells import (
    Block,
    Formula,
    blocks,
    row_values,
    set_formulas,
    set_height,
    workbook_writer,
)
from aimsdocs.writers.ziputil import normalise_zip

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    from aimsdocs.render.document import Brand

ACCENT = "1F4E79"
DATE_FORMAT = "yyyy-mm-dd"  # ISO dates read the same in every locale
MIN_WIDTH, MAX_WIDTH = 8, 60
LINE_HEIGHT = 15  # points per line of 11-point Calibri
CHARS_PER_WIDTH = 1.1  # text characters per width unit (the width of a "0"), a little cautious
SPARE_ROWS = 200  # drop-downs and status colours also cover rows a user adds below the table
YES_NO = ("Yes", "No")

# Light fill + dark text, as Excel's own highlight presets: red, amber, yellow, green.
STATUS_COLOURS = {
    "Not started": ("FFC7CE", "9C0006"),
    "Planned": ("F8CBAD", "833C0B"),
    "Partially implemented": ("FFEB9C", "9C5700"),
    "Implemented": ("C6EFCE", "006100"),
}

_RISKY_START = re.compile(r"^[\s]*[=+\-@]|^[\t\r]")
# What XML 1.0 forbids in a worksheet (openpyxl's ILLEGAL_CHARACTERS_RE, without importing it)
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
FONT_NAME = "Calibri"  # named explicitly: a nameless font falls back to a serif in LibreOffice
PRINT_WIDTH = 125  # column width units that print legibly across an A4 landscape page
ACCENT_ATTRIBUTE = "_aimsdocs_accent"


@functools.cache
def _look() -> Any:
    """Shared cell styles, built on first use (so importing this module skips openpyxl)."""
    from types import SimpleNamespace

    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin", color="BFBFBF")
    return SimpleNamespace(grid=Border(left=thin, right=thin, top=thin, bottom=thin),
                           wrap_top=Alignment(wrap_text=True, vertical="top"),
                           link=font(color="0563C1", underline="single"))


def font(**style) -> Font:
    """Workbook font, 11 pt unless `size` says otherwise."""
    from openpyxl.styles import Font

    style.setdefault("size", 11)
    return Font(name=FONT_NAME, **style)


class Link(NamedTuple):
    """A cell showing `text` that opens `target` (a path relative to the workbook, or a URL)."""

    text: str
    target: str


Value = str | int | float | date | Link | None


@dataclass(frozen=True)
class Column:
    """One column of a table sheet."""

    header: str
    width: int | None = None  # None: fit to header and content, capped at MAX_WIDTH
    choices: tuple[str, ...] = ()  # drop-down list of allowed values
    colours: Mapping[str, tuple[str, str]] | None = None  # value -> (fill, text), e.g. statuses
    number_format: str | None = None


# Cell values ----------------------------------------------------------------------------------

def safe_text(value: object) -> str:
    """Text a worksheet can hold: characters XML forbids removed, at most 32,767 characters."""
    return _ILLEGAL.sub("", str(value))[:32767]


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (CSV/formula injection)."""
    return bool(_RISKY_START.match(text))


def put(cell: Cell, value: Value) -> None:
    """Write one value: strings always as literal text, dates formatted, links clickable."""
    if isinstance(value, Link):
        put(cell, value.text)
        cell.hyperlink = value.target
        cell.font = _look().link
        return
    if isinstance(value, str):
        text = safe_text(value)
        cell.value = text
        # openpyxl turns "=..." into a formula and "#N/A" into an error; force a string.
        cell.data_type = "s"
        if is_risky(text):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
        return
    if isinstance(value, bool):
        put(cell, "Yes" if value else "No")
        return
    cell.value = value
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA: openpyxl's get_column_letter, without importing openpyxl."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def joined(items: Iterable[object], sep: str = "; ") -> str:
    return sep.join(str(i) for i in items if i not in (None, ""))


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


# Sheets ---------------------------------------------------------------------------------------

def load_openpyxl() -> None:
    """Import openpyxl, without numpy where nothing imported numpy yet: openpyxl imports it
    (a tenth of a second or more) only to accept numpy numbers in cells, and aimsdocs writes
    none. Every workbook writer starts with `new_workbook`, which calls this first."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` fails: no numpy
    try:
        import openpyxl  # noqa: F401
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]  # anyone else may import numpy as usual


def new_workbook(brand: Brand | None = None) -> Workbook:
    """An empty workbook (openpyxl's default sheet removed), in the brand's accent colour."""
    load_openpyxl()
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    accent = getattr(brand, "accent_colour", None)
    setattr(workbook, ACCENT_ATTRIBUTE, (accent or ACCENT).lstrip("#").upper())
    return workbook


def _accent(ws: Worksheet) -> str:
    return getattr(ws.parent, ACCENT_ATTRIBUTE, ACCENT)


def style_header(cell: Cell, accent: str | None = None) -> None:
    from openpyxl.styles import Alignment, PatternFill

    accent = accent or _accent(cell.parent)
    cell.font = font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", start_color=accent, end_color=accent)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    cell.border = _look().grid


def write_block(ws: Worksheet, top: int, columns: Sequence[Column], rows: Sequence[Sequence[Value]],
                accent: str | None = None, left: int = 1) -> int:
    """A header row and data rows at `top`; returns the first free row below them.

    The data rows are kept as values (see `xlsx_cells`), not as openpyxl cells. Their cells
    share a handful of styles, each worked out once on a scratch cell, in the order the cells
    first need it, so the workbook's style table is the same as styling each cell."""
    from openpyxl.cell.cell import Cell

    look = _look()
    for offset, column in enumerate(columns):
        cell = ws.cell(top, left + offset)
        put(cell, column.header)
        style_header(cell, accent)
    block = Block(top + 1, left)
    known: dict[tuple, int] = {}
    for row in rows:
        values: list[Value | Formula] = []
        styles: list[int] = []
        for offset, (column, value) in enumerate(zip(columns, row, strict=True)):
            stored, kind = _stored(value)
            index = known.get((offset, kind))
            if index is None:
                scratch = Cell(ws, row=1, column=1)
                put(scratch, value)
                scratch.alignment = look.wrap_top
                scratch.border = look.grid
                if column.number_format:
                    scratch.number_format = column.number_format
                index = known[(offset, kind)] = len(block.looks)
                block.looks.append(scratch._style)
            values.append(stored)
            styles.append(index)
        block.rows.append(values)
        block.styles.append(styles)
    blocks(ws).append(block)
    return top + 1 + len(rows)


def _stored(value: Value) -> tuple[Value, Any]:
    """A value as a table cell keeps it, and what of it decides the cell's style."""
    if type(value) is str:
        text = safe_text(value)
        return text, is_risky(text)
    if value is None or type(value) in (int, float):
        return value, False
    if isinstance(value, Link):
        text = safe_text(value.text)
        return Link(text, value.target), ("link", is_risky(text))
    if isinstance(value, bool):
        return yes_no(value), False
    if isinstance(value, date):
        return value, type(value)
    if isinstance(value, str):  # a str subclass: its text
        return _stored(str(value))
    if isinstance(value, (int, float)):
        return value, False
    raise TypeError(f"a workbook cell cannot hold {type(value).__name__} {value!r}")


def fit_widths(ws: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[Value]],
               left: int = 1) -> None:
    """Width per column from its header's longest word and its longest content line, capped."""
    from openpyxl.utils import get_column_letter

    for offset, column in enumerate(columns):
        letter = get_column_letter(left + offset)
        if column.width is not None:
            ws.column_dimensions[letter].width = column.width
            continue
        header = max((len(w) for w in column.header.split()), default=0)
        content = max((_display_length(row[offset]) for row in rows), default=0)
        ws.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH,
                                                               max(header, content) + 2))


def fit_heights(ws: Worksheet, first_row: int, last_row: int) -> None:
    """Row heights for wrapped text, estimated from column widths.

    Neither Excel nor LibreOffice reliably grows rows of a generated file when it opens it, so
    without this a long justification shows as one clipped line.
    """
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    counted: dict[tuple[str, int], int] = {}  # (text, width) -> lines: table values repeat
    values = row_values(ws, first_row, last_row)
    for row in range(first_row, last_row + 1):
        lines = 1
        for column, value in values.get(row, ()):
            if value is None or isinstance(value, (int, float, date)):
                continue
            if column not in widths:
                width = ws.column_dimensions[get_column_letter(column)].width or MIN_WIDTH
                widths[column] = int(width * CHARS_PER_WIDTH)
            text = value.text if isinstance(value, Link) else str(value)
            key = (text, widths[column])
            if key not in counted:
                counted[key] = sum(_wrapped_lines(part, widths[column])
                                   for part in text.split("\n"))
            lines = max(lines, counted[key])
        set_height(ws, row, min(409, LINE_HEIGHT * lines + 3))


def _wrapped_lines(text: str, width: int) -> int:
    """Lines a word-wrapping cell `width` characters wide needs for `text`."""
    width = max(width, 1)
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, 0
        used += (1 if used else 0) + len(word)
        while used > width:  # a word longer than the column breaks across lines
            lines, used = lines + 1, used - width
    return lines


def _display_length(value: Value) -> int:
    if isinstance(value, Link):
        value = value.text
    if isinstance(value, date):
        return 10
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


@dataclass(frozen=True)
class PrintColumn:
    """A column of a print sheet: the first non-empty of `sources` (columns of the table)."""

    header: str
    sources: tuple[str, ...]
    width: int  # relative width; the print sheet is scaled to PRINT_WIDTH in total


@dataclass(frozen=True)
class PrintView:
    """A legible printout of a wide table: a sheet with at most twelve chosen columns."""

    sheet: str
    columns: tuple[PrintColumn, ...]
    # Cells are formulas reading the table's own cells, so a re-rating in the table (live
    # scores and decisions) shows on the printout too.
    linked: bool = False


def add_table(wb: Workbook, title: str, columns: Sequence[Column],
              rows: Sequence[Sequence[Value]], *, accent: str | None = None, freeze: str = "A2",
              heading: str = "", print_view: PrintView | None = None) -> Worksheet:
    """A sheet holding one table: header in row 1, frozen, filtered, validated, printable.

    With `print_view`, a second sheet holds the chosen columns laid out for paper."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    last_row = write_block(ws, 1, columns, rows, accent) - 1
    last_col = get_column_letter(len(columns))
    fit_widths(ws, columns, rows)
    fit_heights(ws, 1, last_row)
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{last_col}{max(last_row, 2)}"
    reach = last_row + SPARE_ROWS
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.choices:
            add_choices(ws, f"{letter}2:{letter}{reach}", column.choices)
        if column.colours:
            add_value_colours(ws, f"{letter}2:{letter}{reach}", column.colours)
    set_print(ws, heading or title)
    if print_view is not None:
        add_print_sheet(wb, print_view, columns, rows, heading or title, accent, source=title)
    return ws


def add_print_sheet(wb: Workbook, view: PrintView, columns: Sequence[Column],
                    rows: Sequence[Sequence[Value]], heading: str,
                    accent: str | None = None, source: str = "") -> Worksheet:
    """The print sheet of a table: chosen columns, widths scaled to one landscape page."""
    from openpyxl.utils import get_column_letter

    if len(view.columns) > 12:
        raise ValueError(f"a print sheet holds at most 12 columns, not {len(view.columns)}")
    position = {column.header: index for index, column in enumerate(columns)}
    picked = []
    for row in rows:
        values = []
        for column in view.columns:
            found = [row[position[name]] for name in column.sources if name in position]
            values.append(next((v for v in found if v not in (None, "")), ""))
        picked.append(values)
    total = sum(column.width for column in view.columns)
    scale = min(1.0, PRINT_WIDTH / total) if total else 1.0
    print_columns = [Column(c.header, width=max(6, round(c.width * scale)))
                     for c in view.columns]
    ws = wb.create_sheet(view.sheet)
    last_row = write_block(ws, 1, print_columns, picked, accent) - 1
    fit_widths(ws, print_columns, picked)
    fit_heights(ws, 1, last_row)
    if view.linked and source:
        quoted = "'" + source.replace("'", "''") + "'"
        for offset, column in enumerate(view.columns, start=1):
            if column.sources[0] not in position:
                continue
            letter = get_column_letter(position[column.sources[0]] + 1)
            refs = {number: f"{quoted}!{letter}{number}" for number in range(2, last_row + 1)}
            set_formulas(ws, offset, {number: f'=IF({ref}="","",{ref})'
                                      for number, ref in refs.items()})
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(print_columns))}{max(last_row, 2)}"
    set_print(ws, heading)
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    return ws


def add_choices(ws: Worksheet, cell_range: str, choices: Sequence[str]) -> None:
    """A drop-down list that rejects anything else (blank allowed)."""
    listed = ",".join(choices)
    from openpyxl.worksheet.datavalidation import DataValidation

    if len(listed) > 255 or any("," in c for c in choices):
        raise ValueError(f"an inline drop-down list holds 255 characters, no commas: {choices}")
    validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                                showErrorMessage=True, errorTitle="Not in the list",
                                error=f"Choose one of: {', '.join(choices)}")
    ws.add_data_validation(validation)
    validation.add(cell_range)


def add_value_colours(ws: Worksheet, cell_range: str,
                      colours: Mapping[str, tuple[str, str]]) -> None:
    """Conditional formats colouring each listed value (so a user's edit recolours the cell)."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    for value, (fill, text) in colours.items():
        ws.conditional_formatting.add(cell_range, CellIsRule(
            operator="equal", formula=[f'"{value}"'],
            fill=PatternFill("solid", start_color=fill, end_color=fill),
            font=Font(color=text)))  # colour only: keeps the cell's own font


def set_print(ws: Worksheet, heading: str, title_rows: str | None = "1:1") -> None:
    """A4 landscape, one page wide, header row on every page, title and page number."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.left.text = _header_footer_text(heading)
    ws.oddFooter.right.text = "Page &P of &N"


def _header_footer_text(text: str) -> str:
    # "&" starts a field code in headers and footers ("&P"); a literal one is written "&&".
    return safe_text(text)[:120].replace("&", "&&")


# Workbook -------------------------------------------------------------------------------------

def set_properties(wb: Workbook, *, title: str, subject: str, creator: str,
                   keywords: Sequence[str], when: date) -> None:
    """Document properties, dated `when` (midnight), never the clock."""
    from openpyxl.packaging.core import DocumentProperties

    stamp = datetime(when.year, when.month, when.day)
    wb.properties = DocumentProperties(
        title=safe_text(title), subject=safe_text(subject), creator=safe_text(creator),
        lastModifiedBy=safe_text(creator), keywords=safe_text(", ".join(keywords)),
        created=stamp, modified=stamp)


def save_workbook(wb: Workbook, when: date) -> bytes:
    """The workbook as bytes, identical for identical content.

    openpyxl's own `save_workbook` stamps `modified` with the clock, so the writer is driven
    directly; `normalise_zip` then fixes the zip entries' timestamps and order.
    """
    stamp = datetime(when.year, when.month, when.day)
    wb.properties.created = wb.properties.modified = stamp  # openpyxl defaults both to now
    buffer = io.BytesIO()
    # stored, not compressed: normalise_zip compresses every entry once, as it rewrites them
    with ZipFile(buffer, "w", ZIP_STORED) as archive:
        workbook_writer(wb, archive).write_data()
    return normalise_zip(buffer.getvalue(), stamp)
