"""The consistency rules: the pack agrees with itself and with the ISMS facts it inherits.

Every rule reads the rendered text, not only the plan, because a consultant's template
override is text: an override saying "management reviews take place once every three years"
must be caught although no plan value changed. Statements are read with the same phrase
parsers as the ISMS documents (isms/phrases.py, isms/facts.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from aimsdocs.check.model import Finding, PackDocument, Statement
from aimsdocs.isms import phrases
from aimsdocs.isms.facts import (
    Fact,
    IsmsFacts,
    Sentence,
    Table,
    management_review_statements,
    sentences_of,
    tables_of,
)
from aimsdocs.render.context import TODO_MARKER

_TODO_OPEN = TODO_MARKER.split("{}")[0]


def _said(sentence: Sentence) -> Statement:
    return Statement(sentence.document.relpath, sentence.section.heading, sentence.text)


def _row(table: Table, row: list[str]) -> Statement:
    return Statement(table.document.relpath, table.section.heading, " | ".join(row))


def _from_fact(fact: Fact) -> Statement:
    source = fact.source
    where = ("profile.yaml" if fact.declared else
             f"ISMS {source.cite()} ({source.path})")
    return Statement(where, source.section, source.quote)


def person_name(cell: str) -> str:
    """'Pieter de Vries (Internal Audit Lead)' or 'Jonas Richter, CTO' -> the name alone."""
    cell = re.sub(r"\s*\([^)]*\)", "", cell)
    return " ".join(cell.split(",")[0].split()).strip(" *")


def _role_key(label: str) -> str:
    label = re.sub(r"\s*\([^)]*\)", "", label.lower())
    return " ".join(re.sub(r"[^\w ]+", " ", label).split())


# --- roles ---------------------------------------------------------------------------------

_ROLE_COLUMN = ("role",)
_PERSON_COLUMN = ("person", "holder", "name", "who", "held by")
_PLURAL = re.compile(r"\b(?:owners|members|auditees|staff|users|employees|teams?|managers)\b")


def _role_rows(documents: Iterable[PackDocument]):
    for document in documents:
        if "role rows" not in document.memo:  # three rules read them, one per validator row
            document.memo["role rows"] = list(_document_role_rows(document))
        yield from document.memo["role rows"]


def _document_role_rows(document: PackDocument):
    for table in tables_of([document]):
        role = table.column(*_ROLE_COLUMN)
        person = table.column(*_PERSON_COLUMN)
        if role is None or person is None or role == person:
            continue
        for row in table.rows:
            if len(row) <= max(role, person):
                continue
            yield table, row, row[role], row[person]


_SYSTEM_ID = re.compile(r"\(([A-Za-z][A-Za-z0-9_-]*-\d+)\)|\b([A-Z]{2,}-\d+)\b")


def _context(table: Table, row: list[str], system_ids: set[str]) -> str:
    """Per-system roles ('System owner') are one role per AI system: the system the section,
    the row or the document is about is part of the role's name."""
    places = (table.section.heading, " ".join(row), table.document.doc_id)
    for place in places:
        for match in _SYSTEM_ID.finditer(place):
            found = match.group(1) or match.group(2)
            if found in system_ids:
                return found
        # ends with "-<system id>" (a per-system record's doc id); ids may hold hyphens, so
        # try every hyphen, longest suffix first: a lookup per hyphen, not a scan of the ids
        start = place.find("-")
        while start != -1:
            if place[start + 1:] in system_ids:
                return place[start + 1:]
            start = place.find("-", start + 1)
    return ""


def one_holder_per_role(documents: list[PackDocument], system_ids: set[str]) -> list[Finding]:
    """The same role must name the same person in every Roles table of the pack."""
    seen: dict[str, tuple[str, Statement]] = {}
    findings = []
    for table, row, role, person in _role_rows(documents):
        key = _role_key(role)
        name = person_name(person)
        if not key or not name or _PLURAL.search(key) or "," in re.sub(r"\([^)]*\)", "", person):
            continue  # a group of people, or one row listing several systems' owners
        if _TODO_OPEN in person:
            continue
        key += "@" + _context(table, row, system_ids)
        statement = _row(table, row)
        if key not in seen:
            seen[key] = (name, statement)
        elif seen[key][0] != name:
            findings.append(Finding("role", f"who holds the role '{role}'", statement,
                                    seen[key][1], "name one holder for the role in the profile "
                                    "(roles:) and let every document take it from there"))
    return findings


_OWNS = re.compile(r"^\s*owns (?:this|the) (?:procedure|document|policy|plan|process|register|"
                   r"manual)\b", re.IGNORECASE)
_OWNER_ROLE = re.compile(r"\b(?:document|process|procedure|policy|plan) owner\b", re.IGNORECASE)


