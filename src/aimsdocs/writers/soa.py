"""The Statement of Applicability workbook: one row per ISO/IEC 42001 Annex A control.

Sheets: "Statement of Applicability" (the table an auditor filters), "Summary" (document
control block, counts by status and by objective), "Revision history" (versions and approvals,
as for every controlled document) and "Crosswalk" (the Annex A links to ISO/IEC 27001 and ISO
9001, in the layout `--mappings` reads back).

`describe_soa` returns everything the workbook shows as plain values; `render_soa` only lays it
out. The build fingerprints the description, so the hash and the content cannot drift apart.

One cell holds one hyperlink, so "Implementing documents" lists every document as text and
"Open document" links to the first of them.
"""

from __future__ import annotations

from aimsdocs.plan import Plan, SoaRow
from aimsdocs.plan.soa import STATUSES
from aimsdocs.render.document import DocumentControl
from aimsdocs.writers.crosswalk_export import CROSSWALK_COLUMNS, crosswalk_rows
from aimsdocs.writers.xlsx_common import (
    STATUS_COLOURS,
    YES_NO,
    Column,
    Link,
    PrintColumn,
    PrintView,
    Value,
    add_table,
    fit_widths,
    joined,
    new_workbook,
    put,
    save_workbook,
    set_print,
    set_properties,
    style_header,
    write_block,
    yes_no,
)

SHEET = "Statement of Applicability"
CONTROL_COLUMNS = (
    Column("Objective", width=30),
    Column("Control", width=9),
    Column("Control title", width=32),
    Column("Applicable", width=11, choices=YES_NO),
    Column("Inclusion reason", width=22),
    Column("Justification for inclusion", width=48),
    Column("Risks treated", width=18),
    Column("Obligations", width=36),
    Column("Justification for exclusion", width=40),
    Column("Review trigger", width=30),
    Column("Implementation status", width=21, choices=STATUSES,
           colours=STATUS_COLOURS),
    Column("Status source", width=36),
    Column("How it is implemented", width=50),
    Column("Implementing documents", width=40),
    Column("Open document", width=20),
    Column("Control owner", width=24),
    Column("Approach vs ISMS", width=11, choices=("reuse", "extend", "new", "excluded")),
    Column("Related ISO/IEC 27001:2022", width=24),
    Column("Related ISO 9001:2015", width=20),
    Column("Existing ISMS evidence", width=40),
)
REVIEW_COLUMN = Column("Last review", width=12)
PRINT_VIEW = PrintView("SoA for print", (
    PrintColumn("Control", ("Control",), 9), PrintColumn("Control title", ("Control title",), 26),
    PrintColumn("Applicable", ("Applicable",), 11),
    PrintColumn("Justification", ("Justification for inclusion", "Justification for exclusion"),
                42),
    PrintColumn("Status", ("Implementation status",), 14),
    PrintColumn("Documents", ("Implementing documents",), 30),
    PrintColumn("Owner", ("Control owner",), 18)))
REVISION_COLUMNS = (Column("Version", width=10), Column("Date", width=12),
                    Column("Author", width=24), Column("Description", width=70))
TITLE = "Statement of Applicability"


def describe_soa(plan: Plan, links: dict[str, str],
                 control: DocumentControl | None = None) -> dict:
    """Everything the SoA workbook shows, as plain values (links: doc id -> relative path).

    `control` is the SoA's document control (version, approval, revisions) kept by the build;
    without it the workbook says that no version has been issued yet.
    """
    profile = plan.profile
    system_ids = [s.id for s in profile.ai_systems]
    controls = [_control_row(row, links, system_ids) for row in plan.soa]
    return {
        "organisation": profile.organisation.legal_name,
        "document_id": plan.soa_document_id,
        "review_date": profile.document_control.effective_date,
        "systems": [f"{s.id} {s.name}" for s in profile.ai_systems],
        "controls": controls,
        "control": _control_facts(plan, control),
        "revisions": [[r.version, r.date, r.author, r.description]
                      for r in (control.revisions if control else ())],
        "by_status": _by_status(plan.soa),
        "by_objective": _by_objective(plan.soa),
        "crosswalk": crosswalk_rows(plan.standards, lambda link: link.source.startswith("A.")),
    }


def _control_facts(plan: Plan, control: DocumentControl | None) -> list[tuple[str, Value]]:
    """The document-control block, as in every AIMS document."""
    defaults = plan.profile.document_control
    approver = plan.profile.person(defaults.approver)
    if control is None:
        return [("Document", plan.soa_document_id), ("Title", TITLE),
                ("Version", "not issued (build the pack to version it)"),
                ("Status", defaults.status), ("Approver", f"{approver.name}, {approver.title}"),
                ("Approved by", "not approved"), ("Approval date", "—")]
    return [
        ("Document", control.doc_id), ("Title", TITLE), ("Version", control.version),
        ("Status", control.status), ("Classification", control.classification),
        ("Owner", control.owner), ("Approver", control.approver),
        ("Approved by", control.approved_by or "not approved yet"),
        ("Approval date", control.approved_on or "—"),
        ("Effective date", control.effective_date or "—"),
        ("Next review", control.next_review or "—"),
    ]


