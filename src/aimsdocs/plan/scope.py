"""A reused document's own scope exclusions are honoured.

"Product documentation for customers and source code are out of scope" in a document-control
procedure means that procedure cannot be cited for AI technical documentation or user
information, whatever the crosswalk says. Exclusions are read from the scope sections of the
organisation's documents, in English and German, and compared with the requirement's title.
"""

from __future__ import annotations

import re

from aimsdocs.isms.model import IsmsDocument
from aimsdocs.standards import Requirement

_SCOPE_HEADING = re.compile(r"\b(?:scope|geltungsbereich|anwendungsbereich|purpose and scope)\b",
                            re.IGNORECASE)
_EXCLUDED = re.compile(
    r"\b(?:(?:are|is) (?:out of|outside (?:the|its|this)) scope|(?:are|is) excluded|"
    r"(?:are|is) not covered|(?:does|do) not apply|(?:are|is) not in scope|"
    r"nicht (?:im|Teil des) (?:Geltungsbereich|Anwendungsbereich)|ausgenommen|"
    r"ausgeschlossen|gilt nicht)\b", re.IGNORECASE)
_GENERIC = {"and", "the", "for", "are", "out", "scope", "controlled",
            "engineering", "processes", "process", "other", "its", "this", "not", "covered",
            "excluded", "system", "systems", "information", "management", "und", "die", "der",
            "sind", "werden", "nicht", "documentation", "documents", "document", "records",
            "record"}
# What a scope statement would call the subject of a requirement, where its title alone does
# not say it: AI technical documentation is product documentation, information for users goes
# to customers. aimsdocs' own judgement, like the crosswalk.
SUBJECT = {
    "A.6.2.7": {"technical", "product", "customer", "user"},
    "A.8.2": {"user", "customer", "product", "manual"},
    "A.6.2.3": {"design", "development", "source", "code"},
    "A.6.1.3": {"design", "development", "engineering"},
    "A.6.2.2": {"requirement", "specification", "product"},
    "A.6.2.4": {"testing", "verification", "validation"},
    "A.6.2.5": {"deployment", "release"},
    "A.10.4": {"customer"},
    "A.10.3": {"supplier", "vendor"},
}


def _words(text: str) -> set[str]:
    words = set()
    for word in re.findall(r"[a-zäöüß]+", text.lower()):
        if len(word) > 3 and word not in _GENERIC:
            words.add(word[:-1] if word.endswith("s") and len(word) > 5 else word)
    return words


def excluded_words(document: IsmsDocument) -> set[str]:
    """Content words of what the document's scope section says it does not cover."""
    words: set[str] = set()
    for section in document.sections:
        if not _SCOPE_HEADING.search(section.heading or ""):
            continue
        for sentence in re.split(r"(?<=[.;])\s+", section.text.replace("\n", " ")):
            match = _EXCLUDED.search(sentence)
            if match:  # the subject comes before the verb: "A and B for C are out of scope"
                for phrase in re.split(r",|\band\b|\bor\b|\bund\b|\boder\b",
                                       sentence[:match.start()]):
                    # "documentation for customers" excludes documentation, not customers
                    head = re.split(r"\b(?:for|of|to|by|from|für|von|an)\b", phrase)[0]
                    words |= _words(head)
    return words


def excludes(document: IsmsDocument, requirement: Requirement) -> bool:
    """Does the document's own scope leave out what the requirement is about?"""
    subject = _words(requirement.title) | SUBJECT.get(requirement.id, set())
    return bool(excluded_words(document) & subject)