def owner_matches_document_control(documents: list[PackDocument],
                                   combined: frozenset[str] = frozenset()) -> list[Finding]:
    """A Roles row that owns the document names the owner of its document-control block.

    In a combined procedure set (small organisations) each part keeps its own process owner,
    so its rows own a part, not the whole document."""
    findings = []
    for table, row, role, person in _role_rows(d for d in documents
                                               if d.doc_id not in combined):
        responsibility = " ".join(row)
        if not (_OWNER_ROLE.search(role) or any(_OWNS.search(cell) for cell in row)):
            continue
        owner = person_name(table.document.control.owner)
        if person_name(person) and owner and person_name(person) != owner:
            control = Statement(table.document.relpath, "Document control",
                                f"Owner: {table.document.control.owner}")
            findings.append(Finding("role", f"owner of {table.document.doc_id}",
                                    _row(table, row), control,
                                    "the process owner is the document owner: make them the "
                                    f"same person ({responsibility[:40]}…)"))
    return findings


def no_self_approval(documents: list[PackDocument]) -> list[Finding]:
    """Nobody approves their own document or validates their own system."""
    findings = []
    for document in documents:
        control = document.control
        owner, approver = person_name(control.owner), person_name(control.approver)
        if owner and owner == approver:
            findings.append(Finding(
                "self-approval", f"{document.doc_id} is approved by its own owner",
                Statement(document.relpath, "Document control",
                          f"Owner: {control.owner}; Approver: {control.approver}"),
                hint="give the document an approver other than its owner"))
    for table, row, role, person in _role_rows(documents):
        if not re.search(r"\b(?:validat\w*|approv\w*|sign[- ]?off|verif\w*)\b", role, re.I):
            continue
        for other_table, other_row, other_role, other_person in _role_rows([table.document]):
            if (re.search(r"\bsystem owner\b", other_role, re.I)
                    and person_name(other_person) == person_name(person)
                    and person_name(person)):
                findings.append(Finding(
                    "self-approval", f"{role} is also the system owner", _row(table, row),
                    _row(other_table, other_row),
                    "the validator or approver must be independent of the system owner"))
    return findings


# --- parameters ----------------------------------------------------------------------------

def management_review_frequency(documents: list[PackDocument], facts: IsmsFacts
                                ) -> list[Finding]:
    inherited = facts.get("management_review_frequency")
    months = facts.get("management_review_months")
    first: tuple[float, Statement] | None = None
    findings = []
    for statement_facts in management_review_statements(documents):
        frequency = statement_facts[0]
        statement = Statement(frequency.source.path, frequency.source.section,
                              frequency.source.quote)
        if inherited is not None and frequency.value != inherited.value:
            findings.append(Finding(
                "parameter", "management review frequency", statement, _from_fact(inherited),
                f"say {inherited.text}, as the ISMS does, or point to {inherited.source.cite()}"))
        elif first is not None and frequency.value != first[0]:
            findings.append(Finding("parameter", "management review frequency", statement,
                                    first[1], "state the frequency once and refer to it"))
        first = first or (frequency.value, statement)
        named = [f for f in statement_facts if f.key == "management_review_months"]
        if months is not None and named and named[0].value != months.value:
            findings.append(Finding("parameter", "management review months", statement,
                                    _from_fact(months), f"use {months.text}"))
    return findings


_RETENTION_COLUMN = ("retention", "kept for", "aufbewahrung")
_RECORD_COLUMN = ("record", "document", "aufzeichnung")
_STOP = {"and", "the", "of", "for", "a", "an", "to", "in", "on", "with", "its", "their",
         "ai", "aims", "records", "record", "system", "systems", "all", "each", "per"}


def _words(text: str) -> set[str]:
    found = set()
    for word in re.findall(r"[a-zäöüß]+", text.lower()):
        if word not in _STOP and len(word) > 2:
            found.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return found


_RELATIVE = re.compile(r"\b(?:life of|lifetime|as long as|duration of|for the duration|until|"
                       r"while)\b", re.IGNORECASE)
_LOGS = re.compile(r"\blogs?\b", re.IGNORECASE)


