"""The gap and traceability report as a workbook, Markdown and standalone HTML.

All three show the same description (`describe_gap`): per ISO/IEC 42001 requirement, how it
is met (reuse, extend, new, excluded), which ISMS documents it builds on, weaker evidence
marked "candidate — confirm", and which generated documents address it; plus a summary with
the split by approach as a chart, and what the ISMS names but does not supply.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from aimsdocs.plan import Plan, ReuseStrategy
from aimsdocs.plan.gap import CANDIDATE_LABEL, gap_rows, gap_summary
from aimsdocs.writers.crosswalk_export import md_cell
from aimsdocs.writers.xlsx_common import (
    Column,
    Value,
    add_table,
    fit_widths,
    font,
    joined,
    new_workbook,
    put,
    save_workbook,
    set_print,
    set_properties,
    style_header,
    write_block,
)

if TYPE_CHECKING:
    from openpyxl.chart import BarChart

    from aimsdocs.render.document import Brand

# One colour per approach, shared by the sheet, the chart and the HTML: (fill, text, bar).
STRATEGY_COLOURS = {
    "reuse": ("C6EFCE", "006100", "2E7D32"),
    "extend": ("FFEB9C", "9C5700", "F9A825"),
    "new": ("F8CBAD", "833C0B", "E65100"),
    "excluded": ("D9D9D9", "404040", "9E9E9E"),
}
STRATEGY_MEANING = {
    "reuse": "the ISMS process applies as it is",
    "extend": "the ISMS process plus an AI addendum",
    "new": "new AI-specific content",
    "excluded": "Annex A control excluded in the SoA",
}
TRACE_COLUMNS = (
    Column("Requirement", width=11), Column("Title", width=34), Column("Kind", width=9),
    Column("Approach", width=10, choices=tuple(s.value for s in ReuseStrategy),
           colours={k: v[:2] for k, v in STRATEGY_COLOURS.items()}),
    Column("ISMS sources", width=46), Column("Via", width=34), Column("Provenance", width=12),
    Column("AI addendum", width=50), Column("Exclusion", width=40),
    Column("Generated documents", width=44),
)

APPROACH_COLUMN = [c.header for c in TRACE_COLUMNS].index("Approach")


def describe_gap(plan: Plan) -> dict:
    """Everything the gap report shows, as plain values."""
    summary = gap_summary(plan)
    return {
        "id": f"{plan.profile.document_control.id_prefix}-GAP",
        "organisation": plan.profile.organisation.legal_name,
        "date": plan.profile.document_control.effective_date,
        "has_isms": plan.isms is not None,
        "rows": [_trace_row(row) for row in gap_rows(plan)],
        "counts": [[s.value, summary["counts"][s.value]] for s in ReuseStrategy],
        "total": summary["total"],
        "reuse_share": round(summary["reuse_share"], 4),
        "unused_isms_documents": summary["unused_isms_documents"],
        "uncovered": summary["uncovered"],
        "overdue": [f"{d['doc_id']} {d['title']} (next review was due {d['next_review']})"
                    for d in summary["overdue_isms_documents"]],
        "not_supplied": summary["not_supplied"],
        "named_not_supplied": summary["named_not_supplied"],
        "soa_unresolved": summary["soa_unresolved"],
    }


def _trace_row(row: dict) -> list[Value]:
    sources = row["isms_sources"]
    notes = [f"{doc_id} set aside: its own scope excludes this" for doc_id in
             row.get("scope_excluded", ())]
    if row.get("not_supplied"):
        notes.append("run by the certified ISMS; its document was not supplied")
    candidates = [f"{CANDIDATE_LABEL}: {_source(c)}: {c['evidence']}"
                  for c in row.get("candidates", [])]
    return [
        row["requirement"], row["title"], row["kind"], row["strategy"],
        joined([*(_source(s) for s in sources), *candidates, *notes], "\n"),
        joined((joined(f"{v['standard']} {v['id']} ({v['relationship'].replace('_', ' ')})"
                       for v in s["via"]) for s in sources), "\n"),
        joined(sorted({s["provenance"] for s in sources}), ", "),
        joined(row["addendum"], "\n"),
        row["exclusion"],
        joined([f"{d['doc_id']} {d['title']}" for d in row["documents"]]
               + [d["reference"] for d in row.get("amended_isms_documents", ())], "\n"),
    ]


def _source(source: dict) -> str:
    version = f", version {source['version']}" if source["version"] else ""
    return f"{source['doc_id']} {source['title']}{version} ({source['path']})"


def _summary_facts(gap: dict) -> list[tuple[str, str]]:
    return [
        ("Organisation", gap["organisation"]),
        ("Requirements", f"{gap['total']} (ISO/IEC 42001 clauses and Annex A controls)"),
        ("Met by reuse or extension of the ISMS", f"{gap['reuse_share']:.0%}"),
        ("ISMS documents not used", joined(gap["unused_isms_documents"], ", ") or
         ("none" if gap["has_isms"] else "no ISMS was read")),
        ("Requirements without a document", joined(gap["uncovered"], ", ") or "none"),
        ("ISMS documents relied on that are overdue for review",
         joined(gap["overdue"], "; ") or "none"),
        ("Run by the certified ISMS, document not supplied",
         joined(gap["not_supplied"], ", ") or "none"),
    ] + ([
        ("ISMS documents named but not supplied",
         joined(gap["named_not_supplied"], "; ") or "none"),
        ("SoA rows whose reference names no document",
         joined(gap["soa_unresolved"], "; ") or "none"),
    ] if gap["has_isms"] else [])


# Workbook -------------------------------------------------------------------------------------

def write_gap_xlsx(plan: Plan) -> bytes:
    return render_gap_xlsx(describe_gap(plan))


def render_gap_xlsx(gap: dict, brand: Brand | None = None) -> bytes:
    workbook = new_workbook(brand)
    add_table(workbook, "Traceability", TRACE_COLUMNS, gap["rows"], freeze="B2",
              heading=f"Gap and traceability — {gap['organisation']}")
    _summary_sheet(workbook, gap)
    set_properties(workbook, title=f"Gap and traceability report — {gap['organisation']}",
                   creator=gap["organisation"],
                   subject="ISO/IEC 42001 requirements against the existing ISMS",
                   keywords=("ISO/IEC 42001", "ISO/IEC 27001", "gap analysis", "traceability"),
                   when=gap["date"])
    return save_workbook(workbook, gap["date"])


def _summary_sheet(workbook, gap: dict) -> None:
    ws = workbook.create_sheet("Summary", 0)  # first: what a reader wants to see first
    put(ws.cell(1, 1), "Gap and traceability summary")
    ws.cell(1, 1).font = font(bold=True, size=12)
    facts = _summary_facts(gap)
    for row, (label, value) in enumerate(facts, start=3):
        put(ws.cell(row, 1), label)
        style_header(ws.cell(row, 1))
        put(ws.cell(row, 2), value)
    top = 3 + len(facts) + 1
    columns = (Column("Approach"), Column("Requirements"), Column("Share", number_format="0%"),
               Column("Meaning"))
    rows = [[name, count, count / gap["total"] if gap["total"] else 0, STRATEGY_MEANING[name]]
            for name, count in gap["counts"]]
    write_block(ws, top, columns, rows)
    fit_widths(ws, columns, rows)
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 44
    ws.add_chart(_strategy_chart(ws, top, len(rows)), f"A{top + len(rows) + 3}")
    set_print(ws, f"Gap and traceability summary — {gap['organisation']}", title_rows=None)


def _strategy_chart(ws, header_row: int, count: int) -> BarChart:
    """A native bar chart of requirements per approach, bars coloured as in the sheet."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.series import DataPoint

    chart = BarChart()
    chart.type = "bar"  # horizontal: labels stay readable
    chart.title = "Requirements by approach"
    chart.legend = None
    chart.x_axis.title = "Approach"
    chart.y_axis.title = "Requirements"
    chart.x_axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # first approach at the top
    chart.y_axis.majorGridlines = None
    data = Reference(ws, min_col=2, min_row=header_row, max_row=header_row + count)
    categories = Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    series = chart.series[0]
    for index, (_, _, bar) in enumerate(STRATEGY_COLOURS.values()):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = bar
        series.dPt.append(point)
    chart.height, chart.width = 7, 16
    return chart


