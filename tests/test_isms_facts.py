"""ISMS facts: parameters read from the organisation's own documents, with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimsdocs.isms import load_isms
from aimsdocs.isms.facts import extract_facts
from aimsdocs.isms.phrases import Duration, durations, frequency, months
from aimsdocs.standards import load_standards

ENGLISH = {
    "records.md": """# Records and Document Procedure

Document ID: QP-7

## 3. Approval

| Document type | Approved by | Review cycle |
|---|---|---|
| Policy | Managing Director | 24 months |
| Procedure | Process owner | 12 months |

Documents are published in the company intranet.

## 5. Retention

Unless a contract says otherwise, records are retained for ten years after closure.
""",
    "review.md": """# Management Review

## Frequency

Top management holds the management review once a year, in November.
""",
    "risk.md": """# Risk Method

## Scales

| Score | Likelihood | Impact |
|---|---|---|
| 1 | Low: rarely | Small: little harm |
| 2 | Medium: sometimes | Noticeable: some harm |
| 3 | High: often | Serious: major harm |

Risk score = likelihood x impact.
The risk acceptance threshold is 3.

## Acceptance

| Band | Score | Decision |
|---|---|---|
| Green | 1-3 | Accept by the risk owner |
| Red | 4-9 | Treat; acceptance only by the Managing Director |
""",
    "capa.md": """# Nonconformity Handling

## Raising

Every nonconformity is recorded in the ServiceNow problem queue.
The Compliance Officer reviews each new record within three working days.
After 90 days the owner checks whether the corrective actions were effective.
""",
    "incidents.md": """# Incident Handling

## Severity

| Level | Meaning |
|---|---|
| P1 | outage |
| P2 | degraded |
| P3 | minor |

## Notification

Where personal data is affected, the supervisory authority is notified within 72 hours.
""",
}

GERMAN = {
    "lenkung.md": """# Lenkung dokumentierter Information

## 6. Aufbewahrung

Aufzeichnungen werden grundsätzlich sechs Jahre aufbewahrt, sofern gesetzlich nichts anderes gilt.
""",
    "bewertung.md": """# Managementbewertung

## 2. Turnus

Die Managementbewertung findet zweimal im Jahr statt, im März und im September.
""",
    "korrektur.md": """# Korrekturmaßnahmen

## 3. Erfassung

Abweichungen werden im Ticketsystem Jira erfasst.
Der Qualitätsmanagementbeauftragte prüft jeden neuen Eintrag innerhalb von fünf Arbeitstagen.
""",
    "vorfall.md": """# Sicherheitsvorfälle

## Meldung

Die Aufsichtsbehörde wird innerhalb von 72 Stunden benachrichtigt.
""",
}

DECLARED = """documents:
  - path: {records}
    covers: {{iso27001: ["7.5"]}}
  - path: {review}
    covers: {{iso27001: ["9.3"]}}
  - path: {capa}
    covers: {{iso27001: ["10.2"]}}
  - path: {incidents}
    covers: {{iso27001: ["A.5.26"]}}
