"""`load_isms`: read an ISMS folder into documents, SoA entries and weighed coverage claims.

Stages: walk the folder (what is read, what is skipped and why) -> identify each document
(id, title, version..., kind) -> collect evidence (declared, mapped, referenced, inferred) ->
settle: per item, the most trusted statement decides; weaker evidence for other documents is
kept as a mention -> roll sub-clauses up to their clause -> mark candidates (inferred claims,
and claims on records), which may rank sources but never carry reuse.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.isms.claims import DocumentEvidence, NamedNotSupplied, document_evidence
from aimsdocs.isms.declared import (
    CONFIG_NAME,
    IsmsConfig,
    front_matter_covers,
    load_config,
)
from aimsdocs.isms.docx_reader import read_docx
from aimsdocs.isms.identity import (
    FIELD_NAMES,
    DocumentRegister,
    Identity,
    first_title,
    from_control_block,
    from_front_matter,
    load_register,
    title_key,
)
from aimsdocs.isms.inferred import inferred_claims
from aimsdocs.isms.kinds import kind_of_folder, kind_of_words
from aimsdocs.isms.lookup import DocumentLookup
from aimsdocs.isms.mapping_tables import table_evidence
from aimsdocs.isms.markdown_reader import read_markdown
from aimsdocs.isms.model import (
    GOVERNING,
    RECORD,
    CoverageClaim,
    FileEntry,
    IsmsDocument,
    IsmsInventory,
    NamedReference,
    Provenance,
    claim_order,
)
from aimsdocs.isms.parsed import ParsedDocument
from aimsdocs.isms.soa import SoaImport, is_soa_file, no_header_error, read_soa
from aimsdocs.isms.tables import TABLE_SUFFIXES
from aimsdocs.standards import Standards

READERS: dict[str, Callable[[Path], ParsedDocument]] = {
    ".md": read_markdown, ".markdown": read_markdown, ".docx": read_docx}
MAX_FILE_BYTES = 20 * 1024 * 1024  # a bigger file is skipped with a warning
SUGGESTED_NAME = "isms.suggested.yaml"


@dataclass
class _Walk:
    documents: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Read:
    doc: IsmsDocument
    parsed: ParsedDocument
    kind_fixed: bool  # from isms.yaml or the document's own metadata: content cannot change it


def load_isms(root: Path, standards: Standards) -> IsmsInventory:
    root = Path(root).resolve()
    if not root.is_dir():
        raise InputError("ISMS folder not found", file=root,
                         hint="point to the folder that holds your ISMS documents, or remove "
                              "the isms/ setting to generate without an existing ISMS")
    config = load_config(root, standards)
    walk = _walk(root, config.ignore)
    soa_files = _soa_candidates(root, config, walk.tables)
    register = load_register([t for t in walk.tables if t not in soa_files], root)
    read = _read_documents(root, walk.documents, register, config, walk.warnings)
    documents = {doc_id: r.doc for doc_id, r in sorted(read.items())}
    other_files = [f.relpath for f in walk.files if f.role != "document"]
    known_names = {row.doc_id: row.title or "" for row in register.rows if row.doc_id}
    lookup = DocumentLookup(documents, other_files, known_names, root)

    claims: list[CoverageClaim] = []
    mentions: list[CoverageClaim] = []
    named: list[NamedNotSupplied] = []
    for doc_id, entry in list(read.items()):
        evidence = document_evidence(entry.doc, entry.parsed, standards, lookup, root)
        doc = _settle_kind(entry, evidence)
        read[doc_id] = replace(entry, doc=doc)
        documents[doc_id] = doc
        claims += _front_matter_claims(doc, entry.parsed, standards)
        claims += [c for c in evidence.own if c.provenance is Provenance.MAPPED]
        own = [c for c in evidence.own if c.provenance is Provenance.REFERENCED]
        (claims if doc.governing else mentions).extend(own)
        claims += evidence.mapped
        named += evidence.not_supplied
    for table in walk.tables:
        if table not in soa_files:
            evidence = table_evidence(table, root, standards, lookup)
            claims += evidence.mapped
            named += evidence.not_supplied
    soa = _read_soa(root, config, soa_files, standards, lookup, walk)
    if soa is not None:
        claims += _soa_claims(soa)
        named += [NamedNotSupplied(name, (item,), f"{soa.relpath} row {row}")
                  for name, item, row in soa.not_supplied]
    claims = _apply_config(config, documents, claims, root)
    for entry in read.values():
        claims += inferred_claims(entry.doc, entry.parsed, standards)
    claims, settled = _settle(claims, soa, named)
    mentions += settled
    claims = _roll_up(claims, standards)
    claims = [replace(c, candidate=c.provenance is Provenance.INFERRED
                      or not documents[c.doc_id].governing, evidence=_with_note(c))
              for c in claims]
    mentions = [replace(c, evidence=_with_note(c)) for c in mentions]
    return IsmsInventory(
        root=root, documents=documents, claims=_sorted_unique(claims),
        soa=soa.entries if soa else {}, soa_path=soa.path if soa else None,
        warnings=walk.warnings, files=walk.files,
        not_supplied=_not_supplied(named, register, documents, other_files),
        mentions=_sorted_unique(mentions))


# The folder --------------------------------------------------------------------------------

def _walk(root: Path, ignore: list[str]) -> _Walk:
    """Every file under root, sorted, with what is done with it.

    Skipped: hidden files/folders, Office lock files, READMEs, `ignore:` globs, files of a
    type aimsdocs does not read, files over MAX_FILE_BYTES, and symbolic links that lead out
    of the ISMS folder (never followed).
    """
    walk = _Walk()
    for folder, dirs, names in os.walk(root, followlinks=False):
        base = Path(folder)
        for name in sorted(dirs):
            path = base / name
            relpath = path.relative_to(root).as_posix()
            if path.is_symlink():
                dirs.remove(name)
                _skip(walk, relpath, "a symbolic link to a folder (not followed)",
                      warn=not _inside(path, root))
            elif name.startswith(".") or _ignored(relpath, ignore):
                dirs.remove(name)
        dirs.sort()
        for name in sorted(names):
            _consider(base / name, root, ignore, walk)
    walk.files.sort(key=lambda f: f.relpath)
    return walk


def _consider(path: Path, root: Path, ignore: list[str], walk: _Walk) -> None:
    relpath = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    if path.name.startswith(".") or _ignored(relpath, ignore):
        return
    if path.is_symlink() and not _inside(path, root):
        _skip(walk, relpath, "a symbolic link that leads out of the ISMS folder (not followed)",
              warn=True)
        return
    if path.name.startswith("~$"):
        _skip(walk, relpath, "an Office lock file")
    elif path.name == CONFIG_NAME:
        walk.files.append(FileEntry(relpath, "config", "what the organisation declares"))
    elif path.name == SUGGESTED_NAME:
        _skip(walk, relpath, f"suggestions, not read until renamed to {CONFIG_NAME}")
    elif path.name.lower().startswith("readme"):
        _skip(walk, relpath, "a README (notes about the folder, not an ISMS document)")
    elif suffix not in READERS and suffix not in TABLE_SUFFIXES:
        _skip(walk, relpath, f"not a type aimsdocs reads ({suffix or 'no extension'}); "
                             "documents: .md, .docx; tables: .xlsx, .csv")
    elif _size(path) > MAX_FILE_BYTES:
        _skip(walk, relpath, f"{_size(path) // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} "
                             "MiB limit for one file", warn=True)
    elif suffix in READERS:
        walk.documents.append(path)
        walk.files.append(FileEntry(relpath, "document"))
    else:
        walk.tables.append(path)
        walk.files.append(FileEntry(relpath, "table"))


def _skip(walk: _Walk, relpath: str, reason: str, warn: bool = False) -> None:
    walk.files.append(FileEntry(relpath, "skipped", reason))
    if warn:
        walk.warnings.append(f"{relpath}: skipped, {reason}")


def _ignored(relpath: str, ignore: list[str]) -> bool:
    return any(fnmatch.fnmatch(relpath, pattern) for pattern in ignore)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError):
        return False
    return True


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# Documents ---------------------------------------------------------------------------------

def _read_documents(root: Path, files: list[Path], register: DocumentRegister,
                    config: IsmsConfig, warnings: list[str]) -> dict[str, _Read]:
    parsed = [(path, READERS[path.suffix.lower()](path)) for path in files]
    fallback_ids = _fallback_ids(root, [path for path, _ in parsed])
    kinds = {(d.path or d.doc_id or ""): d.kind for d in config.documents if d.kind}
    result: dict[str, _Read] = {}
    for path, source in parsed:
        entry = _document(root, path, source, register, fallback_ids[path], kinds)
        doc = entry.doc
        if doc.doc_id in result:
            first = result[doc.doc_id].doc
            new_id = f"{doc.doc_id}-{fallback_ids[path]}"
            warnings.append(f"document id {doc.doc_id} is used by {first.relpath} and "
                            f"{doc.relpath}; the second is listed as {new_id}")
            entry = replace(entry, doc=replace(doc, doc_id=new_id))
        result[entry.doc.doc_id] = entry
    return result


def _fallback_ids(root: Path, paths: list[Path]) -> dict[Path, str]:
    """The id of a document that states none: its file stem, or its path where stems repeat
    (fourteen policies all named index.md stay fourteen documents)."""
    stems: dict[str, int] = {}
    for path in paths:
        stems[path.stem.upper()] = stems.get(path.stem.upper(), 0) + 1
    ids = {}
    for path in paths:
        stem = path.stem.upper()
        if stems[stem] > 1:
            parts = path.relative_to(root).with_suffix("").parts
            stem = "-".join(parts).upper()
        ids[path] = stem.replace(" ", "-")
    return ids


def _document(root: Path, path: Path, source: ParsedDocument, register: DocumentRegister,
              fallback_id: str, kinds: dict[str, str]) -> _Read:
    relpath = path.relative_to(root).as_posix()
    front = from_front_matter(source)
    block = from_control_block(source)
    known = front.fill(block)
    titled = first_title(source)
    if not front.title and titled:
        known = known.with_field("title", titled[0], titled[1])
    known = known.fill(register.match(known))
    known = known.fill(Identity(
        doc_id=fallback_id,
        title=path.stem.replace("-", " ").replace("_", " ").strip().title(),
        sources=(("doc_id", "file name"), ("title", "file name"))))
    kind, doc_type, kind_source, fixed = _kind(known, relpath, kinds)
    doc = IsmsDocument(
        doc_id=known.doc_id or fallback_id,
        title=known.title or fallback_id,
        version=known.version,
        owner=known.owner,
        approver=known.approver,
        effective_date=known.effective_date,
        next_review=known.next_review,
        path=path,
        relpath=relpath,
        format=source.format,
        sections=source.sections(),
        kind=kind,
        doc_type=doc_type,
        kind_source=kind_source,
        field_sources=tuple((FIELD_NAMES[name], where) for name, where in known.sources
                            if name in FIELD_NAMES and name != "doc_type"),
        blocks=tuple(source.blocks),
    )
    return _Read(doc, source, fixed)


def _kind(known: Identity, relpath: str, kinds: dict[str, str]) -> tuple[str, str, str, bool]:
    """(kind, type word, where it came from, fixed): isms.yaml, metadata, register, title,
    folder; governing when nothing says (most ISMS documents govern)."""
    for key in (relpath, known.doc_id):
        if key and key in kinds:
            return kinds[key], kinds[key], CONFIG_NAME, True
    sources = dict(known.sources)
    if known.doc_type and (found := kind_of_words(known.doc_type)) is not None:
        return found[0], found[1], f"type \"{known.doc_type}\" ({sources.get('doc_type')})", True
    if known.title and (found := kind_of_words(known.title)) is not None:
        return found[0], found[1], f"title word \"{found[1]}\"", False
    if (found := kind_of_folder(relpath)) is not None:
        return found[0], "", f"folder \"{found[1]}/\"", False
    return GOVERNING, "", "default (no record word in its title, type or folder)", False


def _settle_kind(entry: _Read, evidence: DocumentEvidence) -> IsmsDocument:
    """A document that is mostly a mapping of ids to other documents is a record."""
    doc = entry.doc
    if doc.kind == GOVERNING and not entry.kind_fixed and evidence.mostly_mapping \
            and not doc.kind_source.startswith("title"):
        return replace(doc, kind=RECORD, doc_type="mapping",
                       kind_source=f"content ({evidence.mapping_units} entries mapping ids to "
                                   "other documents)")
    return doc


def _front_matter_claims(doc: IsmsDocument, source: ParsedDocument, standards: Standards
                         ) -> list[CoverageClaim]:
    notes: dict[str, str] = {}
    covers = front_matter_covers(source.front_matter, standards, notes)
    return [CoverageClaim(standard, item, doc.doc_id, Provenance.DECLARED, "front matter covers",
                          doc.relpath, note=notes.get(item, "") if standard == "iso27001" else "")
            for standard, ids in covers.items() for item in ids]


# The SoA -----------------------------------------------------------------------------------

def _soa_candidates(root: Path, config: IsmsConfig, tables: list[Path]) -> list[Path]:
    """The SoA named in isms.yaml, else files that look like one: .xlsx before .csv (a CSV is
    usually an export), then the shallowest path."""
    if config.soa:
        path = root / config.soa
        if not path.is_file():
            raise InputError(f"SoA '{config.soa}' not found", file=config.file,
                             hint="give the path relative to the ISMS folder")
        return [path.resolve()]
    return sorted((t for t in tables if is_soa_file(t)),
                  key=lambda p: (p.suffix.lower() != ".xlsx", len(p.parts), p))


def _read_soa(root: Path, config: IsmsConfig, candidates: list[Path], standards: Standards,
              lookup: DocumentLookup, walk: _Walk) -> SoaImport | None:
    for path in candidates:
        relpath = path.relative_to(root).as_posix()
        soa = read_soa(path, standards, lookup, relpath)
        if soa is None:
            continue
        others = [c.relative_to(root).as_posix() for c in candidates if c != path]
        if others:
            walk.warnings.append(f"using {relpath} as the SoA; also found {', '.join(others)} "
                                 f"(set 'soa:' in {CONFIG_NAME} to choose)")
        walk.warnings.extend(soa.warnings)
        walk.files = [replace(f, role="soa", reason=f"{len(soa.entries)} controls")
                      if f.relpath == relpath else f for f in walk.files]
        return soa
    if candidates:
        raise no_header_error(candidates[0])
    return None


def _soa_claims(soa: SoaImport) -> list[CoverageClaim]:
    """A document named for an applicable control. Excluded controls are covered by nothing."""
    claims = []
    for entry in soa.entries.values():
        if entry.applicable is False:
            continue
        evidence = f"SoA row {entry.row} (Reference: {'; '.join(entry.references)})"
        claims += [CoverageClaim("iso27001", entry.control_id, doc_id, Provenance.MAPPED,
                                 evidence, soa.relpath, entry.row, note=entry.note)
                   for doc_id in entry.doc_ids]
    return claims


# isms.yaml ---------------------------------------------------------------------------------

def _apply_config(config: IsmsConfig, documents: dict[str, IsmsDocument],
                  claims: list[CoverageClaim], root: Path) -> list[CoverageClaim]:
    """Add isms.yaml's declared coverage, then drop every claim it denies."""
    by_path = {doc.relpath: doc_id for doc_id, doc in documents.items()}
    denied: set[tuple[str, str, str]] = set()
    for declaration in config.documents:
        doc_id = (declaration.doc_id if declaration.doc_id in documents
                  else by_path.get(declaration.path or ""))
        if doc_id is None:
            what = (f"id '{declaration.doc_id}'" if declaration.doc_id
                    else f"path '{declaration.path}'")
            raise InputError(f"no ISMS document with {what}", file=config.file,
                             line=declaration.line,
                             hint=f"known ids: {', '.join(sorted(documents)) or '(none)'}")
        claims += [CoverageClaim(standard, item, doc_id, Provenance.DECLARED, CONFIG_NAME,
                                 CONFIG_NAME, declaration.line or 0,
                                 note=declaration.notes.get(item, "")
                                 if standard == "iso27001" else "")
                   for standard, ids in declaration.covers.items() for item in ids]
        denied |= {(standard, item, doc_id) for standard, ids in declaration.denies.items()
                   for item in ids}
    return [claim for claim in claims if claim.key not in denied]


