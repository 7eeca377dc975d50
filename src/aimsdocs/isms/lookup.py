"""Find ISMS documents from what people write about them.

A document is named by a relative link (its `#anchor` kept as the section), its document id,
its title (fuzzy: case, punctuation, "&"/"and", version suffixes such as "v1.0" ignored, and
generic words dropped when the cell holds nothing else), its file name, or the number its file
name starts with ("05" for 05-access-control.docx). Names that look like documents but match
none in the folder are reported as "named but not supplied".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from aimsdocs.isms.identity import title_key
from aimsdocs.isms.model import IsmsDocument

# Words people drop when they name a document ("see the Access Control section").
_GENERIC = re.compile(r"\b(?:policy|policies|procedure|procedures|standard|standards|plan|"
                      r"process|document|guideline|guidelines|and|the|richtlinie|leitlinie|"
                      r"verfahren|verfahrensanweisung|konzept|handbuch)\b", re.IGNORECASE)
# The last word of a document's name: "Incident Response Plan", "Backup-Richtlinie".
DOCUMENT_WORDS = (r"policy|policies|procedure|procedures|standard|plan|manual|handbook|"
                  r"guideline|guidelines|methodology|method|register|matrix|runbooks?|"
                  r"playbook|charter|framework|programme|program|concept|strategy|"
                  r"checklist|report|minutes|log|inventory|catalogue|"
                  r"richtlinie|leitlinie|verfahrensanweisung|arbeitsanweisung|handbuch|"
                  r"konzept|verzeichnis|register|bericht|protokoll|plan")
# Capitalised words ending in a document word: "Incident Response Plan", "Backup-Richtlinie".
_NAMED = re.compile(r"(?<![\w-])((?:[A-ZÄÖÜ0-9][\w/-]*\s+(?:&\s+|and\s+|und\s+)?){0,5}?"
                    r"(?:[A-ZÄÖÜ][\w/-]*\s+|[A-ZÄÖÜ][\w/]*-)(?i:" + DOCUMENT_WORDS + r"))\b")
_ID_SHAPE = re.compile(r"(?<![\w.-])([A-Z][A-Z0-9]{1,7}(?:[-_][A-Z0-9]{1,6}){0,2}[-_]\d{1,4}"
                       r"[A-Z]?)(?![\w-])")
_NOT_DOC_ID = re.compile(r"^(?:ISO|IEC|NIST|SP|CVE|RFC|SHA|AES|TLS|SSL|RSA|GDPR|SOC|PCI|CIS|"
                         r"ISMS|CC|UTF|HTTP|IPV|COVID|EN|DIN|BSI|NIS|DORA|VDA|TISAX)[-_]",
                         re.IGNORECASE)
_VERSION_SUFFIX = re.compile(r"\s*(?:[,(\[-]\s*)?(?:\b(?:v|ver|version|rev|revision|issue|"
                             r"stand)\.?\s*\d+(?:[.-]\d+)*\b|\b\d{4}-\d{2}(?:-\d{2})?\b)"
                             r"[)\]]?", re.IGNORECASE)
_FILE_NAME = re.compile(r"(?<![\w/.-])([\w][\w().-]{0,80}\.(?:md|markdown|docx?|xlsx?|csv|"
                        r"pdf|odt|txt|pptx?))\b", re.IGNORECASE)
_NUMBER_PREFIX = re.compile(r"^(\d{1,3})(?=[\s._-])")
MIN_KEY = 5  # shorter names ("IT", "HR") are too ambiguous to match on
FUZZY_RATIO = 0.9
DOCUMENT_SUFFIXES = (".md", ".markdown", ".docx", ".doc", ".pdf", ".odt", ".xlsx", ".xls",
                     ".csv", ".txt", ".pptx", ".html", ".htm")


@dataclass(frozen=True)
class DocRef:
    """One place where a text names a document."""

    name: str  # as written
    how: str  # link | id | title | file | prefix
    doc_id: str | None  # None: not a document of the folder
    section: str = ""  # a link's #anchor
    file: str = ""  # for a file of the folder that is not a document (a table): its relpath


class DocumentLookup:
    def __init__(self, documents: dict[str, IsmsDocument], other_files: Sequence[str] = (),
                 known_names: dict[str, str] | None = None, root: Path | None = None):
        """documents: the folder's documents; other_files: relpaths of its other files
        (tables, PDFs); known_names: {id: title} a register lists (named, maybe not supplied).
        """
        self.documents = documents
        self.root = root
        # Only ids a document states are looked for in text: an id made from a file name
        # ("PASSWORDS") is an ordinary word.
        ids = sorted((d for d, doc in documents.items() if doc.source_of("id") != "file name"),
                     key=lambda d: (-len(d), d))
        self._id_pattern = (re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids))
                                       + r")(?![\w-])", re.IGNORECASE) if ids else None)
        self._upper = {d.upper(): d for d in documents}
        self._full: dict[str, str] = {}
        self._short: dict[str, str] = {}
        self._by_path = {doc.path.resolve(): doc.doc_id for doc in documents.values()}
        self._by_relpath = {doc.relpath.lower(): doc.doc_id for doc in documents.values()}
        self._by_file_name: dict[str, list[str]] = {}
        self._by_prefix: dict[str, list[str]] = {}
        self._other_files = {Path(f).name.lower(): f for f in other_files}
        self._other_stems = {title_key(Path(f).stem.replace("-", " ").replace("_", " ")): f
                             for f in other_files}
        self.known_names = dict(known_names or {})
        prefixes = {_id_prefix(d) for d in ids + list(self.known_names)}
        self._id_families = {p for p in prefixes if p}
        # A document is also known by its file name: titles drift, file names stay
        # ('IT Operations Security Policy' in it-operations-policy.md).
        ordered = [documents[d] for d in sorted(documents)]
        names = ([(d.doc_id, d.title) for d in ordered]
                 + [(d.doc_id, _stem_words(d.path.stem)) for d in ordered])
        for doc_id, name in names:  # titles first: a title beats another file's name
            self._full.setdefault(title_key(_strip_version(name)), doc_id)
            self._short.setdefault(_short_key(name), doc_id)
        for d in ordered:
            self._by_file_name.setdefault(d.path.name.lower(), []).append(d.doc_id)
            self._by_file_name.setdefault(d.path.stem.lower(), []).append(d.doc_id)
            if (number := _NUMBER_PREFIX.match(d.path.name)) is not None:
                self._by_prefix.setdefault(str(int(number.group(1))), []).append(d.doc_id)
        self._phrases = self._title_phrases(ordered)

    # -- single names ---------------------------------------------------------------------

    def ids_in(self, text: str) -> list[str]:
        """Document ids written in the text (whole tokens, any case)."""
        if self._id_pattern is None:
            return []
        return _unique(self._upper[m.group(1).upper()] for m in self._id_pattern.finditer(text))

    def by_title(self, text: str) -> str | None:
        """'Access control policy', 'Access Control', 'access-control policy v2' -> its id."""
        text = _strip_version(text)
        key = title_key(text)
        if len(key) < MIN_KEY:
            return None
        if key in self._full:
            return self._full[key]
        short = _short_key(text)
        if len(short) >= MIN_KEY and short in self._short:
            return self._short[short]
        close = difflib.get_close_matches(key, list(self._full), n=1, cutoff=FUZZY_RATIO)
        return self._full[close[0]] if close else None

    def by_link(self, target: str, source: Path, root: Path) -> str | None:
        found = self.link(target, source, root)
        return found.doc_id if found else None

    def link(self, target: str, source: Path, root: Path) -> DocRef | None:
        """A relative link from `source` (or from the root) to a file of the folder.

        None for web addresses and in-page anchors; a DocRef with doc_id None for a link to a
        document that is not in the folder.
        """
        parsed = urlparse(target)
        if (parsed.scheme and len(parsed.scheme) > 1) or parsed.netloc or not parsed.path:
            return None  # a web address or mailto: (a one-letter scheme is a Windows drive)
        relative = unquote(parsed.path)
        anchor = unquote(parsed.fragment)
        for base in (source.parent, root):
            candidate = (base / relative).resolve()
            if candidate in self._by_path:
                return DocRef(target, "link", self._by_path[candidate], anchor)
        if PurePosixPath(relative).suffix.lower() in DOCUMENT_SUFFIXES:
            name = PurePosixPath(relative).name.lower()
            if name in self._other_files:
                return DocRef(target, "link", None, anchor, self._other_files[name])
            return DocRef(target, "link", None, anchor)
        return None

    # -- names in a text ------------------------------------------------------------------

    def references(self, text: str, cell: bool = False, named: bool = False) -> list[DocRef]:
        """Every document the text names: ids, file names, titles (in sentences too).

        cell: the text is a reference cell (SoA "Reference" column, a "Policy" column of a
        mapping table), so a name on its own (a title without its "Policy", a number that
        starts a file name) counts too, and id-like names that match nothing are returned as
        not supplied (doc_id None).
        named: also return capitalised names ending in a document word ("Incident Response
        Plan") that match no document, as not supplied.
        """
        found: list[DocRef] = []
        covered: list[tuple[int, int]] = []

        def add(ref: DocRef, span: tuple[int, int]) -> None:
            if any(a < span[1] and span[0] < b for a, b in covered):
                return
            covered.append(span)
            found.append(ref)

        if self._id_pattern is not None:
            for match in self._id_pattern.finditer(text):
                add(DocRef(match.group(1), "id", self._upper[match.group(1).upper()]),
                    match.span())
        for match in _FILE_NAME.finditer(text):
            ref = self._file(match.group(1))
            if ref is not None:
                add(ref, match.span(1))
        for span, doc_id in self._phrase_matches(text):
            add(DocRef(text[span[0]:span[1]], "title", doc_id), span)
        if cell:
            for part, span in _parts(text):
                if any(a < span[1] and span[0] < b for a, b in covered):
                    continue
                ref = self._cell_part(part)
                if ref is not None:
                    add(ref, span)
        for match in _ID_SHAPE.finditer(text):
            token = match.group(1)
            if (cell or _id_prefix(token) in self._id_families) and not _NOT_DOC_ID.match(token):
                add(DocRef(token, "id", None), match.span(1))
        if cell or named:
            for match in _NAMED.finditer(text):
                name = _tidy_name(match.group(1))
                if name and len(name.split()) >= 2:
                    add(DocRef(name, "title", None), match.span(1))
        return sorted(found, key=lambda r: text.find(r.name))

    def resolve(self, text: str) -> list[str]:
        """Ids of the documents a reference cell names ('POL-001; Access Control Policy')."""
        return _unique(r.doc_id for r in self.references(text, cell=True) if r.doc_id)

    def _file(self, name: str) -> DocRef | None:
        key = name.strip().lower()
        base = PurePosixPath(key).name
        if key in self._by_relpath:
            return DocRef(name, "file", self._by_relpath[key])
        if len(self._by_file_name.get(base, [])) == 1:
            return DocRef(name, "file", self._by_file_name[base][0])
        if base in self._other_files:
            return DocRef(name, "file", None, file=self._other_files[base])
        return DocRef(name, "file", None)

    def _cell_part(self, part: str) -> DocRef | None:
        """One piece of a reference cell: a title on its own, a file stem or a number."""
        text = part.strip()
        if not text:
            return None
        if PurePosixPath(text.lower()).suffix in DOCUMENT_SUFFIXES:
            return self._file(text)
        doc_id = self.by_title(text)
        if doc_id is not None:
            return DocRef(text, "title", doc_id)
        if (number := re.fullmatch(r"(?:(?:doc|dok|nr|no)\.?\s*)?0*(\d{1,3})", text,
                                   re.IGNORECASE)) is not None:
            matches = self._by_prefix.get(number.group(1), [])
            if len(matches) == 1:
                return DocRef(text, "prefix", matches[0])
        key = title_key(_strip_version(text))
        if key in self._other_stems:
            return DocRef(text, "file", None, file=self._other_stems[key])
        return None

    def _title_phrases(self, ordered: list[IsmsDocument]
                       ) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        """Word sequences that name a document inside a sentence, longest first.

        A title counts as written; a file name's words count when they end in a document
        word ("information-security-policy.md" -> "information security policy").
        """
        phrases: dict[tuple[str, ...], str] = {}
        for doc in ordered:
            for name in (doc.title, _stem_words(doc.path.stem)):
                words = tuple(_words(_strip_version(name)))
                if len(words) >= 2 and len("".join(words)) >= 8 and re.fullmatch(
                        r".*(?:" + DOCUMENT_WORDS + r")", words[-1]):
                    phrases.setdefault(words, doc.doc_id)
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for words, doc_id in sorted(phrases.items(), key=lambda item: (-len(item[0]), item[0])):
            by_first.setdefault(words[0], []).append((words, doc_id))
        return by_first

    def _phrase_matches(self, text: str) -> list[tuple[tuple[int, int], str]]:
        tokens = [(m.group(0).lower(), m.start(), m.end())
                  for m in re.finditer(r"[\wäöüß]+|&", text, re.IGNORECASE)]
        words = ["and" if t == "&" else t for t, _, _ in tokens]
        found = []
        i = 0
        while i < len(words):
            for phrase, doc_id in self._phrases.get(words[i], ()):  # longest first
                size = len(phrase)
                if tuple(words[i:i + size]) == phrase:
                    found.append(((tokens[i][1], tokens[i + size - 1][2]), doc_id))
                    i += size - 1
                    break
            i += 1
        return found


def split_references(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;/\n]|\s+\+\s+|\s+\|\s+", text) if part.strip()]


def _parts(text: str) -> list[tuple[str, tuple[int, int]]]:
    parts = []
    for match in re.finditer(r"[^,;/\n|+]+", text):
        part = match.group(0)
        if part.strip():
            offset = len(part) - len(part.lstrip())
            parts.append((part.strip(), (match.start() + offset,
                                         match.start() + offset + len(part.strip()))))
    return parts


def _words(text: str) -> list[str]:
    return ["and" if w == "&" else w.lower()
            for w in re.findall(r"[\wäöüß]+|&", text, re.IGNORECASE)]


def _stem_words(stem: str) -> str:
    """'05_access-control_policy' -> 'access control policy' (a numbered prefix dropped)."""
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    return re.sub(r"^\d{1,3}\s+", "", words)


def _strip_version(text: str) -> str:
    return _VERSION_SUFFIX.sub("", text).strip(" -–—,;")


def _tidy_name(name: str) -> str:
    words = name.split()
    while words and words[0].lower() in _NOT_A_NAME:
        words = words[1:]
    return " ".join(words)


# Words that start a phrase about a document without naming one ("This policy", "Diese
# Richtlinie", "Each procedure").
_NOT_A_NAME = {"the", "our", "see", "per", "in", "and", "der", "die", "das", "den", "dem",
               "siehe", "gemäß", "a", "an", "this", "that", "these", "those", "each", "every",
               "any", "all", "its", "their", "your", "diese", "dieser", "dieses", "diesen",
               "jede", "jeder", "jedes", "unsere", "unser", "eine", "ein", "einer", "alle",
               "relevant", "relevante", "applicable", "related", "other", "andere"}


def _id_prefix(doc_id: str) -> str:
    match = re.match(r"^([A-Za-z]+(?:[-_][A-Za-z]+)*)[-_]?\d", doc_id)
    return match.group(1).upper() if match else ""


def _short_key(title: str) -> str:
    return title_key(_GENERIC.sub(" ", _strip_version(title).replace("&", " and ")))


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))
