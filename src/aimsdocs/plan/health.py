"""ISMS health: documents the AIMS relies on that are past their own next-review date.

An auditor checks that reused documents are themselves kept current; an AIMS that cites an
overdue procedure inherits its finding. The build date decides (SOURCE_DATE_EPOCH or --date
keep it reproducible).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from aimsdocs.isms.phrases import MONTHS


@dataclass(frozen=True)
class OverdueDocument:
    doc_id: str
    title: str
    next_review: date
    path: str


def parse_date(text: str | None) -> date | None:
    """'2026-03-01', '01.03.2026', '1 March 2026', 'März 2026' (first of month); else None."""
    if not text:
        return None
    text = str(text).strip()
    if match := re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text):
        parts = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif match := re.match(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$", text):
        parts = (int(match.group(3)), int(match.group(2)), int(match.group(1)))
    elif match := re.match(r"^(?:(\d{1,2})\.?\s+)?([A-Za-zäÄ]+)\s+(\d{4})$", text):
        month = MONTHS.get(match.group(2).lower())
        if month is None:
            return None
        parts = (int(match.group(3)), month, int(match.group(1) or 1))
    else:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def overdue_documents(isms, relied_on: set[str], as_of: date) -> list[OverdueDocument]:
    """Documents the plan relies on whose next review date has passed, oldest first."""
    if isms is None:
        return []
    found = []
    for doc_id in sorted(relied_on):
        document = isms.documents.get(doc_id)
        due = parse_date(document.next_review) if document is not None else None
        if due is not None and due < as_of:
            found.append(OverdueDocument(doc_id, document.title, due, document.relpath))
    return sorted(found, key=lambda d: (d.next_review, d.doc_id))
