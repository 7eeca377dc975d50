"""The AIMS registers workbook: the records ISO/IEC 42001 expects an organisation to keep.

Sheets: "AI systems" (inventory, A.4.2), "AI risks" (seeded risks to assess, 6.1.2),
"Risk heat map" (count of seeded risks per likelihood and impact), "Impact assessments" (one
record per AI system, 6.1.4), "AI objectives" (6.2), "Competence" (7.2) and
"Interested parties" (4.2).

`describe_registers` returns everything shown as plain values; `render_registers` lays it out.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from aimsdocs.plan import Plan
from aimsdocs.plan.risks import seed_risks
from aimsdocs.profile.model import AiSystem, Profile
from aimsdocs.render.context import AI_ACT_LABELS, ROLE_LABELS, STAGE_LABELS
from aimsdocs.support.dates import add_months
from aimsdocs.writers.xlsx_common import (
    YES_NO,
    Column,
    PrintColumn,
    PrintView,
    Value,
    add_table,
    font,
    joined,
    new_workbook,
    put,
    save_workbook,
    set_print,
    set_properties,
    style_header,
    yes_no,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

IMPACT_ASSESSMENT_TEMPLATE = "REC-01"  # local id of the per-system impact assessment record
RISK_STATUSES = ("To assess", "Assessed", "In treatment", "Accepted", "Closed")
ASSESSMENT_STATUSES = ("Draft — to complete", "In review", "Approved", "To start")
SEED_BASIS = ("Seeded first estimate from the system's risk level and characteristics; "
              "assess and replace")

# Heat-map colours: (fill, text). Amber marks risks that are acceptable but more than half-way
# to the acceptance threshold, so they get watched before they cross it.
GREEN, AMBER, RED = ("C6EFCE", "006100"), ("FFEB9C", "9C5700"), ("FFC7CE", "9C0006")

AIMS_ROLE_LABELS = {
    "top_management": "Top management",
    "aims_owner": "AIMS owner",
    "ai_risk_owner": "AI risk owner",
    "data_protection_officer": "Data protection officer",
    "information_security_manager": "Information security manager",
    "quality_manager": "Quality manager",
    "internal_audit_lead": "Internal audit lead",
    "hr_lead": "HR lead",
    "legal_counsel": "Legal counsel",
    "ai_ethics_contact": "AI ethics contact",
}
# What each AIMS role needs to know, in aimsdocs' own words (7.2).
ROLE_COMPETENCE = {
    "top_management": (
        "Understands the organisation's AI use, its main risks and legal duties well enough to "
        "set AI policy and objectives, assign roles and accept risk."),
    "aims_owner": (
        "Runs a management system to ISO/IEC 42001 on top of the ISMS: planning, documented "
        "information, audits, management review and improvement."),
    "ai_risk_owner": (
        "Identifies, rates and treats AI risks and impacts (bias, robustness, transparency, "
        "misuse) with the organisation's risk method."),
    "data_protection_officer": (
        "Applies data protection law to training and inference data and leads impact "
        "assessments where personal data is involved."),
    "information_security_manager": (
        "Extends ISMS controls to AI assets and to AI-specific attacks such as data poisoning, "
        "prompt injection and model theft."),
    "quality_manager": (
        "Builds AI verification, validation and release criteria into the quality management "
        "system."),
    "internal_audit_lead": (
        "Audits against ISO/IEC 42001 with enough AI knowledge to test the controls, "
        "independently of the work audited."),
    "hr_lead": (
        "Plans AI awareness and competence training, keeps its records and applies fair rules "
        "where AI is used in people processes."),
    "legal_counsel": (
        "Tracks AI-relevant law such as the EU AI Act and data protection rules, and the AI "
        "terms of supplier and customer contracts."),
    "ai_ethics_contact": (
        "Receives and follows up concerns about AI use from staff and affected people, and "
        "knows the escalation routes."),
}
SYSTEM_OWNER_COMPETENCE = ("Knows the system's intended use, limits, data and human oversight; "
                           "monitors its performance and reports incidents and changes.")

SYSTEM_COLUMNS = (
    Column("System id", width=10), Column("Name", width=24), Column("Purpose", width=45),
    Column("Description", width=45), Column("Organisation's AI roles", width=24),
    Column("Kind", width=26),
    Column("Life-cycle stage", width=18, choices=tuple(s.capitalize() for s in
                                                       STAGE_LABELS.values())),
    Column("Risk level", width=10, choices=("Low", "Medium", "High")),
    Column("Owner", width=24), Column("Data sources", width=40),
    Column("Personal data", width=10, choices=YES_NO), Column("Affected groups", width=34),
    Column("Human oversight", width=40), Column("Third parties", width=40),
    Column("Deployment", width=28), Column("EU AI Act category", width=22),
    Column("Intended use", width=36), Column("Out-of-scope uses", width=32),
)
IMPACT_COLUMNS = (
    Column("Record id", width=24), Column("AI system", width=26), Column("Risk level", width=10),
    Column("EU AI Act category", width=22), Column("Affected groups", width=36),
    Column("Status", width=20, choices=ASSESSMENT_STATUSES), Column("Owner", width=26),
    Column("Next review", width=12),
)
OBJECTIVE_COLUMNS = (
    Column("Objective id", width=10), Column("Objective", width=45), Column("Measure", width=45),
    Column("Target", width=28), Column("Owner", width=26), Column("Due", width=12),
    Column("Related AI systems", width=30),
)
COMPETENCE_COLUMNS = (
    Column("AIMS role", width=30), Column("Holder", width=22), Column("Job title", width=28),
    Column("Required competence", width=60), Column("Evidence of competence", width=36),
)
PARTY_COLUMNS = (
    Column("Interested party", width=36), Column("Internal or external", width=11,
                                                 choices=("internal", "external")),
    Column("Needs and expectations", width=60), Column("How they are addressed", width=50),
)


def _print(sheet: str, *columns: tuple[str, int]) -> PrintView:
    return PrintView(sheet, tuple(PrintColumn(name, (name,), width) for name, width in columns))


SYSTEMS_PRINT = _print("Inventory for print", ("System id", 10), ("Name", 20), ("Purpose", 36),
                       ("Owner", 20), ("Life-cycle stage", 14), ("Risk level", 9),
                       ("Personal data", 9), ("EU AI Act category", 18),
                       ("Human oversight", 34), ("Third parties", 28))
RISKS_PRINT = _print("Risks for print", ("Risk id", 14), ("AI system", 20), ("Risk source", 20),
                     ("Question to assess", 40), ("Likelihood", 9), ("Impact", 8),
                     ("Score", 7), ("Typical treatment", 36), ("Risk owner", 20),
                     ("Status", 11))


def _risk_columns(threshold: int) -> tuple[Column, ...]:
    return (
        Column("Risk id", width=14), Column("AI system", width=24), Column("Risk source", width=24),
        Column("Question to assess", width=45), Column("Likelihood", width=10),
        Column("Likelihood label", width=14), Column("Impact", width=9),
        Column("Impact label", width=12), Column("Score", width=8),
        Column(f"Decision (threshold {threshold})", width=16),
        Column("Typical treatment", width=45),
        Column("Risk owner", width=24), Column("Status", width=12, choices=RISK_STATUSES),
        Column("Basis", width=36),
    )


# Description ----------------------------------------------------------------------------------

def describe_registers(plan: Plan) -> dict:
    """Everything the registers workbook shows, as plain values."""
    profile = plan.profile
    risks = plan.risks or seed_risks(profile)
    return {
        "organisation": profile.organisation.legal_name,
        "date": profile.document_control.effective_date,
        "systems": [_system_row(s, profile) for s in profile.ai_systems],
        "risks": [_risk_row(r, profile) for r in risks],
        "heat_map": _heat_map(risks, profile),
        "impact_assessments": _impact_rows(plan),
        "objectives": [_objective_row(o, profile) for o in profile.objectives],
        "competence": _competence_rows(profile),
        "parties": [[p.name, p.kind, joined(p.needs, "\n"), p.how_addressed or ""]
                    for p in profile.interested_parties],
    }


def _person(profile: Profile, key: str) -> str:
    person = profile.person(key)
    return f"{person.name}, {person.title}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ai_act(system: AiSystem) -> str:
    return _capital(AI_ACT_LABELS[system.eu_ai_act.value]) if system.eu_ai_act else "Not classified"


def _system_row(system: AiSystem, profile: Profile) -> list[Value]:
    return [
        system.id, system.name, system.purpose, system.description or "",
        joined(ROLE_LABELS[r.value] for r in system.roles), system.kind,
        _capital(STAGE_LABELS[system.stage.value]), _capital(system.risk_level.value),
        _person(profile, system.owner), joined(system.data_sources, "\n"),
        yes_no(system.personal_data), joined(system.affected_groups, "\n"),
        system.human_oversight,
        joined((f"{t.name}: {t.provides}" for t in system.third_parties), "\n"),
        system.deployment, _ai_act(system), system.intended_use or "",
        joined(system.out_of_scope_uses, "\n"),
    ]


def _risk_row(risk, profile: Profile) -> list[Value]:
    method = profile.risk_method
    return [
        risk.risk_id, f"{risk.system.id} {risk.system.name}", risk.source.name,
        risk.source.question, risk.likelihood, method.likelihood[risk.likelihood - 1],
        risk.impact, method.impact[risk.impact - 1], risk.score,
        risk.decision(method.acceptance_threshold), risk.source.treatment,
        _person(profile, risk.owner_key), "To assess", SEED_BASIS,
    ]


def _heat_map(risks: list, profile: Profile) -> dict:
    """Counts per (likelihood, impact), most likely row first, as a heat map is read."""
    method = profile.risk_method
    counts = Counter((r.likelihood, r.impact) for r in risks)
    return {
        "threshold": method.acceptance_threshold,
        "impact_labels": [f"{i} {label}" for i, label in enumerate(method.impact, start=1)],
        "rows": [[f"{likelihood} {method.likelihood[likelihood - 1]}",
                  *(counts[(likelihood, impact)] for impact in range(1, len(method.impact) + 1))]
                 for likelihood in range(len(method.likelihood), 0, -1)],
        "total": len(risks),
    }


def _impact_rows(plan: Plan) -> list[list[Value]]:
    profile = plan.profile
    records = {d.system.id: d for d in plan.by_local_id(IMPACT_ASSESSMENT_TEMPLATE) if d.system}
    control = profile.document_control
    next_review = add_months(control.effective_date, control.review_period_months)
    rows = []
    for system in profile.ai_systems:
        record = records.get(system.id)
        rows.append([
            record.doc_id if record else "", f"{system.id} {system.name}",
            _capital(system.risk_level.value), _ai_act(system),
            joined(system.affected_groups, "\n"),
            "Draft — to complete" if record else "To start",
            _person(profile, system.owner), next_review,
        ])
    return rows


def _objective_row(objective, profile: Profile) -> list[Value]:
    names = {s.id: s.name for s in profile.ai_systems}
    return [objective.id, objective.objective, objective.measure, objective.target,
            _person(profile, objective.owner), objective.due,
            joined((f"{s} {names.get(s, '')}".strip() for s in objective.relates_to), "\n")]


def _competence_rows(profile: Profile) -> list[list[Value]]:
    rows = []
    for role, competence in ROLE_COMPETENCE.items():
        holder = profile.role_holder(role)
        if holder is not None:
            rows.append([AIMS_ROLE_LABELS[role], holder.name, holder.title, competence, ""])
    for system in profile.ai_systems:
        owner = profile.person(system.owner)
        rows.append([f"AI system owner: {system.name}", owner.name, owner.title,
                     SYSTEM_OWNER_COMPETENCE, ""])
    return rows


# Layout ---------------------------------------------------------------------------------------

def render_registers(registers: dict, brand=None) -> bytes:
    workbook = new_workbook(brand)
    org = registers["organisation"]
    add_table(workbook, "AI systems", SYSTEM_COLUMNS, registers["systems"], freeze="C2",
              heading=f"AI system inventory — {org}", print_view=SYSTEMS_PRINT)
    add_table(workbook, "AI risks", _risk_columns(registers["heat_map"]["threshold"]),
              registers["risks"], freeze="B2",
              heading=f"AI risk register (seeded first estimates, to assess) — {org}",
              print_view=RISKS_PRINT)
    _heat_map_sheet(workbook.create_sheet("Risk heat map"), registers["heat_map"])
    add_table(workbook, "Impact assessments", IMPACT_COLUMNS, registers["impact_assessments"],
              heading=f"AI system impact assessments — {org}")
    add_table(workbook, "AI objectives", OBJECTIVE_COLUMNS, registers["objectives"],
              heading=f"AI objectives — {org}")
    add_table(workbook, "Competence", COMPETENCE_COLUMNS, registers["competence"],
              heading=f"AIMS roles and required competence — {org}")
    add_table(workbook, "Interested parties", PARTY_COLUMNS, registers["parties"],
              heading=f"Interested parties — {org}")
    set_properties(workbook, title=f"AIMS registers — {org}", creator=org,
                   subject="ISO/IEC 42001 AI management system registers",
                   keywords=("ISO/IEC 42001", "AIMS", "AI system inventory", "AI risk register"),
                   when=registers["date"])
    return save_workbook(workbook, registers["date"])


def _heat_map_sheet(ws: Worksheet, heat: dict) -> None:
    from openpyxl.styles import Alignment, PatternFill

    threshold = heat["threshold"]
    put(ws.cell(1, 1), "Seeded AI risks per likelihood and impact (first estimates, to assess)")
    ws.cell(1, 1).font = font(bold=True, size=12)
    corner = ws.cell(3, 1)
    put(corner, "Likelihood \\ Impact")
    style_header(corner)
    for index, label in enumerate(heat["impact_labels"], start=2):
        put(ws.cell(3, index), label)
        style_header(ws.cell(3, index))
        ws.cell(3, index).alignment = Alignment(wrap_text=True, horizontal="center",
                                                vertical="center")
    levels = len(heat["rows"])
    for offset, (label, *counts) in enumerate(heat["rows"]):
        row = 4 + offset
        likelihood = levels - offset
        put(ws.cell(row, 1), label)
        style_header(ws.cell(row, 1))
        for impact, count in enumerate(counts, start=1):
            cell = ws.cell(row, 1 + impact)
            put(cell, count)
            fill, text = _heat_colour(likelihood * impact, threshold)
            cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
            cell.font = font(bold=True, color=text)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.number_format = '0;-0;"–"'  # an empty cell reads as a dash, not 0
        ws.row_dimensions[row].height = 30
    legend = 4 + levels + 1
    put(ws.cell(legend, 1), "Total seeded risks")
    put(ws.cell(legend, 2), heat["total"])
    ws.cell(legend, 1).font = font(bold=True)
    for offset, (colour, text) in enumerate((
            (GREEN, f"Score (likelihood × impact) up to {threshold // 2}: accept"),
            (AMBER, f"Score up to the acceptance threshold of {threshold}: accept and monitor"),
            (RED, f"Score above {threshold}: treat")), start=legend + 2):
        ws.cell(offset, 1).fill = PatternFill("solid", start_color=colour[0], end_color=colour[0])
        put(ws.cell(offset, 2), text)
    ws.column_dimensions["A"].width = 22
    for index in range(2, 2 + len(heat["impact_labels"])):
        ws.column_dimensions[ws.cell(3, index).column_letter].width = 14
    set_print(ws, "AI risk heat map", title_rows=None)


def _heat_colour(score: int, threshold: int) -> tuple[str, str]:
    if score > threshold:
        return RED
    return AMBER if score > threshold // 2 else GREEN


def write_registers(plan: Plan) -> bytes:
    return render_registers(describe_registers(plan))
