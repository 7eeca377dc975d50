"""Document versions, revision history and approvals, kept in the organisation folder.

`ORG/aimsdocs-state.yaml` is human-readable and meant for version control next to the
profile: deleting `output/` never resets a version. A document's version goes up only when its
content changes; the revision line says which sections changed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from aimsdocs.errors import InputError
from aimsdocs.render.document import Revision
from aimsdocs.support.yamlio import load_yaml

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
        data = {"documents": {}}
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
        return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def load_state(org_root: Path) -> State:
    path = org_root / STATE_FILE
    state = State(path)
    if not path.exists():
        return state
    located = load_yaml(path)
    data = located.data or {}
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        raise InputError("expected 'documents:' mapping", file=path, line=1,
                         hint=f"fix the file, or delete {STATE_FILE} to start versions afresh")
    for doc_id, raw in documents.items():
        try:
            revisions = [Revision(str(r["version"]), _date(r["date"]), str(r.get("author", "")),
                                  str(r.get("description", ""))) for r in raw["revisions"]]
            approval = raw.get("approval") or {}
            state.documents[str(doc_id)] = DocumentState(
                version=str(raw["version"]),
                content_hash=str(raw.get("content_hash", "")),
                sections={str(k): str(v) for k, v in (raw.get("sections") or {}).items()},
                revisions=revisions,
                approved_by=approval.get("by"),
                approved_on=_date(approval["on"]) if approval.get("on") else None,
                approved_version=str(approval["version"]) if approval.get("version") else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"entry for {doc_id} is malformed ({exc})", file=path,
                             line=located.line_of(("documents", str(doc_id))),
                             hint="restore it from version control, or remove the entry") from None
    return state


def _date(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


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
