"""Reference detection in running text: what counts as a 27001/9001 reference, and what not."""

from __future__ import annotations

import pytest

from aimsdocs.isms.references import find_references
from aimsdocs.standards import load_standards


def refs(text: str) -> list[tuple[str, str]]:
    return [(r.standard, r.item_id) for r in find_references(text, load_standards())]


def annex(*ids: str) -> list[tuple[str, str]]:
    return [("iso27001", f"A.{i}") for i in ids]


@pytest.mark.parametrize("text", [
    "A.5.15", "A 5.15", "A5.15", "A.05.15", "Annex A 5.15", "Annex A.5.15",
    "Annex A control 5.15", "see (A 5.15).", "**A.5.15**",
])
def test_annex_a_spellings(text):
    assert refs(text) == annex("5.15")


@pytest.mark.parametrize("text, expected", [
    ("A.5.24–5.28", ["5.24", "5.25", "5.26", "5.27", "5.28"]),
    ("A.5.24-A.5.28", ["5.24", "5.25", "5.26", "5.27", "5.28"]),
    ("A 5.19 to 5.22", ["5.19", "5.20", "5.21", "5.22"]),
    ("A.8.10-12", ["8.10", "8.11", "8.12"]),
    ("A.5.29, 5.30 and 5.31", ["5.29", "5.30", "5.31"]),
])
def test_ranges_and_lists_expand_within_a_theme(text, expected):
    assert refs(text) == annex(*expected)


def test_a_dash_followed_by_an_unrelated_number_is_not_a_range():
    assert refs("A 5.15 — 2 hours") == annex("5.15")
    assert refs("A.5.30-6.2") == annex("5.30")  # across themes: keep the first only


@pytest.mark.parametrize("text, expected", [
    ("Clause 7.5", [("iso27001", "7.5")]),
    ("ISO 27001 7.5", [("iso27001", "7.5")]),
    ("ISO/IEC 27001:2022 clause 9.2", [("iso27001", "9.2")]),
    ("ISO 9001 8.4", [("iso9001", "8.4")]),
    ("ISO 9001:2015 clause 7.5", [("iso9001", "7.5")]),
    ("Clauses 6.1, 6.2, 8.2, 8.3", [("iso27001", i) for i in ("6.1", "6.2", "8.2", "8.3")]),
    ("clauses 7.2 (competence) and 7.3 (awareness)", [("iso27001", "7.2"), ("iso27001", "7.3")]),
    ("Clause 9.1–9.3", [("iso27001", i) for i in ("9.1", "9.2", "9.3")]),
    ("ISO 27002 8.15", annex("8.15")),
])
def test_clause_references(text, expected):
    assert refs(text) == expected


def test_clause_after_another_standard_is_not_ours():
    text = "as required by ISO/IEC 27001:2022 Annex A 5.29 and ISO 22301 clause 8.5"
    assert refs(text) == annex("5.29")


def test_2013_ids_are_translated_and_say_so():
    [reference] = find_references("Event logging (A.12.4.1)", load_standards())
    assert (reference.standard, reference.item_id) == ("iso27001", "A.8.15")
    assert "2013" in reference.note and "A.8.15" in reference.note


@pytest.mark.parametrize("text", [
    "Version 1.3 approved",
    "Effective date: 2025-10-01, review 01.10.2026",
    "Server 10.0.0.1 and A.10.0.0.1",
    "see section 7.5 of the supplier contract",  # another document's section, not a clause
    "7.5 Documented information",  # a bare number in a heading does not count
    "BSI ISMS.1.A3 and OPS.1.1.1.A3",
    "German HGB §257 and § 7.5",
    "A.9.1",  # not a 2022 control, and a 2013 objective rather than a control
    "Clause 12 of the contract",  # no such clause
])
def test_false_positives(text):
    assert refs(text) == []
