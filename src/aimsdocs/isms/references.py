"""Find ISO/IEC 27001 and ISO 9001 references in text.

Recognised (only ids that exist in the catalogues count):
- Annex A controls: `A.5.15`, `A 5.15`, `A5.15`, `A.05.15`, `Annex A 5.15`, `Annex A control
  5.15`, `Anhang A 5.15`; ranges `A.5.24–5.28`, `A.5.24-A.5.28`, `A 5.19 to 5.22`, `A.5.15-18`;
  lists, ranges mixed in: `A.5.15–5.18, 8.2–8.5` and `A.5.29, 5.30 and 5.31`;
- ISO/IEC 27001:2013 ids `A.12.4.1`, translated with the 2013 catalogue (the translation is
  the reference's note);
- clauses: `Clause 7.5`, `Clauses 6.1, 6.2 and 8.2`, `ISO 27001 7.5`, `ISO/IEC 27001:2022 clause
  9.2`, `ISO 9001 8.4`, `ISO 9001:2015 clause 7.5`, `Kapitel 7.5 der ISO 27001`;
- ISO/IEC 27002 control numbers `ISO 27002 8.15` (= Annex A 8.15);
- ids without "A." where the context says they are Annex A (`annex=True`: a column named
  "Annex A control", or a sentence that names Annex A);
- `titled_reference`: a number followed by (or a heading followed by a parenthesised number)
  the title of the item it stands for, "6.1.1 Information security roles and
  responsibilities" (2013 A.6.1.1), "Risk treatment (6.1.3)", checked against the titles so a
  section number of some other scheme is not mistaken for an ISO id.

A mention of a top-level clause or a range of them ("Clauses 4–10", "Clause 9") is a scope
statement: the reference is marked `scope` and claims nothing.

Deliberately NOT recognised: bare numbers without such context (`7.5`, `1.3`), `section 7.5` /
`§ 7.5` (usually a section of some other document), versions, dates, addresses, and ids that
follow another framework's name (NIST CSF, CIS, SOC 2, PCI DSS, BSI, HIPAA...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aimsdocs.standards import Standards

_NUM = r"\d{1,2}(?:\.\d{1,2}){0,3}(?!\d|\.\d)"
_END = r"(?!\d|\.\d|\s*%)"
_DASH = r"\s*(?:–|—|-|\bto\b|\bthrough\b|\buntil\b|\bbis\b)\s*"
_LIST_SEP = r"\s*(?:,|;|/|&|\band\b|\bor\b|\bund\b|\boder\b)\s*"
_ANNEX_WORDS = r"(?:[Aa]nnex|[Aa]nhang)\s+A(?:\s*[-–]?\s*(?:[Cc]ontrols?|[Mm]aßnahmen?))?"
_ANNEX = re.compile(
    r"(?<![\w.])(?:" + _ANNEX_WORDS + r"\s*[.:]?\s*(?:A\s*\.?\s*)?|A\s*\.?\s*)"
    r"(?P<id>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)" + _END
)
_BARE = re.compile(r"(?<![\w.])(?P<id>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)" + _END)
_RANGE_END = re.compile(_DASH + r"(?:A\s*\.?\s*)?(?P<end>\d{1,2}(?:\.\d{1,2})?)" + _END)
_LIST_NEXT = re.compile(_LIST_SEP + r"(?:A\s*\.?\s*)?(?P<id>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)"
                        + _END)
_ASIDE = r"(?:\s*\([^()]{1,60}\))?"  # "7.2 (competence) and 7.3 (awareness)"
_MORE = r"(?:(?:" + _LIST_SEP + "|" + _DASH + r")" + _NUM + _ASIDE + r")*"  # ", 6.2 and 8.2"
_CLAUSE = re.compile(r"\b(?:[Cc]lauses?|[Kk]apitel|[Kk]lauseln?)\s+(?P<list>" + _NUM + _ASIDE
                     + _MORE + ")")
# Without the word "clause" the first number must be dotted: "ISO 27001 2022" is a year.
_ISO_NUMBER = re.compile(
    r"\bISO(?:/IEC)?\s*(?P<std>27001|27002|9001)(?:\s*:\s*(?P<year>\d{4}))?\s*,?\s+"
    r"(?:(?P<controls>controls?|Maßnahmen?)\s+)?(?P<list>\d{1,2}(?:\.\d{1,2}){1,3}" + _END
    + _ASIDE + _MORE + ")"
)
# "ISO 22301", "ISO/IEC 27701", or a bare "27001"/"9001"; years and other numbers are not names.
_STANDARD_NAME = re.compile(r"\bISO(?:/IEC)?\s*(?P<std>\d{4,5})|\b(?P<bare>27001|9001)\b")
# Other frameworks whose ids look like ours ("CIS 5.1", "SOC 2 CC6.1", "NIST CSF PR.AC-1").
_FOREIGN = re.compile(r"\b(?:NIST|CSF|CIS|SOC\s*[12]|SOC|TSC|PCI(?:[\s-]*DSS)?|HIPAA|HITRUST|"
                      r"GDPR|DSGVO|BSI|COBIT|TISAX|VDA|C5|NIS\s*2|DORA|SP\s*800|CSA|CCM|"
                      r"Art(?:icle|ikel)?\.?|Section|Sec\.|Req(?:uirement)?\.?|§)"
                      r"(?:\W+[\w-]{1,10}){0,2}\W*$", re.IGNORECASE)
# A bare number right after these is something else: a clause, a section, a version.
_NOT_ANNEX_BEFORE = re.compile(r"(?:\b(?:clauses?|kapitel|klauseln?|sections?|abschnitte?|"
                               r"chapters?|version|ver|rev|revision|v)|ISO(?:/IEC)?\s*\d{3,5}"
                               r"(?:\s*:\s*\d{4})?)\W{0,3}$", re.IGNORECASE)
_LOOKBACK = 80  # characters before "clause" searched for the standard it belongs to
_FOREIGN_LOOKBACK = 24
MAX_RANGE = 30


@dataclass(frozen=True)
class Reference:
    standard: str  # "iso27001" | "iso9001"
    item_id: str  # 27001:2022 / 9001:2015 id
    text: str  # as written, e.g. "A 5.24–5.28"
    note: str = ""  # e.g. "ISO/IEC 27001:2013 A.8.15, now A.8.15"
    scope: bool = False  # a top-level clause or a range of them: claims nothing
    start: int = 0  # position in the text


def find_references(text: str, standards: Standards, annex: bool = False,
                    year: str | None = None) -> list[Reference]:
    """Every catalogue id the text refers to, in order of appearance, without duplicates.

    annex: ids without "A." are Annex A (the column or sentence says so).
    year: "2013" when the context is ISO/IEC 27001:2013, so "A.6.1" is that edition's
    objective rather than the 2022 control.
    """
    if not _DIGIT.search(text):
        return []
    found: list[Reference] = []
    clauses = _clause_references(text, standards) + _iso_number_references(text, standards)
    spans = [m.span() for pattern in (_CLAUSE, _ISO_NUMBER) for m in pattern.finditer(text)]
    found += _annex_references(text, standards, annex, year, spans)
    found += clauses
    unique: dict[tuple[str, str], Reference] = {}
    for reference in sorted(found, key=lambda r: r.start):
        unique.setdefault((reference.standard, reference.item_id), reference)
    return list(unique.values())


_DIGIT = re.compile(r"\d\.\d")
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)|\n")
_NAMES_ANNEX = re.compile(r"\b(?:[Aa]nnex|[Aa]nhang)\s+A\b")


def _sentence_names_annex_a(text: str, position: int) -> bool:
    """The sentence around `position` says its numbers are Annex A ("Annex A controls 5.15,
    5.16 and 8.2 apply")."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, position)]
    start = ends[-1] if ends else 0
    return _NAMES_ANNEX.search(text, start, position) is not None