def record_retention(documents: list[PackDocument], facts: IsmsFacts) -> list[Finding]:
    """Retention the pack states is never shorter than the ISMS default it says it follows."""
    default = facts.get("record_retention")
    if default is None or not isinstance(default.value, phrases.Duration):
        return []
    findings = []
    for table in tables_of(documents):
        retention = table.column(*_RETENTION_COLUMN)
        if retention is None:
            continue
        for row in table.rows:
            if len(row) <= retention:
                continue
            spans = phrases.durations(row[retention])
            if not spans or any(_TODO_OPEN in cell for cell in row):
                continue
            if _RELATIVE.search(row[retention]) or _LOGS.search(row[0]):
                continue  # counted from another event, or logs (they have their own fact)
            duration = spans[0][0]
            if duration.hours < default.value.hours:
                findings.append(Finding(
                    "parameter", f"retention of '{row[0]}'", _row(table, row),
                    _from_fact(default),
                    f"keep it at least {default.text}, the ISMS default, or cite the law or "
                    "contract that sets another period"))
    for sentence in sentences_of(documents):
        text = sentence.text
        if not _mentions(text, ("kept", "retain")):
            continue
        if " | " in text or not re.search(r"\b(?:kept|retained|retention)\b", text, re.I):
            continue
        if not re.search(r"\brecords?\b", text, re.I) or _RELATIVE.search(text):
            continue
        for duration, _ in phrases.durations(text):
            if duration.unit in ("year", "month") and duration.hours < default.value.hours:
                findings.append(Finding("parameter", "record retention", _said(sentence),
                                        _from_fact(default), f"say {default.text}"))
                break
    return findings


def _mentions(text: str, *needed: tuple[str, ...]) -> bool:
    """Whether `text` holds one of each group of `needed` words (lower case) at all: a cheap
    test before a pattern that needs them, since most of a pack's sentences need none."""
    lowered = text.lower()
    return all(any(word in lowered for word in words) for words in needed)


def _singular(word: str) -> str:
    word = " ".join(word.lower().split())
    return word[:-1] if word.endswith("s") else word


# The subject must be a document ("this procedure is reviewed…", "documents are reviewed…"),
# not a risk assessment or an objective that is reviewed on its own cycle.
_REVIEWED_EVERY = re.compile(
    r"\b(?:(?:this|each|every|all|the|aims) (?:document|policy|procedure|plan|manual|register)s?"
    r"|documents|policies|procedures)\b[^.;]{0,60}?\breview\w*\b[^.;]{0,30}?"
    r"\b(?:at least )?(?:every|each|once every)\s+(?P<n>\w+)\s+(?P<unit>months?|years?)\b",
    re.IGNORECASE)


def document_review_cycle(documents: list[PackDocument], period_months: int,
                          facts: IsmsFacts) -> list[Finding]:
    """'reviewed at least every N months' agrees with the pack's review period and the ISMS."""
    findings = []
    cycles = facts.get("document_review")
    for document in documents:
        doc_type = document.control.doc_type.lower()
        if cycles is None or not isinstance(cycles.value, dict):
            break
        inherited = next((d for kind, d in cycles.value.items()
                          if _singular(kind) == _singular(doc_type)), None)
        if inherited is not None and inherited.hours != period_months * 730:
            findings.append(Finding(
                "parameter", f"review cycle of {document.doc_id} ({doc_type})",
                Statement(document.relpath, "Document control",
                          f"Next review: {document.control.next_review} "
                          f"({period_months} months after the effective date)"),
                _from_fact(cycles), f"set document_control.review_period_months to "
                f"{inherited.amount if inherited.unit == 'month' else inherited.amount * 12}"))
    for sentence in sentences_of(documents):
        if not _mentions(sentence.text, ("review",), ("every", "each")):
            continue
        match = _REVIEWED_EVERY.search(sentence.text)
        if match is None:
            continue
        amount = phrases.number(match.group("n"))
        if amount is None:
            continue
        months = amount * (12 if match.group("unit").lower().startswith("year") else 1)
        if months != period_months:
            findings.append(Finding(
                "parameter", "document review period", _said(sentence),
                Statement("profile.yaml", "document_control",
                          f"review_period_months: {period_months}"),
                "state the review period from the profile"))
    return findings


# Events whose time limits must agree wherever they are stated. A few verbs name the event
# on their own; the others need the thing acted on as well.
_SPECIFIC_VERBS = ("acknowledg", "triag", "escalat")
_EVENT_VERBS = _SPECIFIC_VERBS + ("respond", "report", "notif", "inform", "close", "assess",
                                  "answer", "resolv", "investigat")
_EVENT_NOUNS = ("concern", "incident", "complaint", "request", "nonconformit", "change",
                "finding", "breach", "question")
_WITHIN = re.compile(r"\bwithin\b", re.IGNORECASE)
CLAUSE_WORDS = 8  # words before "within" that say what has to happen


def _event(clause: str, sentence: str) -> str | None:
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", clause)][-CLAUSE_WORDS:]
    verb = (next((v for w in reversed(words) for v in _SPECIFIC_VERBS if w.startswith(v)), None)
            or next((v for w in reversed(words) for v in _EVENT_VERBS if w.startswith(v)), None))
    if verb is None:
        return None
    if verb in _SPECIFIC_VERBS:
        return verb
    nouns = [w.lower() for w in re.findall(r"[A-Za-z]+", sentence)]
    noun = next((n for w in nouns for n in _EVENT_NOUNS if w.startswith(n)), None)
    return f"{verb}… {noun}" if noun else None