# Weighing ----------------------------------------------------------------------------------

_STATED = (Provenance.DECLARED, Provenance.MAPPED)


def _settle(claims: list[CoverageClaim], soa: SoaImport | None,
            named: list[NamedNotSupplied]) -> tuple[list[CoverageClaim], list[CoverageClaim]]:
    """Per item, the most trusted statement decides which documents cover it.

    Where the organisation states coverage (isms.yaml, front matter, an SoA row that names
    its implementation or excludes the control, a cross-reference, even one naming a document
    that is not supplied), references in other documents' text and inferred topics for that
    item become mentions; where a governing document cites the item, inferred topics on
    other documents do. Returns (claims, mentions).
    """
    stated: dict[tuple[str, str], set[str]] = {}
    cited: dict[tuple[str, str], set[str]] = {}
    for claim in claims:
        key = (claim.standard, claim.item_id)
        if claim.provenance in _STATED:
            stated.setdefault(key, set()).add(claim.doc_id)
        elif claim.provenance is Provenance.REFERENCED:
            cited.setdefault(key, set()).add(claim.doc_id)
    if soa is not None:
        for entry in soa.entries.values():
            if entry.speaks:
                stated.setdefault(("iso27001", entry.control_id), set())
    for item in {i for n in named for i in n.items}:
        stated.setdefault(("iso27001", item), set())
    kept: list[CoverageClaim] = []
    mentions: list[CoverageClaim] = []
    for claim in claims:
        key = (claim.standard, claim.item_id)
        settled_elsewhere = claim.provenance not in _STATED and key in stated \
            and claim.doc_id not in stated[key]
        guessed_elsewhere = claim.provenance is Provenance.INFERRED and key in cited \
            and claim.doc_id not in cited[key]
        (mentions if settled_elsewhere or guessed_elsewhere else kept).append(claim)
    return kept, mentions