# Markdown and HTML ----------------------------------------------------------------------------

def write_gap_markdown(plan: Plan) -> bytes:
    return render_gap_markdown(describe_gap(plan))


def render_gap_markdown(gap: dict, brand: Brand | None = None) -> bytes:
    from aimsdocs.support.yamldump import dump

    front = {"id": gap["id"], "title": "Gap and traceability report", "type": "report",
             "organisation": gap["organisation"], "date": gap["date"]}
    lines = ["---", dump(front).rstrip("\n"),
             "---", "",
             f"# Gap and traceability report — {md_cell(gap['organisation'])}", "",
             f"Date: {gap['date']}", ""]
    lines += [f"- **{md_cell(label)}:** {md_cell(value)}" for label, value in _summary_facts(gap)]
    lines += ["", "| Approach | Requirements | Meaning |", "|---|---:|---|"]
    lines += [f"| {name} | {count} | {STRATEGY_MEANING[name]} |" for name, count in gap["counts"]]
    lines += ["", "## Traceability", "",
              "| " + " | ".join(c.header for c in TRACE_COLUMNS) + " |",
              "|" + "---|" * len(TRACE_COLUMNS)]
    for row in gap["rows"]:
        lines.append("| " + " | ".join(
            "<br>".join(md_cell(part) for part in str(value).split("\n")) for value in row) + " |")
    return ("\n".join(lines) + "\n").encode("utf-8")


