"""Build one organisation's pack: inputs -> plan -> rendered documents -> files.

Every output is described first (path, what it is built from, how to produce its bytes);
then the incremental step decides what to write, and `files.write_atomic` writes it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from aimsdocs import resources
from aimsdocs.errors import InputError
from aimsdocs.pipeline.amendments import amendment_outputs
from aimsdocs.pipeline.options import BuildOptions, Output, build_date, isms_mode
from aimsdocs.pipeline.outputs import DocumentOutputs, describe_outputs, workbook_outputs
from aimsdocs.pipeline.redlines import redline_outputs
from aimsdocs.pipeline.state import (
    DocumentState,
    State,
    describe_change,
    load_state,
    next_version,
    section_hashes,
)
from aimsdocs.pipeline.tracking import AccessRecorder, ProfileIndex
from aimsdocs.plan import Plan, PlannedDocument, build_plan
from aimsdocs.plan.model import TemplateSpec
from aimsdocs.profile import OrgFolder, load_org
from aimsdocs.render.document import Brand, DocumentControl, RenderedDocument, Revision
from aimsdocs.render.render import render_markdown
from aimsdocs.render.templates import discover, make_environment, search_path
from aimsdocs.standards import Standards, load_standards
from aimsdocs.support.dates import add_months
from aimsdocs.support.files import sha256
from aimsdocs.support.heap import settle


@dataclass
class Pack:
    """Everything planned and rendered for one organisation, before anything is written."""

    org: OrgFolder
    standards: Standards
    plan: Plan
    rendered: list[RenderedDocument]
    state: State
    state_changed: bool
    outputs: list[Output]
    todo_count: int


class Early(Protocol):
    """Told of outputs as soon as they are known (see `prepare`)."""

    def start(self, org: OrgFolder, workbooks: list[Output], documents: int) -> None: ...

    def add(self, outputs: list[Output]) -> None: ...


def load_inputs(org_dir: Path, options: BuildOptions):
    """Profile, standards (with user crosswalk layers), existing ISMS, templates."""
    org = load_org(org_dir)
    layers = list(options.mappings)
    if org.mappings_dir:
        layers.append(org.mappings_dir)
    standards = load_standards(tuple(layers))
    isms = None
    isms_dir = options.isms or org.isms_dir
    if options.isms and not options.isms.is_dir():
        raise InputError("ISMS folder not found", file=options.isms,
                         hint="give the folder that holds your ISMS documents and SoA")
    if isms_dir is not None:
        isms = _load_isms_cached(isms_dir, standards, layers)
    if org.qms_dir is not None:  # the QMS is a source too, through the ISO 9001 crosswalk
        from aimsdocs.isms.qms import merge

        isms = merge(isms, _load_isms_cached(org.qms_dir, standards, layers), standards)
    paths = search_path(resources.templates_dir(), org.templates_dir, options.templates)
    env = make_environment(paths)
    known = set(standards.iso42001.entries)
    specs = discover(paths, known)
    return org, standards, isms, env, specs, paths


def _load_isms_cached(isms_dir: Path, standards: Standards, layers: list[Path]):
    """Reading Word and Excel ISMS files is slow; reuse the result while no file changed."""
    from aimsdocs.isms import load_isms
    from aimsdocs.support import cache

    key = cache.files_fingerprint([isms_dir.resolve(), resources.mappings_dir(),
                                       *[p.resolve() for p in layers]])
    return cache.cached("isms", key, lambda: load_isms(isms_dir, standards))


def templates_fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for folder in paths:
        for file in sorted(folder.glob("*.j2")):
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def plan_pack(org: OrgFolder, standards: Standards, specs: list[TemplateSpec], isms,
              options: BuildOptions, as_of: date | None = None) -> Plan:
    """The plan in the build's ISMS mode: amend mode reads the ISMS documents it amends."""
    view = None
    if isms_mode(options, org.profile) == "amend":
        if isms is None:
            raise InputError("amend mode needs the organisation's ISMS documents", file=org.root,
                             field="document_control.isms_mode",
                             hint="put them in ORG/isms/ or give --isms DIR, or build with "
                                  "--isms-mode reference")
        from aimsdocs.writers.isms_amend import EngineView

        view = EngineView()
    isms_dir = options.isms or org.isms_dir
    return build_plan(org.profile, standards, specs, isms, as_of=as_of, amend=view,
                      isms_folder=Path(isms_dir).name if isms_dir else "isms")


