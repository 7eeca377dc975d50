"""Export the crosswalk as an editable table (.xlsx) or a readable one (.md).

The workbook's columns are the ones `standards.loader` reads back, so a consultant can export,
adjust a relationship, add or `remove` a row, and pass the file to `--mappings`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from aimsdocs.errors import InputError
from aimsdocs.standards import RELATIONSHIPS, STANDARD_NAMES, Link, Standards
from aimsdocs.standards.crosswalk import RATIONALES, REMOVE, TARGET_STANDARDS
from aimsdocs.writers.xlsx_common import (
    Column,
    add_table,
    new_workbook,
    save_workbook,
    set_properties,
)

# Headers the loader recognises (TABLE_COLUMNS); the two title columns are for people and are
# ignored on reading.
CROSSWALK_COLUMNS = (
    Column("42001 id", width=10),
    Column("42001 title", width=36),
    Column("other standard", width=12, choices=TARGET_STANDARDS),
    Column("other id", width=10),
    Column("other title", width=36),
    Column("relationship", width=17, choices=RELATIONSHIPS + (REMOVE,)),
    Column("rationale", width=12, choices=RATIONALES),
    Column("strength", width=10),
    Column("note", width=60),
    Column("subject specific", width=10, choices=("yes", "no")),
)
EXPORT_DATE = date(2023, 12, 18)  # the publication date of ISO/IEC 42001: stable across runs


def crosswalk_rows(standards: Standards,
                   keep: Callable[[Link], bool] = lambda link: True) -> list[list]:
    """One row per link, in ISO/IEC 42001 document order, then standard and target."""
    order = {std: {item_id: index for index, item_id in enumerate(standards.catalogue(std).entries)}
             for std in ("iso42001", *TARGET_STANDARDS)}
    links = sorted((link for link in standards.crosswalk.links if keep(link)),
                   key=lambda link: (order["iso42001"].get(link.source, -1), link.target_standard,
                                     order[link.target_standard].get(link.target or "", -1)))
    return [[link.source, _title(standards, "iso42001", link.source), link.target_standard,
             link.target or "", _title(standards, link.target_standard, link.target),
             link.relationship, link.rationale, link.strength, link.note,
             "yes" if link.subject_specific else "no"]
            for link in links]


def _title(standards: Standards, standard: str, item_id: str | None) -> str:
    entry = standards.catalogue(standard).get(item_id) if item_id else None
    return entry.title if entry else ""


def write_crosswalk(standards: Standards, suffix: str) -> bytes:
    """The whole crosswalk as ".xlsx" (editable, loadable) or ".md" bytes."""
    rows = crosswalk_rows(standards)
    if suffix == ".xlsx":
        return _xlsx(rows)
    if suffix == ".md":
        return _markdown(rows).encode("utf-8")
    raise InputError(f"cannot export the crosswalk as '{suffix}'", hint="use .xlsx or .md")


def _xlsx(rows: list[list]) -> bytes:
    workbook = new_workbook()
    add_table(workbook, "Crosswalk", CROSSWALK_COLUMNS, rows,
              heading="ISO/IEC 42001 crosswalk to ISO/IEC 27001 and ISO 9001")
    set_properties(workbook, title="ISO/IEC 42001 crosswalk", creator="aimsdocs",
                   subject="Links from ISO/IEC 42001 to ISO/IEC 27001:2022 and ISO 9001:2015",
                   keywords=("ISO/IEC 42001", "crosswalk", "mapping"), when=EXPORT_DATE)
    return save_workbook(workbook, EXPORT_DATE)


def _markdown(rows: list[list]) -> str:
    lines = ["# ISO/IEC 42001 crosswalk", "",
             "Relationships are read from the ISO/IEC 42001 side (NIST IR 8477 vocabulary).", ""]
    current = None
    for (source, title, standard, target, target_title, relationship, rationale, strength, note,
         _subject_specific) in rows:
        if source != current:
            current = source
            lines += ["", f"## {md_cell(source)} {md_cell(title)}", "",
                      "| Standard | Id | Title | Relationship | Rationale | Strength | Note |",
                      "|---|---|---|---|---|---|---|"]
        lines.append("| " + " | ".join(md_cell(v) for v in (
            STANDARD_NAMES.get(standard, standard), target, target_title,
            relationship.replace("_", " "), rationale, strength, note)) + " |")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def md_cell(value: object) -> str:
    """Table-cell text: line breaks flattened; pipes, backslashes and HTML made literal."""
    text = " ".join(str(value).split()).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