# Only what the shared page style (writers/html.py) lacks: the definition list and wide table.
STYLE = """
dl { display: grid; grid-template-columns: max-content auto; gap: .25rem 1rem; }
dt { font-weight: 600; }
body.wide { max-width: 90rem; }
table.trace { font-size: .85rem; }
table.trace th { position: sticky; top: 0; }
td.approach { font-weight: 600; white-space: nowrap; }
svg { max-width: 100%; height: auto; }
svg text { font-family: system-ui, sans-serif; font-size: 13px; }
"""


def write_gap_html(plan: Plan) -> bytes:
    return render_gap_html(describe_gap(plan))


def render_gap_html(gap: dict, brand: Brand | None = None) -> bytes:
    from aimsdocs.writers.html import page, page_header

    e = html.escape
    facts = "".join(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in
                    _summary_facts(gap))
    header = "".join(f"<th>{e(c.header)}</th>" for c in TRACE_COLUMNS)
    body = "".join(_html_row(row) for row in gap["rows"])
    title = f"Gap and traceability report — {gap['organisation']}"
    return page(title, [
        page_header(brand, gap["organisation"], "Gap and traceability report"),
        '<nav class="pack-nav"><a href="index.html">↑ Index of the pack</a></nav>',
        f'<main><h1 class="title">{e(title)}</h1><p>Date: {e(str(gap["date"]))}</p>'
        f"<dl>{facts}</dl><h2>Requirements by approach</h2>{_svg_chart(gap['counts'])}"
        f'<h2>Traceability</h2><div class="table-wrap"><table class="trace"><thead><tr>'
        f"{header}</tr></thead><tbody>{body}</tbody></table></div></main>",
    ], brand, extra_css=STYLE, wide=True)


def _html_row(row: list[Value]) -> str:
    cells = []
    for index, value in enumerate(row):
        text = "<br>".join(html.escape(line) for line in str(value).split("\n"))
        if index == APPROACH_COLUMN:
            fill, colour, _ = STRATEGY_COLOURS[str(value)]
            cells.append(f'<td class="approach" style="background:#{fill};color:#{colour}">'
                         f"{text}</td>")
        else:
            cells.append(f"<td>{text}</td>")
    return f"<tr>{''.join(cells)}</tr>"


def _svg_chart(counts: list[list]) -> str:
    """A horizontal bar chart drawn as inline SVG: no script, no external file."""
    label_width, bar_space, row_height = 90, 360, 28
    top = max((count for _, count in counts), default=0) or 1
    height = row_height * len(counts) + 10
    width = label_width + bar_space + 50
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
              'role="img" aria-label="Requirements by approach">')]
    for index, (name, count) in enumerate(counts):
        y = 5 + index * row_height
        width = round(bar_space * count / top)
        bar = STRATEGY_COLOURS[name][2]
        parts.append(
            f'<text x="0" y="{y + 17}">{html.escape(name)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{width}" height="{row_height - 8}" '
            f'fill="#{bar}"><title>{html.escape(name)}: {count}</title></rect>'
            f'<text x="{label_width + width + 6}" y="{y + 17}">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)
