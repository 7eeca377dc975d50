"""The cover note of the ISMS amendments (isms-amendments/README.md and README.docx).

For the ISMS owner who receives the amended documents: per document, what changed and why,
who must approve it, and how to accept or reject the changes in Word or LibreOffice and how
to apply a Markdown patch. It presents `plan.amendments`; it decides nothing.
"""

from __future__ import annotations

import datetime

from aimsdocs.plan import Plan
from aimsdocs.plan.amendments import FOLDER, AmendedDocument, IsmsAmendments, Proposal
from aimsdocs.render.document import DocumentControl, RenderedDocument
from aimsdocs.render.escape import markdown_text as md

TITLE = "ISMS documents amended for AI"


def cover_note(plan: Plan, when: datetime.date) -> RenderedDocument:
    amendments = plan.amendments
    assert amendments is not None, "the cover note exists in amend mode only"
    profile = plan.profile
    owner = profile.person(profile.roles.aims_owner)
    control = DocumentControl(
        doc_id=f"{profile.document_control.id_prefix}-ISMS-AMENDMENTS", title=TITLE,
        doc_type="report", organisation=profile.organisation.legal_name, version="proposal",
        status="For review by the ISMS document owners",
        classification=profile.document_control.classification,
        owner=f"{owner.name}, {owner.title}", approver="each document's own approver",
        effective_date=when, language=profile.document_control.language)
    return RenderedDocument(control, _markdown(plan, amendments))


def readme_markdown(note: RenderedDocument) -> bytes:
    """README.md: the note as plain Markdown (a README needs no front matter)."""
    return f"# {note.control.title}\n\n{note.markdown.strip()}\n".encode()


def _markdown(plan: Plan, amendments: IsmsAmendments) -> str:
    name = md(plan.profile.organisation.short_name)
    pending = amendments.pending
    done = [d for d in amendments.documents.values() if not d.pending]
    if not pending:
        return "\n".join([
            f"The AI additions of the AI management system (AIMS) are in {name}'s own ISMS "
            "documents already: there is nothing to review.", "",
            *_replaced(amendments),
            *(["## Amended documents", "", *(f"- {md(d.cite())} (`{md(d.relpath)}`)"
                                            for d in done), ""] if done else []),
            *_skipped(plan, amendments)])
    out = [
        f"aimsdocs proposes the AI additions of the AI management system (AIMS) as changes to "
        f"{name}'s own ISMS documents, so that one set of procedures serves both management "
        "systems. The files in this folder are copies of those documents with the changes "
        "proposed: Word documents carry them as tracked changes by \"aimsdocs\", each with a "
        "comment naming the ISO/IEC 42001 requirement; Markdown documents come as an amended "
        "copy, each added block marked with an HTML comment, and as a patch. Your own files "
        "are unchanged, and nothing in their version history has been changed: accepting the "
        "changes and approving the result as a new version is yours to do.",
        "",
    ]
    out += ["| ISMS document | Amended copy | Changes | To be approved by |",
            "|---|---|---|---|"]
    for document in pending:
        files = f"`{md(document.relpath)}`" + (
            f", `{md(document.relpath)}.patch`" if document.patch else "")
        out.append(f"| {md(document.cite())} | {files} | {len(document.proposals)} | "
                   f"{md(document.approval)} |")
    out.append("")
    out += _replaced(amendments)
    for document in pending:
        out += _document(document)
    if done:
        out += ["## Already amended", "",
                "The AI additions are in place in these documents; nothing more is proposed:",
                ""]
        out += [f"- {md(d.cite())} (`{md(d.relpath)}`)" for d in done]
        out.append("")
    out += _skipped(plan, amendments)
    out += _how_to(amendments)
    return "\n".join(out)


def _skipped(plan: Plan, amendments: IsmsAmendments) -> list[str]:
    if not amendments.skipped:
        return []
    isms = plan.isms
    assert isms is not None  # amendments are only made from an imported ISMS
    out = ["## Not amended", "",
           "These documents could not be read for amending; the AIMS cites them as they are:",
           ""]
    for doc_id, why in amendments.skipped.items():
        document = isms.documents[doc_id]
        out.append(f"- {md(document.cite())}: {md(why)}")
    return out + [""]


def _replaced(amendments: IsmsAmendments) -> list[str]:
    if not amendments.replaced:
        return []
    out = ["The AIMS pack has no procedures of its own for these processes: the amended "
           "documents cover the AIMS as well, and the AIMS document register lists them.", ""]
    for replaced in amendments.replaced.values():
        out.append(f"- {md(replaced.title)}: {md(amendments.located(replaced.isms_doc_id))}")
    return out + [""]


