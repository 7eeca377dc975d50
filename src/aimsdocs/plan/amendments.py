"""Amend mode: the organisation's own ISMS documents take the AI additions.

With `--isms-mode amend` (or `document_control.isms_mode: amend` in the profile) the plan
decides, for every ISMS document behind an extend decision:

- what goes into it: each distinct AI addition once, and a scope line saying that the
  document now also covers the AIMS and its AI systems;
- where each goes: the section whose heading best fits the addition's topic words, else the
  section its evidence was found in, else one clearly titled new section placed before the
  closing sections (records, history, annexes) or at the end;
- who must approve the amended document (the ISMS approval scheme, else its own approver);
- which AIMS procedures give way to it: a procedure all of whose requirements are reused
  from this one document has nothing of its own left once that document covers the AIMS;
  its one AI addition per requirement moves into the document, and the pack refers to the
  amended document instead.

Where a document's headings are and whether it already holds an addition (an amendment the
organisation accepted and brought back) is read by the writer that will amend it (a
`DocumentView`), so what the plan decides is exactly what gets written, and nothing is
proposed twice.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from aimsdocs.errors import InputError
from aimsdocs.isms.facts import IsmsFacts
from aimsdocs.plan.additions import Addition, addition_for, join
from aimsdocs.plan.model import IsmsSource, PlannedDocument, RequirementPlan, ReuseStrategy
from aimsdocs.profile.model import Profile

FOLDER = "isms-amendments"  # inside the pack: same relative paths as in the ISMS folder
NEW_SECTION = "AI systems (ISO/IEC 42001)"
AMENDED = "as amended for AI"

# Headings a scope line belongs under, best first; then where a document says what it is for.
_SCOPE_WORDS = ("scope", "geltungsbereich", "anwendungsbereich", "applicability")
_PURPOSE_WORDS = ("purpose", "zweck", "introduction", "einleitung", "overview", "ziel")
# Sections that close a document: a new section goes before them.
_CLOSING_WORDS = ("records", "record", "aufzeichnungen", "nachweise", "revision", "history",
                  "historie", "änderungshistorie", "change log", "appendix", "appendices",
                  "annex", "anhang", "anlage", "references", "referenzen", "related documents",
                  "mitgeltende", "approval", "freigabe", "distribution")
_KINDS = ("policy", "procedure", "standard", "methodology", "method", "plan", "manual",
          "guideline", "instruction", "process")
# What an AIMS procedure can give way to: a document that sets out how a process runs, not a
# policy or standard that only requires it.
_PROCEDURE_KINDS = ("procedure", "procedures", "process", "method", "methodology",
                    "instruction", "instructions", "playbook", "runbook", "programme",
                    "program", "verfahren", "verfahrensanweisung", "arbeitsanweisung",
                    "anweisung", "methodik", "methode", "prozess", "prozessbeschreibung")


@dataclass(frozen=True)
class Found:
    """Whether a document holds a text already: as it is, or in an earlier wording of ours
    (an amendment accepted before, whose facts have changed since: a new AI system...)."""

    present: bool
    earlier: str | None = None  # the paragraph as the document has it, to be replaced
    heading: str | None = None  # the heading of the section that paragraph is in


class DocumentView(Protocol):
    """What the writer that amends an ISMS document reads in it (writers/isms_amend.py)."""

    def headings(self, document: Any) -> list[tuple[str, int]]:
        """(text, level) of each heading an addition can be anchored to, in order."""

    def find(self, document: Any, texts: list[str]) -> list[Found]:
        """For each text: is it in the document already, or an earlier wording of it?"""


@dataclass(frozen=True)
class Proposal:
    """One addition to one ISMS document."""

    text: str  # as it reads inside the document
    requirements: tuple[str, ...]  # the ISO/IEC 42001 requirements it serves
    section: str | None  # heading of the section it goes into; None: the new section
    comment: str  # the Word comment / why, for the reviewer
    scope: bool = False  # the scope line
    replaces: str | None = None  # an earlier wording in the document, changed into this one


@dataclass(frozen=True)
class ReplacedDocument:
    """An AIMS procedure that gives way to an amended ISMS document."""

    local_id: str
    doc_id: str
    title: str
    isms_doc_id: str
    requirements: tuple[str, ...]
    reference: str  # how the pack names what replaces it
    output: str  # the amended copy in the pack ("" when its additions are all in place)


@dataclass(frozen=True)
class AmendedDocument:
    """An ISMS document and the AI additions proposed for it."""

    doc_id: str
    title: str
    version: str | None
    relpath: str  # relative to the ISMS folder
    format: str  # "md" | "docx"
    kind: str  # "procedure", "policy"... as the document calls itself
    proposals: tuple[Proposal, ...]  # still to make
    in_place: tuple[Proposal, ...]  # already in the document (accepted before)
    requirements: tuple[str, ...]  # every ISO/IEC 42001 requirement it serves for the AIMS
    approval: str  # who must approve the amended version
    approval_source: str  # where that comes from
    approved_by: str | None  # who approved its current version (the document says)
    replaces: tuple[tuple[str, str], ...] = ()  # (AIMS doc id, title) that gave way to it
    new_section: str | None = None  # heading of the new section, when a proposal needs it
    new_section_after: str | None = None  # heading whose whole section it follows; None: end
    new_section_level: int | None = None

    @property
    def pending(self) -> bool:
        return bool(self.proposals)

    @property
    def output(self) -> str:
        """The amended copy, relative to the pack folder."""
        return f"{FOLDER}/{self.relpath}"

    @property
    def patch(self) -> str | None:
        return f"{self.output}.patch" if self.format == "md" else None

    def cite(self) -> str:
        version = f", version {self.version}" if self.version else ""
        return f"{self.doc_id} {self.title}{version}"


@dataclass
class IsmsAmendments:
    """Every ISMS document amended for AI, and the AIMS procedures that gave way."""

    documents: dict[str, AmendedDocument] = field(default_factory=dict)
    replaced: dict[str, ReplacedDocument] = field(default_factory=dict)  # by AIMS local id
    skipped: dict[str, str] = field(default_factory=dict)  # doc id -> why it is not amended
    isms_folder: str = "isms"  # the ISMS folder's name: patches apply from its parent

    @property
    def pending(self) -> list[AmendedDocument]:
        return [d for d in self.documents.values() if d.pending]

    def reference(self, doc_id: str) -> str:
        """How a pack document names an amended ISMS document."""
        document = self.documents[doc_id]
        return f"{document.cite()}, {AMENDED}" if document.pending else document.cite()

    def located(self, doc_id: str) -> str:
        """The reference with where the amended copy is (register, SoA, gap report)."""
        document = self.documents[doc_id]
        if document.pending:
            return f"{self.reference(doc_id)} (see {document.output})"
        return f"{document.cite()} (its AI additions are in place)"


# --- which AIMS procedures give way --------------------------------------------------------

@dataclass(frozen=True)
class GivingWay:
    document: PlannedDocument
    source: IsmsSource
    requirements: tuple[str, ...]


def giving_way(documents: list[PlannedDocument], requirements: dict[str, RequirementPlan],
               isms) -> dict[str, GivingWay]:
    """AIMS procedures whose every requirement is reused from one and the same ISMS
    procedure (a policy that only requires the process does not set out how it runs).

    Extended requirements keep their AIMS document: it details what the ISMS document only
    gains a sentence about. Per-system records, plans, registers and the combined procedure
    set of a small organisation never give way."""
    found: dict[str, GivingWay] = {}
    for document in documents:
        if document.spec.doc_type != "procedure" or document.system is not None \
                or document.parts:
            continue
        decisions = [requirements[i] for i in document.addresses if i in requirements]
        if not decisions or any(d.strategy is not ReuseStrategy.reuse or not d.isms_sources
                                for d in decisions):
            continue
        governing = {d.isms_sources[0].doc_id for d in decisions}
        if len(governing) != 1:
            continue
        source = decisions[0].isms_sources[0]
        governing_doc = isms.documents.get(source.doc_id)
        if governing_doc is None or \
                (governing_doc.doc_type or "").casefold() not in _PROCEDURE_KINDS:
            continue
        found[document.spec.local_id] = GivingWay(document, source,
                                                  tuple(d.id for d in decisions))
    return found


# --- what goes into each ISMS document -----------------------------------------------------

@dataclass
class _Target:
    requirements: list[str] = field(default_factory=list)
    additions: list[tuple[str, Addition]] = field(default_factory=list)  # (requirement, text)
    replaces: list[PlannedDocument] = field(default_factory=list)

    def serve(self, requirement: str) -> None:
        if requirement not in self.requirements:
            self.requirements.append(requirement)


def plan_amendments(profile: Profile, standards, facts: IsmsFacts, isms,
                    requirements: dict[str, RequirementPlan], documents: list[PlannedDocument],
                    giving: dict[str, GivingWay], view: DocumentView,
                    isms_folder: str = "isms") -> IsmsAmendments:
    """The amendments of every ISMS document behind an extend decision or a procedure that
    gives way. A document the amending writer cannot read is cited as it is (`skipped`), and
    no AIMS procedure gives way to it."""
    targets: dict[str, _Target] = {}
    for decision in requirements.values():
        if decision.strategy is not ReuseStrategy.extend:
            continue
        for source in decision.isms_sources:
            if source.doc_id in isms.documents:
                targets.setdefault(source.doc_id, _Target()).serve(decision.id)
        addition = decision.addition
        if addition is not None and addition.source_doc in isms.documents:
            targets.setdefault(addition.source_doc, _Target()).additions.append(
                (decision.id, addition))
    for way in giving.values():
        target = targets.setdefault(way.source.doc_id, _Target())
        target.replaces.append(way.document)
        for item in way.requirements:
            target.serve(item)
            moved = addition_for(item, profile, facts, way.source.doc_id)
            if moved is not None:
                target.additions.append((item, moved))
    for decision in requirements.values():  # reused processes of an amended document
        if decision.strategy is ReuseStrategy.reuse and decision.isms_sources and \
                decision.isms_sources[0].doc_id in targets:
            targets[decision.isms_sources[0].doc_id].serve(decision.id)

    order = {item: n for n, item in enumerate(requirements)}
    leaving = {way.document.doc_id for way in giving.values()}
    by_id = {d.doc_id: d for d in documents if d.doc_id not in leaving}
    amended = IsmsAmendments(isms_folder=isms_folder)
    for doc_id in sorted(targets, key=lambda d: isms.documents[d].relpath):
        document = isms.documents[doc_id]
        target = targets[doc_id]
        target.requirements.sort(key=lambda r: order.get(r, len(order)))
        try:
            amended.documents[doc_id] = _amend(document, target, profile, standards, facts,
                                               requirements, by_id, view)
        except InputError as exc:  # the amending writer cannot read it: cite it as it is
            amended.skipped[doc_id] = str(exc)
    for local_id, way in giving.items():
        document = amended.documents.get(way.source.doc_id)
        if document is None:
            continue
        amended.replaced[local_id] = ReplacedDocument(
            local_id, way.document.doc_id, way.document.title, document.doc_id,
            way.requirements, amended.reference(document.doc_id),
            document.output if document.pending else "")
    return amended


def _amend(document, target: _Target, profile: Profile, standards, facts: IsmsFacts,
           requirements: dict[str, RequirementPlan], documents: dict[str, PlannedDocument],
           view: DocumentView) -> AmendedDocument:
    headings = _sections(document, view.headings(document))
    groups = _groups(target.additions, standards)
    replaced = tuple((d.doc_id, d.title) for d in target.replaces)
    catalogue = standards.iso42001
    wanted: list[Proposal] = [Proposal(
        scope_line(profile, document), tuple(target.requirements),
        _scope_section(headings),
        "aimsdocs: the AIMS relies on this document for ISO/IEC 42001 "
        f"{_ids(target.requirements)}, so its scope now includes the AIMS and its AI systems."
        + (f" It takes the place of a separate AIMS {_titles(replaced)}." if replaced else ""),
        scope=True)]
    for group in groups:
        items = tuple(item for item, _ in group)
        section = _best_section(group, document, requirements, headings)
        titles = "; ".join(f"{i} {catalogue[i].title}" for i in items if i in catalogue.entries)
        detail = _detail(items, requirements, documents, replaced)
        wanted.append(Proposal(group[0][1].amendment, items, section,
                               f"aimsdocs, for ISO/IEC 42001 {titles}. {detail}".strip()))
    found = view.find(document, [p.text for p in wanted])
    proposals = [_revise(p, f) for p, f in zip(wanted, found, strict=True) if not f.present]
    in_place = tuple(p for p, f in zip(wanted, found, strict=True) if f.present)
    approval, approval_source = _approval(document, facts)
    new_section = after = level = None
    if any(_new(p) for p in proposals):
        existing = next((text for text, _ in headings if _norm(text) == _norm(NEW_SECTION)), None)
        if existing is not None:  # brought back from an earlier amendment: add to it
            proposals = [_into(p, existing) if _new(p) else p for p in proposals]
        else:
            new_section = NEW_SECTION
            after, level = _new_section_place(headings)
    proposals.sort(key=lambda p: _position(p, headings, after))
    return AmendedDocument(
        document.doc_id, document.title, document.version, document.relpath, document.format,
        _kind(document), tuple(proposals), in_place, tuple(target.requirements), approval,
        approval_source, document.approver, replaced, new_section, after, level)


def _position(proposal: Proposal, headings: list[tuple[str, int]], after: str | None) -> float:
    """Where a proposal lands in reading order (the cover note lists them so)."""
    texts = [text for text, _ in headings]
    if not _new(proposal):
        return texts.index(proposal.section) if proposal.section in texts else -1
    return texts.index(after) + 0.5 if after in texts else len(texts)


def _new(proposal: Proposal) -> bool:
    """Goes into the new section: no section of the document fits it."""
    return proposal.section is None and proposal.replaces is None


def _into(proposal: Proposal, section: str) -> Proposal:
    return dataclasses.replace(proposal, section=section)


def _revise(proposal: Proposal, found: Found) -> Proposal:
    """An earlier wording of ours is changed where it stands, never added a second time."""
    if found.earlier is None:
        return proposal
    return dataclasses.replace(proposal, replaces=found.earlier, section=found.heading,
                               comment=proposal.comment + " It updates the wording accepted "
                               "earlier, whose facts have changed.")


def _groups(additions: list[tuple[str, Addition]], standards
            ) -> list[list[tuple[str, Addition]]]:
    """One group per distinct text, with every requirement it serves.

    A heading clause (6, 9, 10...) writes the words of one of its sub-clauses; alone, where
    that sub-clause is met otherwise, it would land in whichever document the heading clause
    happened to be traced to, so it is kept only together with a sub-clause's text."""
    by_text: dict[str, list[tuple[str, Addition]]] = {}
    for item, addition in additions:
        group = by_text.setdefault(addition.amendment, [])
        if item not in [i for i, _ in group]:
            group.append((item, addition))
    catalogue = standards.iso42001
    return [group for group in by_text.values()
            if not all(catalogue.children(item) for item, _ in group)]