def prepare(org_dir: Path, options: BuildOptions, early: Early | None = None) -> Pack:
    """Plan, render and describe the pack. `early`, if given, is told of outputs as soon as
    they are known, so a caller may start producing them while the rest renders: the
    workbooks once the plan is made (they do not depend on the rendered documents), then each
    document's outputs once it is rendered."""
    org, standards, isms, env, specs, paths = load_inputs(org_dir, options)
    profile = org.profile
    plan = plan_pack(org, standards, specs, isms, options, as_of=build_date(options))
    state = load_state(org.root)
    today = build_date(options)
    template_hash = templates_fingerprint(paths)
    brand = load_brand(org)
    settle()  # the inputs and the plan live to the end: no full collection need rescan them
    rendered: list[RenderedDocument] = []
    controls: dict[str, DocumentControl] = {}
    reads_by_doc: dict[str, dict[str, str]] = {}
    state_changed = False
    index = ProfileIndex(profile)
    # The SoA is a workbook, but a controlled document all the same: versioned on its content,
    # approvable, and listed in the document register (so before the documents render).
    soa_state, soa_changed = _advance_soa(plan, state, profile, today, options)
    if soa_changed:
        state.documents[plan.soa_document_id] = soa_state
        state_changed = True
    soa = soa_control(plan, soa_state, org)
    assert soa is not None  # only `current_only` gives None
    controls[plan.soa_document_id] = soa
    workbooks = workbook_outputs(plan, plan.documents, options,
                                 {d.doc_id: d.slug for d in plan.documents}, brand, soa)
    if early is not None:
        early.start(org, workbooks, len(plan.documents) * len(options.formats))
    describer = DocumentOutputs(plan, options, brand, template_hash)
    described: dict[str, list[Output]] = {}
    for position, document in enumerate(plan.documents):
        recorder = AccessRecorder(index)
        recorder.note_membership("ai_systems", profile.ai_systems)
        env.recorder = recorder
        previous = state.documents.get(document.doc_id)
        provisional = _control(document, profile, previous, org)
        try:
            markdown = render_markdown(env, plan, document, provisional,
                                       extra={"controls": controls,
                                              "isms_mode": isms_mode(options, profile)})
        finally:
            env.recorder = None
        doc_state, changed = _advance(document, markdown, previous, profile, today, options)
        if changed:
            state.documents[document.doc_id] = doc_state
            state_changed = True
        control = _control(document, profile, doc_state, org)
        controls[document.doc_id] = control
        rendered.append(RenderedDocument(control, markdown))
        reads_by_doc[document.doc_id] = recorder.reads
        described[document.doc_id] = describer.outputs(rendered[-1], position, reads_by_doc)
        if early is not None:
            early.add(described[document.doc_id])
    outputs = describe_outputs(plan, rendered, options, brand, reads_by_doc, template_hash,
                               soa_control=soa, workbooks=workbooks, described=described)
    outputs += amendment_outputs(plan, brand, today)  # amend mode: the ISMS documents
    outputs += redline_outputs(org.root, rendered, state, {d.doc_id: d.slug for d in
                                                           plan.documents}, brand, today)
    todo_count = sum(doc.markdown.count("[TO COMPLETE:") for doc in rendered)
    return Pack(org, standards, plan, rendered, state, state_changed, outputs, todo_count)


def _advance(document: PlannedDocument, markdown: str, previous: DocumentState | None,
             profile, today: date, options: BuildOptions) -> tuple[DocumentState, bool]:
    """Keep the version when the content is unchanged; otherwise bump it and log a revision."""
    return _advance_content(sha256(markdown.encode())[:16], section_hashes(markdown), previous,
                            profile, today, options, document.owner_key)


def _soa_sections(plan: Plan) -> dict[str, str]:
    from aimsdocs.writers.soa import soa_content

    return {control: sha256(text.encode())[:12] for control, text in soa_content(plan).items()}


def _advance_soa(plan: Plan, state: State, profile, today: date,
                 options: BuildOptions) -> tuple[DocumentState, bool]:
    sections = _soa_sections(plan)
    content_hash = sha256(repr(sorted(sections.items())).encode())[:16]
    doc_state, changed = _advance_content(content_hash, sections,
                                          state.documents.get(plan.soa_document_id), profile,
                                          today, options)
    if changed and len(doc_state.revisions) > 1:
        last = doc_state.revisions[-1]
        doc_state.revisions[-1] = Revision(last.version, last.date, last.author,
                                           last.description.replace("Sections ", "Rows ", 1))
    return doc_state, changed


