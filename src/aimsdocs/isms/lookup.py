"""Find ISMS documents from what people write about them: an id, a title, a relative link."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from aimsdocs.isms.identity import title_key
from aimsdocs.isms.model import IsmsDocument

# Words people drop when they name a document ("see the Access Control section").
_GENERIC = re.compile(r"\b(?:policy|policies|procedure|procedures|standard|standards|plan|"
                      r"process|document|guideline|guidelines|and|the)\b", re.IGNORECASE)
MIN_KEY = 5  # shorter names ("IT", "HR") are too ambiguous to match on
FUZZY_RATIO = 0.9


class DocumentLookup:
    def __init__(self, documents: dict[str, IsmsDocument]):
        self.documents = documents
        ids = sorted(documents, key=lambda d: (-len(d), d))
        self._id_pattern = (re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids))
                                       + r")(?![\w-])", re.IGNORECASE) if ids else None)
        self._upper = {d.upper(): d for d in documents}
        self._full: dict[str, str] = {}
        self._short: dict[str, str] = {}
        self._by_path = {doc.path.resolve(): doc.doc_id for doc in documents.values()}
        # A document is also known by its file name: titles drift, file names stay
        # ('IT Operations Security Policy' in it-operations-policy.md).
        ordered = [documents[d] for d in sorted(documents)]
        names = ([(d.doc_id, d.title) for d in ordered]
                 + [(d.doc_id, d.path.stem.replace("-", " ")) for d in ordered])
        for doc_id, name in names:  # titles first: a title beats another file's name
            self._full.setdefault(title_key(name), doc_id)
            self._short.setdefault(_short_key(name), doc_id)

    def ids_in(self, text: str) -> list[str]:
        """Document ids written in the text (whole tokens, any case)."""
        if self._id_pattern is None:
            return []
        return _unique(self._upper[m.group(1).upper()] for m in self._id_pattern.finditer(text))

    def by_title(self, text: str) -> str | None:
        """'Access control policy', 'Access Control', 'access-control policy' -> its id."""
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

    def resolve(self, text: str) -> list[str]:
        """Ids for a cell like 'POL-001; Access Control Policy' (ids first, then titles)."""
        whole = self.by_title(text)
        if whole is not None:
            return [whole]
        found: list[str] = []
        for part in split_references(text):
            ids = self.ids_in(part)
            found += ids or [d for d in [self.by_title(part)] if d is not None]
        return _unique(found)

    def by_link(self, target: str, source: Path, root: Path) -> str | None:
        """A relative link from `source` (or from the root) to an ISMS document."""
        parsed = urlparse(target)
        if (parsed.scheme and len(parsed.scheme) > 1) or parsed.netloc or not parsed.path:
            return None  # a web address (a one-letter scheme is a Windows drive)
        relative = unquote(parsed.path)
        for base in (source.parent, root):
            candidate = (base / relative).resolve()
            if candidate in self._by_path:
                return self._by_path[candidate]
        return None


def split_references(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;/\n]|\s+\+\s+", text) if part.strip()]


def _short_key(title: str) -> str:
    return title_key(_GENERIC.sub(" ", title.replace("&", " and ")))


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))