def _foreign_before(text: str, position: int) -> bool:
    window = text[max(0, position - _FOREIGN_LOOKBACK):position]
    return _FOREIGN.search(window) is not None


# Annex A -----------------------------------------------------------------------------------

def _annex_references(text: str, standards: Standards, bare: bool, year: str | None,
                      clause_spans: list[tuple[int, int]]) -> list[Reference]:
    found: list[Reference] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_ANNEX, _BARE):
        for match in pattern.finditer(text):
            start = match.start()
            if any(a <= start < b for a, b in taken):
                continue
            if pattern is _BARE and (
                    any(a <= start < b for a, b in clause_spans)
                    or not (bare or _sentence_names_annex_a(text, start))
                    or _foreign_before(text, start)
                    or _NOT_ANNEX_BEFORE.search(text[max(0, start - _FOREIGN_LOOKBACK):start])):
                continue
            refs, end = _annex_run(text, match, standards, year)
            if refs:
                taken.append((start, end))
                found += refs
    return found


def _annex_run(text: str, match: re.Match, standards: Standards, year: str | None
               ) -> tuple[list[Reference], int]:
    """The id at `match`, and the ranges/lists that follow it: 'A.5.15–5.18, 8.2–8.5'."""
    start = match.start()
    end = match.end()
    ids: list[str] = []
    first = _strip_zeros(match.group("id"))
    run = [first]
    more, end = _range(text, end, first)
    run += more
    while (following := _LIST_NEXT.match(text, end)) is not None:
        item = _strip_zeros(following.group("id"))
        if not 5 <= int(item.split(".")[0]) <= 18:
            break
        run.append(item)
        more, end = _range(text, following.end(), item)
        end = max(end, following.end())
        run += more
    ids = run
    written = text[start:end].strip()
    refs: list[Reference] = []
    for item in ids:
        refs += _annex_item(item, written, start, standards, year)
    return refs, end