def _roll_up(claims: list[CoverageClaim], standards: Standards) -> list[CoverageClaim]:
    """A document that covers every sub-clause of a clause covers the clause (9.3.1–9.3.3 ->
    9.3), at the weakest tier among them."""
    result = list(claims)
    changed = True
    while changed:
        changed = False
        have: dict[tuple[str, str], dict[str, CoverageClaim]] = {}
        for claim in result:
            best = have.setdefault((claim.standard, claim.doc_id), {}).get(claim.item_id)
            if best is None or claim.provenance.rank < best.provenance.rank:
                have[(claim.standard, claim.doc_id)][claim.item_id] = claim
        for (standard, _doc), items in have.items():
            catalogue = standards.catalogue(standard)
            parents = {catalogue[i].parent for i in items if i in catalogue
                       and catalogue[i].kind == "clause" and catalogue[i].parent}
            for parent in sorted(p for p in parents if p and p not in items):
                children = [c.id for c in catalogue.children(parent) if c.kind == "clause"]
                if children and all(c in items for c in children):
                    weakest = max((items[c] for c in children), key=lambda c: c.provenance.rank)
                    result.append(replace(
                        weakest, item_id=parent, note="",
                        evidence=f"covers all of {', '.join(children)} "
                                 f"({weakest.provenance.value})"))
                    changed = True
    return result


