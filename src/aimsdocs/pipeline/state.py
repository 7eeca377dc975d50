"""Document versions, revision history and approvals, kept in the organisation folder.

`ORG/aimsdocs-state.yaml` is human-readable and meant for version control next to the
profile: deleting `output/` never resets a version. A document's version goes up only when its
content changes; the revision line says which sections changed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from aimsdocs.errors import InputError, ProblemList
from aimsdocs.render.document import Revision
from aimsdocs.support.yamldump import dump
from aimsdocs.support.yamlio import LocatedYaml, load_yaml

STATE_FILE = "aimsdocs-state.yaml"
HEADER = ("# Maintained by aimsdocs: document versions, revision history and approvals.\n"
          "# Keep it under version control with profile.yaml; edit revision descriptions freely.\n")


@dataclass
class DocumentState:
    version: str
    content_hash: str
    sections: dict[str, str]
    revisions: list[Revision]
    approved_by: str | None = None
    approved_on: date | None = None
    approved_version: str | None = None

    @property
    def approved(self) -> bool:
        return self.approved_by is not None and self.approved_version == self.version


@dataclass
class State:
    path: Path
    documents: dict[str, DocumentState] = field(default_factory=dict)

    def to_yaml(self) -> str:
        data: dict = {"documents": {}}
        for doc_id in sorted(self.documents):
            doc = self.documents[doc_id]
            entry = {
                "version": doc.version,
                "content_hash": doc.content_hash,
                "sections": dict(sorted(doc.sections.items())),
                "revisions": [
                    {"version": r.version, "date": r.date, "author": r.author,
                     "description": r.description} for r in doc.revisions
                ],
            }
            if doc.approved_by:
                entry["approval"] = {"by": doc.approved_by, "on": doc.approved_on,
                                     "version": doc.approved_version}
            data["documents"][doc_id] = entry
        # No anchors: every entry stands alone, so deleting one never breaks another.
        return HEADER + dump(data, width=100, aliases=False)


def load_state(org_root: Path) -> State:
    """Read the state file, tolerating hand edits; what cannot be read is named by line."""
    path = org_root / STATE_FILE
    state = State(path)
    if not path.exists():
        return state
    located = load_yaml(path)
    data = located.data
    hint = f"fix the file, or delete {STATE_FILE} to start versions afresh"
    if data is None:
        return state
    documents = data.get("documents") if isinstance(data, dict) else None
    if documents is None and isinstance(data, dict) and "documents" in data:
        return state  # every entry deleted by hand
    if not isinstance(documents, dict):
        raise InputError("expected 'documents:' mapping", file=path, line=1, hint=hint)
    problems = ProblemList()
    for doc_id, raw in documents.items():
        where = _Where(located, ("documents", str(doc_id)), problems)
        doc = _document(raw, where)
        if doc is not None:
            state.documents[str(doc_id)] = doc
    problems.raise_if_any()
    return state


@dataclass
class _Where:
    located: LocatedYaml
    path: tuple
    problems: ProblemList

    def bad(self, message: str, *more) -> None:
        loc = self.path + more
        self.problems.add(message, file=self.located.file, line=self.located.line_of(loc),
                          field=".".join(str(p) for p in loc),
                          hint="restore it from version control, or delete this document's "
                               "entry (its version history starts again at 1.0)")


def _document(raw, where: _Where) -> DocumentState | None:
    if not isinstance(raw, dict):
        where.bad("expected a mapping with version, revisions and sections")
        return None
    revisions: list[Revision] = []
    raw_revisions = raw.get("revisions") or []
    if not isinstance(raw_revisions, list):
        where.bad("'revisions' must be a list", "revisions")
        raw_revisions = []
    for index, item in enumerate(raw_revisions):
        if not isinstance(item, dict) or "version" not in item or "date" not in item:
            where.bad("each revision needs a 'version' and a 'date'", "revisions", index)
            continue
        day = _date(item["date"])
        if day is None:
            where.bad(f"{item['date']!r} is not a date (YYYY-MM-DD)", "revisions", index, "date")
            continue
        revisions.append(Revision(_text(item["version"]), day, _text(item.get("author")),
                                  _text(item.get("description"))))
    version = raw.get("version")
    if version is None or isinstance(version, (dict, list)):
        if revisions:
            version = revisions[-1].version  # the history still says which version this is
        else:
            where.bad("'version' is missing", "version")
            return None
    sections = raw.get("sections") or {}
    if not isinstance(sections, dict):
        where.bad("'sections' must be a mapping of section name to hash", "sections")
        sections = {}
    approval = raw.get("approval") or {}
    if not isinstance(approval, dict):
        where.bad("'approval' must be a mapping with by, on and version", "approval")
        approval = {}
    approved_on = None
    if approval.get("on") is not None:
        approved_on = _date(approval["on"])
        if approved_on is None:
            where.bad(f"{approval['on']!r} is not a date (YYYY-MM-DD)", "approval", "on")
    return DocumentState(
        version=_text(version),
        content_hash=_text(raw.get("content_hash")),
        sections={str(k): _text(v) for k, v in sections.items()},
        revisions=revisions,
        approved_by=_text(approval["by"]) if approval.get("by") else None,
        approved_on=approved_on,
        approved_version=_text(approval["version"]) if approval.get("version") else None,
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return " ".join(str(v) for v in (value.values() if isinstance(value, dict) else value))
    return str(value)


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def section_hashes(markdown: str) -> dict[str, str]:
    """Hash per top-level section ('## Heading'), so a revision can say what changed."""
    sections: dict[str, list[str]] = {"(opening)": []}
    current = "(opening)"
    for line in markdown.splitlines():
        match = re.match(r"^##\s+(.*)$", line)
        if match:
            current = match.group(1).strip()
            sections.setdefault(current, [])
        sections[current].append(line)
    return {name: hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]
            for name, lines in sections.items() if any(line.strip() for line in lines)}


def describe_change(old: dict[str, str], new: dict[str, str]) -> str:
    changed = [s for s in new if s in old and old[s] != new[s]]
    added = [s for s in new if s not in old]
    removed = [s for s in old if s not in new]
    parts = []
    if changed:
        parts.append("updated " + ", ".join(f"'{s}'" for s in changed))
    if added:
        parts.append("added " + ", ".join(f"'{s}'" for s in added))
    if removed:
        parts.append("removed " + ", ".join(f"'{s}'" for s in removed))
    return ("Sections " + "; ".join(parts)) if parts else "Content updated"


def next_version(version: str) -> str:
    """1.0 -> 1.1 -> … -> 1.9 -> 1.10: a content change is a minor revision."""
    major, _, minor = version.partition(".")
    try:
        return f"{int(major)}.{int(minor or 0) + 1}"
    except ValueError:
        return f"{version}.1"
