"""Markdown writer: YAML front matter with the control data, the body, then revision history.

For wikis, Git-hosted ISMS repositories and diffs. The revision history always goes last,
so the body starts where a reader expects it.
"""

from __future__ import annotations

import re

from aimsdocs.render.document import RenderedDocument
from aimsdocs.support.yamldump import dump
from aimsdocs.writers.tree import REVISION_COLUMNS, revision_rows


def write_markdown(doc: RenderedDocument) -> bytes:
    """Front matter, `# Title`, body and a revision-history table; LF, one final newline."""
    control = doc.control
    body = _normalise(doc.markdown)
    if not re.match(rf"#\s+{re.escape(control.title)}\s*(\n|$)", body):
        body = f"# {control.title}\n\n{body}"
    parts = ["---", _front_matter(doc).rstrip("\n"), "---", "", body, "", _revisions(doc)]
    return ("\n".join(parts).rstrip("\n") + "\n").encode("utf-8")


def _front_matter(doc: RenderedDocument) -> str:
    control = doc.control
    data = {
        "id": control.doc_id,
        "title": control.title,
        "type": control.doc_type,
        "version": control.version,
        "status": control.status,
        "classification": control.classification,
        "owner": control.owner,
        "approver": control.approver,
        "effective_date": control.effective_date,
        "next_review": control.next_review,
        "addresses": list(control.addresses),
        "organisation": control.organisation,
    }
    if control.approved_by:
        data["approved_by"] = control.approved_by
        data["approved_on"] = control.approved_on
    return dump(data, width=1000)


def _normalise(text: str) -> str:
    """LF line endings and no trailing spaces, except a two-space hard break inside a paragraph."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = []
    for line, following in zip(lines, lines[1:] + [""], strict=False):
        hard_break = line.endswith("  ") and line.strip() and following.strip()
        kept.append(line.rstrip() + ("  " if hard_break else ""))
    return "\n".join(kept).strip("\n")


def _revisions(doc: RenderedDocument) -> str:
    rows = revision_rows(doc.control)
    if not rows:
        return "## Revision history\n\nNo revisions recorded yet.\n"
    lines = ["## Revision history", "", _row(REVISION_COLUMNS), _row(("---",) * 4)]
    lines += [_row(row) for row in rows]
    return "\n".join(lines) + "\n"


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def write_document(doc: RenderedDocument, context=None) -> bytes:
    """The registry's contract (see writers/registry.py): Markdown stays plain text."""
    return write_markdown(doc)
