"""Amend mode's outputs: the amended ISMS documents, their patches and the cover note.

They are outputs like any other: described here with a fingerprint of what they are built
from (the organisation's file, the proposals), produced only when new or stale, and refused
when changed by hand. The tracked changes carry the build date, which is left out of the
fingerprint: an unchanged proposal is not rewritten on another day just to change its date.

A proposal that is no longer made (the organisation brought the amended document back, or
left amend mode) withdraws its file, if the file is still as aimsdocs wrote it.
"""

from __future__ import annotations

import datetime
from functools import partial
from pathlib import Path
from typing import Any

from aimsdocs.isms.qms import PREFIX as QMS_PREFIX
from aimsdocs.pipeline.manifest import Manifest
from aimsdocs.pipeline.options import Output
from aimsdocs.pipeline.outputs import brand_fingerprint, fingerprint
from aimsdocs.plan import Plan
from aimsdocs.plan.amendments import FOLDER
from aimsdocs.render.document import Brand
from aimsdocs.support.files import sha256

WITHDRAWN_FOLDERS = (f"{FOLDER}/", "redlines/")  # proposals, not documents
AMENDMENT_HINT = ("; an ISMS amendment whose changes you accepted belongs in your ISMS folder "
                  "as the document's new version: save it there, then rebuild")


def amendment_outputs(plan: Plan, brand: Brand | None, when: datetime.date) -> list[Output]:
    amendments = plan.amendments
    if amendments is None or not (amendments.documents or amendments.skipped):
        return []
    from aimsdocs.render.cover_note import cover_note, readme_markdown
    from aimsdocs.writers import isms_amend

    isms: Any = plan.isms  # an IsmsInventory (amend mode needs one)
    outputs = []
    for document in amendments.pending:
        original = Path(isms.documents[document.doc_id].path).read_bytes()
        made_of = (sha256(original), repr(document))
        title = f"{document.doc_id} amended for AI"
        if document.format == "docx":
            outputs.append(Output(document.output, fingerprint("isms-amendment", *made_of),
                                  partial(isms_amend.amend_docx_document, original, document,
                                          when), title=title))
            continue
        # A QMS document sits in ORG/qms/, beside the ISMS folder: its path already says so.
        patch_path = (document.relpath if document.relpath.startswith(QMS_PREFIX)
                      else f"{amendments.isms_folder}/{document.relpath}")
        outputs.append(Output(document.output, fingerprint("isms-amendment-md", *made_of),
                              partial(isms_amend.amended_markdown, original, document,
                                      patch_path), title=title))
        outputs.append(Output(f"{document.output}.patch",
                              fingerprint("isms-amendment-patch", *made_of, patch_path),
                              partial(isms_amend.markdown_patch, original, document, patch_path),
                              title=f"{document.doc_id} patch"))
    note = cover_note(plan, when)
    outputs.append(Output(f"{FOLDER}/README.md", fingerprint("isms-amendments-readme",
                                                             note.markdown),
                          partial(readme_markdown, note), title="ISMS amendments cover note"))
    outputs.append(Output(f"{FOLDER}/README.docx",
                          fingerprint("isms-amendments-readme-docx", note.markdown,
                                      brand_fingerprint(brand)),
                          partial(_readme_docx, note, brand), title="ISMS amendments cover note"))
    return outputs


def _readme_docx(note, brand: Brand | None) -> bytes:
    from aimsdocs.writers.docx import write_docx

    return write_docx(note, brand)


def withdraw(manifest: Manifest, current: set[str], out_dir: Path) -> list[str]:
    """Delete proposal files (amendments, redlines) no longer produced, when unchanged since
    aimsdocs wrote them; a hand-edited one stays. Returns the relpaths withdrawn."""
    withdrawn = []
    for relpath, record in sorted(manifest.outputs.items()):
        if relpath in current or not relpath.startswith(WITHDRAWN_FOLDERS):
            continue
        target = out_dir / relpath
        if target.is_file() and not target.is_symlink() and \
                sha256(target.read_bytes()) == record.output_hash:
            target.unlink()
            withdrawn.append(relpath)
        if not target.exists():
            del manifest.outputs[relpath]
    for relpath in withdrawn:  # folders left empty go too
        folder = (out_dir / relpath).parent
        while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return withdrawn