def _range(text: str, position: int, first: str) -> tuple[list[str], int]:
    """'5.24' followed by '–5.28' / '-A.5.28' / ' to 5.28' / '-28' -> the ids after the first."""
    match = _RANGE_END.match(text, position)
    if match is None or first.count(".") != 1:
        return [], position
    theme, number = (int(p) for p in first.split("."))
    end = _strip_zeros(match.group("end"))
    if "." in end:
        end_theme, end_number = (int(p) for p in end.split("."))
    else:
        end_theme, end_number = theme, int(end)
    if end_theme != theme or not number < end_number <= number + MAX_RANGE:
        return [], position  # '– 2 hours', a range across themes: keep the first only
    return [f"{theme}.{n}" for n in range(number + 1, end_number + 1)], match.end()


def _annex_item(item: str, written: str, start: int, standards: Standards, year: str | None
                ) -> list[Reference]:
    if item.count(".") == 2:
        return translated_2013(f"A.{item}", written, start, standards)
    if year == "2013" or (f"A.{item}" not in standards.iso27001
                          and int(item.split(".")[0]) >= 9):
        return []  # a 2013 objective names no single control (see titled_reference)
    if f"A.{item}" in standards.iso27001:
        return [Reference("iso27001", f"A.{item}", written, start=start)]
    return []


def translated_2013(old_id: str, written: str, start: int, standards: Standards,
                    objective_ok: bool = False) -> list[Reference]:
    """A 2013 Annex A id -> its 2022 controls, with the translation as the note.

    An objective (A.9.1) translates only when asked (a verified heading) and only when all
    its controls became one 2022 control; otherwise it names no single control.
    """
    entry = standards.iso27001_2013.get(old_id)
    if entry is None:
        return []
    if entry.kind == "objective":
        targets = {t for child in standards.iso27001_2013.children(old_id) for t in child.maps_to}
        if not objective_ok or len(targets) != 1:
            return []
        new_ids = sorted(targets)
    else:
        new_ids = list(entry.maps_to)
    note = f"ISO/IEC 27001:2013 {old_id}, now {', '.join(new_ids)}"
    return [Reference("iso27001", new, written.strip(), note, start=start) for new in new_ids
            if new in standards.iso27001]