def _document(document: AmendedDocument) -> list[str]:
    out = [f"## {md(document.cite())}", ""]
    files = f"`{md(document.relpath)}`"
    if document.patch:
        files += f" (amended copy) and `{md(document.relpath)}.patch`"
    out.append(f"- **File:** {files}")
    why = (f"the AIMS relies on this {document.kind} for ISO/IEC 42001 "
           f"{', '.join(document.requirements)}")
    if document.replaces:
        why += "; amended, it takes the place of a separate AIMS procedure (" + "; ".join(
            md(title) for _, title in document.replaces) + ")"
    out.append(f"- **Why:** {why}.")
    approval = f"{md(document.approval)}"
    if document.approval_source:
        approval += f" ({md(document.approval_source)})"
    if document.approved_by and document.approved_by != document.approval:
        approval += f"; the current version was approved by {md(document.approved_by)}"
    out.append(f"- **Approval:** {approval}. Approve the amended document as your next "
               "version" + (f" after {md(document.version)}" if document.version else "") + ".")
    if document.patch:
        out.append(f"- **Apply the patch:** `patch -p1 < PACK/{md(document.patch)}` from the "
                   "folder that holds your ISMS folder (PACK: this pack's folder).")
    if document.in_place:
        out.append(f"- **Already in place:** {len(document.in_place)} addition(s) from an "
                   "earlier amendment; they are not proposed again.")
    out += ["", "| # | Where | Addition | ISO/IEC 42001 |", "|---|---|---|---|"]
    for number, proposal in enumerate(document.proposals, start=1):
        out.append(f"| {number} | {_where(document, proposal)} | {md(proposal.text)} | "
                   f"{', '.join(proposal.requirements)} |")
    out.append("")
    return out


def _where(document: AmendedDocument, proposal: Proposal) -> str:
    if proposal.replaces is not None:
        place = f' in "{proposal.section}"' if proposal.section else ""
        return md(f'replaces{place}: "{proposal.replaces}"')
    if proposal.section is not None:
        return md(f'end of "{proposal.section}"') + (" (scope)" if proposal.scope else "")
    place = (f'after "{document.new_section_after}"' if document.new_section_after
             else "at the end of the document")
    return md(f'new section "{document.new_section or ""}", {place}')


def _how_to(amendments: IsmsAmendments) -> list[str]:
    isms = md(amendments.isms_folder)
    return [
        "## How to review the changes", "",
        "**Microsoft Word.** Open the amended copy. On the Review tab, Track Changes shows "
        "each addition with its comment. Accept or reject one change at a time with Accept and "
        "Reject (Next moves to the following one), or all at once with Accept > Accept All "
        "Changes or Reject > Reject All Changes. Then remove the comments with Delete > Delete "
        "All Comments in Document, and save.", "",
        "**LibreOffice Writer.** Open the amended copy and choose Edit > Track Changes > "
        "Manage: the list shows every change with its author and date; Accept, Reject, "
        "Accept All and Reject All work as in Word. Delete the comments with a right-click on "
        "one of them > Delete All Comments, then save in Word format (Keep current format).",
        "",
        "Rejecting every change gives back your document exactly as it was.", "",
        f"**Markdown documents.** Either replace your file with the amended copy, or apply the "
        f"patch next to it from the folder that holds your `{isms}/` folder: `patch -p1 < "
        f"PACK/{FOLDER}/FILE.md.patch`, or `git apply PACK/{FOLDER}/FILE.md.patch` in a Git "
        f"repository (PACK is this pack's folder). Each added block "
        f"starts with an HTML comment `<!-- aimsdocs: ISO/IEC 42001 ... -->` that Markdown "
        f"viewers do not show; keep it or delete it. To leave out one addition, delete its "
        f"block from the amended copy, or its lines from the patch, before applying.", "",
        "## After approval", "",
        f"Save the approved document as your new version at the same place in `{isms}/`, "
        "with your own version number and revision entry. The next build reads it, finds the "
        "AI additions in place and proposes nothing twice; only additions that are still "
        "missing (a new AI system, for example) are proposed again.", "",
        "Do not edit the copies in this folder itself: they are regenerated, and a build "
        "stops (exit code 3) rather than overwrite a copy that was changed by hand.",
    ]