def soa_control(plan: Plan, doc_state: DocumentState | None, org: OrgFolder,
                current_only: bool = False) -> DocumentControl | None:
    """The SoA's document control from its state; with `current_only`, None unless the state
    describes the SoA as it is now (for `aimsdocs soa`, which writes no state)."""
    if doc_state is None:
        return None
    if current_only:
        sections = _soa_sections(plan)
        if doc_state.content_hash != sha256(repr(sorted(sections.items())).encode())[:16]:
            return None
    from aimsdocs.writers.soa import TITLE

    return _control(PlannedDocument(_SOA_SPEC, plan.soa_document_id, TITLE, "soa"),
                    org.profile, doc_state, org)


def _advance_content(content_hash: str, sections: dict[str, str],
                     previous: DocumentState | None, profile, today: date,
                     options: BuildOptions, owner_key: str = "") -> tuple[DocumentState, bool]:
    owner = profile.person(owner_key or profile.document_control.owner).name
    if previous is None:
        revision = Revision("1.0", profile.document_control.effective_date, owner,
                            "First issue" + (f". {options.message}" if options.message else ""))
        return DocumentState("1.0", content_hash, sections, [revision]), True
    if previous.content_hash == content_hash:
        return previous, False
    version = next_version(previous.version)
    text = describe_change(previous.sections, sections)
    if options.message:
        text += f". {options.message}"
    revisions = previous.revisions + [Revision(version, today, owner, text)]
    # The last approval stays on record (for the redline since then); it no longer applies.
    return DocumentState(version, content_hash, sections, revisions, previous.approved_by,
                         previous.approved_on, previous.approved_version), True


def _control(document: PlannedDocument, profile, doc_state: DocumentState | None,
             org: OrgFolder) -> DocumentControl:
    defaults = profile.document_control
    owner = profile.person(document.owner_key or defaults.owner)
    approver = profile.person(document.approver_key or defaults.approver)
    version = doc_state.version if doc_state else "1.0"
    revisions = tuple(doc_state.revisions) if doc_state else ()
    effective = revisions[-1].date if revisions else defaults.effective_date
    effective = max(effective, defaults.effective_date)
    approved = doc_state is not None and doc_state.approved
    approval = doc_state if approved else None
    return DocumentControl(
        doc_id=document.doc_id,
        title=document.title,
        doc_type=document.spec.doc_type,
        organisation=profile.organisation.legal_name,
        version=version,
        status="Approved" if approved else defaults.status,
        classification=defaults.classification,
        owner=f"{owner.name}, {owner.title}",
        approver=f"{approver.name}, {approver.title}",
        effective_date=effective,
        next_review=add_months(effective, defaults.review_period_months),
        approved_by=approval.approved_by if approval else None,
        approved_on=approval.approved_on if approval else None,
        addresses=document.addresses,
        revisions=revisions,
        language=defaults.language,
    )


_SOA_SPEC = TemplateSpec(name="statement-of-applicability.xlsx", path=Path("."), local_id="SOA",
                         title="Statement of Applicability", doc_type="register",
                         addresses=("6.1.3",), per=None, order=0, description="")


def load_brand(org: OrgFolder) -> Brand | None:
    folder = org.brand_dir
    if folder is None:
        return None
    reference = folder / "reference.docx"
    logo = next((folder / n for n in ("logo.png", "logo.jpg", "logo.jpeg")
                 if (folder / n).is_file()), None)
    colour = None
    colour_file = folder / "accent-colour.txt"
    if colour_file.is_file():
        colour = colour_file.read_text(encoding="utf-8").strip().lstrip("#")
        if len(colour) != 6 or any(c not in "0123456789abcdefABCDEF" for c in colour):
            raise InputError(f"'{colour}' is not a hex colour", file=colour_file,
                             hint="write six hex digits, e.g. 1F4E79")
    if reference.is_file():
        from aimsdocs.support.safezip import check_office_file

        check_office_file(reference, "docx")
    return Brand(reference if reference.is_file() else None, logo,
                 colour.upper() if colour else None)


__all__ = ["BuildOptions", "Output", "Pack", "build_date", "load_inputs", "prepare"]