# Clauses -----------------------------------------------------------------------------------

def _clause_references(text: str, standards: Standards) -> list[Reference]:
    found = []
    for match in _CLAUSE.finditer(text):
        standard = _standard_before(text, match.start(), match.group(0))
        if standard is None or _foreign_before(text, match.start()):
            continue
        catalogue = standards.catalogue(standard)
        ids, across = _clause_ids(match.group("list"))
        scope = across or all("." not in item for item in ids)
        for item in ids:
            if item in catalogue:
                found.append(Reference(standard, item, match.group(0).strip(),
                                       scope=scope or "." not in item, start=match.start()))
    return found


def _standard_before(text: str, position: int, written: str) -> str | None:
    """The standard a 'clause' belongs to: the last one named shortly before, else 27001.

    The German "Kapitel" is a chapter of anything: it counts only with ISO 27001/9001 named.
    """
    window = text[max(0, position - _LOOKBACK):position + len(written) + 30]
    names = [m.group("std") or m.group("bare") for m in _STANDARD_NAME.finditer(
        text[max(0, position - _LOOKBACK):position])]
    if not names:
        if written.lower().startswith(("kapitel", "klausel")):
            after = [m.group("std") or m.group("bare") for m in _STANDARD_NAME.finditer(window)]
            return {"27001": "iso27001", "9001": "iso9001"}.get(after[0]) if after else None
        return "iso27001"
    return {"27001": "iso27001", "9001": "iso9001"}.get(names[-1])


def _clause_ids(listing: str) -> tuple[list[str], bool]:
    """'6.1, 6.2 and 8.2' -> three ids; '4–10' or '9.1-9.3' -> every sibling in between.

    The flag says a range ran across clauses ('4.1 to 10.2'): a scope statement.
    """
    ids: list[str] = []
    across = False
    listing = re.sub(r"\s*\([^()]*\)", "", listing)
    parts = re.split(r"(" + _DASH + "|" + _LIST_SEP + ")", listing)
    numbers, separators = parts[0::2], parts[1::2]
    for index, number in enumerate(numbers):
        number = number.strip()
        if not re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){0,3}", number):
            break
        number = _strip_zeros(number)
        previous_sep = separators[index - 1] if index else ""
        if ids and re.fullmatch(_DASH, previous_sep):
            expanded = _clause_range(ids[-1], number)
            across = across or (len(expanded) == 1 and number.count(".") == ids[-1].count(".")
                                and number.split(".")[0] != ids[-1].split(".")[0])
            ids += expanded[1:]
        else:
            ids.append(number)
    return ids, across


def _clause_range(first: str, last: str) -> list[str]:
    head, _, start = first.rpartition(".")
    end_head, _, end = last.rpartition(".")
    if head != end_head or not int(start) < int(end) <= int(start) + MAX_RANGE:
        return [first]  # "clause 8.4 - 5 suppliers" is not a range
    prefix = f"{head}." if head else ""
    return [f"{prefix}{n}" for n in range(int(start), int(end) + 1)]


def _iso_number_references(text: str, standards: Standards) -> list[Reference]:
    """'ISO 27001 7.5', 'ISO 9001 7.2 and 7.3', 'ISO 27002 8.15' (= Annex A 8.15)."""
    found = []
    for match in _ISO_NUMBER.finditer(text):
        written, std = match.group(0).strip(), match.group("std")
        controls = bool(match.group("controls"))
        ids, across = _clause_ids(match.group("list"))
        if across:
            continue  # "ISO 27001 4.1–10.2": the whole standard, a scope statement
        for item in ids:
            found += _iso_number(std, match.group("year"), item, written, controls,
                                 match.start(), standards)
    return found


def _iso_number(std: str, year: str | None, item: str, written: str, controls: bool,
                start: int, standards: Standards) -> list[Reference]:
    if std == "9001":
        return [Reference("iso9001", item, written, start=start)] \
            if item in standards.iso9001 else []
    if year == "2013" and item.count(".") == 2:
        return translated_2013(f"A.{item}", written, start, standards)
    annex = std == "27002" or controls or (item not in standards.iso27001
                                           and f"A.{item}" in standards.iso27001)
    item = f"A.{item}" if annex else item
    return [Reference("iso27001", item, written, start=start)] \
        if item in standards.iso27001 else []


