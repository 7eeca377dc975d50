"""Find ISO/IEC 27001 and ISO 9001 references in running text.

Recognised (only ids that exist in the catalogue count):
- Annex A controls: `A.5.15`, `A 5.15`, `A5.15`, `A.05.15`, `Annex A 5.15`, `Annex A control 5.15`,
  ranges `A.5.24–5.28`, `A.5.24-A.5.28`, `A 5.19 to 5.22`, `A.5.15-18` (within one theme) and
  lists `A.5.29, 5.30 and 5.31`;
- ISO/IEC 27001:2013 ids `A.12.4.1`, translated to the 2022 controls they became;
- clauses: `Clause 7.5`, `Clauses 6.1, 6.2 and 8.2`, `Clauses 4–10`, `ISO 27001 7.5`,
  `ISO/IEC 27001:2022 clause 9.2`, `ISO 9001 8.4`, `ISO 9001:2015 clause 7.5`;
- ISO/IEC 27002 control numbers `ISO 27002 8.15` (= Annex A 8.15).

Deliberately NOT recognised, because they produce more false hits than real ones: bare numbers
(`7.5`, `1.3`), `section 7.5` / `§ 7.5` (usually a section of some other document), versions,
dates and addresses (no `A`/`clause`/`ISO` in front). `Clause N` with no standard named near it
is read as ISO/IEC 27001 (this is an ISMS); after another standard (`ISO 22301 clause 8.5`)
it is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aimsdocs.standards import Standards

_NUM = r"\d{1,2}(?:\.\d{1,2}){0,3}(?!\d|\.\d)"
_END = r"(?!\d|\.\d)"
_DASH = r"\s*(?:–|—|-|\bto\b|\bthrough\b|\buntil\b)\s*"
_LIST_SEP = r"\s*(?:,|;|/|&|\band\b|\bor\b)\s*"

_ANNEX = re.compile(
    r"(?<![\w.])(?:[Aa]nnex\s+A(?:\s+controls?)?\s*[.:]?\s*|A\s*\.?\s*)"
    r"(?P<id>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)" + _END
)
_ANNEX_RANGE_END = re.compile(_DASH + r"(?:A\s*\.?\s*)?(?P<end>\d{1,2}(?:\.\d{1,2})?)" + _END)
_ANNEX_LIST_NEXT = re.compile(_LIST_SEP + r"(?P<id>\d{1,2}\.\d{1,2})" + _END + r"(?!\s*%)")
_ASIDE = r"(?:\s*\([^()]{1,60}\))?"  # "7.2 (competence) and 7.3 (awareness)"
_MORE = r"(?:(?:" + _LIST_SEP + "|" + _DASH + r")" + _NUM + _ASIDE + r")*"  # ", 6.2 and 8.2"
_CLAUSE = re.compile(r"\b[Cc]lauses?\s+(?P<list>" + _NUM + _ASIDE + _MORE + ")")
# Without the word "clause" the first number must be dotted: "ISO 27001 2022" is a year.
_ISO_NUMBER = re.compile(
    r"\bISO(?:/IEC)?\s*(?P<std>27001|27002|9001)(?:\s*:\s*(?P<year>\d{4}))?\s*,?\s+"
    r"(?:controls?\s+)?(?P<list>\d{1,2}(?:\.\d{1,2}){1,3}" + _END + _ASIDE + _MORE + ")"
)
# "ISO 22301", "ISO/IEC 27701", or a bare "27001"/"9001"; years and other numbers are not names.
_STANDARD_NAME = re.compile(r"\bISO(?:/IEC)?\s*(?P<std>\d{4,5})|\b(?P<bare>27001|9001)\b")
_LOOKBACK = 80  # characters before "clause" searched for the standard it belongs to
MAX_RANGE = 30


@dataclass(frozen=True)
class Reference:
    standard: str  # "iso27001" | "iso9001"
    item_id: str  # 27001:2022 / 9001:2015 id
    text: str  # as written, e.g. "A 5.24–5.28"
    note: str = ""  # e.g. "ISO 27001:2013, now A.8.15"


def find_references(text: str, standards: Standards) -> list[Reference]:
    """Every catalogue id the text refers to, in order of appearance, without duplicates."""
    found: list[tuple[int, Reference]] = []
    found += _annex_references(text, standards)
    found += _clause_references(text, standards)
    found += _iso_number_references(text, standards)
    unique: dict[tuple[str, str], Reference] = {}
    for _, reference in sorted(found, key=lambda pair: pair[0]):
        unique.setdefault((reference.standard, reference.item_id), reference)
    return list(unique.values())


def _annex_references(text: str, standards: Standards) -> list[tuple[int, Reference]]:
    found = []
    for match in _ANNEX.finditer(text):
        start, item = match.start(), _strip_zeros(match.group("id"))
        if item.count(".") == 2:
            found += [(start, ref) for ref in _translated(item, match.group(0), standards)]
            continue
        ids, end = _annex_range(text, match.end(), item)
        more, end = _annex_list(text, end)
        ids += more
        written = text[start:end].strip() if len(ids) > 1 else match.group(0).strip()
        found += [(start, Reference("iso27001", f"A.{i}", written)) for i in ids
                  if f"A.{i}" in standards.iso27001]
    return found


def _annex_range(text: str, position: int, first: str) -> tuple[list[str], int]:
    """'5.24' followed by '–5.28' / '-A.5.28' / ' to 5.28' / '-28' -> every id in the range."""
    match = _ANNEX_RANGE_END.match(text, position)
    if match is None:
        return [first], position
    theme, number = (int(p) for p in first.split("."))
    end = _strip_zeros(match.group("end"))
    if "." in end:
        end_theme, end_number = (int(p) for p in end.split("."))
    else:
        end_theme, end_number = theme, int(end)
    if end_theme != theme or not number < end_number <= number + MAX_RANGE:
        return [first], position  # '– 2 hours', a range across themes: keep the first only
    return [f"{theme}.{n}" for n in range(number, end_number + 1)], match.end()


def _annex_list(text: str, position: int) -> tuple[list[str], int]:
    """'A.5.29, 5.30 and 5.31': the ids after the first, written without their 'A'."""
    ids = []
    while (match := _ANNEX_LIST_NEXT.match(text, position)) is not None:
        item = _strip_zeros(match.group("id"))
        if not 5 <= int(item.split(".")[0]) <= 8:
            break
        ids.append(item)
        position = match.end()
    return ids, position


def _translated(old_id: str, written: str, standards: Standards) -> list[Reference]:
    new_ids = standards.translate_2013(f"A.{old_id}")
    note = f"ISO 27001:2013, now {', '.join(new_ids)}"
    return [Reference("iso27001", new, written.strip(), note) for new in new_ids
            if new in standards.iso27001]


def _clause_references(text: str, standards: Standards) -> list[tuple[int, Reference]]:
    found = []
    for match in _CLAUSE.finditer(text):
        standard = _standard_before(text, match.start())
        if standard is None:
            continue
        catalogue = standards.catalogue(standard)
        for item in _clause_ids(match.group("list")):
            if item in catalogue:
                found.append((match.start(), Reference(standard, item, match.group(0).strip())))
    return found


def _standard_before(text: str, position: int) -> str | None:
    """The standard a 'clause' belongs to: the last one named shortly before, else 27001."""
    window = text[max(0, position - _LOOKBACK):position]
    names = [m.group("std") or m.group("bare") for m in _STANDARD_NAME.finditer(window)]
    if not names:
        return "iso27001"
    return {"27001": "iso27001", "9001": "iso9001"}.get(names[-1])


def _clause_ids(listing: str) -> list[str]:
    """'6.1, 6.2 and 8.2' -> three ids; '4–10' or '9.1-9.3' -> every sibling in between."""
    ids: list[str] = []
    listing = re.sub(r"\s*\([^()]*\)", "", listing)
    parts = re.split(r"(" + _DASH + "|" + _LIST_SEP + ")", listing)
    numbers, separators = parts[0::2], parts[1::2]
    for index, number in enumerate(numbers):
        number = _strip_zeros(number.strip())
        previous_sep = separators[index - 1] if index else ""
        if ids and re.fullmatch(_DASH, previous_sep):
            ids += _clause_range(ids[-1], number)[1:]
        else:
            ids.append(number)
    return ids


def _clause_range(first: str, last: str) -> list[str]:
    head, _, start = first.rpartition(".")
    end_head, _, end = last.rpartition(".")
    if head != end_head or not int(start) < int(end) <= int(start) + MAX_RANGE:
        return [first]  # "clause 8.4 - 5 suppliers" is not a range
    prefix = f"{head}." if head else ""
    return [f"{prefix}{n}" for n in range(int(start), int(end) + 1)]


def _iso_number_references(text: str, standards: Standards) -> list[tuple[int, Reference]]:
    """'ISO 27001 7.5', 'ISO 9001 7.2 and 7.3', 'ISO 27002 8.15' (= Annex A 8.15)."""
    found = []
    for match in _ISO_NUMBER.finditer(text):
        written, std = match.group(0).strip(), match.group("std")
        for item in _clause_ids(match.group("list")):
            found += [(match.start(), ref) for ref in
                      _iso_number(std, match.group("year"), item, written, standards)]
    return found


def _iso_number(std: str, year: str | None, item: str, written: str, standards: Standards
                ) -> list[Reference]:
    if std == "9001":
        return [Reference("iso9001", item, written)] if item in standards.iso9001 else []
    if std == "27002" and year == "2013" and item.count(".") == 2:
        return _translated(item, written, standards)
    item = f"A.{item}" if std == "27002" else item
    return [Reference("iso27001", item, written)] if item in standards.iso27001 else []


def _strip_zeros(item: str) -> str:
    return ".".join(str(int(part)) for part in item.split("."))
