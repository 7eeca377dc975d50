"""ISMS facts: the parameters an AIMS inherits from the ISMS or QMS it builds on.

A reused process comes with settings the AIMS must not contradict: how long records are kept,
who approves which documents, how often management reviews take place and in which months,
the risk scales and who may accept which risk, incident severities and notification times,
the corrective-action tool and its owner, the change board, supplier notification times, log
retention and where documents live.

Each fact is read from the organisation's own documents, in English or German, together with
its provenance: the document, the section and the phrase it was read from. Where a phrase
cannot be read with confidence the fact stays unknown: the AIMS then points to the ISMS
document instead of inventing a value. Documents are chosen by what they cover (their
coverage claims), never by file name, so any folder layout works.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from aimsdocs.isms import phrases
from aimsdocs.isms.model import IsmsDocument, IsmsInventory, IsmsSection
from aimsdocs.isms.phrases import Duration

QUOTE_LENGTH = 240


class ReadableDocument(Protocol):
    """What the readers need of a document: an ISMS document, or a rendered AIMS one."""

    @property
    def doc_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def relpath(self) -> str: ...
    @property
    def sections(self) -> tuple[IsmsSection, ...]: ...


@dataclass(frozen=True)
class FactSource:
    """Where a fact was read: a document section and the phrase itself."""

    doc_id: str
    title: str
    path: str  # relative to the ISMS folder, or "profile.yaml"
    section: str  # the section heading ("8. Control of records"), "" before any heading
    quote: str  # the phrase, as written (shortened)

    def cite(self) -> str:
        """'MFS-PRO-001 §8' when the section is numbered, else 'MFS-PRO-001, "Records"'."""
        number = re.match(r"^\s*(\d+(?:\.\d+)*)[.)]?\s", self.section)
        if number:
            return f"{self.doc_id} §{number.group(1)}"
        return f'{self.doc_id}, "{self.section}"' if self.section else self.doc_id


@dataclass(frozen=True)
class RiskTier:
    """One band of the risk matrix: score range, name, decision and who may accept it."""

    low: int
    high: int
    label: str
    decision: str
    accepted_by: str | None


@dataclass(frozen=True)
class Deadline:
    """A time limit for telling someone something ('the authority within 72 hours')."""

    party: str
    within: Duration


@dataclass(frozen=True)
class Fact:
    key: str
    value: Any  # typed per key: Duration, float, list of months, RiskTier list, text…
    text: str  # the fact in a few words, as the AIMS may repeat it
    source: FactSource
    declared: bool = False  # set in profile.yaml `integration:`, not read from a document


FACT_LABELS = {
    "record_retention": "Default retention of records",
    "approval_scheme": "Who approves which documents",
    "document_review": "Review cycle of controlled documents",
    "document_library": "Where controlled documents are published",
    "management_review_frequency": "Management review frequency",
    "management_review_months": "Management review months",
    "management_review_members": "Who attends management reviews",
    "internal_audit_cycle": "Internal audit programme cycle",
    "risk_likelihood_scale": "Risk likelihood scale",
    "risk_impact_scale": "Risk impact scale",
    "risk_formula": "Risk rating",
    "risk_threshold": "Risk acceptance threshold",
    "risk_tiers": "Risk levels and who may accept them",
    "incident_severities": "Incident severity scale",
    "incident_notifications": "Incident notification times",
    "corrective_action_tool": "Corrective-action log",
    "corrective_action_owner": "Owner of the corrective-action process",
    "corrective_action_effectiveness": "Effectiveness check of corrective actions",
    "change_board": "Change board",
    "supplier_incident_notification": "Supplier incident notification time",
    "log_retention": "Log retention",
}


@dataclass
class IsmsFacts:
    """Facts by key; `get` returns None for what the ISMS does not say (never a default)."""

    facts: dict[str, Fact] = field(default_factory=dict)

    def get(self, key: str) -> Fact | None:
        return self.facts.get(key)

    def value(self, key: str, default=None):
        fact = self.facts.get(key)
        return fact.value if fact is not None else default

    def __contains__(self, key: str) -> bool:
        return key in self.facts

    def __iter__(self):
        return iter(self.facts.values())

    def add(self, fact: Fact | None) -> None:
        if fact is not None and fact.key not in self.facts:
            self.facts[fact.key] = fact


# Which ISO items a document must cover to be read for a group of facts (27001 and 9001).
TOPIC_ITEMS = {
    "documents": (("iso27001", ("7.5", "7.5.1", "7.5.2", "7.5.3")),
                  ("iso9001", ("7.5", "7.5.1", "7.5.2", "7.5.3"))),
    "management_review": (("iso27001", ("9.3", "9.3.1", "9.3.2", "9.3.3")),
                          ("iso9001", ("9.3", "9.3.1", "9.3.2", "9.3.3"))),
    "internal_audit": (("iso27001", ("9.2", "9.2.1", "9.2.2")),
                       ("iso9001", ("9.2", "9.2.1", "9.2.2"))),
    "risk": (("iso27001", ("6.1.2", "6.1.3", "8.2", "8.3")), ("iso9001", ("6.1", "6.1.1"))),
    "incident": (("iso27001", ("A.5.24", "A.5.25", "A.5.26", "A.6.8")),),
    "corrective_action": (("iso27001", ("10.2", "10.1")), ("iso9001", ("10.2", "10.3"))),
    "change": (("iso27001", ("A.8.32", "6.3")), ("iso9001", ("6.3", "8.5.6"))),
    "supplier": (("iso27001", ("A.5.19", "A.5.20", "A.5.21", "A.5.22")),
                 ("iso9001", ("8.4", "8.4.3"))),
    "logging": (("iso27001", ("A.8.15",)),),
}
PROVENANCE_TRUST = ("declared", "mapped", "soa", "referenced", "inferred")


def topic_documents(isms: IsmsInventory, topic: str) -> list[IsmsDocument]:
    """Documents covering a topic, most trusted claim first, then by id (deterministic)."""
    ranked: dict[str, tuple[int, int]] = {}
    for position, (standard, items) in enumerate(TOPIC_ITEMS[topic]):
        for item in items:
            for claim in isms.covering(standard, item):
                provenance = getattr(claim.provenance, "value", claim.provenance)
                trust = (PROVENANCE_TRUST.index(provenance) if provenance in PROVENANCE_TRUST
                         else len(PROVENANCE_TRUST))
                rank = (trust, position)
                if claim.doc_id not in ranked or rank < ranked[claim.doc_id]:
                    ranked[claim.doc_id] = rank
    present = [d for d in ranked if d in isms.documents]
    # Governing documents before records: a report quotes a process, the procedure sets it.
    ordered = sorted(present, key=lambda d: (_is_record(isms.documents[d]), ranked[d], d))
    return [isms.documents[d] for d in ordered]


_RECORD_WORDS = re.compile(r"\b(?:report|minutes|log|record|register|results|plan and report|"
                           r"checklist|bericht|protokoll|nachweis)\b", re.IGNORECASE)


def _is_record(document: IsmsDocument) -> bool:
    kind = getattr(document, "kind", None)
    if kind:
        return kind == "record"
    return bool(_RECORD_WORDS.search(document.title))


# --- reading sections ---------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    document: ReadableDocument
    section: IsmsSection
    text: str

    def source(self, quote: str | None = None) -> FactSource:
        quote = " ".join((quote or self.text).split())
        if len(quote) > QUOTE_LENGTH:
            quote = quote[:QUOTE_LENGTH - 1].rsplit(" ", 1)[0] + " …"
        return FactSource(self.document.doc_id, self.document.title, self.document.relpath,
                          self.section.heading, quote)


def sentences_of(documents: Iterable[ReadableDocument]) -> Iterator[Sentence]:
    for document in documents:
        # A document read many times (the pack check) keeps its sentences.
        cached = getattr(document, "sentence_cache", None)
        yield from cached if cached is not None else document_sentences(document)


def document_sentences(document: ReadableDocument) -> list[Sentence]:
    found = []
    for section in document.sections:
        whole = [b if " | " in b else " ".join(b.split()) for b in section.blocks]
        for block in whole or _blocks(section.text):
            if " | " in block:  # a table row stays whole
                found.append(Sentence(document, section, " ".join(block.split())))
                continue
            found += [Sentence(document, section, s) for s in phrases.sentences(block)]
    return found


def _blocks(text: str) -> list[str]:
    """Section text back into blocks: a wrapped line continues when it starts in lower case
    after a line that did not end a sentence (readers keep source line breaks)."""
    blocks: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        previous = blocks[-1] if blocks else ""
        if (previous and " | " not in previous and " | " not in line
                and previous[-1] not in ".:;!?" and line[0].islower()):
            blocks[-1] = f"{previous} {line}"
        else:
            blocks.append(line)
    return blocks


@dataclass(frozen=True)
class Table:
    document: ReadableDocument
    section: IsmsSection
    header: list[str]
    rows: list[list[str]]

    def column(self, *words: str) -> int | None:
        for index, name in enumerate(self.header):
            lowered = name.lower()
            if any(word in lowered for word in words):
                return index
        return None

    def source(self, row: list[str] | None = None) -> FactSource:
        quote = " | ".join(row if row is not None else self.header)
        return Sentence(self.document, self.section, quote).source()


def tables_of(documents: Iterable[ReadableDocument]) -> Iterator[Table]:
    for document in documents:
        cached = getattr(document, "table_cache", None)  # as for sentences
        yield from cached if cached is not None else document_tables(document)


def document_tables(document: ReadableDocument) -> list[Table]:
    """Runs of ' | ' lines in a section: the first is the header (readers keep rows whole)."""
    found = []
    for section in document.sections:
        if " | " not in section.text:
            continue
        run: list[list[str]] = []
        for line in section.text.split("\n") + [""]:
            if " | " in line:
                run.append([cell.strip() for cell in line.split(" | ")])
                continue
            if len(run) >= 2:
                found.append(Table(document, section, run[0], run[1:]))
            run = []
    return found


def _first(sentences: Iterable[Sentence], test: Callable[[Sentence], Fact | None]
           ) -> Fact | None:
    for sentence in sentences:
        fact = test(sentence)
        if fact is not None:
            return fact
    return None


def _has(text: str, pattern: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


# --- the facts ----------------------------------------------------------------------------

_RETAIN = r"\b(?:retain|retention|retained|kept|keep|stored|archiv\w*|aufbewahr\w*|" \
          r"speicher\w*)\b"
_DEFAULT = r"\b(?:default|unless|standard|general rule|otherwise|grundsätzlich|sofern|" \
           r"regelmäßig|im regelfall|soweit nicht)\b"
_RECORDS = r"\b(?:records?|documented information|aufzeichnungen|nachweise|dokumente)\b"


def record_retention(documents: list[IsmsDocument]) -> Fact | None:
    """The default retention period of records ('the default is six years unless…')."""

    def test(sentence: Sentence) -> Fact | None:
        text = sentence.text
        if not (_has(text, _RETAIN) and _has(text, _DEFAULT)) or " | " in text:
            return None
        if not (_has(text, _RECORDS) or _has(sentence.section.heading, _RECORDS)):
            return None
        spans = [d for d, _ in phrases.durations(text) if d.unit in ("year", "month")]
        if not spans:
            return None
        return Fact("record_retention", spans[0], str(spans[0]), sentence.source())

    return _first(sentences_of(documents), test)


_APPROVER_HEADER = ("approved by", "approver", "approval", "freigabe", "genehmig")
_TYPE_HEADER = ("type", "document", "art", "typ", "kategorie", "category")
_REVIEW_HEADER = ("review", "überprüfung", "prüfung", "revision cycle", "zyklus")


def approval_scheme(documents: list[IsmsDocument]) -> list[Fact]:
    """'Policy | CEO | 12 months' tables: who approves each document type, and its review."""
    for table in tables_of(documents):
        approver = table.column(*_APPROVER_HEADER)
        kind = table.column(*_TYPE_HEADER)
        if approver is None or kind is None or approver == kind:
            continue
        scheme = [(row[kind], row[approver]) for row in table.rows
                  if len(row) > max(kind, approver) and row[kind] and row[approver]]
        if not scheme:
            continue
        facts = [Fact("approval_scheme", scheme,
                      "; ".join(f"{k}: {a}" for k, a in scheme), table.source())]
        review = table.column(*_REVIEW_HEADER)
        if review is not None:
            cycles = {}
            for row in table.rows:
                found = phrases.durations(row[review]) if len(row) > review else []
                if found and row[kind]:
                    cycles[row[kind]] = found[0][0]
            if cycles:
                facts.append(Fact("document_review", cycles,
                                  "; ".join(f"{k}: {d}" for k, d in cycles.items()),
                                  table.source()))
        return facts
    approved = re.compile(r"\b(?:approved|signed off|freigegeben|genehmigt) (?:by|durch|von) "
                          r"(?:the |den |die |dem )?(?P<who>[A-Z][\w-]*(?: [A-Z][\w-]*){0,3})")
    for sentence in sentences_of(documents):
        match = approved.search(sentence.text)
        if match and _has(sentence.text, r"\b(?:documents?|policies|polic(?:y|ies)|changes?|"
                                          r"dokumente?|richtlinien?|änderungen)\b"):
            who = match.group("who")
            return [Fact("approval_scheme", [("All documents", who)], f"all documents: {who}",
                         sentence.source())]
    return []


_LIBRARY = re.compile(
    r"\b(?:document management system|DMS|Dokumentenmanagementsystem|document library|"
    r"ISMS library)\s*\((?P<inside>[^)]{3,60})\)"
    r"|\b(?P<tool>SharePoint|Confluence|Google Drive|OneDrive|Notion|Nextcloud|M-Files|"
    r"DocuWare|Intranet|intranet)\b", re.IGNORECASE)


def document_library(documents: list[IsmsDocument]) -> Fact | None:
    def test(sentence: Sentence) -> Fact | None:
        match = _LIBRARY.search(sentence.text)
        if match is None or not _has(sentence.text, r"\b(?:documents?|dokumente?|published|"
                                                     r"veröffentlicht|stored|abgelegt)\b"):
            return None
        value = (match.group("inside") or match.group("tool")).strip()
        return Fact("document_library", value, value, sentence.source())

    return _first(sentences_of(documents), test)


_MANAGEMENT_REVIEW = re.compile(r"\bmanagement[- ]reviews?\b|\bmanagementbewertung\w*\b|"
                                r"\bmanagement[- ]review\w*\b", re.IGNORECASE)


# The frequency belongs to the review when it qualifies it ("the annual management review")
# or when the review is the subject of the clause that states it ("… takes place twice a
# year"); a frequency of some other activity in the same sentence is not read.
_REVIEW_VERBS = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:takes? place|is held|are held|is carried out|are carried out|"
    r"is conducted|are conducted|is performed|are performed|occurs?|meets?|runs?|"
    r"findet|finden|wird|werden)\b", re.IGNORECASE)


def _qualifies(text: str, review: re.Match, words: str) -> bool:
    lowered = text.lower()
    at = lowered.find(words.lower())
    if at < 0:
        return False
    if at < review.start():  # "annual management review", "the half-yearly management review"
        between = text[at + len(words):review.start()]
        return len(between.split()) <= 2 and "," not in between
    between = text[review.end():at]
    if re.search(r"[,;]|\band\b|\bbefore\b|\bafter\b", between):
        return False
    return _REVIEW_VERBS.search(between) is not None or not between.strip()


def management_review_statements(documents: Iterable[ReadableDocument]) -> Iterator[list[Fact]]:
    """Every sentence (or table row) that says how often management reviews take place."""
    for sentence in sentences_of(documents):
        text = sentence.text
        if "management" not in text.lower():  # every spelling starts so; most sentences fail
            continue
        review = _MANAGEMENT_REVIEW.search(text)
        if review is None:
            continue
        found = phrases.frequency(text)
        if found is None:
            continue
        per_year, words = found
        if " | " in text:  # a calendar row: one cell names the review, another its frequency
            cells = [c.strip() for c in text.split(" | ")]
            if not any(_MANAGEMENT_REVIEW.fullmatch(c) for c in cells):
                continue
            if not any(phrases.frequency(c) for c in cells):
                continue
        elif not _qualifies(text, review, words):
            continue
        facts = [Fact("management_review_frequency", per_year, words, sentence.source())]
        named = phrases.months(text)
        if named:
            month_names = [phrases.MONTH_NAMES[m - 1] for m in named]
            facts.append(Fact("management_review_months", named, " and ".join(month_names),
                              sentence.source()))
        yield facts


_MEMBERS = re.compile(r"^\W*(?:members|participants|attendees|teilnehmer(?:innen)?|"
                      r"mitglieder)\s*[:：]\s*(?P<list>.+)$", re.IGNORECASE)


def management_review_members(documents: list[IsmsDocument]) -> Fact | None:
    """'Members: CEO (chair), CTO, Quality Manager and …': the roles that attend."""
    def test(sentence: Sentence) -> Fact | None:
        match = _MEMBERS.match(sentence.text)
        if match is None:
            return None
        listing = re.sub(r"\([^)]*\)", "", match.group("list")).rstrip(". ")
        roles = [r.strip(" .") for r in re.split(r",|;|\band\b|\bund\b", listing)]
        roles = [r for r in roles if r and len(r.split()) <= 6]
        if len(roles) < 2:
            return None
        return Fact("management_review_members", roles, ", ".join(roles), sentence.source())

    return _first(sentences_of(documents), test)


def management_review(documents: list[IsmsDocument]) -> list[Fact]:
    """'Twice a year (March and September)': frequency and, when named, the months."""
    return next(management_review_statements(documents), [])


_CYCLE = re.compile(r"\b(?P<n>\w+)[- ](?:year|jahres)[- ]?(?:programme|program|cycle|"
                    r"audit programme|plan|programm|zyklus)\b", re.IGNORECASE)


def internal_audit_cycle(documents: list[IsmsDocument]) -> Fact | None:
    def test(sentence: Sentence) -> Fact | None:
        match = _CYCLE.search(sentence.text)
        if match is None or phrases.number(match.group("n")) is None:
            return None
        years = phrases.number(match.group("n"))
        return Fact("internal_audit_cycle", years, f"{years}-year audit programme",
                    sentence.source())

    fact = _first(sentences_of(documents), test)
    if fact is not None:
        return fact

    def yearly(sentence: Sentence) -> Fact | None:
        if not _has(sentence.text, r"\baudit\w*\b"):
            return None
        found = phrases.frequency(sentence.text)
        if found is None or found[0] < 1:
            return None
        return Fact("internal_audit_cycle", 1, found[1], sentence.source())

    return _first(sentences_of(documents), yearly)


_SCORE = re.compile(r"^\s*(\d)\s*$")


def _label(cell: str) -> str:
    """'Rare: less than once in 10 years' -> 'Rare'."""
    return re.split(r"\s*[:–—(]\s*|\s+-\s+", cell.strip(), maxsplit=1)[0].strip()


def risk_scales(documents: list[IsmsDocument]) -> list[Fact]:
    """A 'Score | Likelihood | Impact' table: the labels of each scale, in score order."""
    for table in tables_of(documents):
        likelihood = table.column("likelihood", "probability", "wahrscheinlichkeit",
                                  "eintritt")
        impact = table.column("impact", "consequence", "auswirkung", "schaden", "tragweite")
        score = table.column("score", "level", "value", "rating", "stufe", "wert", "punkt")
        if likelihood is None or impact is None:
            continue
        ordered: list[tuple[int, list[str]]] = []
        for row in table.rows:
            number = _SCORE.match(row[score]) if score is not None and len(row) > score else None
            if len(row) > max(likelihood, impact):
                ordered.append((int(number.group(1)) if number else len(ordered) + 1, row))
        ordered.sort(key=lambda pair: pair[0])
        likelihoods = [_label(row[likelihood]) for _, row in ordered]
        impacts = [_label(row[impact]) for _, row in ordered]
        if len(likelihoods) >= 3 and all(likelihoods) and all(impacts):
            source = table.source()
            return [Fact("risk_likelihood_scale", likelihoods, ", ".join(likelihoods), source),
                    Fact("risk_impact_scale", impacts, ", ".join(impacts), source)]
    return []


_RANGE = re.compile(r"^\s*(\d{1,2})\s*(?:–|—|-|to|bis)\s*(\d{1,2})\s*$")
_ACCEPTOR = re.compile(
    r"\b(?i:accept(?:ance|ed)?|approv(?:al|ed)|sign[- ]off|akzeptanz|akzeptiert|freigabe)"
    r"(?i: only)?(?i: of the residual risk)? (?i:by|durch|von) (?i:the |den |die |dem )?"
    r"(?P<who>(?:[a-z]+ )?[A-Za-zÄÖÜäöüß][\w-]*(?: [A-Z][\w-]*){0,3})")


def risk_tiers(documents: list[IsmsDocument]) -> Fact | None:
    """'High | 9–14 | Treat; acceptance only by the CTO': bands and who may accept each."""
    for table in tables_of(documents):
        if table.column("decision", "acceptance", "action", "treatment", "entscheidung",
                        "maßnahme", "akzeptanz") is None:
            continue
        tiers = []
        for row in table.rows:
            ranges = [(i, found) for i, c in enumerate(row) if (found := _RANGE.match(c))]
            if not ranges:
                continue
            index, match = ranges[0]
            others = [c for i, c in enumerate(row) if i != index]
            label = others[0] if others else ""
            decision = " ".join(others[1:]) if len(others) > 1 else ""
            acceptor = _ACCEPTOR.search(decision)
            tiers.append(RiskTier(int(match.group(1)), int(match.group(2)), label, decision,
                                  acceptor.group("who") if acceptor else None))
        if len(tiers) >= 2:
            text = "; ".join(f"{t.label} {t.low}–{t.high}"
                             + (f" accepted by {t.accepted_by}" if t.accepted_by else "")
                             for t in tiers)
            return Fact("risk_tiers", tiers, text, table.source())
    return None


_THRESHOLD = re.compile(
    r"\b(?:acceptance threshold|risk appetite|risk acceptance (?:level|criterion|threshold)|"
    r"akzeptanzschwelle|akzeptanzgrenze|schwellenwert)\b[^.\d]{0,25}?(?P<n>\d{1,2})\b",
    re.IGNORECASE)
_FORMULA = re.compile(r"\b(?:likelihood|probability|wahrscheinlichkeit)\s*(?:×|x|\*|times|mal)\s*"
                      r"(?:impact|consequence|auswirkung|schadenshöhe)\b", re.IGNORECASE)


def risk_rating(documents: list[IsmsDocument]) -> list[Fact]:
    facts: list[Fact] = []
    for sentence in sentences_of(documents):
        if "risk_threshold" not in {f.key for f in facts}:
            match = _THRESHOLD.search(sentence.text)
            if match:
                facts.append(Fact("risk_threshold", int(match.group("n")), match.group("n"),
                                  sentence.source()))
        if "risk_formula" not in {f.key for f in facts} and _FORMULA.search(sentence.text):
            facts.append(Fact("risk_formula", sentence.text, sentence.text, sentence.source()))
    return facts


_SEVERITY = re.compile(r"^(?:SEV|Sev|P|Prio(?:rity|rität)?|Severity|Schweregrad|Stufe|Level)"
                       r"[\s-]?\d\b")


def incident_facts(documents: list[IsmsDocument]) -> list[Fact]:
    facts: list[Fact] = []
    for table in tables_of(documents):
        levels = [row[0] for row in table.rows if row and _SEVERITY.match(row[0])]
        if len(levels) >= 2:
            facts.append(Fact("incident_severities", levels, ", ".join(levels), table.source()))
            break
    deadlines: list[Deadline] = []
    first: Sentence | None = None
    for sentence in sentences_of(documents):
        text = sentence.text
        if not _has(text, r"\b(?:notif\w*|report\w*|inform\w*|meld\w*|benachrichtig\w*)\b"):
            continue
        for duration, match in phrases.durations(text):
            before = text[:match.start()].lower()
            if not re.search(r"(?:within|no later than|innerhalb(?: von)?|binnen|spätestens"
                             r"(?: nach)?)\s*$", before):
                continue
            party = _party(text)
            if party and not any(d.party == party for d in deadlines):
                deadlines.append(Deadline(party, duration))
                first = first or sentence
    if deadlines and first is not None:
        facts.append(Fact("incident_notifications", deadlines,
                          "; ".join(f"{d.party} within {d.within}" for d in deadlines),
                          first.source()))
    return facts


_PARTIES = (
    ("supervisory authority", r"\b(?:supervisory|data protection|regulatory) authorit\w*\b|"
                              r"\baufsichtsbehörde\b|\bdatenschutzbehörde\b|\bregulator\b"),
    ("affected customers", r"\bcustomers?\b|\bclients?\b|\bkunden\b"),
    ("affected individuals", r"\baffected (?:people|persons|individuals|data subjects)\b|"
                             r"\bbetroffenen?\b"),
    ("top management", r"\btop management\b|\bgeschäftsführung\b|\bexecutive board\b"),
)


def _party(text: str) -> str | None:
    for name, pattern in _PARTIES:
        if _has(text, pattern):
            return name
    return None


_TOOL = re.compile(
    r"\b(?:in|into|through|using|via|im|in der|in dem)\s+(?:the\s+|our\s+)?"
    r"(?P<tool>[A-Z][\w-]*(?:\s[\w-]+){0,2}?\s(?:project|log|register|tool|system|board|"
    r"database|tracker|queue|projekt)(?:\s[A-Z][\w-]+)?"
    r"|[A-ZÄÖÜ]\w*(?:system|register|projekt|datenbank)(?:\s[A-Z][\w-]+)?)\b")
_ROLE = re.compile(
    r"\b(?:[Tt]he |[Dd]er |[Dd]ie )?(?P<role>Chief [A-Z]\w+ Officer|(?:[A-Z][a-z]+ ){1,3}"
    r"(?:Manager|Officer|Lead|Coordinator|Counsel|Director)|Head of [A-Z][a-z]+(?: [A-Z][a-z]+)?|"
    r"CISO|CIO|CTO|CEO|COO|CFO|DPO|ISB|QMB|\w*[Bb]eauftragte[rn]?)\b")


def corrective_action(documents: list[IsmsDocument]) -> list[Fact]:
    facts: list[Fact] = []
    for sentence in sentences_of(documents):
        text = sentence.text
        keys = {f.key for f in facts}
        if "corrective_action_tool" not in keys and _has(
                text, r"\b(?:raise|raised|record|recorded|log|logged|track|tracked|enter|"
                      r"entered|erfass\w*|dokumentiert)\b"):
            match = _TOOL.search(text)
            if match:
                tool = match.group("tool").strip()
                facts.append(Fact("corrective_action_tool", tool, tool, sentence.source()))
        if "corrective_action_owner" not in keys and _has(
                text, r"\b(?:checks|assigns|confirms|reviews|verifies|prüft|bewertet)\b"):
            match = _ROLE.search(text)
            if match and text.lstrip().startswith(match.group(0).strip()):
                role = match.group("role").strip()
                facts.append(Fact("corrective_action_owner", role, role, sentence.source()))
        if "corrective_action_effectiveness" not in keys and _has(
                text, r"\b(?:effective|effectiveness|wirksam\w*)\b(?!\s+(?:date|from))") and _has(
                text, r"\b(?:review\w*|check\w*|verif\w*|assess\w*|prüf\w*|bewert\w*)\b") and _has(
                text, r"\b(?:actions?|corrective|maßnahmen?|korrektur\w*)\b"):
            spans = [d for d, _ in phrases.durations(text)]
            words = f"after {spans[0]}" if spans else "checked by the process owner"
            facts.append(Fact("corrective_action_effectiveness", spans[0] if spans else None,
                              words, sentence.source()))
    return facts


_BOARD = re.compile(r"\b(?:change advisory (?:board|meeting|committee)|change (?:board|"
                    r"committee)|CAB|änderungs(?:beirat|ausschuss|gremium|board)|"
                    r"change[- ]advisory[- ]board)\b", re.IGNORECASE)


def change_board(documents: list[IsmsDocument]) -> Fact | None:
    def test(sentence: Sentence) -> Fact | None:
        match = _BOARD.search(sentence.text)
        if match is None:
            return None
        return Fact("change_board", match.group(0), match.group(0), sentence.source())

    return _first(sentences_of(documents), test)


def supplier_notification(documents: list[IsmsDocument]) -> Fact | None:
    def test(sentence: Sentence) -> Fact | None:
        text = sentence.text
        if not (_has(text, r"\b(?:incident|breach|vorfall|vorfälle|sicherheitsvorf\w*)\b")
                and _has(text, r"\b(?:notif\w*|inform\w*|meld\w*|report\w*)\b")):
            return None
        spans = [d for d, m in phrases.durations(text)
                 if d.unit in ("hour", "day", "working day")]
        if not spans:
            return None
        return Fact("supplier_incident_notification", spans[0], f"within {spans[0]}",
                    sentence.source())

    return _first(sentences_of(documents), test)


def log_retention(documents: list[IsmsDocument]) -> Fact | None:
    def test(sentence: Sentence) -> Fact | None:
        text = sentence.text
        if not (_has(text, _RETAIN) and _has(text, r"\blogs?\b|\bprotokoll\w*\b")):
            return None
        if not phrases.durations(text):
            return None
        summary = re.sub(r"^\s*(?:retention|aufbewahrung)\s*:\s*", "", text, flags=re.I)
        return Fact("log_retention", summary, summary, sentence.source())

    return _first(sentences_of(documents), test)


def extract_facts(isms: IsmsInventory) -> IsmsFacts:
    """Every fact the organisation's documents state, each with its provenance."""
    facts = IsmsFacts()
    docs = {topic: topic_documents(isms, topic) for topic in TOPIC_ITEMS}
    facts.add(record_retention(docs["documents"]))
    for fact in approval_scheme(docs["documents"]):
        facts.add(fact)
    facts.add(document_library(docs["documents"]))
    for fact in management_review(docs["management_review"]):
        facts.add(fact)
    facts.add(management_review_members(docs["management_review"]))
    facts.add(internal_audit_cycle(docs["internal_audit"]))
    for fact in risk_scales(docs["risk"]) + risk_rating(docs["risk"]):
        facts.add(fact)
    facts.add(risk_tiers(docs["risk"]))
    for fact in incident_facts(docs["incident"]):
        facts.add(fact)
    for fact in corrective_action(docs["corrective_action"]):
        facts.add(fact)
    facts.add(change_board(docs["change"]))
    facts.add(supplier_notification(docs["supplier"]))
    facts.add(log_retention(docs["logging"]))
    return facts