def _control_row(row: SoaRow, links: dict[str, str], system_ids: list[str]) -> list[Value]:
    first = row.documents[0].doc_id if row.documents else ""
    return [
        f"{row.objective.id} {row.objective.title}",
        row.control.id,
        row.control.title,
        yes_no(row.applicable),
        joined(reason[:1].upper() + reason[1:] for reason in row.inclusion_reasons),
        row.inclusion_text,
        joined((r.risk_id for r in row.risks), "\n"),
        joined((o.cite() for o in row.obligations), "\n"),
        row.exclusion_text,
        row.review_trigger,
        # An excluded control has no implementation status; "Not started" would mislead.
        row.status if row.applicable else "",
        row.status_source,
        row.implementation,
        joined([f"{d.doc_id} {d.title}" for d in row.documents] + row.amended, "\n"),
        Link(first, links[first]) if first in links else first,
        row.owner,
        row.strategy.value,
        _related(row, "iso27001"),
        _related(row, "iso9001"),
        joined(row.isms_evidence, "\n"),
        *(yes_no(row.per_system.get(system_id, False)) for system_id in system_ids),
        row.review_date,
    ]


def _related(row: SoaRow, standard: str) -> str:
    return joined(f"{link.target} ({link.relationship.replace('_', ' ')})"
                  for link in row.related if link.target_standard == standard and link.target)


def _by_status(rows: list[SoaRow]) -> list[list[Value]]:
    applicable = [r for r in rows if r.applicable]
    counts: list[list[Value]] = [[status, sum(r.status == status for r in applicable)]
                                 for status in STATUSES]
    return counts + [["Excluded (not applicable)", len(rows) - len(applicable)],
                     ["Total Annex A controls", len(rows)]]


def _by_objective(rows: list[SoaRow]) -> list[list[Value]]:
    grouped: dict[str, list[SoaRow]] = {}
    for row in rows:
        grouped.setdefault(row.objective.id, []).append(row)
    return [[group[0].objective.id, group[0].objective.title, len(group),
             sum(r.applicable for r in group), sum(not r.applicable for r in group),
             sum(r.applicable and r.status == "Implemented" for r in group)]
            for group in grouped.values()]


# Layout ---------------------------------------------------------------------------------------

def render_soa(soa: dict, brand=None) -> bytes:
    workbook = new_workbook(brand)
    columns = (*CONTROL_COLUMNS,
               *(Column(name, width=12, choices=YES_NO) for name in soa["systems"]),
               REVIEW_COLUMN)
    title = f"Statement of Applicability — {soa['organisation']}"
    version = dict(soa["control"]).get("Version", "")
    # Frozen through "Control", so the control id stays in view while scrolling right.
    add_table(workbook, SHEET, columns, soa["controls"], freeze="C2",
              heading=f"{soa['document_id']} {title}, version {version}",
              print_view=PRINT_VIEW)
    _summary_sheet(workbook, soa, title)
    history = add_table(workbook, "Revision history", REVISION_COLUMNS, soa["revisions"],
                        heading=f"{soa['document_id']} revision history")
    history.column_dimensions["B"].width = 12
    add_table(workbook, "Crosswalk", CROSSWALK_COLUMNS, soa["crosswalk"],
              heading="Annex A crosswalk to ISO/IEC 27001:2022 and ISO 9001:2015")
    set_properties(workbook, title=title, creator=soa["organisation"],
                   subject="ISO/IEC 42001:2023 Annex A Statement of Applicability",
                   keywords=("ISO/IEC 42001", "AIMS", "Statement of Applicability",
                             soa["document_id"]), when=soa["review_date"])
    return save_workbook(workbook, soa["review_date"])


def _summary_sheet(workbook, soa: dict, title: str) -> None:
    ws = workbook.create_sheet("Summary")
    facts: list[tuple[str, Value]] = [
        ("Organisation", soa["organisation"]),
        *soa["control"],
        ("Standard", "ISO/IEC 42001:2023, Annex A"),
        ("Review date", soa["review_date"]),
    ]
    for index, (label, value) in enumerate(facts, start=1):
        style_header(ws.cell(index, 1))
        put(ws.cell(index, 1), label)
        put(ws.cell(index, 2), value)
    status_columns = (Column("Implementation status"), Column("Controls"))
    top = write_block(ws, len(facts) + 2, status_columns, soa["by_status"])
    objective_columns = (Column("Objective"), Column("Title"), Column("Controls"),
                         Column("Applicable"), Column("Excluded"), Column("Implemented"))
    write_block(ws, top + 1, objective_columns, soa["by_objective"])
    fit_widths(ws, objective_columns, soa["by_objective"])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width, 34)
    set_print(ws, title, title_rows=None)


def write_soa(plan: Plan, links: dict[str, str], control: DocumentControl | None = None) -> bytes:
    """The SoA workbook (links: doc id -> path relative to the workbook; empty for none)."""
    return render_soa(describe_soa(plan, links, control))


def soa_content(plan: Plan) -> dict[str, str]:
    """What a version of the SoA is: one text per control row (links and control excluded), so
    the build can version it like a document and say which rows changed."""
    soa = describe_soa(plan, {})
    return {row[1]: repr(row) for row in soa["controls"]}


__all__ = ["SHEET", "TITLE", "describe_soa", "render_soa", "soa_content", "write_soa"]
