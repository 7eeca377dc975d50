"""Read the parameters people write into procedures: durations, frequencies, months, deadlines.

ISMS documents state their parameters in prose ("kept for six years", "twice a year, in March
and September", "within 72 hours", "zweimal jährlich"). These parsers turn such phrases, in
English and German, into values that can be compared. They are used on the organisation's
documents (to learn its facts) and on aimsdocs' own rendered text (to check the pack says the
same thing everywhere), so both sides are read by exactly the same rules.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

NUMBER_WORDS = {
    # English
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "eighteen": 18, "twenty": 20, "twenty-four": 24,
    "thirty": 30, "sixty": 60, "ninety": 90,
    # German
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4,
    "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
    "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "zwanzig": 20,
    "dreißig": 30, "sechzig": 60, "neunzig": 90,
}
_NUMBER = r"(?:\d{1,4}|" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True)) \
    + r")"

# Unit words -> canonical unit. Working days are kept apart from calendar days.
UNITS = {
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "h": "hour",
    "stunde": "hour", "stunden": "hour",
    "working day": "working day", "working days": "working day", "business day": "working day",
    "business days": "working day", "arbeitstag": "working day", "arbeitstage": "working day",
    "arbeitstagen": "working day", "werktag": "working day", "werktage": "working day",
    "werktagen": "working day",
    "day": "day", "days": "day", "tag": "day", "tage": "day", "tagen": "day",
    "week": "week", "weeks": "week", "woche": "week", "wochen": "week",
    "month": "month", "months": "month", "monat": "month", "monate": "month",
    "monaten": "month", "monats": "month",
    "year": "year", "years": "year", "jahr": "year", "jahre": "year", "jahren": "year",
    "jahres": "year",
}
_UNIT = r"(?:" + "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True)) + r")"
DURATION = re.compile(r"(?<![\w.])(?P<number>" + _NUMBER + r")[\s-]+(?P<unit>" + _UNIT
                      + r")\b", re.IGNORECASE)
_HOURS_IN = {"hour": 1, "working day": 24, "day": 24, "week": 168, "month": 730, "year": 8760}

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12,
}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_MONTH = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b",
                    re.IGNORECASE)

# Frequencies, as times per year. Longer phrases first, so "twice a year" wins over "a year".
_FREQUENCIES: tuple[tuple[str, float], ...] = (
    (r"\b(?:twice|two times) (?:a|per|each|every) year\b", 2),
    (r"\b(?:twice|two times) yearly\b", 2),
    (r"\bsemi-?annual(?:ly)?\b|\bhalf-?yearly\b|\bevery six months\b|\bevery 6 months\b", 2),
    (r"\bthree times (?:a|per|each) year\b", 3),
    (r"\bfour times (?:a|per|each) year\b|\bquarterly\b|\bevery (?:three|3) months\b"
     r"|\beach quarter\b|\bevery quarter\b", 4),
    (r"\bmonthly\b|\bevery month\b|\beach month\b|\bonce a month\b", 12),
    (r"\bweekly\b|\bevery week\b|\bonce a week\b", 52),
    (r"\bonce every (?:two|2) years\b|\bevery (?:two|2) years\b|\bbiennial(?:ly)?\b"
     r"|\bevery (?:24|twenty-four) months\b", 0.5),
    (r"\bonce every (?:three|3) years\b|\bevery (?:three|3) years\b", 1 / 3),
    (r"\b(?:at least )?once (?:a|per|each|every) year\b|\bannual(?:ly)?\b|\byearly\b"
     r"|\bevery year\b|\beach year\b|\bevery (?:12|twelve) months\b|\bonce a year\b", 1),
    # German
    (r"\bzweimal (?:im|pro|je) jahr\b|\bzweimal jährlich\b|\bhalbjährlich\b", 2),
    (r"\bvierteljährlich\b|\bquartalsweise\b|\bjedes quartal\b", 4),
    (r"\bmonatlich\b", 12),
    (r"\bwöchentlich\b", 52),
    (r"\balle (?:zwei|2) jahre\b", 0.5),
    (r"\balle (?:drei|3) jahre\b", 1 / 3),
    (r"\b(?:mindestens )?einmal (?:im|pro|je) jahr\b|\bjährlich\b|\bjedes jahr\b", 1),
)
FREQUENCY = [(re.compile(pattern, re.IGNORECASE), per_year) for pattern, per_year in _FREQUENCIES]


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # hour, working day, day, week, month, year

    @property
    def hours(self) -> int:
        return self.amount * _HOURS_IN[self.unit]

    def __str__(self) -> str:
        unit = self.unit if self.amount == 1 else self.unit + "s"
        return f"{self.amount} {unit}"


def number(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


# "a"/"an" count as one only after words that introduce a length of time ("within a day"),
# never in a frequency ("once a year") or a rate ("per year").
_ARTICLE_BEFORE = re.compile(r"\b(?:within|for|after|than|in|of|up to|about|innerhalb|nach|"
                             r"binnen|für|von)\s+$", re.IGNORECASE)
_FREQUENCY_BEFORE = re.compile(r"\b(?:once|twice|per|each|every|times|pro|je|alle|einmal|"
                               r"zweimal)\s+$", re.IGNORECASE)


def durations(text: str) -> list[tuple[Duration, re.Match]]:
    """Every duration written in the text, with where it stands (frequencies excluded)."""
    found = []
    for match in DURATION.finditer(text):
        written = match.group("number").lower()
        before = text[max(0, match.start() - 20):match.start()]
        if _FREQUENCY_BEFORE.search(before):
            continue
        if written in ("a", "an", "ein", "eine", "einen", "einem", "einer") \
                and not _ARTICLE_BEFORE.search(before):
            continue
        amount = number(written)
        unit = UNITS.get(match.group("unit").lower())
        if amount is not None and unit is not None and amount > 0:
            found.append((Duration(amount, unit), match))
    return found


def frequency(text: str) -> tuple[float, str] | None:
    """Times per year a phrase names ('twice a year' -> 2), with the words used; or None."""
    best: tuple[int, float, str] | None = None
    for pattern, per_year in FREQUENCY:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), per_year, match.group(0))
    return (best[1], best[2]) if best else None


def months(text: str) -> list[int]:
    """Month numbers named in the text, in order, without repeats ('March and September')."""
    found: list[int] = []
    for match in _MONTH.finditer(text):
        word = match.group(1)
        if word.lower() == "may" and not word[0].isupper():
            continue  # "may" the verb
        value = MONTHS[word.lower()]
        if value not in found:
            found.append(value)
    return found


_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|incl|approx|vs|z\.B|bzw|ca|Nr|No|Dr|Mr|Ms|"
                            r"Mrs|St)\.$")


@functools.lru_cache(maxsize=1 << 16)  # a large pack repeats its templates' prose
def sentences(text: str) -> tuple[str, ...]:
    """Split prose into sentences; table rows and list items are already one block each."""
    parts = re.split(r"(?<=[.!?;])\s+(?=[A-ZÄÖÜ0-9(\"'\[])|\n+", text)
    merged: list[str] = []
    for part in parts:
        if merged and (_ABBREVIATIONS.search(merged[-1])
                       or merged[-1].count("(") > merged[-1].count(")")):
            # "e.g. 5 days" does not end a sentence, nor does a ';' inside brackets
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return tuple(" ".join(part.split()) for part in merged if part.strip())


def frequency_words(per_year: float) -> str:
    """2 -> 'twice a year': the wording aimsdocs uses when it restates a frequency."""
    return {
        1 / 3: "once every three years", 0.5: "once every two years", 1: "once a year",
        2: "twice a year", 3: "three times a year", 4: "quarterly", 12: "monthly",
        52: "weekly",
    }.get(per_year, f"{per_year:g} times a year")