"""


def _isms(tmp_path: Path, files: dict[str, str], declared: str) -> Path:
    folder = tmp_path / "isms"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "isms.yaml").write_text(declared, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def standards():
    return load_standards()


def test_english_procedures_give_their_parameters_with_the_section_they_come_from(
        tmp_path, standards):
    declared = DECLARED.format(records="records.md", review="review.md", capa="capa.md",
                               incidents="incidents.md")
    declared += '  - path: risk.md\n    covers: {iso27001: ["6.1.2"]}\n'
    facts = extract_facts(load_isms(_isms(tmp_path, ENGLISH, declared), standards))

    retention = facts.get("record_retention")
    assert retention.value == Duration(10, "year")
    assert retention.source.path == "records.md" and retention.source.cite() == "QP-7 §5"
    assert "retained for ten years" in retention.source.quote
    assert facts.value("approval_scheme") == [("Policy", "Managing Director"),
                                              ("Procedure", "Process owner")]
    assert facts.value("document_review") == {"Policy": Duration(24, "month"),
                                              "Procedure": Duration(12, "month")}
    assert facts.value("document_library") == "intranet"
    assert facts.value("management_review_frequency") == 1
    assert facts.value("management_review_months") == [11]
    assert facts.value("risk_likelihood_scale") == ["Low", "Medium", "High"]
    assert facts.value("risk_impact_scale") == ["Small", "Noticeable", "Serious"]
    assert facts.value("risk_threshold") == 3
    tiers = facts.value("risk_tiers")
    assert [(t.low, t.high, t.label, t.accepted_by) for t in tiers] == [
        (1, 3, "Green", "risk owner"), (4, 9, "Red", "Managing Director")]
    assert facts.value("corrective_action_tool") == "ServiceNow problem queue"
    assert facts.value("corrective_action_owner") == "Compliance Officer"
    assert facts.value("corrective_action_effectiveness") == Duration(90, "day")
    assert facts.value("incident_severities") == ["P1", "P2", "P3"]
    [deadline] = facts.value("incident_notifications")
    assert deadline.party == "supervisory authority" and deadline.within == Duration(72, "hour")


def test_german_procedures_are_read_too(tmp_path, standards):
    declared = DECLARED.format(records="lenkung.md", review="bewertung.md", capa="korrektur.md",
                               incidents="vorfall.md")
    facts = extract_facts(load_isms(_isms(tmp_path, GERMAN, declared), standards))
    assert facts.value("record_retention") == Duration(6, "year")
    assert facts.get("record_retention").source.cite().endswith("§6")
    assert facts.value("management_review_frequency") == 2
    assert facts.value("management_review_months") == [3, 9]
    assert facts.value("corrective_action_tool") == "Ticketsystem Jira"
    assert facts.value("corrective_action_owner") == "Qualitätsmanagementbeauftragte"
    [deadline] = facts.value("incident_notifications")
    assert deadline.within == Duration(72, "hour")


def test_what_the_documents_do_not_say_stays_unknown(tmp_path, standards):
    files = {"review.md": "# Management Review\n\n## Inputs\n\nAudit results and incidents.\n"}
    declared = 'documents:\n  - path: review.md\n    covers: {iso27001: ["9.3"]}\n'
    facts = extract_facts(load_isms(_isms(tmp_path, files, declared), standards))
    assert facts.get("management_review_frequency") is None
    assert facts.get("record_retention") is None
    assert list(facts) == []


def test_a_frequency_about_another_activity_is_not_the_review_frequency(tmp_path, standards):
    files = {"review.md": (
        "# Management Review\n\n## Inputs\n\nThe audit summary, prepared at the end of each "
        "quarter by the security officer and checked by the auditors, is an input to the "
        "management review.\n")}
    declared = 'documents:\n  - path: review.md\n    covers: {iso27001: ["9.3"]}\n'
    facts = extract_facts(load_isms(_isms(tmp_path, files, declared), standards))
    assert facts.get("management_review_frequency") is None


def test_sample_org_facts(sample_org, standards):
    facts = extract_facts(load_isms(sample_org / "isms", standards))
    assert facts.value("record_retention") == Duration(6, "year")
    assert facts.get("record_retention").source.doc_id == "MFS-PRO-001"
    assert facts.value("management_review_frequency") == 2
    assert facts.value("management_review_months") == [3, 9]
    assert facts.value("risk_threshold") == 8
    assert [(t.low, t.high, t.accepted_by) for t in facts.value("risk_tiers")] == [
        (1, 4, None), (5, 8, "risk owner"), (9, 14, "CTO"), (15, 25, "CEO")]
    assert facts.value("corrective_action_tool") == "Jira project CAPA"
    assert facts.value("corrective_action_owner") == "Quality Manager"
    assert facts.value("change_board") == "change advisory meeting"
    assert facts.value("supplier_incident_notification") == Duration(24, "hour")


@pytest.mark.parametrize("text,expected", [
    ("kept for six years", [Duration(6, "year")]),
    ("within 72 hours and 5 working days", [Duration(72, "hour"), Duration(5, "working day")]),
    ("innerhalb von zehn Arbeitstagen", [Duration(10, "working day")]),
    ("version 2.1 of 2025", []),
])
def test_durations(text, expected):
    assert [d for d, _ in durations(text)] == expected


@pytest.mark.parametrize("text,per_year", [
    ("twice a year", 2), ("at least annually", 1), ("quarterly", 4), ("halbjährlich", 2),
    ("once every three years", 1 / 3), ("einmal im Jahr", 1),
])
def test_frequencies(text, per_year):
    assert frequency(text)[0] == per_year


def test_months_skip_the_verb_may():
    assert months("It may be held in May or June") == [5, 6]


def test_who_sits_on_the_management_review_is_read_across_wrapped_lines(tmp_path, standards):
    files = {"review.md": ("# Management Review\n\n## Members\n\n- Members: CEO (chair), "
                           "Quality Manager, Data Protection\n  Officer and Head of People.\n")}
    declared = 'documents:\n  - path: review.md\n    covers: {iso27001: ["9.3"]}\n'
    facts = extract_facts(load_isms(_isms(tmp_path, files, declared), standards))
    assert facts.value("management_review_members") == [
        "CEO", "Quality Manager", "Data Protection Officer", "Head of People"]