def deadlines(documents: list[PackDocument]) -> list[Finding]:
    """One time limit per event: 'acknowledged within seven days' says the same everywhere,
    and is not still to be completed somewhere else."""
    stated: dict[str, tuple[phrases.Duration, Statement]] = {}
    findings = []
    open_items: list[tuple[str, Statement]] = []
    for sentence in sentences_of(documents):
        text = sentence.text
        if not _mentions(text, ("within",)):
            continue
        for within in _WITHIN.finditer(text):
            event = _event(text[:within.start()], text)
            if event is None:
                continue
            after = text[within.end():within.end() + 40]
            if after.lstrip().startswith(_TODO_OPEN):
                open_items.append((event, _said(sentence)))
                continue
            spans = [d for d, m in phrases.durations(after) if m.start() <= 3]
            if not spans:
                continue
            statement = _said(sentence)
            if event in stated and stated[event][0] != spans[0]:
                findings.append(Finding(
                    "parameter", f"time limit to {event}", statement, stated[event][1],
                    "state the time limit once and refer to it"))
            stated.setdefault(event, (spans[0], statement))
    for event, statement in open_items:
        if event in stated:
            findings.append(Finding(
                "parameter", f"time limit to {event}", statement, stated[event][1],
                f"already set to {stated[event][0]}: use that value"))
    return findings


_ACCEPT_ABOVE = re.compile(
    r"\b(?:above|over|exceeding|greater than|more than|higher than)\s+(?:the threshold of\s+|"
    r"a score of\s+)?(?P<n>\d{1,2})\b[^.]{0,120}?\b(?:accept\w*|approv\w*|decid\w*|go(?:es)? "
    r"to|escalated to|sign\w* off)\b[^.]{0,30}?\b(?:by|to)\s+(?:the\s+)?(?P<who>[A-Z][\w.-]*"
    r"(?: [A-Z][\w-]*){0,3})", re.IGNORECASE)


def risk_acceptance(documents: list[PackDocument], facts: IsmsFacts,
                    person_for=lambda role: None) -> list[Finding]:
    """Who may accept a risk follows the ISMS acceptance tiers the AIMS inherits: a sentence
    about risks above a score names every acceptor the tiers give for those scores (by the
    ISMS's role name, or the holder's name or title)."""
    tiers = facts.get("risk_tiers")
    if tiers is None:
        return []
    findings = []
    for sentence in sentences_of(documents):
        if not _mentions(sentence.text, ("above", "over", "exceed", "than")):
            continue
        match = _ACCEPT_ABOVE.search(sentence.text)
        if match is None:
            continue
        above = int(match.group("n"))
        text = sentence.text.lower()
        acceptors = {t.accepted_by for t in tiers.value if t.high > above and t.accepted_by}

        def named(role: str, text: str = text) -> bool:
            person = person_for(role)
            words = [role] + ([person.name, person.title] if person else [])
            return any(w.lower() in text for w in words)

        if len(acceptors) > 1 and not all(named(a) for a in acceptors):
            findings.append(Finding(
                "parameter", f"who accepts risks above {above}", _said(sentence),
                _from_fact(tiers), "name the acceptor of each ISMS tier: " + tiers.text))
    return findings


# --- references ----------------------------------------------------------------------------

def references_exist(documents: list[PackDocument], known_ids: set[str], prefix: str,
                     isms_ids: set[str]) -> list[Finding]:
    """Every document id the text names is in the pack or in the ISMS."""
    own = re.compile(rf"\b{re.escape(prefix)}-[A-Z]+-\d+(?:-[A-Za-z0-9_-]+?)?(?=[\s.,;:)|*`]|$)")
    findings = []
    reported: set[tuple[str, str]] = set()
    known_upper = {i.upper() for i in known_ids | isms_ids}
    # a token may be the start of a known id ("MFS-REC-01" of "MFS-REC-01-AIS-0001")
    known_upper |= {k[:i] for k in known_upper for i, c in enumerate(k) if c == "-"}
    named = f"{prefix}-"
    for sentence in sentences_of(documents):
        if named not in sentence.text:
            continue
        for match in own.finditer(sentence.text):
            token = match.group(0).rstrip("-")
            if token.upper() in known_upper:
                continue
            key = (sentence.document.relpath, token)
            if key not in reported:
                reported.add(key)
                findings.append(Finding("reference", f"{token} does not exist", _said(sentence),
                                        hint="name a document of the pack or of the ISMS"))
    return findings


def grouped(findings: list[Finding]) -> dict[str, list[Finding]]:
    by_kind: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_kind[finding.kind].append(finding)
    return dict(by_kind)
