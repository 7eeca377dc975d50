"""Tables in ISMS files (CSV, XLSX, and tables inside documents): finding the header row by name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aimsdocs.support.tabular import TABLE_SUFFIXES, read_tables

HEADER_SEARCH_ROWS = 30  # real sheets put titles, logos and notes above the header


def header_key(cell: str) -> str:
    """'Implementation Status*' -> 'implementation status'; 'Applicable (Y/N)' -> 'applicable y/n'.
    """
    return " ".join(re.sub(r"[^\w/]+", " ", cell.lower()).split())


@dataclass(frozen=True)
class Header:
    row: int  # 0-based index of the header row
    columns: dict[str, int]  # field -> column index
    width: int  # columns up to the last named header cell

    def cell(self, record: list[str], name: str) -> str:
        index = self.columns.get(name)
        if index is None or index >= len(record):
            return ""
        return record[index].strip()


def find_header(rows: list[list[str]], aliases: dict[str, tuple[str, ...]],
                required: tuple[str, ...]) -> Header | None:
    """The first row (of the first ~30) whose cells name every required field."""
    for index, record in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = match_columns([header_key(c) for c in record], aliases)
        if all(name in columns for name in required):
            width = max((i + 1 for i, c in enumerate(record) if c.strip()), default=0)
            return Header(index, columns, width)
    return None


def match_columns(names: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map fields to columns: exact alias matches first, then headers that start with an alias.

    Two passes so 'Implementation Status' goes to status (exact) before 'implementation' can
    claim it as a description by prefix; each column is used once.
    """
    columns: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for name, options in aliases.items():
            if name in columns:
                continue
            for option in options:
                position = _position(names, option, exact, used)
                if position is not None:
                    columns[name] = position
                    used.add(position)
                    break
    return columns


def _position(names: list[str], option: str, exact: bool, used: set[int]) -> int | None:
    for position, name in enumerate(names):
        if position in used or not name:
            continue
        if name == option or (not exact and name.startswith(option + " ")):
            return position
    return None


__all__ = ["TABLE_SUFFIXES", "Header", "find_header", "header_key", "match_columns",
           "read_tables"]
