"""Redlines of the pack's own documents: what changed since the approved version.

`aimsdocs approve` keeps the approved version's rendered text next to the state file, in
`ORG/aimsdocs-approved/<doc id>.md` (Markdown with the document control as front matter,
meant for version control with the profile), so this works in CI from the repository alone.
When a build takes a document past its approved version, `redlines/<doc slug>.docx` shows
the new version with the changes since the approved one as Word tracked changes: the
approver reads only what changed. Re-approving withdraws the redline.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from functools import partial
from pathlib import Path

import yaml

from aimsdocs.errors import InputError
from aimsdocs.pipeline.options import Output
from aimsdocs.pipeline.outputs import brand_fingerprint, fingerprint
from aimsdocs.pipeline.state import DocumentState, State
from aimsdocs.render.document import Brand, DocumentControl, RenderedDocument
from aimsdocs.support.files import sha256, write_atomic
from aimsdocs.support.names import safe_name
from aimsdocs.support.yamlio import read_text

APPROVED_DIR = "aimsdocs-approved"
FOLDER = "redlines"
MAX_APPROVED_BYTES = 4 * 1024 * 1024
_REVISIONS = "\n## Revision history\n"
_HINT = ("restore it from version control, or delete it (approving the document again "
         "writes it anew)")


def approved_path(org_root: Path, doc_id: str) -> Path:
    name = doc_id if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}", doc_id) \
        else safe_name(doc_id)
    return org_root / APPROVED_DIR / f"{name}.md"


def save_approved(org_root: Path, document: RenderedDocument, by: str,
                  on: datetime.date) -> Path:
    """Keep the text of the version just approved (called under the organisation's lock)."""
    from aimsdocs.writers.markdown import write_markdown

    control = dataclasses.replace(document.control, status="Approved", approved_by=by,
                                  approved_on=on)
    path = approved_path(org_root, document.doc_id)
    write_atomic(path, write_markdown(RenderedDocument(control, document.markdown)))
    return path


def load_approved(path: Path, state: DocumentState, current: DocumentControl
                  ) -> RenderedDocument | None:
    """The approved version as it was rendered; None when the file is of another version."""
    text = read_text(path, MAX_APPROVED_BYTES)
    end = text.find("\n---\n", 4)
    if not text.startswith("---\n") or end < 0:
        raise InputError("the approved text has no front matter", file=path, hint=_HINT)
    try:
        front = yaml.safe_load(text[4:end])
    except yaml.YAMLError:
        front = None
    if not isinstance(front, dict) or "version" not in front:
        raise InputError("the approved text's front matter is damaged", file=path, hint=_HINT)
    version = str(front["version"])
    if version != state.approved_version:
        return None
    body = _body(text[end + len("\n---\n"):])
    known = [r.version for r in state.revisions]
    revisions = state.revisions[:known.index(version) + 1] if version in known else []
    control = dataclasses.replace(
        current, version=version, status=str(front.get("status") or "Approved"),
        title=str(front.get("title") or current.title),
        owner=str(front.get("owner") or ""), approver=str(front.get("approver") or ""),
        effective_date=_date(front.get("effective_date")),
        next_review=_date(front.get("next_review")),
        approved_by=str(front.get("approved_by") or state.approved_by or ""),
        approved_on=_date(front.get("approved_on")) or state.approved_on,
        revisions=tuple(revisions))
    return RenderedDocument(control, body)


def _body(written: str) -> str:
    """The body of a document as the Markdown writer wrote it, without the revision history
    it appends (the DOCX writer shows that from the document control)."""
    cut = written.rfind(_REVISIONS)
    return (written[:cut] if cut >= 0 else written).strip("\n") + "\n"


def _as_written(document: RenderedDocument) -> RenderedDocument:
    """The current version through the same Markdown round trip as the approved text, so
    that both sides of the comparison are normalised alike."""
    from aimsdocs.writers.markdown import write_markdown

    text = write_markdown(document).decode("utf-8")
    end = text.find("\n---\n", 4)
    return RenderedDocument(document.control, _body(text[end + len("\n---\n"):]))


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def redline_outputs(org_root: Path, rendered: list[RenderedDocument], state: State,
                    slugs: dict[str, str], brand: Brand | None,
                    when: datetime.date) -> list[Output]:
    """A redline for every document whose version is past its approved version, when the
    approved text was kept."""
    outputs = []
    brand_print = brand_fingerprint(brand)
    for document in rendered:
        doc_state = state.documents.get(document.doc_id)
        if doc_state is None or not doc_state.approved_version or \
                doc_state.approved_version == doc_state.version:
            continue
        path = approved_path(org_root, document.doc_id)
        if not path.is_file():
            continue
        old = load_approved(path, doc_state, document.control)
        if old is None:
            continue
        outputs.append(Output(
            f"{FOLDER}/{slugs[document.doc_id]}.docx",
            fingerprint("redline", sha256(path.read_bytes()), document.markdown,
                        repr(document.control), brand_print),
            partial(write_redline, old, document, brand, when),
            title=f"{document.doc_id}: changes since approved version {old.control.version}"))
    return outputs


def write_redline(old: RenderedDocument, new: RenderedDocument, brand: Brand | None,
                  when: datetime.date) -> bytes:
    from aimsdocs.writers.docx import write_docx
    from aimsdocs.writers.redline import redline_docx

    return redline_docx(write_docx(old, brand), write_docx(_as_written(new), brand), when=when)