# --- where each goes ---------------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _words(text: str) -> list[str]:
    return [w for w in _norm(text).split() if not w.isdigit()]


def _sections(document, headings: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The headings that open sections: not the document's own title."""
    title = _norm(document.title)
    kept = [(text, level) for text, level in headings if _norm(text) != title]
    if len(kept) > 1 and kept[0][1] < min(level for _, level in kept[1:]) and \
            sum(1 for _, level in kept if level == kept[0][1]) == 1:
        kept = kept[1:]  # a lone top heading over all the others is a title too
    return kept


def _matches(topic: str, heading: list[str]) -> bool:
    return all(any(word.startswith(part) for word in heading) for part in _words(topic))


def _best_section(group: list[tuple[str, Addition]], document,
                  requirements: dict[str, RequirementPlan],
                  headings: list[tuple[str, int]]) -> str | None:
    """The heading that the topic words of most of the group's requirements point to (then
    the one an earlier topic word names, then the first), else the section their evidence was
    found in, else None (the new section)."""
    best: tuple[int, int, int] | None = None
    choice = None
    for position, (text, _) in enumerate(headings):
        words = _words(text)
        served, first = 0, 99
        for _, addition in group:
            hits = [n for n, topic in enumerate(addition.topic) if _matches(topic, words)]
            if hits:
                served += 1
                first = min(first, hits[0])
        score = (served, -first, -position)
        if served and (best is None or score > best):
            best, choice = score, text
    if choice is not None:
        return choice
    known = {_norm(text): text for text, _ in headings}
    for item, _ in group:
        decision = requirements.get(item)
        for source in (decision.isms_sources if decision else []):
            section = _evidence_section(source, document.relpath)
            if section and _norm(section) in known:
                return known[_norm(section)]
    return None


def _evidence_section(source: IsmsSource, relpath: str) -> str | None:
    """'procedures/x.md line 13, section "1. Purpose"' names a section of this very file."""
    if not source.where.startswith(relpath):
        return None
    found = re.search(r'section "(.+)"$', source.where)
    return found.group(1) if found else None


def _scope_section(headings: list[tuple[str, int]]) -> str | None:
    for words in (_SCOPE_WORDS, _PURPOSE_WORDS):
        for text, _ in headings:
            if any(w.startswith(word) for w in _words(text) for word in words):
                return text
    return headings[0][0] if headings else None


def _new_section_place(headings: list[tuple[str, int]]) -> tuple[str | None, int | None]:
    """(heading whose whole section the new one follows, level): before the closing sections
    of the document, else at its end (None)."""
    if not headings:
        return None, None
    top = min(level for _, level in headings)
    sections = [text for text, level in headings if level == top]
    start = len(sections)
    while start > 0 and _closing(sections[start - 1]):
        start -= 1
    if 0 < start < len(sections):
        return sections[start - 1], top
    return (sections[-1] if start else None), top


def _closing(heading: str) -> bool:
    text = " " + _norm(heading) + " "
    return any(f" {word} " in text for word in _CLOSING_WORDS)


# --- wording and approval ------------------------------------------------------------------

def _kind(document) -> str:
    kind = (document.doc_type or "").casefold()
    return kind if kind in _KINDS else "document"


def scope_line(profile: Profile, document) -> str:
    systems = join([s.name for s in profile.ai_systems])
    return (f"This {_kind(document)} also applies to the AI management system (AIMS) of "
            f"{profile.organisation.short_name} and to the AI systems in its scope: {systems}.")


def _ids(items: Iterable[str]) -> str:
    return ", ".join(items)


def _titles(documents: tuple[tuple[str, str], ...]) -> str:
    """'procedure (Internal audit procedure and programme)'."""
    return "procedure (" + "; ".join(title for _, title in documents) + ")"


def _detail(items: tuple[str, ...], requirements: dict[str, RequirementPlan],
            documents: dict[str, PlannedDocument], replaced: tuple[tuple[str, str], ...]) -> str:
    """Which AIMS document details the requirement (none when it gave way to this one)."""
    for item in items:
        found = [documents[d] for d in requirements[item].documents if d in documents]
        detailing = [d for d in found if d.spec.doc_type != "register"]
        if detailing:
            return f"The AIMS details it in {detailing[0].doc_id} {detailing[0].title}."
    if replaced:
        return f"It takes the place of a separate AIMS {_titles(replaced)}."
    return ""


def _same_kind(label: str, kind: str) -> bool:
    a, b = _norm(label).rstrip("s"), _norm(kind).rstrip("s")
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def _approval(document, facts: IsmsFacts) -> tuple[str, str]:
    """Who approves this kind of document under the ISMS approval scheme, else the approver
    the document names, else its owner."""
    scheme = facts.get("approval_scheme")
    if scheme is not None and document.doc_type:
        rows: Any = scheme.value  # [(document type, who approves it)]
        for label, who in rows:
            if _same_kind(label, document.doc_type) or _norm(label) == "all documents":
                return who, f"for a {document.doc_type.casefold()}, by the approval scheme in " \
                    f"{scheme.source.cite()}"
    if document.approver:
        return document.approver, f"the approver named in {document.doc_id}"
    if document.owner:
        return document.owner, f"the owner named in {document.doc_id}"
    return ("the approver your document control names", "")
