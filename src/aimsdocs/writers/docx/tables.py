"""Table layout: column widths from the content, and portrait or landscape.

Widths follow the automatic table layout of CSS: every column gets at least its widest word
(or id), so no word is ever broken; the rest of the line is shared out in proportion to how
much more each column would like. A table whose words cannot fit across a portrait page, or
that would be much shorter on landscape pages, goes to a landscape section.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from aimsdocs.writers.docx.measure import word_width, wrapped_lines
from aimsdocs.writers.docx.styles import TABLE_SIZE

CELL_PADDING = 2 * 108 + 60  # the cell margins of Table Grid, and a little air
LINE_HEIGHT = 12 * 20  # twips per line of 10-point table text
ROW_EXTRA = 6 * 20  # paragraph spacing and borders per row
SPACE = word_width(" ", TABLE_SIZE)
LANDSCAPE_GAIN = 0.8  # go landscape when that needs at most 80 % of the pages


@dataclass(frozen=True)
class CellText:
    """What layout needs to know of a cell: its lines of text, and whether they are bold."""

    lines: tuple[str, ...]
    bold: bool = False


@dataclass(frozen=True)
class Layout:
    widths: tuple[int, ...]  # twips per column
    landscape: bool


@functools.lru_cache(maxsize=1 << 16)
def _measure(line: str, bold: bool) -> tuple[int, int] | None:
    """(widest word, whole line) of a cell's line in table text, or None when it is empty.
    Remembered: registers repeat the same statuses, names and ids in thousands of cells."""
    words = [word_width(w, TABLE_SIZE, bold) for w in line.split()]
    if not words:
        return None
    return max(words), sum(words) + SPACE * (len(words) - 1)


@functools.lru_cache(maxsize=1 << 16)
def _line_count(line: str, width: int, bold: bool) -> int:
    return wrapped_lines(line, width, TABLE_SIZE, bold)


def _column_needs(rows: list[list[CellText]], cols: int) -> tuple[list[int], list[int]]:
    minimums = [CELL_PADDING + 200] * cols
    preferred = [CELL_PADDING + 200] * cols
    for row in rows:
        for index, cell in enumerate(row[:cols]):
            for line in cell.lines:
                measured = _measure(line, cell.bold)
                if measured is None:
                    continue
                longest = CELL_PADDING + measured[0]
                if longest > minimums[index]:
                    minimums[index] = longest
                wide = CELL_PADDING + measured[1]
                if wide > preferred[index]:
                    preferred[index] = wide
    return minimums, preferred


def fit(minimums: list[int], preferred: list[int], width: int) -> tuple[int, ...] | None:
    """Widths filling `width`, each at least its minimum; None when the minimums do not fit."""
    floor = sum(minimums)
    if floor > width:
        return None
    wanted = sum(preferred)
    if wanted <= width:  # everything fits on one line: share the spare room by size
        widths = [p + (width - wanted) * p // wanted for p in preferred]
    else:
        slack = [p - m for p, m in zip(preferred, minimums, strict=True)]
        total = sum(slack) or 1
        widths = [m + (width - floor) * s // total for m, s in zip(minimums, slack, strict=True)]
    widths[-1] += width - sum(widths)  # rounding
    return tuple(widths)


def _height(rows: list[list[CellText]], widths: tuple[int, ...]) -> int:
    total = 0
    for row in rows:
        lines = max((sum(_line_count(line, w - CELL_PADDING, cell.bold)
                         for line in cell.lines or ("",))
                     for cell, w in zip(row, widths, strict=False)), default=1)
        total += lines * LINE_HEIGHT + ROW_EXTRA
    return total


def layout(rows: list[list[CellText]], cols: int, portrait: tuple[int, int],
           landscape: tuple[int, int] | None) -> Layout:
    """Widths and orientation; `portrait`/`landscape` are (text width, text height) in twips,
    `landscape` None where a section break is not wanted (e.g. inside a list)."""
    minimums, preferred = _column_needs(rows, cols)
    upright = fit(minimums, preferred, portrait[0])
    if landscape is not None:
        wide = fit(minimums, preferred, landscape[0])
        if upright is None:
            return Layout(wide or _squeezed(minimums, landscape[0]), True)
        if wide is not None:
            tall = _height(rows, upright)
            if tall > portrait[1] and (_height(rows, wide) / landscape[1]
                                       <= LANDSCAPE_GAIN * tall / portrait[1]):
                return Layout(wide, True)
    return Layout(upright or _squeezed(minimums, portrait[0]), False)


def _squeezed(minimums: list[int], width: int) -> tuple[int, ...]:
    """Too many wide words for any page: shrink in proportion (words will break)."""
    floor = sum(minimums)
    widths = [m * width // floor for m in minimums]
    widths[-1] += width - sum(widths)
    return tuple(widths)
