"""`load_isms`: read an ISMS folder into documents, SoA entries and coverage claims."""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from pathlib import Path

from aimsdocs.errors import InputError
from aimsdocs.isms.claims import inferred_claims, referenced_claims
from aimsdocs.isms.declared import CONFIG_NAME, IsmsConfig, front_matter_covers, load_config
from aimsdocs.isms.docx_reader import read_docx
from aimsdocs.isms.identity import (
    DocumentRegister,
    first_title,
    from_control_block,
    from_front_matter,
    load_register,
)
from aimsdocs.isms.lookup import DocumentLookup
from aimsdocs.isms.markdown_reader import read_markdown
from aimsdocs.isms.model import (
    CoverageClaim,
    IsmsDocument,
    IsmsInventory,
    Provenance,
    claim_order,
)
from aimsdocs.isms.parsed import ParsedDocument
from aimsdocs.isms.soa import SoaImport, is_soa_file, no_header_error, read_soa
from aimsdocs.isms.tables import TABLE_SUFFIXES
from aimsdocs.standards import Standards

READERS = {".md": read_markdown, ".markdown": read_markdown, ".docx": read_docx}


def load_isms(root: Path, standards: Standards) -> IsmsInventory:
    root = Path(root).resolve()
    if not root.is_dir():
        raise InputError("ISMS folder not found", file=root,
                         hint="point to the folder that holds your ISMS documents, or remove "
                              "the isms/ setting to generate without an existing ISMS")
    config = load_config(root, standards)
    files = _files(root, config.ignore)
    tables = [f for f in files if f.suffix.lower() in TABLE_SUFFIXES]
    register = load_register(tables)
    warnings: list[str] = []
    parsed = _read_documents(root, files, register, warnings)
    documents = {doc_id: doc for doc_id, (doc, _) in sorted(parsed.items())}
    lookup = DocumentLookup(documents)

    claims: list[CoverageClaim] = []
    cross_references: list[CoverageClaim] = []
    for doc, source in parsed.values():
        claims += _front_matter_claims(doc, source, standards)
        own, linked = referenced_claims(doc, source, standards, lookup, root)
        claims += own
        cross_references += linked
        claims += inferred_claims(doc, source)
    claims += cross_references  # after, so a document's own text is the evidence shown
    soa = _read_soa(root, config, tables, standards, lookup, warnings)
    if soa is not None:
        claims += _soa_claims(soa)
    claims = _apply_config(config, documents, claims, root)
    return IsmsInventory(root=root, documents=documents, claims=_sorted_unique(claims),
                         soa=soa.entries if soa else {}, soa_path=soa.path if soa else None,
                         warnings=warnings)


def _files(root: Path, ignore: list[str]) -> list[Path]:
    """Every file under root, sorted; no hidden files/folders, Office lock files or READMEs."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.name.startswith("~$") or path.name.lower().startswith("readme"):
            continue
        if any(fnmatch.fnmatch(relative.as_posix(), pattern) for pattern in ignore):
            continue
        found.append(path)
    return found


def _read_documents(root: Path, files: list[Path], register: DocumentRegister,
                    warnings: list[str]) -> dict[str, tuple[IsmsDocument, ParsedDocument]]:
    result: dict[str, tuple[IsmsDocument, ParsedDocument]] = {}
    for path in files:
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            continue
        source = reader(path)
        doc = _document(root, path, source, register)
        if doc.doc_id in result:
            first = result[doc.doc_id][0]
            new_id = f"{doc.doc_id}-{path.stem}"
            warnings.append(f"document id {doc.doc_id} is used by {first.relpath} and "
                            f"{doc.relpath}; the second is listed as {new_id}")
            doc = replace(doc, doc_id=new_id)
        result[doc.doc_id] = (doc, source)
    return result


def _document(root: Path, path: Path, source: ParsedDocument,
              register: DocumentRegister) -> IsmsDocument:
    front = from_front_matter(source)
    block = from_control_block(source)
    known = front.fill(block)
    known = replace(known, title=front.title or first_title(source) or block.title)
    known = known.fill(register.match(known))
    return IsmsDocument(
        doc_id=known.doc_id or path.stem.upper(),
        title=known.title or path.stem.replace("-", " ").replace("_", " ").strip().title(),
        version=known.version,
        owner=known.owner,
        approver=known.approver,
        effective_date=known.effective_date,
        next_review=known.next_review,
        path=path,
        relpath=path.relative_to(root).as_posix(),
        format=source.format,
        sections=source.sections(),
    )


def _front_matter_claims(doc: IsmsDocument, source: ParsedDocument, standards: Standards
                         ) -> list[CoverageClaim]:
    covers = front_matter_covers(source.front_matter, standards)
    return [CoverageClaim(standard, item, doc.doc_id, Provenance.DECLARED, "front matter covers")
            for standard, ids in covers.items() for item in ids]


def _read_soa(root: Path, config: IsmsConfig, tables: list[Path], standards: Standards,
              lookup: DocumentLookup, warnings: list[str]) -> SoaImport | None:
    """The SoA named in isms.yaml, else the first file that looks like one and parses.

    Preference: .xlsx over .csv (a CSV is usually an export), then the shallowest path.
    """
    if config.soa:
        path = root / config.soa
        if not path.is_file():
            raise InputError(f"SoA '{config.soa}' not found", file=config.file,
                             hint="give the path relative to the ISMS folder")
        candidates = [path]
    else:
        candidates = sorted((t for t in tables if is_soa_file(t)),
                            key=lambda p: (p.suffix.lower() != ".xlsx", len(p.parts), p))
    for path in candidates:
        soa = read_soa(path, standards, lookup)
        if soa is None:
            continue
        others = [c.relative_to(root).as_posix() for c in candidates if c != path]
        if others:
            warnings.append(f"using {path.relative_to(root).as_posix()} as the SoA; also found "
                            f"{', '.join(others)} (set 'soa:' in {CONFIG_NAME} to choose)")
        warnings.extend(soa.warnings)
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
        evidence = f"SoA row {entry.control_id} (Reference: {'; '.join(entry.references)})"
        claims += [CoverageClaim("iso27001", entry.control_id, doc_id, Provenance.SOA, evidence)
                   for doc_id in entry.doc_ids]
    return claims


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
        claims += [CoverageClaim(standard, item, doc_id, Provenance.DECLARED, CONFIG_NAME)
                   for standard, ids in declaration.covers.items() for item in ids]
        denied |= {(standard, item, doc_id) for standard, ids in declaration.denies.items()
                   for item in ids}
    return [claim for claim in claims if claim.key not in denied]


def _sorted_unique(claims: list[CoverageClaim]) -> list[CoverageClaim]:
    """One claim per (item, document, provenance): the first found, in a stable order."""
    unique: dict[tuple, CoverageClaim] = {}
    for claim in claims:
        unique.setdefault(claim.key + (claim.provenance,), claim)
    return sorted(unique.values(), key=claim_order)
