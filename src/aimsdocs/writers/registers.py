"""The AIMS registers workbook: the records ISO/IEC 42001 expects an organisation to keep.

Sheets: "AI systems" (inventory, A.4.2), "AI risks" (the risk register with AIMS-level risks and
opportunities, 6.1), "Risk heat map" (inherent and residual counts per likelihood and impact),
"Risk method" (scales and acceptance threshold), "Impact assessments" (one record per AI system,
6.1.4), "AI objectives" (6.2), "Competence" (7.2), "Interested parties" (4.2) and "Policy
exceptions" (the log the AI policy asks for).

The risk register is live: scores and decisions are formulas over the likelihood and impact
cells (1-n drop-downs) and the threshold on "Risk method", and the heat map counts by formula,
so re-rating a risk in Excel or LibreOffice updates its row and the map.

`describe_registers` returns everything shown as plain values (formula cells carry the value
the formula gives for the seeded ratings); `render_registers` lays it out.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from aimsdocs.plan import Plan
from aimsdocs.plan.risks import ACCEPT, ESCALATE, OPPORTUNITY, PURSUE, RISK, TREAT, RiskEntry
from aimsdocs.profile.model import AiSystem, Profile
from aimsdocs.render.context import AI_ACT_LABELS, ROLE_LABELS, STAGE_LABELS
from aimsdocs.support.dates import add_months
from aimsdocs.writers.xlsx_cells import set_formula
from aimsdocs.writers.xlsx_common import (
    SPARE_ROWS,
    YES_NO,
    Column,
    PrintColumn,
    PrintView,
    Value,
    add_table,
    column_letter,
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

if TYPE_CHECKING:  # openpyxl is imported only when the workbook is written
    from openpyxl.worksheet.worksheet import Worksheet

IMPACT_ASSESSMENT_TEMPLATE = "REC-01"  # local id of the per-system impact assessment record
RISK_STATUSES = ("To assess", "Assessed", "In treatment", "Accepted", "Closed")
ASSESSMENT_STATUSES = ("Draft — to confirm", "In review", "Approved", "To start")
RISK_SHEET, METHOD_SHEET = "AI risks", "Risk method"
THRESHOLD_CELL = f"'{METHOD_SHEET}'!$B$3"

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
RISKS_PRINT = PrintView("Risks for print", (
    PrintColumn("Risk id", ("Risk id",), 13), PrintColumn("AI system", ("AI system",), 18),
    PrintColumn("Title", ("Title",), 22), PrintColumn("Event", ("Event",), 34),
    PrintColumn("Inherent score", ("Inherent score",), 8),
    PrintColumn("Treatment", ("Treatment",), 36),
    PrintColumn("Residual score", ("Residual score",), 8),
    PrintColumn("Decision", ("Decision",), 14), PrintColumn("Owner", ("Owner",), 18),
    PrintColumn("Review date", ("Review date",), 11)), linked=True)


RISK_HEADERS = (
    ("Risk id", 13), ("Type", 11), ("AI system", 22), ("Title", 26), ("Cause", 40),
    ("Event", 36), ("Consequence", 40), ("Affected parties", 26), ("Existing controls", 36),
    ("Likelihood", 10), ("Impact", 9), ("Inherent score", 9), ("Treatment", 45),
    ("Annex A controls", 18), ("Residual likelihood", 10), ("Residual impact", 9),
    ("Residual score", 9), ("Decision", 16), ("Owner", 22), ("Review date", 12),
    ("Impact assessment", 22), ("Status", 12), ("Rating basis", 40),
)
RISK_COLUMN = {name: column_letter(i) for i, (name, _) in enumerate(RISK_HEADERS, start=1)}
EXCEPTION_COLUMNS = (
    Column("Exception id", width=12), Column("Policy clause", width=24),
    Column("AI system or activity", width=28), Column("What is allowed and why", width=50),
    Column("Compensating controls", width=40), Column("Requested by", width=20),
    Column("Approved by", width=20), Column("Approved on", width=12),
    Column("Expires", width=12), Column("Status", width=12,
                                        choices=("Requested", "Approved", "Rejected", "Expired",
                                                 "Closed")),
)


def _risk_columns(levels: int) -> tuple[Column, ...]:
    scale = tuple(str(n) for n in range(1, levels + 1))
    choices = {"Type": (RISK, OPPORTUNITY), "Likelihood": scale, "Impact": scale,
               "Residual likelihood": scale, "Residual impact": scale, "Status": RISK_STATUSES}
    return tuple(Column(name, width=width, choices=choices.get(name, ()),
                        number_format="yyyy-mm-dd" if name == "Review date" else None)
                 for name, width in RISK_HEADERS)


# Description ----------------------------------------------------------------------------------

def describe_registers(plan: Plan) -> dict:
    """Everything the registers workbook shows, as plain values."""
    profile = plan.profile
    risks = plan.risks
    method = profile.risk_method
    return {
        "organisation": profile.organisation.legal_name,
        "date": profile.document_control.effective_date,
        "systems": [_system_row(s, profile) for s in profile.ai_systems],
        "risks": [_risk_row(r, profile) for r in risks],
        "method": {"threshold": method.acceptance_threshold,
                   "likelihood": list(method.likelihood), "impact": list(method.impact),
                   "review": method.review_frequency},
        "heat_map": _heat_map([r for r in risks if not r.is_opportunity], profile),
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
        joined(ROLE_LABELS[r.value] for r in system.roles),
        system.kind.label + (f" ({system.model})" if system.model else ""),
        _capital(STAGE_LABELS[system.stage.value]), _capital(system.risk_level.value),
        _person(profile, system.owner), joined(system.data_sources, "\n"),
        yes_no(system.personal_data), joined(system.affected_groups, "\n"),
        system.human_oversight,
        joined((f"{t.name}: {t.provides}" for t in system.third_parties), "\n"),
        system.deployment, _ai_act(system), system.intended_use or "",
        joined(system.out_of_scope_uses, "\n"),
    ]


def _risk_row(risk: RiskEntry, profile: Profile) -> list[Value]:
    threshold = profile.risk_method.acceptance_threshold
    return [
        risk.risk_id, risk.kind, risk.scope, risk.title, risk.cause, risk.event,
        risk.consequence, joined(risk.affected), joined(risk.existing_controls, "\n") or "None",
        risk.likelihood, risk.impact, risk.score, risk.treatment, joined(risk.controls, ", "),
        risk.residual_likelihood, risk.residual_impact, risk.residual_score,
        risk.decision(threshold), _person(profile, risk.owner_key), risk.review_date,
        risk.impact_assessment, "To assess", risk.basis,
    ]


def _heat_map(risks: list[RiskEntry], profile: Profile) -> dict:
    """Counts per (likelihood, impact), most likely row first, as a heat map is read."""
    method = profile.risk_method
    inherent = Counter((r.likelihood, r.impact) for r in risks)
    residual = Counter((r.residual_likelihood, r.residual_impact) for r in risks)

    def grid(counts: Counter) -> list[list[Value]]:
        return [[f"{likelihood} {method.likelihood[likelihood - 1]}",
                 *(counts[(likelihood, impact)] for impact in range(1, len(method.impact) + 1))]
                for likelihood in range(len(method.likelihood), 0, -1)]

    return {
        "threshold": method.acceptance_threshold,
        "impact_labels": [f"{i} {label}" for i, label in enumerate(method.impact, start=1)],
        "rows": grid(inherent),
        "residual_rows": grid(residual),
        "total": len(risks),
    }


def _impact_rows(plan: Plan) -> list[list[Value]]:
    profile = plan.profile
    records = {d.system.id: d for d in plan.by_local_id(IMPACT_ASSESSMENT_TEMPLATE) if d.system}
    control = profile.document_control
    next_review = add_months(control.effective_date, control.review_period_months)
    rows: list[list[Value]] = []
    for system in profile.ai_systems:
        record = records.get(system.id)
        rows.append([
            record.doc_id if record else "", f"{system.id} {system.name}",
            _capital(system.risk_level.value), _ai_act(system),
            joined(system.affected_groups, "\n"),
            "Draft — to confirm" if record else "To start",
            _person(profile, system.owner), next_review,
        ])
    return rows


def _objective_row(objective, profile: Profile) -> list[Value]:
    names = {s.id: s.name for s in profile.ai_systems}
    return [objective.id, objective.objective, objective.measure, objective.target,
            _person(profile, objective.owner), objective.due,
            joined((f"{s} {names.get(s, '')}".strip() for s in objective.relates_to), "\n")]


def _competence_rows(profile: Profile) -> list[list[Value]]:
    rows: list[list[Value]] = []
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
    method = registers["method"]
    levels = min(len(method["likelihood"]), len(method["impact"]))
    add_table(workbook, "AI systems", SYSTEM_COLUMNS, registers["systems"], freeze="C2",
              heading=f"AI system inventory — {org}", print_view=SYSTEMS_PRINT)
    risks = add_table(workbook, RISK_SHEET, _risk_columns(levels), registers["risks"],
                      freeze="B2", heading=f"AI risk register — {org}",
                      print_view=RISKS_PRINT)
    _live_formulas(risks, len(registers["risks"]))
    _heat_map_sheet(workbook.create_sheet("Risk heat map"), registers["heat_map"],
                    len(registers["risks"]))
    _method_sheet(workbook.create_sheet(METHOD_SHEET), method)
    add_table(workbook, "Impact assessments", IMPACT_COLUMNS, registers["impact_assessments"],
              heading=f"AI system impact assessments — {org}")
    add_table(workbook, "AI objectives", OBJECTIVE_COLUMNS, registers["objectives"],
              heading=f"AI objectives — {org}")
    add_table(workbook, "Competence", COMPETENCE_COLUMNS, registers["competence"],
              heading=f"AIMS roles and required competence — {org}")
    add_table(workbook, "Interested parties", PARTY_COLUMNS, registers["parties"],
              heading=f"Interested parties — {org}")
    add_table(workbook, "Policy exceptions", EXCEPTION_COLUMNS, [],
              heading=f"Exceptions to the AI policy — {org}")
    set_properties(workbook, title=f"AIMS registers — {org}", creator=org,
                   subject="ISO/IEC 42001 AI management system registers",
                   keywords=("ISO/IEC 42001", "AIMS", "AI system inventory", "AI risk register"),
                   when=registers["date"])
    # No cached results are stored with the formulas: have every client compute them on open.
    from openpyxl.workbook.properties import CalcProperties

    workbook.calculation = CalcProperties(fullCalcOnLoad=True)
    return save_workbook(workbook, registers["date"])


def _live_formulas(ws: Worksheet, count: int) -> None:
    """Scores and decisions as formulas over the ratings and the threshold on 'Risk method'."""
    c = RISK_COLUMN
    column = {name: i for i, (name, _) in enumerate(RISK_HEADERS, start=1)}
    for row in range(2, 2 + count):
        def ref(name: str, r: int = row) -> str:
            return f"{c[name]}{r}"

        set_formula(ws, row, column["Inherent score"], (
            f'=IF(OR({ref("Likelihood")}="",{ref("Impact")}=""),"",'
            f'{ref("Likelihood")}*{ref("Impact")})'))
        set_formula(ws, row, column["Residual score"], (
            f'=IF(OR({ref("Residual likelihood")}="",{ref("Residual impact")}=""),"",'
            f'{ref("Residual likelihood")}*{ref("Residual impact")})'))
        inherent, residual = ref("Inherent score"), ref("Residual score")
        set_formula(ws, row, column["Decision"], (
            f'=IF({ref("Type")}="{OPPORTUNITY}","{PURSUE}",IF({inherent}="","",'
            f'IF({inherent}<={THRESHOLD_CELL},"{ACCEPT}",'
            f'IF(AND({residual}<>"",{residual}<={THRESHOLD_CELL}),"{TREAT}","{ESCALATE}"))))'))


def _method_sheet(ws: Worksheet, method: dict) -> None:
    put(ws.cell(1, 1), "Risk method (the criteria of the AI risk management procedure)")
    ws.cell(1, 1).font = font(bold=True, size=12)
    put(ws.cell(3, 1), "Acceptance threshold")
    style_header(ws.cell(3, 1))
    put(ws.cell(3, 2), method["threshold"])
    put(ws.cell(3, 3), "A risk whose score (likelihood × impact) is above this is treated; "
        "change it here and every decision in the register follows.")
    put(ws.cell(4, 1), "Review")
    style_header(ws.cell(4, 1))
    put(ws.cell(4, 2), method["review"])
    top = 6
    for column, (title, labels) in enumerate((("Likelihood", method["likelihood"]),
                                              ("Impact", method["impact"])), start=0):
        left = 1 + column * 3
        for offset, header in enumerate((f"{title} level", "Label")):
            put(ws.cell(top, left + offset), header)
            style_header(ws.cell(top, left + offset))
        for level, label in enumerate(labels, start=1):
            put(ws.cell(top + level, left), level)
            put(ws.cell(top + level, left + 1), label)
    for letter, width in zip("ABCDE", (22, 18, 14, 14, 18), strict=True):
        ws.column_dimensions[letter].width = width
    set_print(ws, "Risk method", title_rows=None)


def _heat_map_sheet(ws: Worksheet, heat: dict, count: int) -> None:
    """Two grids (inherent, residual) whose cells count register rows by formula."""
    from openpyxl.styles import PatternFill

    last = 1 + count + SPARE_ROWS
    c = RISK_COLUMN

    def rng(name: str) -> str:
        return f"'{RISK_SHEET}'!${c[name]}$2:${c[name]}${last}"

    put(ws.cell(1, 1), "AI risks per likelihood and impact (counted from the register)")
    ws.cell(1, 1).font = font(bold=True, size=12)
    levels = len(heat["rows"])
    top = 3
    for title, rows, (l_col, i_col) in (
            ("Inherent rating", heat["rows"], ("Likelihood", "Impact")),
            ("Residual rating (after treatment)", heat["residual_rows"],
             ("Residual likelihood", "Residual impact"))):
        put(ws.cell(top, 1), title)
        ws.cell(top, 1).font = font(bold=True)
        _heat_grid(ws, top + 1, rows, heat, formula=lambda lk, im, a=l_col, b=i_col: (
            f'=COUNTIFS({rng(a)},{lk},{rng(b)},{im},{rng("Type")},"{RISK}")'))
        top += levels + 3
    put(ws.cell(top, 1), "Risks in the register")
    ws.cell(top, 1).font = font(bold=True)
    ws.cell(top, 2).value = f'=COUNTIF({rng("Type")},"{RISK}")'
    threshold = heat["threshold"]
    for offset, (colour, text) in enumerate((
            (GREEN, f"Score (likelihood × impact) up to {threshold // 2}: accept"),
            (AMBER, f"Score up to the acceptance threshold of {threshold}: accept and monitor"),
            (RED, f"Score above {threshold}: treat")), start=top + 2):
        ws.cell(offset, 1).fill = PatternFill("solid", start_color=colour[0], end_color=colour[0])
        put(ws.cell(offset, 2), text)
    put(ws.cell(top + 6, 1), "Colours show the threshold in force when the register was "
        "generated; the counts follow every change of rating.")
    ws.column_dimensions["A"].width = 22
    for index in range(2, 2 + len(heat["impact_labels"])):
        ws.column_dimensions[column_letter(index)].width = 14
    set_print(ws, "AI risk heat map", title_rows=None)


def _heat_grid(ws: Worksheet, top: int, rows: list, heat: dict, formula) -> None:
    from openpyxl.styles import Alignment, PatternFill

    corner = ws.cell(top, 1)
    put(corner, "Likelihood \\ Impact")
    style_header(corner)
    for index, label in enumerate(heat["impact_labels"], start=2):
        put(ws.cell(top, index), label)
        style_header(ws.cell(top, index))
        ws.cell(top, index).alignment = Alignment(wrap_text=True, horizontal="center",
                                                  vertical="center")
    levels = len(rows)
    for offset, (label, *_counts) in enumerate(rows):
        row = top + 1 + offset
        likelihood = levels - offset
        put(ws.cell(row, 1), label)
        style_header(ws.cell(row, 1))
        for impact in range(1, len(heat["impact_labels"]) + 1):
            cell = ws.cell(row, 1 + impact)
            cell.value = formula(likelihood, impact)
            fill, text = _heat_colour(likelihood * impact, heat["threshold"])
            cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
            cell.font = font(bold=True, color=text)
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.number_format = '0;-0;"–"'  # an empty cell reads as a dash, not 0
        ws.row_dimensions[row].height = 30


def _heat_colour(score: int, threshold: int) -> tuple[str, str]:
    if score > threshold:
        return RED
    return AMBER if score > threshold // 2 else GREEN


def write_registers(plan: Plan) -> bytes:
    return render_registers(describe_registers(plan))