def _strip_zeros(item: str) -> str:
    return ".".join(str(int(part)) for part in item.split("."))


# Numbers checked against titles ------------------------------------------------------------

_LEADING = re.compile(r"^\s*(?:(?P<a>A)\s*\.?\s*)?(?P<id>\d{1,2}(?:\.\d{1,2}){1,2})\.?\)?"
                      r"\s*[-–—:]?\s+(?P<title>\S.*?)\s*$")
_TRAILING = re.compile(r"^(?P<title>.*?\S)\s*\(\s*(?P<id>\d{1,2}(?:\.\d{1,2}){1,2})\s*\)\s*$")
_STOP = {"of", "the", "and", "for", "in", "to", "with", "a", "an", "on", "its", "or", "by",
         "information", "security", "infosec", "isms", "der", "die", "das", "und", "für",
         "von", "zur", "zum", "im", "informationssicherheit"}
MIN_TITLE_SCORE = 0.6


def titled_reference(text: str, standards: Standards, year: str | None = None
                     ) -> list[Reference]:
    """An id confirmed by the title written with it: '6.1.1 Information security roles...'.

    Candidates are the 2022 clause, the 2022 Annex A control and the 2013 Annex A entry with
    that number; the one whose title matches best (at least MIN_TITLE_SCORE) wins, the 2013
    edition first when `year` says so. A 2013 objective whose title does not match but one of
    whose controls' titles does (a typo'd number) is read as that control.
    """
    if not _DIGIT.search(text):
        return []
    match = _LEADING.match(text) or _TRAILING.match(text)
    if match is None or _foreign_before(text, match.start("id")):
        return []
    number = _strip_zeros(match.group("id"))
    written = match.group(0).strip()
    words = _title_words(match.group("title"))
    if not words:
        return []
    best: tuple[float, int, list[Reference]] | None = None
    for preference, (score, refs) in enumerate(_candidates(number, words, written,
                                                           standards, year)):
        if score >= MIN_TITLE_SCORE and refs and (best is None or score > best[0]):
            best = (score, preference, refs)
    return best[2] if best else []


def _candidates(number: str, words: frozenset[str], written: str, standards: Standards,
                year: str | None) -> list[tuple[float, list[Reference]]]:
    clause = standards.iso27001.get(number)
    control = standards.iso27001.get(f"A.{number}")
    old = standards.iso27001_2013.get(f"A.{number}")
    options: list[tuple[float, list[Reference]]] = []
    if old is not None:
        score = _score(words, old.title)
        refs = translated_2013(old.id, written, 0, standards, objective_ok=True)
        if old.kind == "objective":
            for child in standards.iso27001_2013.children(old.id):
                child_score = _score(words, child.title)
                if child_score > score and child_score == 1.0:
                    score, refs = child_score, translated_2013(child.id, written, 0, standards)
        options.append((score, refs))
    current = []
    if clause is not None and clause.kind == "clause" and "." in number:
        current.append((_score(words, clause.title),
                        [Reference("iso27001", number, written)]))
    if control is not None:
        current.append((_score(words, control.title),
                        [Reference("iso27001", control.id, written)]))
    return options + current if year == "2013" else current + options


@lru_cache(maxsize=4096)
def _stems(title: str) -> frozenset[str]:
    return _title_words(title)


def _title_words(text: str) -> frozenset[str]:
    words = re.findall(r"[^\W\d_]+", text.lower())
    return frozenset(w[:6] for w in words if w not in _STOP and len(w) > 1)


def _score(words: frozenset[str], title: str) -> float:
    """Share of the larger word set the two titles have in common (0..1)."""
    target = _stems(title)
    if not target or target == {"genera"}:  # "General" sub-clauses cannot be told by title
        return 0.0
    return len(words & target) / max(len(words), len(target))