def _not_supplied(named: list[NamedNotSupplied], register: DocumentRegister,
                  documents: dict[str, IsmsDocument], other_files: list[str]
                  ) -> list[NamedReference]:
    """Documents named by mappings, the SoA or a register that are not in the folder, once."""
    merged: dict[str, tuple[str, list[str], list[str]]] = {}
    for entry in named:
        key = entry.name.lower()
        name, items, places = merged.setdefault(key, (entry.name, [], []))
        items += [i for i in entry.items if i not in items]
        if entry.place not in places:
            places.append(entry.place)
    present = {d.upper() for d in documents}
    titles = {title_key(d.title) for d in documents.values()}
    titles |= {title_key(Path(f).stem.replace("-", " ").replace("_", " ")) for f in other_files}
    for row in register.rows:
        if row.doc_id and row.doc_id.upper() not in present \
                and title_key(row.title or "") not in titles:
            where = dict(row.sources).get("doc_id", "register")
            label = f"{row.doc_id} {row.title}" if row.title else row.doc_id
            _, items, places = merged.pop(row.doc_id.lower(), (label, [], []))
            old_title = merged.pop((row.title or "").lower(), None)
            if old_title is not None:
                items += [i for i in old_title[1] if i not in items]
                places += old_title[2]
            merged[row.doc_id.lower()] = (label, items,
                                          places + ([where] if where not in places else []))
    return [NamedReference(name, tuple(items), tuple(places))
            for name, items, places in sorted(merged.values(), key=lambda v: v[0].lower())]


def _with_note(claim: CoverageClaim) -> str:
    """The evidence with its translation: 'heading "12.4.1 Event logging" (ISO/IEC
    27001:2013 A.12.4.1, now A.8.15)'."""
    if claim.note and claim.note not in claim.evidence:
        return f"{claim.evidence} ({claim.note})"
    return claim.evidence


def _sorted_unique(claims: list[CoverageClaim]) -> list[CoverageClaim]:
    """One claim per (item, document, provenance): the first found, in a stable order."""
    unique: dict[tuple, CoverageClaim] = {}
    for claim in claims:
        unique.setdefault(claim.key + (claim.provenance,), claim)
    return sorted(unique.values(), key=claim_order)
