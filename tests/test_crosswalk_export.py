"""Crosswalk export: a table the loader reads back, so edits in Excel become a mapping layer."""

from __future__ import annotations

import io
from collections import Counter

import openpyxl
import pytest

from aimsdocs.errors import InputError
from aimsdocs.standards import load_standards
from aimsdocs.standards.loader import TABLE_COLUMNS
from aimsdocs.writers.crosswalk_export import write_crosswalk


@pytest.fixture(scope="module")
def standards():
    return load_standards()


def test_columns_are_the_ones_the_loader_reads(standards):
    ws = openpyxl.load_workbook(io.BytesIO(write_crosswalk(standards, ".xlsx")))["Crosswalk"]
    headers = [c.value for c in ws[1]]
    assert headers == ["42001 id", "42001 title", "other standard", "other id", "other title",
                       "relationship", "rationale", "strength", "note", "subject specific"]
    readable = {alias for aliases in TABLE_COLUMNS.values() for alias in aliases}
    assert set(headers) - readable == {"42001 title", "other title"}
    assert ws.max_row - 1 == len(standards.crosswalk)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:J{ws.max_row}"
    assert write_crosswalk(standards, ".xlsx") == write_crosswalk(standards, ".xlsx")


def test_round_trip_edit_add_and_remove(standards, tmp_path):
    workbook = openpyxl.load_workbook(io.BytesIO(write_crosswalk(standards, ".xlsx")))
    ws = workbook["Crosswalk"]
    rows = {(r[0].value, r[2].value, r[3].value): r for r in ws.iter_rows(min_row=2)}
    # Edit and remove links of items that keep another link to the same standard.
    per_item = Counter(key[:2] for key in rows if key[2])
    changed, removed = [key for key in rows if key[2] and per_item[key[:2]] > 1][:2]
    assert rows[changed][5].value != "equal"
    rows[changed][5].value = "equal"
    rows[removed][5].value = "remove"
    added = ("A.2.2", "iso27001", "A.5.37")
    assert added not in rows
    ws.append(["A.2.2", "", "iso27001", "A.5.37", "", "intersects_with", "functional", 3,
               "Operating procedures may carry AI policy rules."])
    path = tmp_path / "crosswalk.xlsx"
    workbook.save(path)

    edited = load_standards([path])
    links = {link.key: link for link in edited.crosswalk.links}
    assert links[changed].relationship == "equal"
    assert removed not in links
    assert links[added].strength == 3 and links[added].relationship == "intersects_with"
    assert len(edited.crosswalk) == len(standards.crosswalk)  # one removed, one added


def test_unchanged_export_loads_to_the_same_links(standards, tmp_path):
    path = tmp_path / "crosswalk.xlsx"
    path.write_bytes(write_crosswalk(standards, ".xlsx"))
    again = load_standards([path])

    def judged(loaded):
        return {(k.key, k.relationship, k.rationale, k.strength, k.note)
                for k in loaded.crosswalk.links}

    assert judged(again) == judged(standards)


def test_markdown_is_grouped_by_42001_item(standards):
    text = write_crosswalk(standards, ".md").decode()
    assert text.startswith("# ISO/IEC 42001 crosswalk")
    assert text.count("\n## A.2.2 AI policy\n") == 1
    assert "| ISO/IEC 27001:2022 | A.5.1 |" in text


def test_unknown_suffix_is_a_user_error(standards):
    with pytest.raises(InputError):
        write_crosswalk(standards, ".pdf")
