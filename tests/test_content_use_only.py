"""The small, use-only example (examples/use-only): no ISMS and no developer wording, a lean
pack with merged roles and their conflicts, and A.10.4 kept because AI output reaches clients."""

from __future__ import annotations

import re

import openpyxl
import pytest
from helpers import copy_example

from aimsdocs.cli import main

ISMS_WORDING = re.compile(r"\bISMS\b|ISO/IEC 27001|information security management system")
DEVELOPER_WORDING = re.compile(
    r"data scien|retrain|V&V|model card|labelling|development team|model registry|"
    r"training pipeline|hyperparameter|training set|our developers", re.IGNORECASE)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    base = tmp_path_factory.mktemp("use-only")
    org = copy_example(base)
    assert main(["build", str(org), "--out", str(base / "out"), "--format", "md"]) == 0
    return base / "out" / "brightwater"


def documents(pack) -> dict[str, str]:
    # The gap report measures reuse of an ISMS by design, so it is not part of the AIMS text.
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((pack / "md").glob("*.md"))
            if p.name != "gap-analysis.md"}


def test_no_isms_wording_and_no_relationship_section(pack):
    for name, text in documents(pack).items():
        assert not ISMS_WORDING.search(text), (name, ISMS_WORDING.search(text).group())
        assert "Relationship to the ISMS" not in text, name


def test_no_developer_wording(pack):
    for name, text in documents(pack).items():
        found = DEVELOPER_WORDING.search(text)
        assert not found, (name, text[max(0, found.start() - 80):found.end() + 40])


def test_a_10_4_applies_because_ai_output_reaches_clients(pack):
    ws = openpyxl.load_workbook(pack / "statement-of-applicability.xlsx")[
        "Statement of Applicability"]
    header = [c.value for c in ws[1]]
    rows = {row[1]: dict(zip(header, row, strict=True))
            for row in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["A.10.4"]["Applicable"] == "Yes"
    assert "OB-01" in rows["A.10.4"]["Obligations"]
    assert rows["A.6.2.2"]["Applicable"] == "No"  # Brightwater develops nothing
    assert "designs, trains or fine-tunes" in rows["A.6.2.2"]["Review trigger"]
    third_party = documents(pack)["pro-00-aims-procedures.md"]
    assert "AI output in work delivered to customers" in third_party


def test_lean_pack_with_one_procedure_set(pack):
    names = set(documents(pack))
    assert "pro-00-aims-procedures.md" in names
    assert not [n for n in names if re.match(r"pro-(0[1-9]|1\d)-", n)]
    combined = documents(pack)["pro-00-aims-procedures.md"]
    assert "## 2. AI risk management procedure" in combined
    assert "### Purpose" in combined  # each part keeps its own sections, one level down
    assert not [n for n in names if n.startswith("rec-03-")]  # no model cards: it builds none
    assert "BWA-AIMS-PRO-00 AIMS procedures, part" in documents(pack)[
        "man-01-aims-scope-and-context.md"]


def test_merged_roles_conflicts_and_an_external_auditor(pack):
    roles = documents(pack)["man-02-ai-roles-responsibilities-and-authorities.md"]
    assert "## Roles held by the same person" in roles
    assert "## Conflicting roles and their safeguards" in roles
    conflict = next(line for line in roles.splitlines() if line.startswith("| Daan Visser |"))
    assert "AIMS owner" in conflict and "data protection officer" in conflict
    assert "Kooistra & Partners" in roles
    audit = documents(pack)["pro-00-aims-procedures.md"]
    assert "AIMS audits are carried out by a reciprocal audit with Kooistra" in audit \
        or "engages a reciprocal audit with Kooistra" in audit
    assert "[TO COMPLETE: confirm whether internal AI-competent auditors" not in audit


def test_records_are_drafted_for_a_use_only_firm(pack):
    records = "".join(t for n, t in documents(pack).items() if n.startswith("rec-01-"))
    assert records.count("[TO COMPLETE") <= 3 * 30
    assistant = documents(pack)["rec-01-ais-01-quillwise-drafting-assistant.md"]
    assert "rest with Quillwise Ltd as provider" in assistant  # Article 50, as deployer
    screening = documents(pack)["rec-01-ais-03-veriscreen-client-screening.md"]
    assert "minimal risk" in screening
