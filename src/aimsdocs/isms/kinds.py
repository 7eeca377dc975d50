"""Document kinds: governing documents can satisfy a requirement, records only show it runs.

Governing: policy, procedure, standard, plan, manual, method, guideline, runbook, concept...
Records: report, findings, minutes, log, checklist, register, inventory, analysis, template,
form, an SoA, a cross-reference or mapping appendix.

Read, strongest first, from isms.yaml (`kind:`), the document's own metadata (`Type: Policy`,
`Dokumentart: Richtlinie`), the document register's type column, the head word of the title
(the last kind word before "of"/"for"/"der"/"über"..., so "Minutes of the management review"
is minutes and "Internal Audit Plan and Report" a report), whether the document is mostly a
mapping of ids to other documents, and the folder it sits in. English and German words; German
compounds count by their ending ("Zugriffskontrollrichtlinie", "Auditbericht").
"""

from __future__ import annotations

import re

from aimsdocs.isms.model import GOVERNING, RECORD

GOVERNING_WORDS = (
    "policy", "policies", "procedure", "procedures", "standard", "standards", "plan", "plans",
    "manual", "handbook", "method", "methodology", "guideline", "guidelines", "guidance",
    "process", "framework", "charter", "playbook", "runbook", "runbooks", "instruction",
    "instructions", "rules", "concept", "programme", "program", "strategy", "statement",
    "requirements", "baseline", "regulation", "code", "management", "governance",
    "richtlinie", "richtlinien", "leitlinie", "leitlinien", "verfahren", "verfahrensanweisung",
    "arbeitsanweisung", "anweisung", "handbuch", "konzept", "methodik", "methode", "prozess",
    "prozessbeschreibung", "regelung", "regelwerk", "vorgabe", "vorgaben", "ordnung", "planung",
)
RECORD_WORDS = (
    "report", "reports", "minutes", "log", "logs", "logbook", "record", "records", "register",
    "registry", "checklist", "checklists", "findings", "results", "evidence", "inventory",
    "analysis", "template", "templates", "form", "forms", "matrix", "cross-reference",
    "crossreference", "mapping", "survey", "tracker", "schedule",
    "list", "catalogue", "catalog", "questionnaire", "certificate", "appendix",
    "bericht", "berichte", "protokoll", "protokolle", "niederschrift", "nachweis", "nachweise",
    "checkliste", "verzeichnis", "liste", "auswertung", "befund", "befunde", "feststellungen",
    "vorlage", "formular", "analyse", "inventar", "ergebnis", "ergebnisse", "aufzeichnung",
    "aufzeichnungen", "logbuch", "übersicht", "zuordnung", "anhang", "matrix",
)
# Whole phrases decided before single words: an SoA is a record although "statement" is not.
RECORD_PHRASES = ("statement of applicability", "erklärung zur anwendbarkeit",
                  "anwendbarkeitserklärung", "cross reference", "cross-reference",
                  "business impact analysis", "risk register", "risk assessment report",
                  "lessons learned", "audit report", "audit findings")
# Words that end the head of a title: "Minutes | of the management review".
_HEAD_ENDS = re.compile(r"\s(?:of|for|on|about|to|regarding|der|des|über|für|zur|zum|zu|"
                        r"vom|von|im|in)\s", re.IGNORECASE)
RECORD_FOLDERS = ("records", "record", "reports", "minutes", "evidence", "logs", "nachweise",
                  "aufzeichnungen", "protokolle", "berichte", "audits", "findings")
GOVERNING_FOLDERS = ("policies", "policy", "procedures", "standards", "richtlinien",
                     "leitlinien", "verfahren", "handbook", "handbuch", "plans")
_GOVERNING_SUFFIXES = tuple(w for w in GOVERNING_WORDS if len(w) >= 6)
_RECORD_SUFFIXES = tuple(w for w in RECORD_WORDS if len(w) >= 6)


def kind_of_words(text: str) -> tuple[str, str] | None:
    """(kind, the word it was read from) for a title or a type value, or None."""
    lowered = " ".join(text.lower().replace("_", " ").split())
    for phrase in RECORD_PHRASES:
        if phrase in lowered:
            return RECORD, phrase
    head = _HEAD_ENDS.split(f" {lowered} ", maxsplit=1)[0]
    found = _last_kind_word(head) or _last_kind_word(lowered)
    return found


def _last_kind_word(text: str) -> tuple[str, str] | None:
    words = re.findall(r"[^\W\d_][\w-]*", text)
    for word in reversed(words):
        if word in RECORD_WORDS:
            return RECORD, word
        if word in GOVERNING_WORDS:
            return GOVERNING, word
        if word.endswith(_RECORD_SUFFIXES):
            return RECORD, word
        if word.endswith(_GOVERNING_SUFFIXES):
            return GOVERNING, word
    return None


def kind_of_folder(relpath: str) -> tuple[str, str] | None:
    for folder in reversed(relpath.lower().split("/")[:-1]):
        if folder in RECORD_FOLDERS:
            return RECORD, folder
        if folder in GOVERNING_FOLDERS:
            return GOVERNING, folder
    return None


def parse_kind(value: str) -> str | None:
    """A `kind:` value in isms.yaml: governing/record, or a type word (policy, report...)."""
    key = value.strip().lower()
    if key in (GOVERNING, RECORD):
        return key
    found = kind_of_words(key)
    return found[0] if found else None
